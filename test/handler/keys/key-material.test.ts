import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generateRsaKeyPair, md5Hex } from '../../../emulator/key-material';
import { SecretValue } from '../../../handler/clouds/credentials';
import { openSshFingerprints } from '../../../handler/keys/fingerprints';
import { generateKeyPairLocally, publicKeyOfPrivateKey } from '../../../handler/keys/private-key';
import { normaliseMd5Fingerprint, parseOpenSshPublicKey, PublicKeyRejected, publicKeyWithoutComment } from '../../../handler/keys/public-key';
import { DEFAULT_GENERATED_RSA_BITS } from '../../../handler/tuning';
import { REDACTED } from '../../../src/contract';
import { sshKeygenFingerprint, sshKeygenKeyPair, sshKeygenPublicKeyOf } from '../../support/ssh-keygen';

describe('key material', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'key-material-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test.each(['rsa', 'ecdsa', 'ed25519'] as const)('%s: fingerprints equal ssh-keygen -l, with and without sshpk', (type) => {
    // GIVEN a key made by ssh-keygen, as a user's .pub file reads (comment, trailing newline)
    const { publicKey } = sshKeygenKeyPair(type);
    // WHEN
    const parsed = parseOpenSshPublicKey(publicKey);
    const light = openSshFingerprints(publicKey)!;
    // THEN
    expect(parsed.sha256Fingerprint).toBe(sshKeygenFingerprint(publicKey, 'sha256'));
    expect(parsed.md5Fingerprint).toBe(sshKeygenFingerprint(publicKey, 'md5'));
    expect(light).toEqual({ sha256: parsed.sha256Fingerprint, md5: parsed.md5Fingerprint });
    expect(parsed.canonical).toBe(publicKeyWithoutComment(publicKey));
    expect(parsed.md5Hex).toBe(normaliseMd5Fingerprint(parsed.md5Fingerprint.slice('MD5:'.length)));
  });

  test.each(['rsa', 'ecdsa', 'ed25519'] as const)('%s generated locally: ssh-keygen reads the private key and derives the same public key', (algorithm) => {
    const generated = generateKeyPairLocally(algorithm, DEFAULT_GENERATED_RSA_BITS);
    const file = path.join(directory, `local-${algorithm}`);
    writeFileSync(file, generated.privateKeyPem.reveal(), { mode: 0o600 });
    expect(sshKeygenPublicKeyOf(file)).toBe(generated.publicKey.canonical);
    expect(publicKeyOfPrivateKey(generated.privateKeyPem).canonical).toBe(generated.publicKey.canonical);
    if (algorithm === 'rsa') expect(generated.publicKey.bits).toBe(4096);
    expect(String(generated.privateKeyPem)).toBe(REDACTED);
  });

  test('the emulator\'s RSA pairs: both PEM encodings hold the advertised public key', () => {
    const generated = generateRsaKeyPair();
    for (const pem of [generated.privateKeyPkcs8Pem, generated.privateKeyPkcs1Pem]) {
      expect(publicKeyOfPrivateKey(new SecretValue(pem)).canonical).toBe(generated.publicKeyOpenSsh);
    }
    expect(createPrivateKey(generated.privateKeyPkcs8Pem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    // RFC 1321 test vectors
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  test('refuses malformed keys and types the caller does not accept, saying which', () => {
    const { publicKey } = sshKeygenKeyPair('ed25519');
    expect(parseOpenSshPublicKey(publicKey, ['rsa', 'ed25519']).algorithm).toBe('ed25519');
    expect(() => parseOpenSshPublicKey(publicKey, ['rsa'])).toThrow(expect.objectContaining({ reason: 'unsupported-type' }));
    expect(() => parseOpenSshPublicKey('ssh-rsa not-base64!!', ['rsa'])).toThrow(PublicKeyRejected);
    expect(() => parseOpenSshPublicKey('', ['rsa'])).toThrow(/one line/);
    expect(() => parseOpenSshPublicKey(`${publicKey.trim()}\n${publicKey.trim()}`)).toThrow(/one line/);
    expect(openSshFingerprints('ssh-rsa')).toBeUndefined();
    expect(() => publicKeyOfPrivateKey(new SecretValue('-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----'))).toThrow(
      'the private key is not an unencrypted PEM or OpenSSH private key',
    );
  });
});
