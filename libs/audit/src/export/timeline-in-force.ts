import { effectiveHeld, type DocumentEvent } from '@termline/domain';
import type { ExportEvent } from './export-source';

/** A version recorded or retracted in the timeline in force, with the chained event that holds it. */
export interface EventInForce {
  type: string;
  data: Record<string, unknown>;
  holder: ExportEvent;
}

/** Read in export order, the events carry their data as stored: the fold only reads types, keys and versions. */
const asDocumentEvent = (event: ExportEvent): DocumentEvent =>
  ({ type: event.type, data: event.data }) as DocumentEvent;

/**
 * The timeline of a document's exported events, in observed order (ADR 0024): a TimelineRevised's decisions
 * replace those of the observations from its key on. The events themselves stay in arrival order, which is what
 * the chain proves; texts, the timeline CSV and derived records follow the timeline in force. Throws on events
 * too malformed to fold (the verifier reports it).
 */
export const timelineInForce = (events: readonly ExportEvent[]): EventInForce[] =>
  effectiveHeld(events.map((event) => ({ event: asDocumentEvent(event), origin: event })))
    .filter(({ event }) => event.type === 'VersionRecorded' || event.type === 'VersionRetracted')
    .map(({ event, origin }) => ({
      type: event.type,
      data: event.data,
      holder: origin,
    }));

/** Every VersionRecorded of the events, those a TimelineRevised holds included: each text is checked. */
export function versionsRecorded(
  events: readonly ExportEvent[],
): Array<{ data: Record<string, unknown>; index: number }> {
  return events.flatMap((event, index) => {
    if (event.type === 'VersionRecorded') return [{ data: event.data as Record<string, unknown>, index }];
    if (event.type !== 'TimelineRevised') return [];
    const nested = (event.data as { events?: unknown }).events;
    return (Array.isArray(nested) ? (nested as Array<{ type?: unknown; data?: unknown }>) : [])
      .filter((e) => e.type === 'VersionRecorded')
      .map((e) => ({ data: e.data as Record<string, unknown>, index }));
  });
}
