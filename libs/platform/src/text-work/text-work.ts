import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Alignment,
  DeclarationSet,
  ExtractionInput,
  ExtractionResult,
  VersionDiff,
  VersionIdentity,
  VolatileMask,
} from '@termline/text';
import type { Classification, ClassifyInput } from '@termline/regulatory';
import type { DiffedVersion, VersionDiffView } from '@termline/readmodels';
import { WorkerPool } from '../worker.pool';
import {
  TEXT_TASKS,
  type AlignTask,
  type ClassifyTask,
  type CompareTask,
  type DiffViewTask,
  type ExtractTask,
  type IdentifyTask,
} from './text-work.tasks';

/**
 * The text engine's heavy steps (extraction, a whole text's hash and fingerprint, provision alignment, the version
 * diff, the classification of provisions) behind one door, run in a
 * pool of worker threads so that the event loop that answers HTTP requests and drives the consumers is never
 * held by a long document: its cost shows as latency of that document's own work, not of everyone's. With no
 * workers (0), the same functions run in the calling thread (the CLI, tests that want no threads).
 *
 * The callers await each step where they awaited the function before, so the order of work per document and
 * every decision stay exactly as they were; only the thread that computes changes.
 */
export class TextWork {
  private pool: WorkerPool | null = null;
  private closed = false;
  private warming: Promise<void> | null = null;

  /**
   * `inlineBelow`: work on less text than this many characters runs in the calling thread all the same. Sending
   * a text to a thread and its result back costs the event loop about what a short document's work costs (the
   * bench's documents: about 2 ms a fetch either way), so only long ones gain; a short one holds the loop for a
   * few milliseconds at most, whatever the documents around it.
   */
  constructor(
    private readonly workers: number,
    private readonly inlineBelow = DEFAULT_INLINE_BELOW,
  ) {
    if (!Number.isInteger(workers) || workers < 0)
      throw new Error(`Text workers must be a whole number >= 0, got ${workers}`);
  }

  /** In the calling thread: no pool, nothing to close. */
  static inThread(): TextWork {
    return new TextWork(0);
  }

  get threads(): number {
    return this.workers;
  }

  extract(
    input: ExtractionInput,
    declarations: DeclarationSet | undefined,
    maxInputBytes: number | undefined,
  ): Promise<ExtractionResult> {
    const task: ExtractTask = {
      input,
      declarations: onlyServiceOf(declarations, input.service),
      maxInputBytes,
    };
    return this.run('extract', task, input.content.length);
  }

  align(previous: AlignTask['previous'], text: string): Promise<Alignment> {
    return this.run(
      'align',
      { previous, text } satisfies AlignTask,
      text.length + (previous?.text.length ?? 0),
    );
  }

  compare(
    previous: CompareTask['previous'],
    text: string,
    recorded: CompareTask['recorded'] = null,
  ): Promise<VersionDiff> {
    return this.run(
      'compare',
      { previous, text, recorded } satisfies CompareTask,
      text.length + (previous?.text.length ?? 0),
    );
  }

  /**
   * Two stored versions compared as `GET /v1/documents/{id}/diff` serves it, patch included (versionDiffView). Any
   * two versions may be asked for, so this runs on request: two long texts far apart take a second or more.
   */
  diffView(documentId: string, older: DiffedVersion, newer: DiffedVersion): Promise<VersionDiffView> {
    const side = ({ version, validFrom, textSha256, text, provisionIds }: DiffedVersion) => ({
      version,
      validFrom,
      textSha256,
      text,
      provisionIds,
    });
    return this.run(
      'diffView',
      { documentId, older: side(older), newer: side(newer) } satisfies DiffViewTask,
      older.text.length + newer.text.length,
    );
  }

  /** A document's whole text: its hash, version fingerprint and word count (versionIdentity). */
  identify(text: string, volatile: readonly VolatileMask[]): Promise<VersionIdentity> {
    return this.run('identify', { text, volatile } satisfies IdentifyTask, text.length);
  }

  /** The product's rule-based classification (@termline/regulatory) of each input, in order. */
  classify(inputs: readonly ClassifyInput[]): Promise<Classification[]> {
    const characters = inputs.reduce((sum, input) => sum + input.text.length, 0);
    return this.run(
      'classify',
      { inputs } satisfies ClassifyTask,
      characters,
      Math.min(this.inlineBelow, CLASSIFY_INLINE_BELOW),
    );
  }

  /**
   * Starts the threads and runs the sample work once in each of them and in the calling thread (which does the
   * short documents' work), so that the first real documents find loaded, compiled code: a thread started on first
   * use made its first document wait for the thread, the modules' loading and the interpreter. Once per instance;
   * a consumer awaits it before it subscribes.
   */
  warmUp(): Promise<void> {
    this.warming ??= (async () => {
      if (this.workers > 0 && !this.closed) {
        this.pool ??= new WorkerPool({ entry: workerEntry(), size: this.workers, name: 'text-work' });
        const pool = this.pool;
        // One job per thread: every thread is free when the pool starts, and each takes the next job.
        await Promise.all(Array.from({ length: this.workers }, () => pool.run<number>('warmUp', null)));
      }
      TEXT_TASKS.warmUp();
    })();
    return this.warming;
  }

  /** Stops the threads. Work asked for afterwards runs in the calling thread (a consumer finishing its last run). */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  private async run<T>(
    task: keyof typeof TEXT_TASKS,
    input: unknown,
    characters: number,
    inlineBelow = this.inlineBelow,
  ): Promise<T> {
    if (this.workers === 0 || this.closed || characters < inlineBelow)
      return (await (TEXT_TASKS[task] as (input: unknown) => unknown)(input)) as T;
    // Started on first use: a process that never meets a document (the CLI's admin commands) starts no thread.
    this.pool ??= new WorkerPool({ entry: workerEntry(), size: this.workers, name: 'text-work' });
    return this.pool.run<T>(task, input);
  }
}

/** The worker script beside this file: compiled JavaScript in a built service, the TypeScript source under jest. */
function workerEntry(): string {
  const compiled = join(__dirname, 'text-work.worker.js');
  return existsSync(compiled) ? compiled : join(__dirname, 'text-work.worker.ts');
}

/** The declarations of one service: all an extraction of its document consults, and a small message. */
function onlyServiceOf(
  declarations: DeclarationSet | undefined,
  service: string,
): DeclarationSet | undefined {
  if (!declarations) return undefined;
  const entry = declarations.services.get(service);
  return { services: new Map(entry ? [[service, entry]] : []), problems: [] };
}

/** Below this many characters, text work runs in the calling thread (see the constructor). */
export const DEFAULT_INLINE_BELOW = 32 * 1024;

/**
 * Classification costs about a microsecond per character (200 provisions in 110 ms, warm), some thirty times what
 * sending the text to a thread costs: the provisions of a short document's new version went to a thread only
 * above 32 K characters and held the loop for up to 30 ms; in a profile of the embedded bench they were 7 % of the
 * main thread. Above about a provision's worth, they go to a thread.
 */
export const CLASSIFY_INLINE_BELOW = 1024;

export const TEXT_WORK = Symbol('TEXT_WORK');
