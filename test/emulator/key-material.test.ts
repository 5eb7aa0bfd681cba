import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as sshpk from 'sshpk';
import {
  canonicalOpenSsh,
  generateRsaKeyPair,
  md5FingerprintHex,
  md5Hex,
  parseOpenSshPublicKey,
  PublicKeyRejected,
  sha256FingerprintBase64,
} from '../../emulator/key-material';

describe('key material', () => {
  const generated = generateRsaKeyPair();

  test('generates real RSA 2048 pairs whose private keys match their public key', () => {
    // THEN both private encodings parse and derive the advertised public key
    for (const pem of [generated.privateKeyPkcs8Pem, generated.privateKeyPkcs1Pem]) {
      const privateKey = sshpk.parsePrivateKey(pem, 'pem');
      expect(privateKey.type).toBe('rsa');
      expect(privateKey.size).toBe(2048);
      expect(canonicalOpenSsh(privateKey.toPublic())).toBe(generated.publicKeyOpenSsh);
    }
    expect(generated.privateKeyPkcs8Pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(generated.privateKeyPkcs1Pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(createPrivateKey(generated.privateKeyPkcs8Pem).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  test('fingerprints agree with OpenSSH formats', () => {
    const key = parseOpenSshPublicKey(`${generated.publicKeyOpenSsh} user@host`, ['rsa']);
    expect(md5FingerprintHex(key)).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(sha256FingerprintBase64(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(canonicalOpenSsh(key)).toBe(generated.publicKeyOpenSsh);
    // RFC 1321 test vectors
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  test('rejects malformed keys and types a cloud does not accept, saying which', () => {
    const ed25519Pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ed25519 = sshpk.parseKey(ed25519Pem, 'pem').toString('ssh');
    expect(parseOpenSshPublicKey(ed25519, ['rsa', 'ed25519']).type).toBe('ed25519');
    const unsupported = (() => {
      try {
        parseOpenSshPublicKey(ed25519, ['rsa']);
      } catch (err) {
        return err as PublicKeyRejected;
      }
      return undefined;
    })();
    expect(unsupported).toMatchObject({ reason: 'unsupported-type' });
    expect(() => parseOpenSshPublicKey('ssh-rsa not-base64!!', ['rsa'])).toThrow(PublicKeyRejected);
    expect(() => parseOpenSshPublicKey('', ['rsa'])).toThrow(/one line/);
    expect(() => parseOpenSshPublicKey(`${generated.publicKeyOpenSsh}\n${generated.publicKeyOpenSsh}`, ['rsa'])).toThrow(/one line/);
  });
});
