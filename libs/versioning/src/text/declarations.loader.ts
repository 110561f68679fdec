import { readDeclarationFiles, type DeclarationFile, type DeclarationSet } from '@termline/text';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files of a declarations folder that say something about declarations; anything else (README …) is not read. */
const DECLARATION_FILE = /\.(json|filters\.(js|mjs|cjs|ts))$/;

/**
 * Reads a folder of Open Terms Archive declarations: `<Service>.json`, `<Service>.history.json` and, reported but
 * never run, `<Service>.filters.js`. A mistake in one file never stops the others: it is listed among the set's
 * problems. Only a folder that cannot be listed at all throws (a configuration error).
 */
export function loadDeclarationsDir(dir: string): DeclarationSet {
  const files: DeclarationFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!DECLARATION_FILE.test(name)) continue;
    // A filters file is only reported: its content is never read, let alone run.
    if (/\.filters\./.test(name)) {
      files.push({ name, content: '' });
      continue;
    }
    try {
      files.push({ name, content: readFileSync(join(dir, name), 'utf8') });
    } catch (error) {
      files.push({ name, content: '', readError: (error as Error).message });
    }
  }
  return readDeclarationFiles(files);
}
