import type { ExtractionOutcome, ExtractionRules, SnapshotRef } from '@termline/domain';

/**
 * How the versioning service turns the latest snapshots of a document into its text. The text engine
 * (libs/text) is the implementation; the port keeps the handler free of its details.
 */
export interface DocumentTextExtractor {
  extract(context: ExtractionContext, snapshots: readonly LoadedSnapshot[]): Promise<ExtractionOutcome>;
  /** The extractor version and declaration that would be used for snapshots fetched at `at`. Cheap. */
  rulesAt(context: ExtractionContext, at: string): ExtractionRules;
}

export interface ExtractionContext {
  service: string;
  documentType: string;
}

export interface LoadedSnapshot extends SnapshotRef {
  /** The raw bytes; read from the archive only when needed. */
  load(): Promise<Buffer>;
}

export const DOCUMENT_TEXT_EXTRACTOR = Symbol('DOCUMENT_TEXT_EXTRACTOR');
