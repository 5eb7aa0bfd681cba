import type * as Sshpk from 'sshpk';
import { sshpk } from './sshpk';
import type { PublicKeyAlgorithm } from '../../src/contract';

/** Why a public key was refused, so each caller can report it its own way (or, in the emulator, as the cloud's code). */
export class PublicKeyRejected extends Error {
  constructor(
    public readonly reason: 'malformed' | 'unsupported-type',
    message: string,
  ) {
    super(message);
    this.name = 'PublicKeyRejected';
  }
}

/** An OpenSSH public key, parsed once, with what every layer asks of it. */
export interface PublicKeyInfo {
  readonly algorithm: PublicKeyAlgorithm;
  /** `<type> <base64>`, without the comment: how the clouds (and this project) compare keys. */
  readonly canonical: string;
  /** OpenSSH's `SHA256:<base64 without padding>` (what `ssh-keygen -l` prints). */
  readonly sha256Fingerprint: string;
  /** OpenSSH's `MD5:aa:bb:…` (what `ssh-keygen -l -E md5` prints). */
  readonly md5Fingerprint: string;
  /** The MD5 fingerprint as bare lower-case hex without colons (Alibaba's value, normalised). */
  readonly md5Hex: string;
  /** Key size in bits. */
  readonly bits: number;
}

/**
 * Parses one OpenSSH public key line (`<type> <base64> [comment]`, surrounding whitespace and a trailing
 * newline tolerated, as read from a `.pub` file). Throws PublicKeyRejected when the text is not such a
 * key, or its type is not in `acceptedTypes`.
 */
export function parseOpenSshPublicKey(text: string, acceptedTypes?: readonly PublicKeyAlgorithm[]): PublicKeyInfo {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.includes('\n')) {
    throw new PublicKeyRejected('malformed', 'expected one line in OpenSSH format: <type> <base64> [comment]');
  }
  let key: Sshpk.Key;
  try {
    key = sshpk().parseKey(trimmed, 'ssh');
  } catch {
    throw new PublicKeyRejected('malformed', 'not a valid OpenSSH public key');
  }
  const info = describeKey(key);
  if (acceptedTypes && !acceptedTypes.includes(info.algorithm)) {
    throw new PublicKeyRejected(
      'unsupported-type',
      `key type ${key.type} is not supported; accepted: ${acceptedTypes.join(', ')}`,
    );
  }
  return info;
}

/** What PublicKeyInfo holds, for a key sshpk already parsed (a public key, or a private key's public half). */
export function describeKey(key: Sshpk.Key): PublicKeyInfo {
  const md5 = key.fingerprint('md5');
  return {
    algorithm: key.type as PublicKeyAlgorithm,
    canonical: canonicalOpenSsh(key),
    sha256Fingerprint: key.fingerprint('sha256').toString(),
    md5Fingerprint: `MD5:${md5.toString('hex')}`,
    md5Hex: md5.toString('hex').replace(/:/g, ''),
    bits: key.size,
  };
}

/**
 * `<type> <base64>` without a comment. sshpk appends `(unnamed)` as the comment of keys that have none, so
 * the comment is cut here.
 */
export function canonicalOpenSsh(key: Sshpk.Key): string {
  return key.toString('ssh').split(' ').slice(0, 2).join(' ');
}

/**
 * The first two fields of a public key line, whatever the comment: Tencent rewrites the comment to
 * `skey_<digits>`, so keys are compared on these two fields only (as the official provider does). Needs no
 * parsing, hence no sshpk.
 */
export function publicKeyWithoutComment(text: string): string {
  return text.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** Alibaba's MD5 fingerprint comes with or without colons (docs/cloud-behaviour.md#alibaba-fingerprint-colons). */
export function normaliseMd5Fingerprint(fingerprint: string): string {
  return fingerprint.replace(/:/g, '').toLowerCase();
}
