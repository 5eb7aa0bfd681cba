import { createHash, generateKeyPairSync } from 'node:crypto';
import * as sshpk from 'sshpk';

/** A freshly generated key pair as the clouds' CreateKeyPair actions hand it out. */
export interface GeneratedKeyPair {
  /** `ssh-rsa AAAA…` (no comment). */
  readonly publicKeyOpenSsh: string;
  /** `-----BEGIN PRIVATE KEY-----` (Alibaba documents PKCS#8). */
  readonly privateKeyPkcs8Pem: string;
  /** `-----BEGIN RSA PRIVATE KEY-----` (the classic OpenSSH RSA format). */
  readonly privateKeyPkcs1Pem: string;
}

/** Real RSA 2048 material, as the three clouds generate by default. */
export function generateRsaKeyPair(): GeneratedKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    publicKeyOpenSsh: canonicalOpenSsh(sshpk.parseKey(spki, 'pem')),
    privateKeyPkcs8Pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    privateKeyPkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

/** Why an imported public key was refused, so each cloud can map it to its own error code. */
export class PublicKeyRejected extends Error {
  constructor(
    public readonly reason: 'malformed' | 'unsupported-type',
    message: string,
  ) {
    super(message);
    this.name = 'PublicKeyRejected';
  }
}

/** The key types a cloud accepts, by sshpk type name (`rsa`, `dsa`, `ecdsa`, `ed25519`). */
export type PublicKeyType = 'rsa' | 'dsa' | 'ecdsa' | 'ed25519';

/**
 * Parses a one-line OpenSSH public key (`<type> <base64> [comment]`). Throws PublicKeyRejected when the
 * text is not such a key, or its type is not in `acceptedTypes`.
 */
export function parseOpenSshPublicKey(text: string, acceptedTypes: readonly PublicKeyType[]): sshpk.Key {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.includes('\n')) {
    throw new PublicKeyRejected('malformed', 'expected one line in OpenSSH format: <type> <base64> [comment]');
  }
  let key: sshpk.Key;
  try {
    key = sshpk.parseKey(trimmed, 'ssh');
  } catch {
    throw new PublicKeyRejected('malformed', 'not a valid OpenSSH public key');
  }
  if (!acceptedTypes.includes(key.type as PublicKeyType)) {
    throw new PublicKeyRejected('unsupported-type', `key type ${key.type} is not supported`);
  }
  return key;
}

/**
 * The public key as `<type> <base64>`, without the comment (how clouds compare keys). sshpk appends
 * `(unnamed)` as the comment of keys that have none, so the comment is cut here.
 */
export function canonicalOpenSsh(key: sshpk.Key): string {
  return key.toString('ssh').split(' ').slice(0, 2).join(' ');
}

/** OpenSSH's legacy MD5 fingerprint, colon-separated hex (`aa:bb:…`), as RFC 4716 defines it. */
export function md5FingerprintHex(key: sshpk.Key): string {
  return key.fingerprint('md5').toString('hex');
}

/** OpenSSH's SHA-256 fingerprint, `SHA256:<base64 without padding>`. */
export function sha256FingerprintBase64(key: sshpk.Key): string {
  return key.fingerprint('sha256').toString();
}

/** Lowercase hex MD5 of a UTF-8 string (UCloud's documented fingerprint is an MD5 over a joined string). */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
