import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { isDocumentStream } from '@termline/domain';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import type { ReadModelStore } from '@termline/readmodels';
import { GovernanceProjector } from './governance/governance.projector';
import { TimelineProjector } from './timeline.projector';
import { OwnedReadModels } from './projected-writes.buffer';

type Comparison = Record<string, { rebuilt: number; live: number; equal: boolean }>;

export interface RebuildReport {
  streams: number;
  events: number;
  seconds: number;
  /** Per read model: rows in the rebuild, rows live, and whether both are exactly equal. */
  comparison: Comparison;
  equal: boolean;
}

export interface RepairReport {
  streams: number;
  events: number;
  seconds: number;
  /** The rebuilt read models replaced the live ones. */
  swapped: true;
  /** The rebuild against the copy it replaced; null when that copy could not be read (it was damaged). */
  comparison: Comparison | null;
  equal: boolean | null;
  comparisonError?: string;
}

/** Replays the whole event store into fresh read models: to compare with the live ones, or to replace them. */
@Injectable()
export class ProjectionRebuildService {
  private readonly logger = new Logger(ProjectionRebuildService.name);
  /** One repair at a time: a second request joins the one running (both would rebuild the same file). */
  private repairing: Promise<RepairReport> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly projector: TimelineProjector,
    private readonly governance: GovernanceProjector,
    // What this process's consumer keeps of the live store describes the copy being replaced.
    @Optional() private readonly owned?: OwnedReadModels,
  ) {}

  /** The timeline first: the governance projection reads the version views it writes. */
  private async catchUp(store: ReadModelStore, streamId: string): Promise<number> {
    const { applied, checkpoint } = await this.projector.catchUp(store, streamId);
    await this.governance.catchUp(store, streamId, checkpoint);
    return applied;
  }

  /** Rebuilds into `target` and compares it with `live`; `live` is only caught up. */
  async rebuild(target: ReadModelStore, live: ReadModelStore): Promise<RebuildReport> {
    const started = process.hrtime.bigint();
    await target.clear();
    const { streamIds, events } = await this.replayInto(target);
    const comparison = await this.compare(target, live, streamIds);
    return {
      streams: streamIds.length,
      events,
      seconds: secondsSince(started),
      comparison,
      equal: Object.values(comparison).every((c) => c.equal),
    };
  }

  /**
   * The repair of the live read models: rebuilds them from the event store into a fresh store that never reads
   * the live one, then swaps it in. Comparing with the replaced copy is best-effort: a damaged copy cannot be
   * read, and must not stop its own repair.
   */
  repair(live: ReadModelStore): Promise<RepairReport> {
    this.repairing ??= this.rebuildAndSwap(live).finally(() => {
      this.repairing = null;
    });
    return this.repairing;
  }

  private async rebuildAndSwap(live: ReadModelStore): Promise<RepairReport> {
    const started = process.hrtime.bigint();
    const rebuild = await live.prepareRebuild();
    let swapped = false;
    try {
      const { streamIds, events } = await this.replayInto(rebuild.target);
      let comparison: Comparison | null = null;
      let comparisonError: string | undefined;
      try {
        comparison = await this.compare(rebuild.target, live, streamIds);
      } catch (error) {
        comparisonError = error instanceof Error ? error.message : String(error);
        this.logger.warn(`The read models being replaced could not be compared: ${comparisonError}`);
      }
      await rebuild.swapIn();
      swapped = true;
      this.owned?.forgetAll();
      // Events appended while the rebuild ran: the swapped-in store catches up on them now.
      for (const streamId of (await this.eventStore.streamIds()).filter(isDocumentStream))
        await this.catchUp(live, streamId);
      return {
        streams: streamIds.length,
        events,
        seconds: secondsSince(started),
        swapped: true,
        comparison,
        equal: comparison ? Object.values(comparison).every((c) => c.equal) : null,
        ...(comparisonError === undefined ? {} : { comparisonError }),
      };
    } finally {
      if (!swapped) await rebuild.discard();
    }
  }

  /**
   * Brings `store` up to date with every document stream, each from its projections' checkpoints: what an
   * embedded import does once it has appended, so that its history is served without a rebuild.
   */
  async catchUpAll(store: ReadModelStore): Promise<{ streams: number; events: number }> {
    const { streamIds, events } = await this.replayInto(store);
    return { streams: streamIds.length, events };
  }

  private async replayInto(target: ReadModelStore): Promise<{ streamIds: string[]; events: number }> {
    let events = 0;
    // Dead-letter facts live in the same store but are no document's history.
    const streamIds = (await this.eventStore.streamIds()).filter(isDocumentStream);
    for (const streamId of streamIds) events += await this.catchUp(target, streamId);
    return { streamIds, events };
  }

  private async compare(
    target: ReadModelStore,
    live: ReadModelStore,
    streamIds: readonly string[],
  ): Promise<Comparison> {
    // Bring the live side up to date with the same events first, so the comparison is of like with like.
    for (const streamId of streamIds) await this.catchUp(live, streamId);
    const [rebuilt, current] = await Promise.all([target.dump(), live.dump()]);
    const comparison: Comparison = {};
    for (const model of Object.keys(rebuilt)) {
      comparison[model] = {
        rebuilt: rebuilt[model]!.length,
        live: current[model]?.length ?? 0,
        equal: isDeepStrictEqual(rebuilt[model], current[model]),
      };
    }
    return comparison;
  }
}

const secondsSince = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;
