import {
  partKeyOf,
  type ExtractionOutcome,
  type ExtractionRules,
  type PageSignals,
  type SnapshotRef,
} from '@termline/domain';
import {
  combineParts,
  declarationFor,
  EXTRACTOR_VERSION,
  extractTextAsync,
  versionIdentity,
  type VersionIdentity,
  type VolatileMask,
  type DeclarationSet,
  type ExtractionResult,
  type PdfTextReader,
} from '@termline/text';
import type { TermlineConfig } from '@termline/config';
import { BoundedMap, type TextWork } from '@termline/platform';
import { loadDeclarationsDir } from './declarations.loader';
import { readPdfWithUnpdf } from './pdf-reader';
import type { DocumentTextExtractor, ExtractionContext, LoadedSnapshot } from './document-text.extractor';

/**
 * The text engine behind the versioning port. Extraction of one part depends only on its bytes, the extractor
 * version and the declaration in force, so results are cached per snapshot and declaration: a combined document
 * whose one part changed re-extracts only that part.
 */
export class TextEngineExtractor implements DocumentTextExtractor {
  private readonly cache: BoundedMap<string, ExtractionResult>;

  private readonly readPdf: PdfTextReader;
  private readonly volatileMasks: readonly VolatileMask[];
  private readonly maxInputBytes: number | undefined;
  private readonly work: TextWork | undefined;

  constructor(
    private readonly declarations: DeclarationSet | undefined,
    options: {
      readPdf?: PdfTextReader;
      cacheSize?: number;
      volatileMasks?: readonly VolatileMask[];
      /** The content limit ingest enforced: extraction must not refuse what ingest accepted. */
      maxInputBytes?: number;
      /** Where parts are extracted (a pool of worker threads); without it, in this thread with `readPdf`. */
      work?: TextWork;
    } = {},
  ) {
    this.readPdf = options.readPdf ?? readPdfWithUnpdf;
    this.cache = new BoundedMap(options.cacheSize ?? 256);
    this.volatileMasks = options.volatileMasks ?? [];
    this.maxInputBytes = options.maxInputBytes;
    this.work = options.work;
  }

  /** The extractor of a running service: its declarations, masks and content limit come from the config. */
  static fromConfig(config: TermlineConfig): TextEngineExtractor {
    return new TextEngineExtractor(
      config.declarationsDir ? loadDeclarationsDir(config.declarationsDir) : undefined,
      {
        volatileMasks: config.volatileMasks,
        maxInputBytes: config.maxContentBytes,
      },
    );
  }

  rulesAt(context: ExtractionContext, at: string): ExtractionRules {
    const inForce = this.declarations
      ? declarationFor(this.declarations, {
          service: context.service,
          documentType: context.documentType,
          fetchedAt: at,
        })
      : undefined;
    return { extractorVersion: EXTRACTOR_VERSION, declarationHash: inForce?.hash ?? null };
  }

  /**
   * Whether the declaration in force names this part of a combined document. A part it does not name (dropped
   * from the declaration, or known only from an older one we lack) is extracted on a best-effort basis: if that
   * fails, the part is left out of the text instead of failing the whole document.
   */
  private isNamed(context: ExtractionContext, at: string, snapshot: SnapshotRef): boolean {
    if (!this.declarations) return true;
    const found = declarationFor(this.declarations, {
      service: context.service,
      documentType: context.documentType,
      fetchedAt: at,
      sourceUrl: snapshot.sourceUrl,
      sourcePart: snapshot.sourcePart,
    });
    return !found?.terms.combined || found.source !== undefined;
  }

  async extract(
    context: ExtractionContext,
    snapshots: readonly LoadedSnapshot[],
  ): Promise<ExtractionOutcome> {
    const newest = snapshots.reduce((a, b) =>
      Date.parse(a.fetchedAt) >= Date.parse(b.fetchedAt) ? a : b,
    ).fetchedAt;
    const inForce = this.declarations
      ? declarationFor(this.declarations, {
          service: context.service,
          documentType: context.documentType,
          fetchedAt: newest,
        })
      : undefined;
    const parts: Array<{ sourcePart: string | null; sourceUrl: string; text: string }> = [];
    const rulesFired = new Set<string>();
    const rulesNotApplied = new Set<string>();
    const pages: Record<string, PageSignals> = {};
    for (const snapshot of snapshots) {
      const result = await this.extractPart(context, snapshot, newest);
      const bestEffort = !result.ok && snapshots.length > 1 && !this.isNamed(context, newest, snapshot);
      if (
        !result.ok &&
        (!bestEffort || (parts.length === 0 && snapshot === snapshots[snapshots.length - 1]))
      ) {
        const where = snapshot.sourcePart ? ` (part ${snapshot.sourcePart})` : '';
        return {
          ok: false,
          code: result.code,
          reason: `${result.reason}${where}`,
          extractorVersion: EXTRACTOR_VERSION,
          ...(result.page ? { page: result.page } : {}),
        };
      }
      if (!result.ok) continue;
      for (const rule of result.rulesFired) rulesFired.add(rule);
      for (const rule of result.rulesNotApplied) rulesNotApplied.add(rule);
      pages[partKeyOf(snapshot.sourcePart)] = result.page;
      parts.push({ sourcePart: snapshot.sourcePart, sourceUrl: snapshot.sourceUrl, text: result.text });
    }
    const text = combineParts(parts, inForce?.terms);
    const identity = await this.identify(text);
    return {
      ok: true,
      text,
      textSha256: identity.textSha256,
      fingerprint: identity.fingerprint,
      words: identity.words,
      rulesFired: [...rulesFired].sort(),
      masks: identity.masks,
      rulesNotApplied: [...rulesNotApplied].sort(),
      pages,
      ...(parts.length < snapshots.length ? { partsUsed: parts.map((p) => p.sourcePart ?? '') } : {}),
      extractorVersion: EXTRACTOR_VERSION,
      declarationHash: inForce?.hash ?? null,
    };
  }

  /** The text's hash, fingerprint and words: in a worker thread when there are any (a long text holds the loop). */
  private identify(text: string): Promise<VersionIdentity> | VersionIdentity {
    return this.work
      ? this.work.identify(text, this.volatileMasks)
      : versionIdentity(text, this.volatileMasks);
  }

  /** Every part is extracted with the declaration in force when the newest part was fetched. */
  private async extractPart(
    context: ExtractionContext,
    snapshot: LoadedSnapshot,
    at: string,
  ): Promise<ExtractionResult> {
    // The same bytes under the same declaration give the same text, whenever they are extracted.
    const declaration = this.declarations
      ? declarationFor(this.declarations, {
          service: context.service,
          documentType: context.documentType,
          fetchedAt: at,
          sourceUrl: snapshot.sourceUrl,
          sourcePart: snapshot.sourcePart,
        })
      : undefined;
    const key = `${snapshot.snapshotId}|${snapshot.sourcePart ?? ''}|${snapshot.sourceUrl}|${declaration?.hash ?? '-'}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const input = {
      content: await snapshot.load(),
      mimeType: snapshot.mimeType,
      fetchedAt: at,
      sourcePart: snapshot.sourcePart,
      sourceUrl: snapshot.sourceUrl,
      service: context.service,
      documentType: context.documentType,
    };
    const result = this.work
      ? await this.work.extract(input, this.declarations, this.maxInputBytes)
      : await extractTextAsync(input, this.declarations, {
          readPdf: this.readPdf,
          ...(this.maxInputBytes === undefined ? {} : { maxInputBytes: this.maxInputBytes }),
        });
    this.cache.set(key, result);
    return result;
  }
}
