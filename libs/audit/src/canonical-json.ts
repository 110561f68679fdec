/**
 * Canonical JSON: the one byte form hashed by the chain and the export (ADR 0011).
 * - object keys sorted by UTF-16 code units (JavaScript's default sort, as in RFC 8785), no whitespace;
 * - strings written as JSON.stringify writes them, their characters untouched (no Unicode normalisation);
 * - numbers as JSON.stringify writes finite numbers (so -0 is 0); NaN and infinities are refused;
 * - object members whose value is undefined are left out and undefined array items are null, exactly like
 *   JSON.stringify, so a value and its JSON round trip have the same canonical form;
 * - values with toJSON (Dates) are written through it. Encoded as UTF-8 for hashing.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Canonical JSON has no form for ${value}`);
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') {
        write(withJson.toJSON(), out);
        return;
      }
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((item: unknown, index) => {
          if (index > 0) out.push(',');
          write(item === undefined || typeof item === 'function' ? null : item, out);
        });
        out.push(']');
        return;
      }
      out.push('{');
      let first = true;
      for (const key of Object.keys(value).sort()) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined || typeof member === 'function') continue;
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(key), ':');
        write(member, out);
      }
      out.push('}');
      return;
    }
    default:
      throw new TypeError(`Canonical JSON has no form for a ${typeof value}`);
  }
}
