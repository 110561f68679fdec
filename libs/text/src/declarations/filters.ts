import { selectAll } from 'css-select';
import type { AnyNode, Document, Element } from 'domhandler';

/**
 * Built-in replacements for the JavaScript filters Open Terms Archive declarations name. The original
 * functions live in the collections' repositories and cannot be loaded here; a filter is known by name and
 * reimplemented. Each returns whether it changed the document.
 */
type Filter = (root: Document, fetchUrl: string) => boolean;

function links(root: Document): Element[] {
  return selectAll<AnyNode, Element>('a[href]', root);
}

function withoutQuery(href: string): string {
  const hashAt = href.indexOf('#');
  const fragment = hashAt === -1 ? '' : href.slice(hashAt);
  const beforeHash = hashAt === -1 ? href : href.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  return queryAt === -1 ? href : beforeHash.slice(0, queryAt) + fragment;
}

/** Query parameters that redirect services put the real destination in. */
const REDIRECT_PARAMS = ['url', 'u', 'q', 'target', 'dest', 'destination', 'redirect', 'redirect_uri', 'to'];

// A redirect through a per-session token in the path: https://claude.ai/redirect/website.v1.<uuid>/settings.
const PATH_REDIRECT = /^(https?:\/\/[^/?#]+)\/redirect\/[^/?#]+(\/[^?#]*)?(.*)$/i;

/**
 * The destination of a redirect link, or null when it is not one: a query parameter holding an absolute
 * URL (`https://x/redirect?url=https%3A%2F%2Fy`), or a `/redirect/<token>/<path>` link whose token changes
 * with every fetch (`https://claude.ai/redirect/website.v1.<uuid>/settings/privacy` → `https://claude.ai/settings/privacy`).
 */
export function redirectTarget(href: string): string | null {
  const path = PATH_REDIRECT.exec(href);
  if (path) return `${path[1]}${path[2] ?? '/'}${path[3] ?? ''}`;
  const queryAt = href.indexOf('?');
  if (queryAt === -1) return null;
  const query = href.slice(queryAt + 1).replace(/#.*$/, '');
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const key = pair.slice(0, eq).toLowerCase();
    if (!REDIRECT_PARAMS.includes(key)) continue;
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      continue;
    }
    if (/^https?:\/\//i.test(value)) return value;
  }
  return null;
}

const FILTERS: Record<string, Filter> = {
  removeQueryParamsFromLinks(root) {
    let changed = false;
    for (const a of links(root)) {
      const next = withoutQuery(a.attribs['href']!);
      if (next !== a.attribs['href']) {
        a.attribs['href'] = next;
        changed = true;
      }
    }
    return changed;
  },
  removeRedirectFromLinks(root) {
    let changed = false;
    for (const a of links(root)) {
      const target = redirectTarget(a.attribs['href']!);
      if (target !== null) {
        a.attribs['href'] = target;
        changed = true;
      }
    }
    return changed;
  },
};

export const BUILT_IN_FILTERS: readonly string[] = Object.keys(FILTERS);

export function isKnownFilter(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FILTERS, name);
}

export function applyFilter(name: string, root: Document, fetchUrl: string): boolean {
  return FILTERS[name]!(root, fetchUrl);
}
