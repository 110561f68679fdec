/**
 * Atom (RFC 4287) documents, built as text: a feed has an id, a title, an updated instant, an author and a self
 * link; each entry an id, a title, an updated instant, an alternate link and a summary.
 */

export interface AtomEntry {
  /** A tag: URI or any absolute IRI, stable for the entry. */
  id: string;
  title: string;
  updated: string;
  link: string;
  summary: string;
  categories: readonly string[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  selfUrl: string;
  alternateUrl?: string;
  /** When the feed has no entry; otherwise the newest entry's instant. */
  fallbackUpdated: string;
  entries: readonly AtomEntry[];
}

// Characters XML 1.0 does not allow at all are dropped; the five special ones are escaped.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const element = (name: string, text: string, indent = '  ') =>
  `${indent}<${name}>${escapeXml(text)}</${name}>`;
const instant = (iso: string) => new Date(iso).toISOString();

export function buildAtomFeed(feed: AtomFeed): string {
  const updated = feed.entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), '');
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    element('id', feed.id),
    element('title', feed.title),
    ...(feed.subtitle ? [element('subtitle', feed.subtitle)] : []),
    element('updated', instant(updated || feed.fallbackUpdated)),
    '  <author><name>Termline</name></author>',
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>`,
    ...(feed.alternateUrl ? [`  <link rel="alternate" href="${escapeXml(feed.alternateUrl)}"/>`] : []),
    '  <generator>Termline</generator>',
  ];
  for (const entry of feed.entries) {
    lines.push(
      '  <entry>',
      element('id', entry.id, '    '),
      element('title', entry.title, '    '),
      element('updated', instant(entry.updated), '    '),
      `    <link rel="alternate" href="${escapeXml(entry.link)}"/>`,
      ...entry.categories.map((term) => `    <category term="${escapeXml(term)}"/>`),
      `    <summary type="text">${escapeXml(entry.summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
