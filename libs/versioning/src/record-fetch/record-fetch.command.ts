import type { DecodedFetch } from '@termline/domain';

/** Record one validated fetch of a document: archive its snapshot, and append what it means to the stream. */
export class RecordFetchCommand {
  constructor(
    readonly fetch: DecodedFetch,
    readonly correlationId: string,
    readonly causationId: string,
  ) {}
}

export const commitIdOfFetch = (fetchId: string): string => `fetch:${fetchId}`;
