import { hashApiKey, type TermlineConfig } from '@termline/config';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Embedded mode needs an admin key even when nobody configured one. TERMLINE_ADMIN_KEY wins; otherwise a key
 * is generated on first start, only its hash is kept (data/admin-key.sha256), and the key is printed once.
 * Delete that file to get a new one.
 */
export function ensureAdminKey(config: TermlineConfig): { config: TermlineConfig; printOnce: string | null } {
  if (config.adminKey !== null) return { config, printOnce: null };
  const file = join(config.dataDir, 'admin-key.sha256');
  let printOnce: string | null = null;
  let sha256: string;
  if (existsSync(file)) sha256 = readFileSync(file, 'utf8').trim();
  else {
    printOnce = `tl_admin_${randomBytes(24).toString('base64url')}`;
    sha256 = hashApiKey(printOnce);
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${sha256}\n`, { mode: 0o600 });
  }
  return {
    config: { ...config, apiKeys: [...config.apiKeys, { name: 'admin (generated)', role: 'admin', sha256 }] },
    printOnce,
  };
}
