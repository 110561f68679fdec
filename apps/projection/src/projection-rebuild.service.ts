import { Inject, Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { isDocumentStream } from '@termline/domain';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import type { ReadModelStore } from '@termline/readmodels';
import { TimelineProjector } from './timeline.projector';

export interface RebuildReport {
  streams: number;
  events: number;
  seconds: number;
  /** Per read model: rows in the rebuild, rows live, and whether both are exactly equal. */
  comparison: Record<string, { rebuilt: number; live: number; equal: boolean }>;
  equal: boolean;
}

/** Replays the whole event store into fresh read models and compares them with the live ones. */
@Injectable()
export class ProjectionRebuildService {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly projector: TimelineProjector,
  ) {}

  async rebuild(target: ReadModelStore, live: ReadModelStore): Promise<RebuildReport> {
    const started = process.hrtime.bigint();
    await target.clear();
    let events = 0;
    // Dead-letter facts live in the same store but are no document's history.
    const streamIds = (await this.eventStore.streamIds()).filter(isDocumentStream);
    for (const streamId of streamIds) events += (await this.projector.catchUp(target, streamId)).applied;
    // Bring the live side up to date with the same events first, so the comparison is of like with like.
    for (const streamId of streamIds) await this.projector.catchUp(live, streamId);
    const [rebuilt, current] = await Promise.all([target.dump(), live.dump()]);
    const comparison: RebuildReport['comparison'] = {};
    for (const model of Object.keys(rebuilt)) {
      comparison[model] = {
        rebuilt: rebuilt[model]!.length,
        live: current[model]?.length ?? 0,
        equal: isDeepStrictEqual(rebuilt[model], current[model]),
      };
    }
    return {
      streams: streamIds.length,
      events,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      comparison,
      equal: Object.values(comparison).every((c) => c.equal),
    };
  }
}
