import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as sshpk from 'sshpk';
import { generateRsaKeyPair } from '../../emulator/key-material';
import { PublicKeyRefused, readOpenSshPublicKey } from '../../emulator/openssh-public-key';
import { sshPositiveMpint, sshString } from '../../emulator/ssh-wire-format';
import { sshKeygenFingerprint, sshKeygenKeyPair, sshKeygenPublicKeyOf } from '../support/ssh-keygen';

/**
 * The emulator's own reader of imported public keys, checked against OpenSSH's `ssh-keygen` (never
 * against the handler's parser, which it exists to check).
 */

/** A key node:crypto generates, written as an OpenSSH line (by sshpk: a third party, not the handler). */
function openSshLineOf(publicKeyPem: string | Buffer): string {
  return sshpk.parseKey(publicKeyPem, 'pem').toString('ssh');
}

function refusal(text: string, accepted?: Parameters<typeof readOpenSshPublicKey>[1]): PublicKeyRefused {
  try {
    readOpenSshPublicKey(text, accepted);
  } catch (err) {
    if (err instanceof PublicKeyRefused) return err;
    throw err;
  }
  throw new Error(`accepted: ${text}`);
}

/** The base64 of a line, decoded, changed by `change`, and written back under the same type name. */
function withBlob(line: string, change: (blob: Buffer) => Buffer): string {
  const [type, encoded] = line.split(' ');
  return `${type} ${change(Buffer.from(encoded, 'base64')).toString('base64')}`;
}

describe('the emulator reads OpenSSH public keys as ssh-keygen does', () => {
  test.each(['rsa', 'ecdsa', 'ed25519'] as const)('%s from ssh-keygen: algorithm, the line without its comment, and the MD5 of ssh-keygen -l', (type) => {
    // GIVEN a .pub file's content: comment and trailing newline
    const { publicKey } = sshKeygenKeyPair(type, 'user@laptop');

    // WHEN
    const key = readOpenSshPublicKey(publicKey);

    // THEN
    expect(key.algorithm).toBe(type);
    expect(key.canonical).toBe(publicKey.trim().split(' ').slice(0, 2).join(' '));
    expect(`MD5:${key.md5WithColons}`).toBe(sshKeygenFingerprint(publicKey, 'md5'));
    expect(key.md5Hex).toBe(key.md5WithColons.replace(/:/g, ''));
  });

  test.each([
    ['dsa', () => generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey],
    ['ecdsa', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey],
    ['ecdsa', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey],
  ] as const)('%s keys ssh-keygen does not make by default have the same MD5 as ssh-keygen -l prints', (algorithm, generate) => {
    // GIVEN
    const line = openSshLineOf(generate().export({ type: 'spki', format: 'pem' }));

    // WHEN
    const key = readOpenSshPublicKey(line);

    // THEN
    expect(key.algorithm).toBe(algorithm);
    expect(`MD5:${key.md5WithColons}`).toBe(sshKeygenFingerprint(line, 'md5'));
  });

  test('a generated RSA pair: ssh-keygen derives the advertised public key from the PKCS#1 private key', () => {
    // GIVEN
    const directory = mkdtempSync(path.join(tmpdir(), 'emulator-rsa-'));
    try {
      const generated = generateRsaKeyPair();
      const file = path.join(directory, 'id_rsa');
      writeFileSync(file, generated.privateKeyPkcs1Pem, { mode: 0o600 });

      // WHEN
      const derived = sshKeygenPublicKeyOf(file);

      // THEN
      expect(derived).toBe(generated.publicKeyOpenSsh);
      expect(generated.publicKey.canonical).toBe(generated.publicKeyOpenSsh);
      expect(`MD5:${generated.publicKey.md5WithColons}`).toBe(sshKeygenFingerprint(generated.publicKeyOpenSsh, 'md5'));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('a good key of a type the cloud does not import is unsupported-type, naming what is accepted', () => {
    // GIVEN
    const { publicKey } = sshKeygenKeyPair('ed25519');

    // WHEN
    const refused = refusal(publicKey, ['rsa']);

    // THEN
    expect(readOpenSshPublicKey(publicKey, ['rsa', 'ed25519']).algorithm).toBe('ed25519');
    expect(refused.reason).toBe('unsupported-type');
    expect(refused.message).toBe('key type ssh-ed25519 is not supported; accepted: rsa');
  });

  describe('anything else is malformed', () => {
    const rsa = generateRsaKeyPair().publicKeyOpenSsh;
    const ed25519 = sshKeygenKeyPair('ed25519').publicKey.trim();
    // A P-256 blob is 104 bytes, so its base64 ends in padding (RSA 2048 and Ed25519 blobs need none).
    const ecdsa = sshKeygenKeyPair('ecdsa').publicKey.trim();

    test.each([
      ['nothing', ''],
      ['two lines', `${rsa}\n${rsa}`],
      ['a type and no key', 'ssh-rsa'],
      ['words', 'hello world'],
      ['characters outside base64', 'ssh-rsa not-base64!!'],
      ['base64 without its padding', ecdsa.split(' ').slice(0, 2).join(' ').replace(/=+$/, '')],
      ['an unknown type', rsa.replace('ssh-rsa', 'ssh-foo')],
      ['an authorized_keys option in front', `from="10.0.0.1" ${rsa}`],
    ])('%s', (_, text) => {
      expect(refusal(text).reason).toBe('malformed');
    });

    test('(the ECDSA key above does end in padding, so the unpadded case cuts some)', () => {
      expect(ecdsa.split(' ')[1]).toMatch(/=$/);
    });

    test('a blob whose own type name differs from the line\'s', () => {
      expect(refusal(`ssh-ed25519 ${rsa.split(' ')[1]}`).message).toMatch(/not a valid ssh-ed25519 public key/);
    });

    test('a blob cut short, or with bytes after its last field', () => {
      expect(refusal(withBlob(rsa, (blob) => blob.subarray(0, blob.length - 1))).reason).toBe('malformed');
      expect(refusal(withBlob(rsa, (blob) => Buffer.concat([blob, Buffer.from([0])]))).message).toMatch(/bytes after its last field/);
    });

    test('an RSA blob with a negative modulus, and an Ed25519 key of the wrong length', () => {
      const negative = Buffer.concat([sshString('ssh-rsa'), sshPositiveMpint(Buffer.from([1, 0, 1])), sshString(Buffer.alloc(256, 0xff))]);
      expect(refusal(`ssh-rsa ${negative.toString('base64')}`).message).toMatch(/negative/);
      const short = Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(31, 7))]);
      expect(refusal(`ssh-ed25519 ${short.toString('base64')}`).reason).toBe('malformed');
      expect(readOpenSshPublicKey(ed25519).algorithm).toBe('ed25519');
    });

    test('an ECDSA point that is not on its curve', () => {
      // GIVEN a real P-256 line whose last coordinate byte is changed
      const line = openSshLineOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
      const offCurve = withBlob(line, (blob) => {
        const changed = Buffer.from(blob);
        const last = changed.length - 1;
        changed[last] = changed[last] === 0 ? 1 : changed[last] - 1;
        return changed;
      });

      // THEN
      expect(readOpenSshPublicKey(line).algorithm).toBe('ecdsa');
      expect(refusal(offCurve).message).toMatch(/usable key/);
    });
  });
});
