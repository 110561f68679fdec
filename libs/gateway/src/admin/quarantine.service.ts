import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@termline/domain';
import {
  QUARANTINE_STORE,
  type QuarantineKind,
  type QuarantineRecord,
  type QuarantineStore,
  type QuarantineSummary,
} from '@termline/eventstore';
import { MESSAGE_BUS, type MessageBus } from '@termline/messaging';
import { CLOCK, type Clock } from '@termline/platform';

/** Header of a replayed message: which quarantine record it came from. */
export const REPLAY_OF_HEADER = 'x-replay-of';

export interface ReplayReceipt {
  id: string;
  topic: string;
  key: string;
  replayedAt: string;
  replays: number;
}

/**
 * What an operator does with parked messages: list them, read one, replay it onto its original topic once the
 * cause is fixed. A replay is an ordinary message: the consumer handles it, or parks it again under the same id.
 */
@Injectable()
export class QuarantineService {
  constructor(
    @Inject(QUARANTINE_STORE) private readonly store: QuarantineStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  list(query: {
    status?: QuarantineRecord['status'];
    kind?: QuarantineKind;
    before?: { quarantinedAt: string; id: string };
    limit: number;
  }): Promise<QuarantineSummary[]> {
    return this.store.list(query);
  }

  async get(id: string): Promise<QuarantineSummary> {
    const record = await this.store.get(id);
    if (!record) throw new DomainError('not-found', `No quarantined message ${id}`);
    const { value, ...summary } = record;
    return { ...summary, valueBytes: Buffer.byteLength(value) };
  }

  async replay(id: string): Promise<ReplayReceipt> {
    const record = await this.store.get(id);
    if (!record) throw new DomainError('not-found', `No quarantined message ${id}`);
    const replayedAt = this.clock.now().toISOString();
    // Published before it is marked: a crash in between replays it twice, which the consumers absorb (a fetch is
    // recorded once, a catch-up is idempotent); the other order could lose it.
    await this.bus.publish(record.topic, [
      { key: record.key, value: record.value, headers: { ...record.headers, [REPLAY_OF_HEADER]: id } },
    ]);
    await this.store.markReplayed(id, replayedAt);
    return { id, topic: record.topic, key: record.key, replayedAt, replays: record.replays + 1 };
  }
}
