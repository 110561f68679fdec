// Readers of the corpus kept outside the repository (ODC-By data, read at run time): the pga-versions history as
// fetches, the NDJSON snapshot and version files, and the labelled governance set whose labels point into them.
export * from './pga-history';
export * from './ndjson-reader';
export * from './labelled-provisions.loader';
