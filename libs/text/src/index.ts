/** The pure text engine: extraction, normalisation, segmentation and diff. No I/O, no framework. */
export {
  EXTRACTOR_VERSION,
  DEFAULT_MAX_INPUT_BYTES,
  extractText,
  extractTextAsync,
  combineParts,
  PART_SEPARATOR,
  type AsyncExtractionOptions,
  type ExtractionInput,
  type ExtractionOptions,
  type ExtractionResult,
  type ExtractionErrorCode,
} from './extraction/extract-text';
export {
  pageSignals,
  MARKER_SCAN_MAX_WORDS,
  type PageSignals,
  type PageMarker,
  type PageMarkerKind,
} from './extraction/page-signals';
export { pdfPagesToMarkdown, type PdfTextReader } from './extraction/pdf-to-markdown';
export { nodesToMarkdown, type MarkdownOptions, type MarkdownResult } from './extraction/html-to-markdown';
export {
  parseDeclaration,
  parseHistory,
  readDeclarationFiles,
  declarationSet,
  declarationFor,
  declarationHash,
  sourcePartOf,
  DeclarationError,
  type DeclarationSet,
  type DeclarationHistory,
  type DeclarationFile,
  type DeclarationProblem,
  type DeclarationInForce,
  type DeclarationLookup,
  type DatedTermsDeclaration,
  type RangeSelector,
  type Selector,
  type ServiceDeclaration,
  type SourceDocumentDeclaration,
  type TermsDeclaration,
} from './declarations/declaration';
export { BUILT_IN_FILTERS } from './declarations/filters';
export {
  normaliseText,
  normaliseForComparison,
  textFingerprint,
  maskRelativeTimes,
  VOLATILE_MASKS,
  type VolatileMask,
  type NormaliseOptions,
  type NormalisedText,
} from './normalisation/normalise-text';
export { canonicaliseUrl, DEFAULT_TRACKING_PARAMS, type LinkOptions } from './normalisation/canonicalise-url';
export {
  versionComparison,
  versionFingerprint,
  versionIdentity,
  type VersionIdentity,
} from './normalisation/version-identity';
export {
  segmentProvisions,
  slugOf,
  type Provision,
  type ProvisionKind,
} from './provisions/segment-provisions';
export {
  alignProvisions,
  alignVersionProvisions,
  alignmentFromRecord,
  provisionsWithIds,
  type Alignment,
  type RecordedAlignment,
  type AlignOptions,
  type LineageEntry,
  type LineageKind,
} from './provisions/align-provisions';
export {
  diffVersions,
  cosmeticForm,
  type DiffOptions,
  type DiffStats,
  type Materiality,
  type MaterialityLevel,
  type ProvisionChange,
  type WordEdit,
  type ProvisionChangeKind,
  type VersionDiff,
} from './diff/diff-versions';
