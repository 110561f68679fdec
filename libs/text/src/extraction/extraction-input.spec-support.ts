import type { ExtractionInput } from './extract-text';

/** Test support for the text engine's unit specs: an HTML page of the Example service's terms. */
export const htmlInput = (
  content: string | Uint8Array,
  overrides: Partial<ExtractionInput> = {},
): ExtractionInput => ({
  content,
  mimeType: 'text/html',
  fetchedAt: '2026-01-01T00:00:00Z',
  service: 'Example',
  documentType: 'Terms of Service',
  sourceUrl: 'https://example.com/legal/terms',
  ...overrides,
});
