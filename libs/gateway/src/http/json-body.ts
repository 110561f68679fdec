import type { Request } from 'express';
import { ProblemException } from './problem';

/**
 * Reads a JSON request body with a size limit, inside the request handler, so that every failure (wrong media
 * type, too large, malformed) becomes a problem answer like any other error.
 */
export async function readJsonBody(
  request: Request,
  limitBytes: number,
  minBytesPerSecond = 0,
): Promise<unknown> {
  return (await readJsonBodyWithText(request, limitBytes, minBytesPerSecond)).value;
}

/** The body parsed, and the JSON text it was parsed from (to pass on as it came, without serialising it again). */
export async function readJsonBodyWithText(
  request: Request,
  limitBytes: number,
  minBytesPerSecond = 0,
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
  const chunks = await readBody(request, limitBytes, minBytesPerSecond);
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

/**
 * A body sent slower than this is cut off once its first seconds have passed: a sender that trickles a large
 * declared body would otherwise hold its room in the budget of bodies in hand for as long as Node's request timeout
 * (5 min), and a few such senders would have every other fetch refused meanwhile (ADR 0035).
 */
export const BODY_RATE_GRACE_MS = 10_000;
const RATE_CHECK_EVERY_MS = 1_000;

/**
 * The body's chunks, read up to the limit. With a minimum rate, the bytes received must keep up with it from
 * {@link BODY_RATE_GRACE_MS} on (counted on average since the first byte was awaited): a sender that falls behind
 * gets a 408, and its connection is closed after the answer.
 */
function readBody(request: Request, limitBytes: number, minBytesPerSecond: number): Promise<Buffer[]> {
  return new Promise<Buffer[]>((resolve, reject) => {
    // Gone before it was read (the client hung up while the request waited its turn): its events have passed.
    if (request.destroyed) {
      reject(cutOff());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const started = Date.now();
    const finish = (error?: Error) => {
      clearInterval(timer);
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error === undefined) resolve(chunks);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        // The rest is read and dropped, so that the answer can be sent on this connection.
        request.resume();
        finish(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(cutOff());
    const timer = setInterval(() => {
      const elapsed = Date.now() - started;
      if (minBytesPerSecond <= 0 || elapsed <= BODY_RATE_GRACE_MS) return;
      if (size >= ((elapsed - BODY_RATE_GRACE_MS) / 1000) * minBytesPerSecond) return;
      request.pause();
      request.res?.setHeader('Connection', 'close');
      finish(
        new ProblemException(
          408,
          'body-too-slow',
          `The request body came at ${Math.round(size / (elapsed / 1000))} bytes/s; after the first ` +
            `${BODY_RATE_GRACE_MS / 1000} s it must keep up with ${minBytesPerSecond} bytes/s`,
        ),
      );
    }, RATE_CHECK_EVERY_MS);
    timer.unref();
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

const cutOff = () => new ProblemException(400, 'aborted', 'The request body was cut off');

const tooLarge = (limitBytes: number) =>
  new ProblemException(413, 'content-too-large', `The request body is over the limit of ${limitBytes} bytes`);
