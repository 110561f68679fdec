import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  effectiveEvents,
  upcastDocumentEvent,
  type DocumentEvent,
  type ProvisionLineage,
  type ProvisionsAligned,
} from '@termline/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@termline/eventstore';
import { TEXT_WORK, TextWork } from '@termline/platform';
import type { LineageEntry } from '@termline/text';

/** What aligning the next version needs of the one it follows. */
export interface VersionProvisions {
  version: number;
  text: string;
  provisionIds: string[];
}

/** Versions kept per document: the newest, and the ones a flip-back or an incomplete round may return to. */
const VERSIONS_PER_DOCUMENT = 4;

/** Characters of text the lineage keeps in memory (one document's text can be a hundred times another's). */
export const LINEAGE_MEMORY_CHARACTERS = Symbol('LINEAGE_MEMORY_CHARACTERS');
const DEFAULT_MEMORY_CHARACTERS = 32 * 1024 * 1024;

/**
 * Gives every recorded version its provisions: after each VersionRecorded of a decision, the ProvisionsAligned
 * that carries provision ids over from the version it follows, with the lineage. The version followed is read
 * from the decision itself (a technical upgrade then a change), else from memory (the last few versions of each
 * recently changed document), else from its stream: once per document after a restart, and only when the
 * document changed.
 */
@Injectable()
export class ProvisionLineageService {
  private readonly recent = new Map<string, VersionProvisions[]>();
  private characters = 0;

