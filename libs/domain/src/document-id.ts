/**
 * A document is one terms type of one service. Its id is derived, so every fetcher computes the same one:
 * `<service-slug>__<document-type-slug>`, e.g. `claude-ai__privacy-policy`.
 */
export function slug(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function documentIdOf(service: string, documentType: string): string {
  return `${slug(service)}__${slug(documentType)}`;
}

export const streamIdOf = (documentId: string): string => `document:${documentId}`;

export function documentIdOfStream(streamId: string): string {
  if (!streamId.startsWith('document:')) throw new Error(`Not a document stream: ${streamId}`);
  return streamId.slice('document:'.length);
}

export const DOCUMENT_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*__[a-z0-9]+(?:-[a-z0-9]+)*$/;
