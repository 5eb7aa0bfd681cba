import { generateKeyPairSync, KeyObject } from 'node:crypto';
import * as sshpk from 'sshpk';
import { publicKeyOfPemPrivateKey } from '../../../handler/keys/pem-public-key';
import { describeKey } from '../../../handler/keys/public-key';
import { sshKeygenKeyPair } from '../../support/ssh-keygen';

/** What sshpk makes of the same private key: the reference the node:crypto reading must equal. */
function bySshpk(pem: string) {
  return describeKey(sshpk.parsePrivateKey(pem, 'auto').toPublic());
}

const pem = (key: KeyObject, type: 'pkcs1' | 'pkcs8' | 'sec1') => key.export({ type, format: 'pem' }).toString();

describe('the public half of a PEM private key with node:crypto alone', () => {
  const rsa = (modulusLength: number, publicExponent?: number) => generateKeyPairSync('rsa', { modulusLength, publicExponent }).privateKey;
  const ec = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve }).privateKey;

  test.each([
    ['RSA 2048, PKCS#1 (what the clouds deliver)', () => pem(rsa(2048), 'pkcs1')],
    ['RSA 2048, PKCS#8', () => pem(rsa(2048), 'pkcs8')],
    ['RSA 1031 bits, exponent 3 (odd sizes, short exponent)', () => pem(rsa(1031, 3), 'pkcs1')],
    ['ECDSA P-256, SEC1 (what the handler generates)', () => pem(ec('P-256'), 'sec1')],
    ['ECDSA P-384, PKCS#8', () => pem(ec('P-384'), 'pkcs8')],
    ['ECDSA P-521, SEC1', () => pem(ec('P-521'), 'sec1')],
    ['Ed25519, PKCS#8', () => pem(generateKeyPairSync('ed25519').privateKey, 'pkcs8')],
  ])('%s: the same public key, fingerprints and size as sshpk reads', (_, make) => {
    const privateKey = make();
    expect(publicKeyOfPemPrivateKey(privateKey)).toEqual(bySshpk(privateKey));
  });

  test('leaves to sshpk what node:crypto does not read: OpenSSH\'s own format, an encrypted key, not a key', () => {
    const openSsh = sshKeygenKeyPair('ed25519').privateKey;
    expect(openSsh).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(publicKeyOfPemPrivateKey(openSsh)).toBeUndefined();
    const encrypted = rsa(1024).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    expect(publicKeyOfPemPrivateKey(encrypted)).toBeUndefined();
    expect(publicKeyOfPemPrivateKey('not a key')).toBeUndefined();
  });
});