  private readonly textWork: TextWork;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    // Aligning a long document takes long: off the event loop when the process has text workers.
    @Optional() @Inject(TEXT_WORK) textWork?: TextWork,
    @Optional()
    @Inject(LINEAGE_MEMORY_CHARACTERS)
    private readonly maxCharacters: number = DEFAULT_MEMORY_CHARACTERS,
  ) {
    this.textWork = textWork ?? TextWork.inThread();
  }

  /**
   * `decided` names versions the decision may follow that are not (or not yet) what the stream says: a timeline
   * decided again in observed order numbers its versions afresh. The versions this decision records are added to it.
   */
  async withLineage(
    streamId: string,
    events: readonly DocumentEvent[],
    decided = new Map<number, VersionProvisions>(),
  ): Promise<DocumentEvent[]> {
    if (!events.some((event) => event.type === 'VersionRecorded')) return [...events];
    const out: DocumentEvent[] = [];
    for (const event of events) {
      out.push(event);
      if (event.type !== 'VersionRecorded') continue;
      const { previousVersion, version, text, documentId } = event.data;
      const previous =
        previousVersion === null
          ? null
          : (decided.get(previousVersion) ?? (await this.recorded(streamId, previousVersion)));
      const alignment = await this.textWork.align(previous, text);
      const aligned: ProvisionsAligned = {
        type: 'ProvisionsAligned',
        data: {
          documentId,
          version,
          previousVersion,
          provisionIds: alignment.provisions.map((p) => p.id),
          lineage: alignment.lineage.map(lineageOf),
        },
      };
      out.push(aligned);
      decided.set(version, { version, text, provisionIds: aligned.data.provisionIds });
    }
    return out;
  }

  /** After an append that wrote its events (not a redelivery): its versions are what later ones may follow. */
  remember(streamId: string, stored: readonly StoredEvent[]): void {
    const events = stored.map(upcastDocumentEvent);
    for (const event of events) {
      if (event.type !== 'ProvisionsAligned') continue;
      const recorded = events.find(
        (e) => e.type === 'VersionRecorded' && e.data.version === event.data.version,
      );
      if (recorded?.type !== 'VersionRecorded') continue;
      this.keep(streamId, {
        version: event.data.version,
        text: recorded.data.text,
        provisionIds: event.data.provisionIds,
      });
    }
  }

  /** Forgets a document's versions: they are read from its stream when next needed. */
  forget(streamId: string): void {
    this.dropStream(streamId);
  }

  /**
   * Forgets the versions these events record and nothing else: a batch remembered them before its append, which
   * did not store them. The document's earlier versions were stored and stay true.
   */
  forgetRecorded(streamId: string, events: readonly StoredEvent[]): void {
    const versions = new Set<number>();
    for (const event of events.map(upcastDocumentEvent))
      if (event.type === 'VersionRecorded') versions.add(event.data.version);
    const kept = this.recent.get(streamId);
    if (!kept || versions.size === 0) return;
    const left = kept.filter((entry) => !versions.has(entry.version));
    this.characters -= charactersOf(kept) - charactersOf(left);
    if (left.length === 0) this.recent.delete(streamId);
    else this.recent.set(streamId, left);
  }

  private keep(streamId: string, entry: VersionProvisions): void {
    const versions = [
      ...(this.recent.get(streamId) ?? []).filter((v) => v.version !== entry.version),
      entry,
    ].slice(-VERSIONS_PER_DOCUMENT);
    // Re-inserted last: the documents changed longest ago are the first evicted when memory runs short.
    this.dropStream(streamId);
    this.recent.set(streamId, versions);
    this.characters += charactersOf(versions);
    // Short of memory, the older versions go first (a document's next change follows its newest version; going
    // back to an older one is the rarer flip-back), then whole documents, those changed longest ago first: a
    // document that falls out costs a read of its whole stream at its next change.
    for (const [kept, older] of this.recent) {
      if (this.characters <= this.maxCharacters) break;
      if (older.length <= 1) continue;
      const newest = older[older.length - 1]!;
      this.characters -= charactersOf(older) - newest.text.length;
      this.recent.set(kept, [newest]);
    }
    while (this.characters > this.maxCharacters && this.recent.size > 1) {
      this.dropStream(this.recent.keys().next().value!);
    }
  }

  private dropStream(streamId: string): void {
    const versions = this.recent.get(streamId);
    if (!versions) return;
    this.characters -= charactersOf(versions);
    this.recent.delete(streamId);
  }

  /**
   * A version's text and the provision ids it was recorded with. Read from the stream when not in memory; a
   * version recorded before provisions were recorded (no ProvisionsAligned) gets the ids that aligning its
   * predecessors one after the other gives, as the projection computed them then.
   */
  private async recorded(streamId: string, version: number): Promise<VersionProvisions | null> {
    const remembered = this.recent.get(streamId)?.find((v) => v.version === version);
    if (remembered) return remembered;
    const versions = new Map<
      number,
      VersionProvisions & { previousVersion: number | null; aligned: boolean }
    >();
    // The versions in force: a revised timeline's, in observed order (ADR 0024).
    const events = effectiveEvents((await this.eventStore.readStream(streamId)).map(upcastDocumentEvent));
    for (const event of events) {
      if (event.type === 'VersionRecorded') {
        const { version: number, text, previousVersion } = event.data;
        versions.set(number, { version: number, text, provisionIds: [], previousVersion, aligned: false });
      } else if (event.type === 'ProvisionsAligned') {
        const entry = versions.get(event.data.version);
        if (entry) Object.assign(entry, { provisionIds: event.data.provisionIds, aligned: true });
      }
    }
    // Versions come in order, so each predecessor is settled before the versions that follow it.
    for (const entry of versions.values()) {
      if (entry.aligned) continue;
      const previous = entry.previousVersion === null ? null : (versions.get(entry.previousVersion) ?? null);
      entry.provisionIds = (await this.textWork.align(previous, entry.text)).provisions.map((p) => p.id);
    }
    const found = versions.get(version);
    return found ? { version, text: found.text, provisionIds: found.provisionIds } : null;
  }
}

const charactersOf = (versions: readonly VersionProvisions[]): number =>
  versions.reduce((sum, v) => sum + v.text.length, 0);

function lineageOf(entry: LineageEntry): ProvisionLineage {
  switch (entry.kind) {
    case 'split':
      return { kind: 'split', from: entry.from, into: [...entry.into] };
    case 'merged':
      return { kind: 'merged', from: [...entry.from], into: entry.into };
    default:
      return { ...entry };
  }
}
