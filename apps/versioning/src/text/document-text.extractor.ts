import type { ExtractionOutcome, SnapshotRef } from '@termline/domain';

/**
 * How the versioning service turns the latest snapshots of a document into its text. The text engine
 * (libs/text) is the implementation; the port keeps the handler free of its details.
 */
export interface DocumentTextExtractor {
  extract(context: ExtractionContext, snapshots: readonly LoadedSnapshot[]): ExtractionOutcome;
}

export interface ExtractionContext {
  service: string;
  documentType: string;
}

export interface LoadedSnapshot extends SnapshotRef {
  content: Buffer;
}

export const DOCUMENT_TEXT_EXTRACTOR = Symbol('DOCUMENT_TEXT_EXTRACTOR');
