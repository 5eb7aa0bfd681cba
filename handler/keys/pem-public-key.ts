import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { openSshFingerprints } from './fingerprints';
import type { PublicKeyInfo } from './public-key';

/** OpenSSH's names of the NIST curves node:crypto calls P-256, P-384 and P-521, with their sizes in bits. */
const OPENSSH_CURVES: Readonly<Record<string, { readonly name: string; readonly bits: number }>> = {
  'P-256': { name: 'nistp256', bits: 256 },
  'P-384': { name: 'nistp384', bits: 384 },
  'P-521': { name: 'nistp521', bits: 521 },
};

/**
 * The public half of a PEM private key, as an OpenSSH public key, with node:crypto alone: what the clouds
 * deliver (PKCS#1 RSA) and what this handler generates (PKCS#1 RSA, SEC1 ECDSA), read without loading sshpk.
 * Undefined for anything node:crypto does not read or this does not build (OpenSSH's own private key
 * format, DSA, an encrypted key, not a key): the caller falls back to sshpk, which says why.
 */
export function publicKeyOfPemPrivateKey(pem: string): PublicKeyInfo | undefined {
  let jwk: JsonWebKey;
  try {
    jwk = createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' });
  } catch {
    return undefined;
  }
  const key = openSshPublicKey(jwk);
  if (key === undefined) return undefined;
  const canonical = `${key.type} ${key.blob.toString('base64')}`;
  const fingerprints = openSshFingerprints(canonical)!;
  return {
    algorithm: key.algorithm,
    canonical,
    sha256Fingerprint: fingerprints.sha256,
    md5Fingerprint: fingerprints.md5,
    md5Hex: fingerprints.md5.slice('MD5:'.length).replace(/:/g, ''),
    bits: key.bits,
  };
}

interface OpenSshPublicKey {
  readonly algorithm: PublicKeyInfo['algorithm'];
  /** The key type, first field of the public key line. */
  readonly type: string;
  /** The wire encoding of RFC 4253 §6.6 (RSA), RFC 5656 §3.1 (ECDSA), RFC 8709 §4 (Ed25519). */
  readonly blob: Buffer;
  readonly bits: number;
}

function openSshPublicKey(jwk: JsonWebKey): OpenSshPublicKey | undefined {
  if (jwk.kty === 'RSA' && jwk.n && jwk.e) {
    const modulus = fromBase64Url(jwk.n);
    return { algorithm: 'rsa', type: 'ssh-rsa', blob: Buffer.concat([sshString('ssh-rsa'), mpint(fromBase64Url(jwk.e)), mpint(modulus)]), bits: bitLength(modulus) };
  }
  const curve = jwk.kty === 'EC' && jwk.crv ? OPENSSH_CURVES[jwk.crv] : undefined;
  if (curve && jwk.x && jwk.y) {
    const type = `ecdsa-sha2-${curve.name}`;
    const point = Buffer.concat([Buffer.from([0x04]), fromBase64Url(jwk.x), fromBase64Url(jwk.y)]);
    return { algorithm: 'ecdsa', type, blob: Buffer.concat([sshString(type), sshString(curve.name), sshString(point)]), bits: curve.bits };
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x) {
    return { algorithm: 'ed25519', type: 'ssh-ed25519', blob: Buffer.concat([sshString('ssh-ed25519'), sshString(fromBase64Url(jwk.x))]), bits: 256 };
  }
  return undefined;
}

function fromBase64Url(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

/** An SSH `string`: a 32-bit big-endian length, then the bytes. */
function sshString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An SSH `mpint` of a non-negative big-endian integer: no leading zero bytes, but one when the top bit is set. */
function mpint(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  return sshString(trimmed.length > 0 && trimmed[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function bitLength(magnitude: Buffer): number {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  if (start === magnitude.length) return 0;
  return (magnitude.length - start - 1) * 8 + (32 - Math.clz32(magnitude[start]));
}
