import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { OpenSshPublicKey, readOpenSshPublicKey } from './openssh-public-key';
import { sshPositiveMpint, sshString } from './ssh-wire-format';

/** A freshly generated key pair as the clouds' CreateKeyPair actions hand it out. */
export interface GeneratedKeyPair {
  readonly publicKey: OpenSshPublicKey;
  /** `ssh-rsa AAAA…` (no comment). */
  readonly publicKeyOpenSsh: string;
  /** `-----BEGIN PRIVATE KEY-----` (unencrypted PKCS#8). */
  readonly privateKeyPkcs8Pem: string;
  /** `-----BEGIN RSA PRIVATE KEY-----` (the classic OpenSSH RSA format). */
  readonly privateKeyPkcs1Pem: string;
}

/** The RSA size the three clouds generate by default (UCloud-Global: 4096). */
export const DEFAULT_GENERATED_KEY_BITS = 2048;

/** Real RSA material, freshly generated. */
export function generateRsaKeyPair(bits = DEFAULT_GENERATED_KEY_BITS): GeneratedKeyPair {
  return rsaKeyPairOf(generateKeyPairSync('rsa', { modulusLength: bits }).privateKey);
}

/** An RSA private key in the forms the clouds' creates hand out. */
export function rsaKeyPairOf(privateKey: KeyObject): GeneratedKeyPair {
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  // RFC 4253 section 6.6: the ssh-rsa blob is the type name, then e, then n.
  const blob = Buffer.concat([sshString('ssh-rsa'), sshPositiveMpint(Buffer.from(e!, 'base64url')), sshPositiveMpint(Buffer.from(n!, 'base64url'))]);
  // Read back like any imported key, so a generated pair is described exactly as an imported one would be.
  const info = readOpenSshPublicKey(`ssh-rsa ${blob.toString('base64')}`);
  return {
    publicKey: info,
    publicKeyOpenSsh: info.canonical,
    privateKeyPkcs8Pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    privateKeyPkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

/** Lowercase hex MD5 of a UTF-8 string (UCloud's documented fingerprint is an MD5 over a joined string). */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
