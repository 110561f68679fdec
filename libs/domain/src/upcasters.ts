import { DOCUMENT_EVENT_SCHEMA_VERSION, DOCUMENT_EVENT_TYPES, type DocumentEvent } from './document.events';

/**
 * Brings a stored event up to the current schema. Version 1 is the first schema, so there is nothing to upcast
 * yet; every future change of an event's shape adds a step here with a test of its own. An event from a newer
 * schema than this code knows is refused: reading it as if it were older would be a silent corruption.
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
  return { type: stored.type, data: stored.data } as DocumentEvent;
}
