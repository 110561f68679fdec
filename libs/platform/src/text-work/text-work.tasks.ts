import {
  compareVersions,
  versionDiffView,
  type DiffedVersion,
  type VersionDiffView,
} from '@termline/readmodels';
import {
  alignVersionProvisions,
  extractTextAsync,
  versionIdentity,
  type Alignment,
  type DeclarationSet,
  type ExtractionInput,
  type ExtractionResult,
  type RecordedAlignment,
  type VersionDiff,
  type VersionIdentity,
  type VolatileMask,
} from '@termline/text';
import { classifyProvision, type Classification, type ClassifyInput } from '@termline/regulatory';
import { readPdfWithUnpdf } from './pdf-reader';
import { warmUpTextEngine } from './text-work.warm-up';

/**
 * The text engine's heavy steps as plain functions of plain data, so that they can run in a worker thread: the
 * same function answers in either thread, which keeps the results identical wherever they were computed.
 */

export interface ExtractTask {
  input: ExtractionInput;
  /** The declarations the extraction may consult: only the service's own, to keep the message small. */
  declarations: DeclarationSet | undefined;
  maxInputBytes: number | undefined;
}

export interface AlignTask {
  previous: { text: string; provisionIds: readonly string[] } | null;
  text: string;
}

export interface CompareTask {
  previous: { text: string; provisionIds: string[]; version: number } | null;
  text: string;
  /** The ids and lineage `text` was recorded with against `previous`, when known (see compareVersions). */
  recorded?: RecordedAlignment | null;
}

export interface IdentifyTask {
  text: string;
  volatile: readonly VolatileMask[];
}

/** Two stored versions compared as the API serves it (GET .../diff), patch included. */
export interface DiffViewTask {
  documentId: string;
  older: DiffedVersion;
  newer: DiffedVersion;
}

export interface ClassifyTask {
  inputs: readonly ClassifyInput[];
}

export const TEXT_TASKS = {
  extract: ({ input, declarations, maxInputBytes }: ExtractTask): Promise<ExtractionResult> =>
    extractTextAsync(input, declarations, {
      readPdf: readPdfWithUnpdf,
      ...(maxInputBytes === undefined ? {} : { maxInputBytes }),
    }),
  align: ({ previous, text }: AlignTask): Alignment => alignVersionProvisions(previous, text),
  // The projection's comparison: the patch itself is never kept, only its line counts.
  compare: ({ previous, text, recorded }: CompareTask): VersionDiff =>
    compareVersions(previous, text, { recorded: recorded ?? null, withPatch: false }),
  identify: ({ text, volatile }: IdentifyTask): VersionIdentity => versionIdentity(text, volatile),
  diffView: ({ documentId, older, newer }: DiffViewTask): VersionDiffView =>
    versionDiffView(documentId, older, newer),
  classify: ({ inputs }: ClassifyTask): Classification[] => inputs.map(classifyProvision),
  warmUp: (): number => warmUpTextEngine(),
};

export type TextTaskName = keyof typeof TEXT_TASKS;
