import { signatureOf } from '@termline/audit';
import { existsSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { UsageError } from '../replay/replay.command';
import { parseCommand, type CommandOutput } from './cli-options';

export const KEYGEN_USAGE = `Usage: termline keygen --out <key.pem>

Makes an Ed25519 key pair for signing export manifests: the private key in <key.pem> (mode 600; give it to
"termline export --sign-key" or TERMLINE_EXPORT_SIGNING_KEY_FILE), the public key in <key.pem>.pub (give it to
auditors for "termline verify --public-key").

Options:
  --out <file>     where to write the private key (refuses to overwrite)
  --json           print the key id and files as JSON
  -h, --help       this help`;

export function runKeygen(argv: readonly string[], output: CommandOutput): number {
  const { values, positionals } = parseCommand(argv, { out: { type: 'string' } });
  if (values.help) {
    output.stdout.write(`${KEYGEN_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.out) throw new UsageError('missing --out <key.pem>');
  const publicFile = `${values.out}.pub`;
  for (const file of [values.out, publicFile])
    if (existsSync(file)) throw new UsageError(`${file} exists; not overwriting a key`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(values.out, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const { keyId } = signatureOf(privateKey);
  output.stdout.write(
    values.json
      ? `${JSON.stringify({ keyId, privateKey: values.out, publicKey: publicFile })}\n`
      : `Key ${keyId}\n  private: ${values.out}\n  public:  ${publicFile}\n`,
  );
  return 0;
}
