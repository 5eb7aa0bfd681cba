import { createHash, generateKeyPairSync } from 'node:crypto';
import { parseOpenSshPublicKey, PublicKeyInfo } from '../handler/keys/public-key';
import { sshpk } from '../handler/keys/sshpk';

export { parseOpenSshPublicKey, PublicKeyRejected } from '../handler/keys/public-key';
export type { PublicKeyInfo } from '../handler/keys/public-key';

/** A freshly generated key pair as the clouds' CreateKeyPair actions hand it out. */
export interface GeneratedKeyPair {
  readonly publicKey: PublicKeyInfo;
  /** `ssh-rsa AAAA…` (no comment). */
  readonly publicKeyOpenSsh: string;
  /** `-----BEGIN PRIVATE KEY-----` (unencrypted PKCS#8). */
  readonly privateKeyPkcs8Pem: string;
  /** `-----BEGIN RSA PRIVATE KEY-----` (the classic OpenSSH RSA format). */
  readonly privateKeyPkcs1Pem: string;
}

/** Real RSA material, 2048 bits as the three clouds generate by default (UCloud-Global: 4096). */
export function generateRsaKeyPair(bits = 2048): GeneratedKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const openSsh = sshpk().parseKey(spki, 'pem').toString('ssh');
  const info = parseOpenSshPublicKey(openSsh);
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
