import { tempDir } from '@termline/testing';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tarEnd, tarEntry } from './tar';

/** The bundle is a plain tar: the system's tar lists and extracts it, long names included. */
describe('tar bundle read by the system tar', () => {
  it('lists and extracts every file', () => {
    const dir = tempDir();
    try {
      const long = `documents/${'d'.repeat(150)}/texts/12.txt`;
      writeFileSync(
        join(dir.path, 'bundle.tar'),
        Buffer.concat([
          ...tarEntry('manifest.json', Buffer.from('{}')),
          ...tarEntry(long, Buffer.from('Terms é')),
          tarEnd(),
        ]),
      );
      const listed = execFileSync('tar', ['tf', join(dir.path, 'bundle.tar')], { encoding: 'utf8' });
      expect(listed.trim().split('\n')).toEqual(['manifest.json', long]);
      execFileSync('tar', ['xf', join(dir.path, 'bundle.tar'), '-C', dir.path]);
      expect(readFileSync(join(dir.path, long), 'utf8')).toBe('Terms é');
    } finally {
      dir.remove();
    }
  });
});
