import { Inject, Injectable } from '@nestjs/common';
import { evolve, initialDocumentState, upcastDocumentEvent, type DocumentState } from '@termline/domain';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';

/**
 * Document states folded from the event store. A state is kept in memory and caught up with only the events
 * appended since, so a long history is read once per process, not once per fetch.
 */
@Injectable()
export class DocumentStateRepository {
  private readonly states = new Map<string, DocumentState>();
  private readonly maxEntries = 5_000;

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async load(streamId: string): Promise<DocumentState> {
    const cached = this.states.get(streamId) ?? initialDocumentState;
    const newer = await this.eventStore.readStream(streamId, cached.streamVersion);
    const state = newer.reduce((current, stored) => {
      if (stored.streamVersion !== current.streamVersion + 1) {
        throw new Error(`Stream ${streamId} has a gap before version ${stored.streamVersion}`);
      }
      return evolve(current, upcastDocumentEvent(stored));
    }, cached);
    this.remember(streamId, state);
    return state;
  }

  forget(streamId: string): void {
    this.states.delete(streamId);
  }

  private remember(streamId: string, state: DocumentState): void {
    this.states.delete(streamId);
    if (this.states.size >= this.maxEntries) this.states.delete(this.states.keys().next().value!);
    this.states.set(streamId, state);
  }
}
