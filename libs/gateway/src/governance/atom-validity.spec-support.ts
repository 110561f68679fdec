import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseFeed } from 'feedsmith';

/**
 * Validity is checked three ways: the XML is well-formed (fast-xml-parser's validator), a maintained feed parser
 * (feedsmith) detects and reads it as Atom, and the elements RFC 4287 requires are present (4.1.1, 4.1.2).
 */
export function expectValidAtom(xml: string): void {
  expect(XMLValidator.validate(xml)).toBe(true);
  const detected = parseFeed(xml);
  expect(detected.format).toBe('atom');
  const parsed = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => ['entry', 'link', 'category'].includes(name),
  }).parse(xml) as {
    feed: Record<string, unknown> & { entry?: Array<Record<string, unknown>> };
  };
  const feed = parsed.feed;
  expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
  for (const required of ['id', 'title', 'updated', 'author']) expect(feed[required]).toBeDefined();
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  expect(feed.updated).toMatch(rfc3339);
  for (const entry of feed.entry ?? []) {
    for (const required of ['id', 'title', 'updated', 'link', 'summary'])
      expect(entry[required]).toBeDefined();
    expect(entry.updated).toMatch(rfc3339);
  }
}
