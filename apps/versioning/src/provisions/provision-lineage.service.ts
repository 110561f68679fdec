import { Inject, Injectable } from '@nestjs/common';
import {
  upcastDocumentEvent,
  type DocumentEvent,
  type ProvisionLineage,
  type ProvisionsAligned,
  type VersionRecorded,
} from '@termline/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@termline/eventstore';
import { alignVersionProvisions, type LineageEntry } from '@termline/text';

/** What aligning the next version needs of the one it follows. */
interface VersionProvisions {
  version: number;
  text: string;
  provisionIds: string[];
}

/**
 * Gives every recorded version its provisions: after each VersionRecorded of a decision, the ProvisionsAligned
 * that carries provision ids over from the version it follows, with the lineage. The version followed is read
 * from the decision itself (a technical upgrade then a change), else from memory (the latest version of each
 * recently changed document), else from its stream: once per document after a restart, and only when the
 * document changed.
 */
@Injectable()
export class ProvisionLineageService {
  private readonly latest = new Map<string, VersionProvisions>();
  /** Bounded by characters, not entries: one document's text can be a hundred times another's. */
  private readonly maxCharacters = 32 * 1024 * 1024;
  private characters = 0;

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async withLineage(streamId: string, events: readonly DocumentEvent[]): Promise<DocumentEvent[]> {
    if (!events.some((event) => event.type === 'VersionRecorded')) return [...events];
    const decided = new Map<number, VersionProvisions>();
    const out: DocumentEvent[] = [];
    for (const event of events) {
      out.push(event);
      if (event.type !== 'VersionRecorded') continue;
      const { previousVersion, version, text, documentId } = event.data;
      const previous =
        previousVersion === null
          ? null
          : (decided.get(previousVersion) ?? (await this.recorded(streamId, previousVersion)));
      const alignment = alignVersionProvisions(previous, text);
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

  /** After an append: the newest version of the commit is what the document's next version will follow. */
  remember(streamId: string, stored: readonly StoredEvent[]): void {
    const events = stored.map(upcastDocumentEvent);
    const recorded = events.filter((e): e is VersionRecorded => e.type === 'VersionRecorded').at(-1);
    if (!recorded) return;
    const aligned = events.find(
      (e): e is ProvisionsAligned =>
        e.type === 'ProvisionsAligned' && e.data.version === recorded.data.version,
    );
    this.forget(streamId);
    const text = recorded.data.text;
    while (this.latest.size > 0 && this.characters + text.length > this.maxCharacters) {
      this.forget(this.latest.keys().next().value!);
    }
    this.latest.set(streamId, {
      version: recorded.data.version,
      text,
      provisionIds: aligned?.data.provisionIds ?? [],
    });
    this.characters += text.length;
  }

  private forget(streamId: string): void {
    const entry = this.latest.get(streamId);
    if (!entry) return;
    this.characters -= entry.text.length;
    this.latest.delete(streamId);
  }

  private async recorded(streamId: string, version: number): Promise<VersionProvisions | null> {
    const remembered = this.latest.get(streamId);
    if (remembered?.version === version) return remembered;
    let found: VersionProvisions | null = null;
    for (const stored of await this.eventStore.readStream(streamId)) {
      const event = upcastDocumentEvent(stored);
      if (event.type === 'VersionRecorded' && event.data.version === version) {
        // A version recorded before provisions were (no ProvisionsAligned): its first-version ids.
        found = { version, text: event.data.text, provisionIds: [] };
      } else if (event.type === 'ProvisionsAligned' && event.data.version === version && found) {
        found.provisionIds = event.data.provisionIds;
      }
    }
    return found;
  }
}

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
