/** The fault suite talks to Termline only over HTTP, as a fetcher and a reader would. */

export interface Answer {
  status: number;
  body: unknown;
}

export class TermlineClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  /** Throws on a network error (refused, reset, timed out): the caller cannot know whether it was received. */
  async request(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 15_000): Promise<Answer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON (an HTML error page from a dying process): kept as text for the report.
    }
    return { status: response.status, body: parsed };
  }

  async get(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  /** Every item of a cursor-paginated list, or null when the resource answers 404. */
  async getAll(path: string): Promise<unknown[] | null> {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const answer = await this.get(
        `${path}${separator}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (answer.status === 404) return null;
      if (answer.status !== 200)
        throw new Error(`GET ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      const page = answer.body as { items: unknown[]; nextCursor?: string | null };
      items.push(...page.items);
      cursor = page.nextCursor ?? null;
    } while (cursor !== null);
    return items;
  }

  async healthy(): Promise<boolean> {
    try {
      return (await this.request('GET', '/health', undefined, 2_000)).status === 200;
    } catch {
      return false;
    }
  }
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the check gives a value, or throws with the last reason after the deadline. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not reached within ${timeoutMs} ms${last instanceof Error ? ` (${last.message})` : ''}`,
      );
    }
    await pause(everyMs);
  }
}
