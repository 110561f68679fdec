// The PDF reader moved beside the text worker, which runs it off the main thread; this name stays for callers.
export { readPdfWithUnpdf } from '@termline/platform';
