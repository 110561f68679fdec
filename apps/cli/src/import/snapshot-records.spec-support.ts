/** One snapshot record (the corpus NDJSON format) of Inkwell's privacy policy: a page whose `main` says `body`. */
export const inkwellRecord = (commit: string, fetchedAt: string, body: string): string =>
  JSON.stringify({
    commit: commit.padEnd(40, '0'),
    service: 'Inkwell',
    documentType: 'Privacy Policy',
    sourcePart: null,
    sourceUrl: 'https://inkwell.example/privacy',
    fetcher: 'htmlOnly',
    mimeType: 'text/html',
    fetchedAt,
    content: `<html><body><main><h1>Privacy</h1><p>${body}</p></main></body></html>`,
  });
