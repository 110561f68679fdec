import { Inject, Injectable } from '@nestjs/common';
import { evolve, initialDocumentState, upcastDocumentEvent, type DocumentState } from '@termline/domain';
import { EVENT_STORE, type AppendResult, type EventStore, type ExpectedHead } from '@termline/eventstore';

/** A document's state as its owner keeps it, with the head its next commit follows. */
export interface OwnedState {
  state: DocumentState;
  /** Unknown only when the fold and the chain's head disagreed (a writer in between): the store then reads it. */
  head: ExpectedHead | undefined;
}

interface Entry extends OwnedState {
  /** The partition whose messages brought the document here; undefined for callers without partitions. */
  partition: number | undefined;
}

/**
 * Document states owned by this process: a state is folded from the event store once (on first use) and then
 * kept, advanced by this process's own appends, without reading the store again. Only this process appends to
 * the documents of its partitions; if anyone else did (a previous owner, a CLI import), the next append collides
 * on the stream's unique version and the caller forgets the state and folds it again. States of partitions this
 * process no longer owns are dropped, so a later owner change cannot leave a state behind.
 */
@Injectable()
export class DocumentStateRepository {
  private readonly states = new Map<string, Entry>();
  private readonly maxEntries = 5_000;

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async load(streamId: string, partition?: number): Promise<OwnedState> {
    const kept = this.states.get(streamId);
    if (kept) {
      this.remember(streamId, kept);
      return kept;
    }
    const events = await this.eventStore.readStream(streamId);
    const state = events.reduce((current, stored) => {
      if (stored.streamVersion !== current.streamVersion + 1) {
        throw new Error(`Stream ${streamId} has a gap before version ${stored.streamVersion}`);
      }
      return evolve(current, upcastDocumentEvent(stored));
    }, initialDocumentState);
    const chainHead = state.streamVersion === 0 ? null : await this.eventStore.chainHead(streamId);
    let head: ExpectedHead | undefined;
    if (state.streamVersion === 0) head = { hash: null };
    else if (chainHead?.lastVersion === state.streamVersion) head = { hash: chainHead.hash };
    const entry: Entry = { state, head, partition };
    this.remember(streamId, entry);
    return entry;
  }

  /**
   * After an append of this process at `from`: the commit's events fold into the kept state and its link is the
   * next head. A redelivered commit changes nothing, unless it shows the kept state is behind the store.
   */
  advance(streamId: string, from: OwnedState, result: AppendResult): OwnedState {
    const kept = this.states.get(streamId);
    if (result.duplicate) {
      if (result.link.lastVersion > from.state.streamVersion) this.forget(streamId);
      return from;
    }
    const state = result.events.reduce(
      (current, stored) => evolve(current, upcastDocumentEvent(stored)),
      from.state,
    );
    const next: Entry = { state, head: { hash: result.link.hash }, partition: kept?.partition };
    this.remember(streamId, next);
    return next;
  }

  forget(streamId: string): void {
    this.states.delete(streamId);
  }

  /** Drops the states of documents whose partition is no longer this process's (after a rebalance). */
  keepPartitions(assigned: readonly number[]): void {
    const owned = new Set(assigned);
    for (const [streamId, entry] of this.states) {
      if (entry.partition !== undefined && !owned.has(entry.partition)) this.states.delete(streamId);
    }
  }

  private remember(streamId: string, entry: Entry): void {
    this.states.delete(streamId);
    if (this.states.size >= this.maxEntries) this.states.delete(this.states.keys().next().value!);
    this.states.set(streamId, entry);
  }
}
