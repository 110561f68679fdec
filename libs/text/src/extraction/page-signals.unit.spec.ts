import { extractText } from './extract-text';
import { htmlInput } from './extraction-input.spec-support';
import { MARKER_SCAN_MAX_WORDS, pageSignals } from './page-signals';

const kinds = (text: string) => [...new Set(pageSignals(text).markers.map((m) => m.kind))];

describe('pageSignals', () => {
  it('finds the markers of error pages, bot challenges and login walls, in several languages', () => {
    expect(pageSignals('This page isn’t available.\n\nAn unexpected error has occurred.').markers).toEqual([
      { kind: 'error-page', marker: "this page isn't available" },
      { kind: 'error-page', marker: 'an unexpected error has occurred' },
    ]);
    expect(kinds('Just a moment...\n\nEnable JavaScript and cookies to continue')).toEqual(['bot-challenge']);
    expect(kinds('Checking if the site connection is secure')).toEqual(['bot-challenge']);
    expect(kinds('Please sign in to continue to Acme.')).toEqual(['login-wall']);
    expect(kinds('Seite nicht gefunden')).toEqual(['error-page']);
    expect(kinds('Oups ! Page introuvable')).toEqual(['error-page']);
    expect(
      kinds('Application error: a client\\-side exception has occurred (see the browser console)'),
    ).toEqual(['error-page']);
  });

  it('counts words as runs of letters or digits', () => {
    expect(pageSignals('Terms of Service — § 1, updated 2026-01-01.').words).toBe(8);
    expect(pageSignals('').words).toBe(0);
  });

  it('finds nothing in ordinary legal text, even where it speaks of signing in or of errors', () => {
    const policy =
      'When you sign in, we record the time. If an error occurs in your account, contact us. ' +
      'We may refuse access to accounts that break these terms. Pages of the service may change.';
    expect(pageSignals(policy).markers).toEqual([]);
  });

  it('does not scan long texts: a long policy may mention captcha', () => {
    const long = `${'We protect the service with reCAPTCHA. '.repeat(MARKER_SCAN_MAX_WORDS)}`;
    expect(pageSignals(long).markers).toEqual([]);
    expect(kinds('We protect the service with reCAPTCHA.')).toEqual(['bot-challenge']);
  });
});

describe('extractText page signals', () => {
  it('gives the signals of the selected text', () => {
    const result = extractText(
      htmlInput('<article>Something went wrong</article><footer>Page not found</footer>', {
        service: 'None',
      }),
    );
    expect(result.ok && result.page.markers.map((m) => m.marker)).toEqual([
      'something went wrong',
      'page not found',
    ]);
    expect(result.ok && result.page.words).toBe(6);
  });

  it('reads the whole page when the declared region is missing, so a stand-in page can be told apart', () => {
    const set = {
      services: new Map([
        [
          'Acme',
          {
            current: {
              name: 'Acme',
              terms: {
                Terms: {
                  combined: false,
                  sources: [
                    {
                      fetch: 'https://acme.example/t',
                      select: ['main'],
                      remove: [],
                      filter: [],
                      executeClientScripts: false,
                    },
                  ],
                },
              },
            },
            history: {},
          },
        ],
      ]),
      problems: [],
    };
    const result = extractText(
      htmlInput('<div><h1>Access denied</h1><p>Error 403</p></div>', {
        service: 'Acme',
        documentType: 'Terms',
        sourceUrl: 'https://acme.example/t',
      }),
      set,
    );
    expect(result).toMatchObject({
      ok: false,
      code: 'selector-matched-nothing',
      page: { words: 4, markers: [{ kind: 'error-page', marker: 'access denied' }] },
    });
  });
});
