import { evolve, initialDocumentState, type DocumentState } from './document.decider';
import type {
  DecidedEvent,
  DecidedState,
  DocumentEvent,
  FetchRecorded,
  ObservationKey,
  TimelineRevised,
} from './document.events';
import { documentIdOf } from './document-id';
import type { FetchEvent, SupportedMimeType } from './fetch-event';
import { compareObservations, observationKeyOf } from './observation-key';

/**
 * The timeline as a function of the set of observations (ADR 0024). A stream is ordered by arrival; a late
 * observation is appended with a TimelineRevised holding the decisions of every observation from it on, taken
 * again in observed order. Reading a stream through these functions gives the decisions in observed order, with
 * each revision in force: what the timeline, the version history and the decider's lineage are built from.
 */

/** One observation and what was decided about it (its FetchRecorded excluded). */
export interface ObservationDecision {
  fetch: FetchRecorded;
  decided: Exclude<DecidedEvent, FetchRecorded>[];
}

/** An observation as it is decided again: the fetch, its snapshot and its size. */
export interface Observation {
  fetch: FetchEvent;
  snapshotId: string;
  contentBytes: number;
}

export const keyOfRecorded = (fetch: FetchRecorded): ObservationKey =>
  observationKeyOf(fetch.data, fetch.data.snapshotId);

/** An event of a stream with where the reader found it (its stored position, its commit …). */
export interface Held<T> {
  event: DocumentEvent;
  origin: T;
}

/** A decided event in force, with the origin of the stored event that holds it (a TimelineRevised for a revision's). */
export interface HeldDecision<T> {
  event: DecidedEvent;
  origin: T;
}

interface HeldObservation<T> {
  fetch: HeldDecision<T> & { event: FetchRecorded };
  decided: HeldDecision<T>[];
}

function heldHistory<T>(events: readonly Held<T>[]): HeldObservation<T>[] {
  let decisions: HeldObservation<T>[] = [];
  for (const { event, origin } of events) {
    if (event.type === 'TimelineRevised') {
      // Everything from the late observation on (its own arrival record too) is replaced by the revision.
      const from = event.data.from;
      decisions = [
        ...decisions.filter((d) => compareObservations(keyOfRecorded(d.fetch.event), from) < 0),
        ...groupByObservation(event.data.events.map((decided) => ({ event: decided, origin }))),
      ];
    } else decisions = groupByObservation([{ event, origin }], decisions);
  }
  return decisions;
}

function groupByObservation<T>(
  events: readonly HeldDecision<T>[],
  into: HeldObservation<T>[] = [],
): HeldObservation<T>[] {
  for (const held of events) {
    if (held.event.type === 'FetchRecorded') {
      into.push({ fetch: { event: held.event, origin: held.origin }, decided: [] });
      continue;
    }
    const last = into[into.length - 1];
    if (!last) throw new Error(`${held.event.type} before any FetchRecorded`);
    last.decided.push(held);
  }
  return into;
}

/** The decisions in force, one per observation, in observed order (arrival order for a stream never revised). */
export const effectiveHistory = (events: readonly DocumentEvent[]): ObservationDecision[] =>
  heldHistory(events.map((event) => ({ event, origin: null }))).map((d) => ({
    fetch: d.fetch.event,
    decided: d.decided.map((held) => held.event as Exclude<DecidedEvent, FetchRecorded>),
  }));

/** effectiveEvents, each with the origin of the stored event that holds it. */
export const effectiveHeld = <T>(events: readonly Held<T>[]): HeldDecision<T>[] =>
  heldHistory(events).flatMap((d) => [d.fetch, ...d.decided]);

/** The decided events in force, in observed order: a stream read as if its observations had come in order. */
export const effectiveEvents = (events: readonly DocumentEvent[]): DecidedEvent[] =>
  effectiveHistory(events).flatMap((d) => [d.fetch, ...d.decided]);

/** The fetch a FetchRecorded recorded, to be decided again. */
export const observationOf = (fetch: FetchRecorded): Observation => ({
  fetch: {
    fetchId: fetch.data.fetchId,
    service: fetch.data.service,
    documentType: fetch.data.documentType,
    sourceUrl: fetch.data.sourceUrl,
    sourcePart: fetch.data.sourcePart,
    fetchedAt: fetch.data.fetchedAt,
    fetcher: fetch.data.fetcher,
    // It passed the fetch contract when it was recorded.
    mimeType: fetch.data.mimeType as SupportedMimeType,
    httpStatus: fetch.data.httpStatus,
  },
  snapshotId: fetch.data.snapshotId,
  contentBytes: fetch.data.contentBytes,
});

const decidedStateOf = ({ streamVersion: _v, fetchCount: _c, ...decided }: DocumentState): DecidedState =>
  decided;

/** Decides one observation against the state before it: its FetchRecorded, then the facts it adds. */
export type DecideObservation = (state: DocumentState, observation: Observation) => Promise<DecidedEvent[]>;

/** Where a late observation falls: what is kept before it, and the observations to decide again from it on. */
export interface RevisionPlan {
  /** The decisions before the late observation, kept as they are. */
  kept: ObservationDecision[];
  /** The state they lead to. */
  state: DocumentState;
  /** The late observation and every one after it, in observed order. */
  again: Observation[];
}

export function planRevision(history: readonly DocumentEvent[], late: Observation): RevisionPlan {
  const from = observationKeyOf(late.fetch, late.snapshotId);
  const decisions = effectiveHistory(history);
  const kept = decisions.filter((d) => compareObservations(keyOfRecorded(d.fetch), from) < 0);
  const after = decisions.filter((d) => compareObservations(keyOfRecorded(d.fetch), from) > 0);
  const again = [late, ...after.map((d) => observationOf(d.fetch))].sort((a, b) =>
    compareObservations(observationKeyOf(a.fetch, a.snapshotId), observationKeyOf(b.fetch, b.snapshotId)),
  );
  const state = kept.flatMap((d) => [d.fetch, ...d.decided]).reduce(evolve, initialDocumentState);
  return { kept, state, again };
}

/**
 * The revision a late observation calls for: every observation from it on decided again, in observed order,
 * each against the state the ones before it lead to. `decideOne` is the same decision an observation arriving in
 * order gets (extraction included), so the result is the timeline the observations would have had in order.
 */
export async function reviseTimeline(
  history: readonly DocumentEvent[],
  late: Observation,
  decideOne: DecideObservation,
): Promise<TimelineRevised> {
  const plan = planRevision(history, late);
  let state = plan.state;
  const events: DecidedEvent[] = [];
  for (const observation of plan.again) {
    const decided = await decideOne(state, observation);
    events.push(...decided);
    state = decided.reduce(evolve, state);
  }
  return {
    type: 'TimelineRevised',
    data: {
      documentId: documentIdOf(late.fetch.service, late.fetch.documentType),
      fetchId: late.fetch.fetchId,
      from: observationKeyOf(late.fetch, late.snapshotId),
      events,
      state: decidedStateOf(state),
    },
  };
}
