import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Reads the Ed25519 private key (PEM) that signs export manifests; anything else is refused at start. */
export function loadSigningKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file));
  } catch (error) {
    throw new Error(`${file}: not a readable private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(
      `${file}: an Ed25519 key is needed, this is ${key.asymmetricKeyType ?? 'not an asymmetric key'}`,
    );
  return key;
}
