import { HttpException } from '@nestjs/common';
import { SqliteSnapshotStore } from '@termline/eventstore';
import { SqliteReadModelStore } from '@termline/readmodels';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE_PAGE_LIMIT, CatalogueQueries, parseInstant } from '@termline/gateway';
import { UsageError } from '../replay/replay.command';

/** A command that ran and failed (not found, refused, server error): exit 1, or 2 when the request itself was wrong. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    /** The HTTP status (or the gateway's own) behind the failure, when there is one. */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export interface TimelineAsk {
  documentId?: string;
  service?: string;
  from?: string;
  to?: string;
  limit: number;
  includeHidden: boolean;
}

export interface SnapshotBytes {
  content: Buffer;
  mimeType: string;
}

/**
 * What the read commands ask, answered either by the embedded store of a folder (through the gateway's own query
 * code, so the answers are the API's) or by a running gateway over HTTP: one interface, two adapters.
 */
export interface ReadSource {
  documents(service?: string): Promise<unknown[]>;
  timeline(ask: TimelineAsk): Promise<{ items: unknown[]; nextCursor: string | null }>;
  diff(documentId: string, from?: number, to?: number): Promise<Record<string, unknown>>;
  snapshot(snapshotId: string): Promise<SnapshotBytes>;
  close(): Promise<void>;
}

/** A gateway's problem (or the same exception thrown by its query code) as a command failure. */
export function failureOfProblem(status: number, detail: string, errors?: readonly string[]): CommandFailure {
  const more = errors && errors.length > 0 ? `: ${errors.join('; ')}` : '';
  // 400: the arguments; 401/403: the key: both are for the caller to fix, like a usage error.
  return new CommandFailure(`${detail}${more}`, [400, 401, 403].includes(status) ? 2 : 1, status);
}

async function asCommand<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    const problem = error.getResponse() as { detail?: string; errors?: string[] };
    throw failureOfProblem(error.getStatus(), problem.detail ?? error.message, problem.errors);
  }
}

/** Every item of a paged list, page after page. */
async function everyPage<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    items.push(...answer.items);
    cursor = answer.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

export function localReadSource(dataDir: string): ReadSource {
  const readModelsFile = join(dataDir, 'read-models.sqlite');
  if (!existsSync(readModelsFile))
    throw new UsageError(
      `${dataDir}: no embedded store (read-models.sqlite) there; give --data <dir>, or --api <url> --key <key>`,
    );
  const readModels = new SqliteReadModelStore(readModelsFile);
  const snapshots = new SqliteSnapshotStore(join(dataDir, 'snapshots.sqlite'));
  const queries = new CatalogueQueries(readModels);
  return {
    documents: (service) =>
      asCommand(() =>
        everyPage((cursor) => queries.documents(service, { limit: CATALOGUE_PAGE_LIMIT, cursor })),
      ),
    timeline: (ask) =>
      asCommand(async () => {
        // The gateway's own checks: a bad date is the same 400 (exit 2) here as over HTTP.
        const from = parseInstant('from', ask.from);
        const to = parseInstant('to', ask.to);
        if (ask.service !== undefined) await queries.serviceExists(ask.service);
        return queries.timeline({ ...ask, from, to });
      }),
    diff: (documentId, from, to) => asCommand(() => queries.diff(documentId, from, to)),
    snapshot: async (snapshotId) => {
      const found = /^[0-9a-f]{64}$/.test(snapshotId) ? await snapshots.get(snapshotId) : null;
      if (!found) throw new CommandFailure(`No snapshot ${snapshotId}`);
      return { content: found.content, mimeType: found.mimeType };
    },
    close: async () => {
      await Promise.all([readModels.close(), snapshots.close()]);
    },
  };
}

/** Calls a running gateway; a problem answer becomes a CommandFailure with its detail. */
export class GatewayClient {
  private readonly base: string;

  constructor(
    api: string,
    private readonly key: string,
  ) {
    let url: URL;
    try {
      url = new URL(api);
    } catch {
      throw new UsageError(`--api must be a URL like http://127.0.0.1:3000, got "${api}"`);
    }
    this.base = url.toString().replace(/\/$/, '');
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    options: {
      query?: Record<string, string | number | undefined>;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) query.set(name, String(value));
    const url = `${this.base}${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${this.key}`,
          ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...options.headers,
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      });
    } catch (error) {
      throw new CommandFailure(
        `cannot reach ${this.base} (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}); is the gateway running?`,
      );
    }
    if (response.ok) return response;
    const text = await response.text();
    let problem: { detail?: string; errors?: string[] } = {};
    try {
      problem = JSON.parse(text) as typeof problem;
    } catch {
      // Not a problem document: the status line says it all.
    }
    throw failureOfProblem(
      response.status,
      `${method} ${path}: ${response.status} ${problem.detail ?? (text.slice(0, 200) || response.statusText)}`,
      problem.errors,
    );
  }

  async json<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
    return (await (await this.request('GET', path, { query })).json()) as T;
  }
}

export function httpReadSource(client: GatewayClient): ReadSource {
  const id = encodeURIComponent;
  return {
    documents: (service) =>
      everyPage((cursor) =>
        client.json<{ items: unknown[]; nextCursor: string | null }>('/v1/documents', { service, cursor }),
      ),
    timeline: (ask) =>
      client.json(
        ask.documentId !== undefined
          ? `/v1/documents/${id(ask.documentId)}/timeline`
          : ask.service !== undefined
            ? `/v1/services/${id(ask.service)}/timeline`
            : '/v1/timeline',
        { from: ask.from, to: ask.to, limit: ask.limit, include: ask.includeHidden ? 'hidden' : undefined },
      ),
    diff: (documentId, from, to) => client.json(`/v1/documents/${id(documentId)}/diff`, { from, to }),
    snapshot: async (snapshotId) => {
      const response = await client.request('GET', `/v1/snapshots/${id(snapshotId)}`);
      return {
        content: Buffer.from(await response.arrayBuffer()),
        mimeType: (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!,
      };
    },
    close: () => Promise.resolve(),
  };
}

/** --api and --key (or TERMLINE_API_KEY) name a running gateway; both or neither. */
export function gatewayOf(values: { api?: string; key?: string }): GatewayClient | null {
  const key = values.key ?? process.env.TERMLINE_API_KEY;
  if (values.api === undefined) {
    if (values.key !== undefined) throw new UsageError('--key needs --api <url>');
    return null;
  }
  if (!key) throw new UsageError('--api needs --key <key> (or TERMLINE_API_KEY)');
  return new GatewayClient(values.api, key);
}
