import { generateKeyPairSync } from 'node:crypto';
import { publicKeyOfPemPrivateKey } from './pem-public-key';
import { describeKey, PublicKeyInfo } from './public-key';
import { sshpk } from './sshpk';
import type { GeneratedKeyAlgorithm } from '../../src/contract';
import { SecretValue } from '../clouds/credentials';
import type { GeneratedRsaBits } from '../tuning';

export interface LocallyGeneratedKeyPair {
  /** `<type> <base64>`, ready to import. */
  readonly publicKey: PublicKeyInfo;
  /** PEM that `ssh` and `ssh-keygen` read: PKCS#1 for RSA, SEC1 for ECDSA, OpenSSH format for Ed25519. */
  readonly privateKeyPem: SecretValue;
}

/**
 * Generates a key pair with node:crypto (an RSA key of `rsaBits`); the private key never leaves this process
 * except to its file or secret.
 */
export function generateKeyPairLocally(algorithm: GeneratedKeyAlgorithm, rsaBits: GeneratedRsaBits): LocallyGeneratedKeyPair {
  const privateKeyPem = PRIVATE_KEY_GENERATORS[algorithm](rsaBits);
  return { publicKey: publicKeyOfPrivateKey(new SecretValue(privateKeyPem)), privateKeyPem: new SecretValue(privateKeyPem) };
}

/** One generator per algorithm, each writing the PEM format `ssh` reads for it. */
const PRIVATE_KEY_GENERATORS: Readonly<Record<GeneratedKeyAlgorithm, (rsaBits: GeneratedRsaBits) => string>> = {
  rsa: (rsaBits) => generateKeyPairSync('rsa', { modulusLength: rsaBits }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  ecdsa: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
  ed25519: () => {
    const pkcs8 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // OpenSSH reads Ed25519 private keys only in its own format.
    return sshpk().parsePrivateKey(pkcs8, 'pem').toString('openssh');
  },
};

/**
 * The public half of a PEM private key (PKCS#1, PKCS#8, SEC1 or OpenSSH format), to prove that a key file
 * belongs to a key pair. Throws a message that never quotes the key. node:crypto reads the PEM formats, so
 * sshpk is loaded only for the others (OpenSSH's own format, DSA) and to refuse what is not a key.
 */
export function publicKeyOfPrivateKey(privateKeyPem: SecretValue): PublicKeyInfo {
  const fromPem = publicKeyOfPemPrivateKey(privateKeyPem.reveal());
  if (fromPem !== undefined) return fromPem;
  try {
    return describeKey(sshpk().parsePrivateKey(privateKeyPem.reveal(), 'auto').toPublic());
  } catch {
    throw new Error('the private key is not an unencrypted PEM or OpenSSH private key');
  }
}
