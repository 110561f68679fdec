import type { ClassifyInput } from '@termline/regulatory';
import { ProblemException } from '../http/problem';

/** The longest text `POST /v1/classify` accepts, in characters (UTF-16 code units, as JavaScript counts). */
export const MAX_CLASSIFY_CHARACTERS = 200_000;
/** The body limit that goes with it: every character escaped as `\uXXXX` (6 bytes), plus room for the fields. */
export const MAX_CLASSIFY_BODY_BYTES = MAX_CLASSIFY_CHARACTERS * 6 + 64 * 1024;
const MAX_LABEL_CHARACTERS = 200;
const FIELDS = new Set(['text', 'service', 'documentType', 'heading']);
/** Share of control or replacement characters above which a text reads as binary, not prose. */
const MAX_CONTROL_SHARE = 0.01;

const invalid = (detail: string, errors?: readonly string[]) =>
  new ProblemException(422, 'invalid-classify-request', detail, errors);

function controlShare(text: string): number {
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Tab, line feed and carriage return are text; other C0 controls, DEL and U+FFFD (decoding failures) are not.
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127 || code === 0xfffd) control++;
  }
  return text.length === 0 ? 0 : control / text.length;
}

function optionalLabel(body: Record<string, unknown>, field: string, errors: string[]): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_LABEL_CHARACTERS) {
    errors.push(`${field} must be a non-empty string of at most ${MAX_LABEL_CHARACTERS} characters`);
    return undefined;
  }
  return value;
}

/**
 * Decodes the body of `POST /v1/classify`: `{ text, service?, documentType?, heading? }` and nothing else. Empty,
 * binary-looking or malformed input is a 422 listing every problem; a text over the limit is a 413.
 */
export function decodeClassifyRequest(body: unknown): ClassifyInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('The body must be a JSON object { "text": "…" }');
  const record = body as Record<string, unknown>;
  const errors: string[] = [];
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) errors.push(`unknown fields: ${unknown.join(', ')}`);
  const text = record.text;
  if (typeof text !== 'string') errors.push('text must be a string');
  else if (text.length > MAX_CLASSIFY_CHARACTERS)
    throw new ProblemException(
      413,
      'content-too-large',
      `text has ${text.length} characters; the limit is ${MAX_CLASSIFY_CHARACTERS}`,
    );
  else if (text.trim() === '') errors.push('text must not be empty');
  else if (text.includes('\u0000') || controlShare(text) > MAX_CONTROL_SHARE)
    errors.push('text looks binary (control or undecodable characters); send the provision as plain text');
  const service = optionalLabel(record, 'service', errors);
  const documentType = optionalLabel(record, 'documentType', errors);
  const heading = optionalLabel(record, 'heading', errors);
  if (errors.length > 0) throw invalid(errors.join('; '), errors);
  return {
    text: text as string,
    ...(service ? { service } : {}),
    ...(documentType ? { documentType } : {}),
    ...(heading ? { heading } : {}),
  };
}
