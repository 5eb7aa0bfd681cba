import { createPrivateKey, KeyObject } from 'node:crypto';
import { GeneratedKeyPair, generateRsaKeyPair, rsaKeyPairOf } from './key-material';

/**
 * Where the clouds' creates get the RSA keys they hand out. Without a pool every create generates its own,
 * as the clouds do. With one (EmulatorOptions.keyPool), creates take the pool's keys first: generating an
 * RSA 2048 key costs 100–200 ms of CPU, which a test run that starts hundreds of emulators pays for every
 * cloud-generated pair. A pooled key still belongs to one pair only: it goes out at most once, never while a
 * pair in the emulator's state holds it (a state file from an earlier run may), and only to a create that
 * asks for its size. When none is left, the create generates one.
 */
export class RsaKeySource {
  private readonly unused: Array<{ readonly bits: number; readonly key: KeyObject }>;

  /** `heldKeys` tells the keys the emulator's key pairs hold now, as the base64 of their OpenSSH blobs. */
  constructor(
    pool: readonly string[],
    private readonly heldKeys: () => ReadonlySet<string>,
  ) {
    this.unused = pool.map((pem, index) => readPooledKey(pem, index));
  }

  /** A key of `bits` bits that no key pair holds: the next pooled key of that size, or a fresh one. */
  next(bits: number): GeneratedKeyPair {
    let held: ReadonlySet<string> | undefined;
    for (;;) {
      const index = this.unused.findIndex((entry) => entry.bits === bits);
      if (index < 0) return generateRsaKeyPair(bits);
      const pair = rsaKeyPairOf(this.unused.splice(index, 1)[0].key);
      held ??= this.heldKeys();
      if (!held.has(openSshKeyBlob(pair.publicKeyOpenSsh))) return pair;
    }
  }
}

/** The PEM private keys of a file that holds any number of them, one after another (`--key-pool`). */
export function pemPrivateKeysIn(text: string): string[] {
  return text.match(/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g) ?? [];
}

/** The base64 blob of an OpenSSH public key line (`ssh-rsa AAAA… comment`): the key, without type name or comment. */
export function openSshKeyBlob(publicKeyLine: string): string {
  return publicKeyLine.trim().split(/\s+/)[1] ?? '';
}

function readPooledKey(pem: string, index: number): { bits: number; key: KeyObject } {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`key pool entry ${index + 1} is not a PEM private key: ${(err as Error).message}`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) {
    throw new Error(`key pool entry ${index + 1} is ${key.asymmetricKeyType ?? 'an unknown kind of'} key; the clouds generate RSA keys`);
  }
  return { bits, key };
}
