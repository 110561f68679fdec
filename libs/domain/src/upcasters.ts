import { DOCUMENT_EVENT_SCHEMA_VERSION, DOCUMENT_EVENT_TYPES, type DocumentEvent } from './document.events';

/**
 * Brings a stored event up to the current schema, one step per schema version, each with a test of its own. An
 * event from a newer schema than this code knows is refused: reading it as if it were older would be a silent
 * corruption.
 *
 * - 1 -> 2: FetchRecorded gains `textSha256` and `suppressedBy`, VersionRecorded gains `rulesFired`. Schema 1
 *   did not record them: they read as unknown (null) and as none fired ([]).
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
  return { type: stored.type, data } as DocumentEvent;
}
