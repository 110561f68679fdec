import { declarationSet, parseDeclaration, parseHistory, type DeclarationSet } from '@termline/text';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a folder of Open Terms Archive declarations: `<Service>.json` and, where present, `<Service>.history.json`. */
export function loadDeclarationsDir(dir: string): DeclarationSet {
  const read = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
  const entries = readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.history.json'))
    .sort()
    .map((name) => {
      const historyFile = name.replace(/\.json$/, '.history.json');
      return {
        declaration: parseDeclaration(read(name)),
        history: existsSync(join(dir, historyFile)) ? parseHistory(read(historyFile)) : undefined,
      };
    });
  return declarationSet(entries);
}
