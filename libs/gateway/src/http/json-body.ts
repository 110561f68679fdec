import type { Request } from 'express';
import { ProblemException } from './problem';

/**
 * Reads a JSON request body with a size limit, inside the request handler, so that every failure (wrong media
 * type, too large, malformed) becomes a problem answer like any other error.
 */
export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  return (await readJsonBodyWithText(request, limitBytes)).value;
}

/** The body parsed, and the JSON text it was parsed from (to pass on as it came, without serialising it again). */
export async function readJsonBodyWithText(
  request: Request,
  limitBytes: number,
): Promise<{ value: unknown; text: string }> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    throw new ProblemException(
      415,
      'unsupported-media-type',
      `Send the request body as application/json (got ${type === '' ? 'no Content-Type' : JSON.stringify(type.slice(0, 100))})`,
    );
  }
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      request.resume();
      throw tooLarge(limitBytes);
    }
    chunks.push(chunk);
  }
  let text: string;
  try {
    // Fatal: a lenient decoder would replace bad bytes with U+FFFD, and the archive would hold other bytes than
    // the fetcher sent.
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ProblemException(
      400,
      'invalid-utf8',
      'The request body is not valid UTF-8 (JSON must be UTF-8)',
    );
  }
  try {
    return { value: JSON.parse(text) as unknown, text };
  } catch (error) {
    throw new ProblemException(400, 'malformed-json', `Malformed JSON: ${(error as Error).message}`);
  }
}

const tooLarge = (limitBytes: number) =>
  new ProblemException(413, 'content-too-large', `The request body is over the limit of ${limitBytes} bytes`);
