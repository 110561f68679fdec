import { Inject, Injectable } from '@nestjs/common';
import {
  deadLetterCommitIdOf,
  deadLetterStreamOf,
  FETCH_DEAD_LETTER_SCHEMA_VERSION,
  FETCH_DEAD_LETTERED,
  type FetchDeadLettered,
} from '@termline/domain';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import { CLOCK, type Clock } from '@termline/platform';

/**
 * Records, before a fetch goes to the dead-letter topic, that it did and why, where the gateway can read it. A
 * failure here is the store's, so it is retried like any append; a redelivered message appends nothing.
 */
@Injectable()
export class FetchDeadLetterRecorder {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(fact: FetchDeadLettered, correlationId: string): Promise<void> {
    const streamId = deadLetterStreamOf(fact.fetchId);
    const commitId = deadLetterCommitIdOf(fact.source);
    const current = await this.eventStore.readStream(streamId);
    await this.eventStore.append(streamId, current.length, commitId, [
      {
        eventId: `${commitId}:0`,
        type: FETCH_DEAD_LETTERED,
        schemaVersion: FETCH_DEAD_LETTER_SCHEMA_VERSION,
        data: fact,
        metadata: { correlationId, causationId: fact.source, occurredAt: this.clock.now().toISOString() },
      },
    ]);
  }
}
