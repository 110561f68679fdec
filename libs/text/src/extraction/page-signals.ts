/**
 * What a fetched page says about itself when it is not the document: an error page, a bot challenge or a login
 * wall served in its place (often with a success status). The text engine only reports the signals; whether the
 * fetch failed is the versioning rule's call (libs/domain), which also weighs the HTTP status and the size of the
 * current version.
 */
import { wordCount } from '@termline/domain';

export type PageMarkerKind = 'bot-challenge' | 'login-wall' | 'error-page';

export interface PageMarker {
  readonly kind: PageMarkerKind;
  /** The phrase found, as listed below (lower case). */
  readonly marker: string;
}

export interface PageSignals {
  /** Words of the text (runs of letters or digits). */
  readonly words: number;
  /** Markers found, at most one per phrase; only looked for in short texts (see MARKER_SCAN_MAX_WORDS). */
  readonly markers: readonly PageMarker[];
}

/**
 * Phrases that a page standing in for a document carries, in the languages of the collections we follow. Each is
 * specific enough not to occur in a short legal text by chance ("sign in" alone would: "when you sign in, we…");
 * a long text is never scanned, and the versioning rule still demands a short page besides.
 */
const MARKERS: Readonly<Record<PageMarkerKind, readonly string[]>> = {
  'bot-challenge': [
    'just a moment...',
    'checking your browser',
    'checking if the site connection is secure',
    'enable javascript and cookies to continue',
    'verify you are human',
    'verifying you are human',
    'are you a robot',
    'complete the security check',
    'unusual traffic from your computer',
    'attention required! | cloudflare',
    'ddos protection by',
    'please enable cookies',
    'captcha',
    'vérifiez que vous êtes humain',
    'bestätigen sie, dass sie ein mensch sind',
    'verifica que eres humano',
  ],
  'login-wall': [
    'sign in to continue',
    'log in to continue',
    'login to continue',
    'please sign in',
    'please log in',
    'you must be logged in',
    'you need to sign in',
    'you need to log in',
    'sign in to your account to continue',
    'connectez-vous pour continuer',
    'veuillez vous connecter',
    'bitte melden sie sich an',
    'melden sie sich an, um fortzufahren',
    'inicia sesión para continuar',
    'accedi per continuare',
  ],
  'error-page': [
    "this page isn't available",
    'this page is not available',
    'an unexpected error has occurred',
    'an unexpected error occurred',
    'application error: a client-side exception has occurred',
    'a server-side exception has occurred',
    'something went wrong',
    'page not found',
    '404 not found',
    'error 404',
    '404 error',
    '404 page',
    '403 forbidden',
    'access denied',
    '500 internal server error',
    'internal server error',
    '502 bad gateway',
    '503 service unavailable',
    'service temporarily unavailable',
    'temporarily unavailable',
    'the page you requested could not be found',
    "we can't find the page",
    "we couldn't find the page",
    "the page you're looking for",
    'the page you are looking for',
    'page introuvable',
    'une erreur est survenue',
    "cette page n'est pas disponible",
    'seite nicht gefunden',
    'ein fehler ist aufgetreten',
    'página no encontrada',
    'se ha producido un error',
    'pagina non trovata',
    'si è verificato un errore',
    'pagina niet gevonden',
    'página não encontrada',
  ],
};

/** Pages standing in for a document are short: longer texts are not scanned (a policy may quote "captcha"). */
export const MARKER_SCAN_MAX_WORDS = 2000;

/**
 * Lower case, Markdown escapes undone, typographic apostrophes straight, whitespace runs as one space: the form
 * markers are written in.
 */
function comparable(text: string): string {
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, '$1')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s+/g, ' ');
}

/** The words of a text and the markers of a stand-in page it carries. */
export function pageSignals(text: string): PageSignals {
  const words = wordCount(text);
  if (words > MARKER_SCAN_MAX_WORDS) return { words, markers: [] };
  const haystack = comparable(text);
  const markers: PageMarker[] = [];
  for (const kind of Object.keys(MARKERS) as PageMarkerKind[])
    for (const marker of MARKERS[kind]) if (haystack.includes(marker)) markers.push({ kind, marker });
  return { words, markers };
}
