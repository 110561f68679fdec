/**
 * One snapshot record of an Open Terms Archive snapshots export (`genai-snapshots-*.ndjson.br`): a commit of the
 * snapshots repository, with the fetched bytes. Mapping it to a fetch event is the only thing the replay adds;
 * the fetch contract itself (decodeFetchEvent) decides what is valid.
 */
export interface SnapshotRecord {
  service: string;
  documentType: string;
  sourcePart: string | null;
  sourceUrl: string;
  fetcher: string;
  fetchedAt: string;
  commit: string;
  mimeType: string;
  encoding?: 'base64';
  content: string;
}

export const FETCH_ID_PREFIX = 'ota-snapshot:';

export const fetchIdOfCommit = (commit: string): string => `${FETCH_ID_PREFIX}${commit}`;

export function commitOfFetchId(fetchId: string): string | null {
  return fetchId.startsWith(FETCH_ID_PREFIX) ? fetchId.slice(FETCH_ID_PREFIX.length) : null;
}

export class RecordError extends Error {
  override readonly name = 'RecordError';
  constructor(
    readonly code: 'malformed-json' | 'not-a-record',
    message: string,
  ) {
    super(message);
  }
}

/** Parses one line into a record: only what the mapping needs is checked here, the fetch contract does the rest. */
export function parseSnapshotRecord(line: string): SnapshotRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new RecordError('malformed-json', `not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordError('not-a-record', 'a record must be a JSON object');
  }
  const commit = (value as { commit?: unknown }).commit;
  if (typeof commit !== 'string' || !/^[0-9a-f]{7,64}$/.test(commit)) {
    throw new RecordError('not-a-record', 'a record needs a commit id (hex)');
  }
  return value as SnapshotRecord;
}

/**
 * The fetch event of a record, as a fetcher would send it. Fields pass through as given (the contract rejects
 * what is wrong); `commit` becomes the fetch id, so that replaying the same file twice appends nothing.
 */
export function fetchEventOfRecord(record: SnapshotRecord): Record<string, unknown> {
  const event: Record<string, unknown> = {
    fetchId: fetchIdOfCommit(record.commit),
    service: record.service,
    documentType: record.documentType,
    sourcePart: record.sourcePart,
    sourceUrl: record.sourceUrl,
    fetcher: record.fetcher,
    fetchedAt: record.fetchedAt,
    mimeType: record.mimeType,
    content: record.content,
  };
  if (record.encoding !== undefined) event.encoding = record.encoding;
  return event;
}
