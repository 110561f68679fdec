import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small Open Terms Archive versions repository in `dir`: Acme's terms at 30 days (a commit naming its snapshot),
 * Beta's privacy policy, then Acme's terms at 90 days with a new section; three fetches of two documents.
 */
export function makeRepository(dir: string): void {
  const git = (args: string[], date?: string) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    });
  git(['init', '-q', '-b', 'main']);
  const commit = (files: Record<string, string>, date: string, message: string) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git(['add', '-A']);
    git(['commit', '-q', '-m', message], date);
  };
  const snapshot = (sha: string) =>
    `Record\n\nThis version was recorded after extracting from snapshot https://github.com/OpenTermsArchive/x-snapshots/commit/${sha}\n\nX-engine-version: 1.2.3`;
  commit(
    {
      'Acme/Terms of Service.md': '# Terms\n\nWe keep your data for 30 days.\n',
      'README.md': 'not a document',
    },
    '2026-01-01T10:00:00Z',
    snapshot('a'.repeat(40)),
  );
  commit(
    { 'Beta/Privacy Policy.md': '# Privacy\n\nWe sell nothing.\n' },
    '2026-01-02T10:00:00Z',
    'Init Beta',
  );
  commit(
    {
      'Acme/Terms of Service.md':
        '# Terms\n\nWe keep your data for 90 days.\n\n## Law\n\nIrish law applies.\n',
    },
    '2026-02-01T10:00:00Z',
    snapshot('b'.repeat(40)),
  );
}
