import { DOCUMENT_EVENT_SCHEMA_VERSION, DOCUMENT_EVENT_TYPES, type DocumentEvent } from './document.events';

/**
 * Brings a stored event up to the current schema, one step per schema version, each with a test of its own. An
 * event from a newer schema than this code knows is refused: reading it as if it were older would be a silent
 * corruption.
 *
 * - 1 -> 2: FetchRecorded gains `textSha256` and `suppressedBy`, VersionRecorded gains `rulesFired`. Schema 1
 *   did not record them: they read as unknown (null) and as none fired ([]).
 * - 2 -> 3: VersionRecorded gains `rulesNotApplied`; FetchRecorded may have the outcome `failed-fetch`. Schema 2
 *   applied every rule it knew and reported unknown filters among the rules fired (`filter-unknown:<name>`):
 *   those move to the rules not applied (`filter:<name>`).
 */
export interface StoredDocumentEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

export function upcastDocumentEvent(stored: StoredDocumentEvent): DocumentEvent {
  if (!(DOCUMENT_EVENT_TYPES as readonly string[]).includes(stored.type)) {
    throw new Error(`Unknown document event type ${stored.type}`);
  }
  if (stored.schemaVersion > DOCUMENT_EVENT_SCHEMA_VERSION) {
    throw new Error(
      `${stored.type} has schema version ${stored.schemaVersion}; this build knows up to ${DOCUMENT_EVENT_SCHEMA_VERSION}`,
    );
  }
  let data = stored.data as Record<string, unknown>;
  if (stored.schemaVersion < 2) {
    if (stored.type === 'FetchRecorded') data = { ...data, textSha256: null, suppressedBy: null };
    if (stored.type === 'VersionRecorded') data = { ...data, rulesFired: [] };
  }
  if (stored.schemaVersion < 3 && stored.type === 'VersionRecorded') {
    const fired = (data['rulesFired'] as string[] | undefined) ?? [];
    const unknown = 'filter-unknown:';
    data = {
      ...data,
      rulesFired: fired.filter((rule) => !rule.startsWith(unknown)),
      rulesNotApplied: fired
        .filter((rule) => rule.startsWith(unknown))
        .map((rule) => `filter:${rule.slice(unknown.length)}`),
    };
  }
  return { type: stored.type, data } as DocumentEvent;
}
