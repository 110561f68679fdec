import type { Request } from 'express';
import { ProblemException } from './problem';

/** How long a client refused for lack of room should wait: bodies in hand are handed on within about a second. */
export const BODY_BUDGET_RETRY_AFTER_SECONDS = 2;

const mib = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;

/**
 * The bytes of request bodies one gateway holds at once: read, parsed and not yet handed on (to the log, to the
 * classifier). A body is held about four times over while it is handled (bytes, text, parsed value, message), so
 * sixty fetches of 12 MiB sent at once took 2.5 GB, and a hundred and fifty of 15 MiB ended the process on V8's
 * heap limit. A request that would go over the budget is refused before its body is read (503 with Retry-After)
 * unless nothing else is held: one body alone always passes, whatever its size, up to the route's own limit.
 * The size counted is the declared Content-Length, or the route's limit for a body sent without one.
 */
export class BodyBudget {
  private held = 0;

  constructor(private readonly maxBytes: number) {}

  /** Bytes held by requests being handled now. */
  get heldBytes(): number {
    return this.held;
  }

  async within<T>(request: Request, limitBytes: number, handle: () => Promise<T>): Promise<T> {
    const declared = Number(request.headers['content-length'] ?? NaN);
    const bytes = Number.isFinite(declared) && declared >= 0 ? Math.min(declared, limitBytes) : limitBytes;
    if (this.held > 0 && this.held + bytes > this.maxBytes) {
      request.resume();
      throw new ProblemException(
        503,
        'busy',
        `The service is holding ${mib(this.held)} of request bodies, its limit (TERMLINE_MAX_BODY_BYTES_IN_FLIGHT is ${mib(this.maxBytes)}); nothing was read or recorded, send it again shortly`,
        undefined,
        BODY_BUDGET_RETRY_AFTER_SECONDS,
      );
    }
    this.held += bytes;
    try {
      return await handle();
    } finally {
      this.held -= bytes;
    }
  }
}
