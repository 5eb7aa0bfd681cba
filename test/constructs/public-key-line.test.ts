import { testKey } from './helpers';
import { readPublicKeyLine } from '../../src/public-key-line';

/** An OpenSSH wire-format blob from its strings. */
function blob(...fields: Array<string | Buffer>): string {
  return Buffer.concat(
    fields.flatMap((field) => {
      const bytes = typeof field === 'string' ? Buffer.from(field, 'latin1') : field;
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  ).toString('base64');
}

describe('readPublicKeyLine', () => {
  test.each(['rsa', 'dsa', 'ecdsa', 'ed25519'] as const)('reads a %s key as read from a .pub file, dropping comment and newline', (algorithm) => {
    // GIVEN
    const key = testKey(algorithm);
    // WHEN
    const line = readPublicKeyLine(`  ${key.publicKeyFile}\n`);
    // THEN
    expect(line).toEqual({ algorithm, typeName: key.canonical.split(' ')[0], canonical: key.canonical });
  });

  test('a key without a comment', () => {
    expect(readPublicKeyLine(testKey('ed25519').canonical)).toMatchObject({ canonical: testKey('ed25519').canonical });
  });

  test('a private key is refused without quoting it', () => {
    // GIVEN
    const pem = testKey('rsa').privateKeyPem;
    // WHEN
    const problem = readPublicKeyLine(pem) as string;
    // THEN
    expect(problem).toMatch(/this is a private key: pass the public key/);
    expect(problem).not.toContain(pem.split('\n')[1]);
  });

  test.each([
    ['empty', '', /the public key is empty/],
    ['several lines', `${testKey('rsa').canonical}\n${testKey('ecdsa').canonical}`, /spans several lines/],
    ['an unknown type', 'ssh-foo AAAA', /key type "ssh-foo" is not an OpenSSH public key type/],
    ['a certificate', `ssh-rsa-cert-v01@openssh.com ${blob('ssh-rsa-cert-v01@openssh.com')}`, /is not an OpenSSH public key type/],
    ['authorized_keys options', `no-pty ${testKey('rsa').canonical}`, /key type "no-pty"/],
    ['no key data', 'ssh-rsa', /second field is not base64/],
    ['not base64', 'ssh-rsa AAAA$$$$', /second field is not base64/],
    ['unpadded base64', 'ssh-rsa AAAAB3NzaC1yc2E', /second field is not base64/],
    ['another type inside', `ssh-rsa ${testKey('ed25519').canonical.split(' ')[1]}`, /holds a "ssh-ed25519" key/],
    ['a truncated key', `ssh-rsa ${blob('ssh-rsa', Buffer.from([1, 0, 1]))}`, /is truncated/],
    ['an empty field', `ssh-rsa ${blob('ssh-rsa', Buffer.from([1, 0, 1]), Buffer.alloc(0))}`, /is truncated/],
    ['trailing bytes', `ssh-ed25519 ${blob('ssh-ed25519', Buffer.alloc(32, 7), 'x')}`, /trailing bytes/],
    ['a short Ed25519 key', `ssh-ed25519 ${blob('ssh-ed25519', Buffer.alloc(31, 7))}`, /an Ed25519 key is 32 bytes/],
    ['an ECDSA curve mismatch', `ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', 'nistp384', Buffer.alloc(65, 4))}`, /its curve is not nistp256/],
    ['an ECDSA point of the wrong size', `ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', 'nistp256', Buffer.alloc(64, 4))}`, /not an uncompressed nistp256 point/],
  ])('refuses %s', (_, text, expected) => {
    expect(readPublicKeyLine(text)).toMatch(expected);
  });
});
