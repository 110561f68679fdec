import { Inject, Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import type { ReadModelStore } from '@termline/readmodels';
import { GovernanceProjector } from './governance/governance.projector';
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
    private readonly governance: GovernanceProjector,
  ) {}

  /** The timeline first: the governance projection reads the version views it writes. */
  private async catchUp(store: ReadModelStore, streamId: string): Promise<number> {
    const { applied, checkpoint } = await this.projector.catchUp(store, streamId);
    await this.governance.catchUp(store, streamId, checkpoint);
    return applied;
  }

  async rebuild(target: ReadModelStore, live: ReadModelStore): Promise<RebuildReport> {
    const started = process.hrtime.bigint();
    await target.clear();
    let events = 0;
    const streamIds = await this.eventStore.streamIds();
    for (const streamId of streamIds) events += await this.catchUp(target, streamId);
    // Bring the live side up to date with the same events first, so the comparison is of like with like.
    for (const streamId of streamIds) await this.catchUp(live, streamId);
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
