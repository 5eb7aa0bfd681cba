import { createHash, createPublicKey, JsonWebKey } from 'node:crypto';
import { SshWireFormatError, SshWireReader } from './ssh-wire-format';
import type { PublicKeyAlgorithm } from '../src/contract';

/**
 * How the emulator reads the public key a client imports: one OpenSSH line, `<type> <base64> [comment]`,
 * whose base64 is the key blob of RFC 4253 section 6.6 (ssh-rsa, ssh-dss), RFC 5656 section 3.1 (ecdsa)
 * or RFC 8709 section 4 (ssh-ed25519). Written for the emulator from those RFCs, with node:crypto checking
 * the numbers, and apart from the handler's parser: a key the client mangles must not pass here because
 * the same code reads it on both sides.
 */

/** Why a public key was refused; each cloud module turns it into its own error code. */
export class PublicKeyRefused extends Error {
  constructor(
    public readonly reason: 'malformed' | 'unsupported-type',
    message: string,
  ) {
    super(message);
    this.name = 'PublicKeyRefused';
  }
}

/** A public key the emulator accepted, with what the clouds answer about it. */
export interface OpenSshPublicKey {
  /** The contract's name for its algorithm (`rsa`, `dsa`, `ecdsa`, `ed25519`). */
  readonly algorithm: PublicKeyAlgorithm;
  /** `<type> <base64>`, the comment cut: what the clouds store and compare. */
  readonly canonical: string;
  /** The MD5 of the blob in lower-case hex pairs joined by colons (`ssh-keygen -l -E md5` without `MD5:`). */
  readonly md5WithColons: string;
  /** The same MD5 as bare lower-case hex. */
  readonly md5Hex: string;
}

/** Checks the fields that follow the type name in a blob of one key type (throws when they are wrong). */
type BlobCheck = (reader: SshWireReader) => void;

interface KnownKeyType {
  readonly algorithm: PublicKeyAlgorithm;
  readonly checkFields: BlobCheck;
}

/** Every OpenSSH key type the emulator knows, by the name the line and the blob both start with. */
const KNOWN_KEY_TYPES: Readonly<Record<string, KnownKeyType>> = {
  'ssh-rsa': { algorithm: 'rsa', checkFields: checkRsaFields },
  'ssh-dss': { algorithm: 'dsa', checkFields: checkDsaFields },
  'ecdsa-sha2-nistp256': { algorithm: 'ecdsa', checkFields: ecdsaFieldsCheck('nistp256', 'P-256', 32) },
  'ecdsa-sha2-nistp384': { algorithm: 'ecdsa', checkFields: ecdsaFieldsCheck('nistp384', 'P-384', 48) },
  'ecdsa-sha2-nistp521': { algorithm: 'ecdsa', checkFields: ecdsaFieldsCheck('nistp521', 'P-521', 66) },
  'ssh-ed25519': { algorithm: 'ed25519', checkFields: checkEd25519Fields },
};

const ONE_LINE_EXPECTED = 'expected one line in OpenSSH format: <type> <base64> [comment]';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads one public key line (surrounding whitespace tolerated, as a `.pub` file ends with a newline).
 * Throws PublicKeyRefused: `malformed` for anything that is not a well-formed key of a type the emulator
 * knows, `unsupported-type` for a good key whose algorithm is not in `acceptedAlgorithms`.
 */
export function readOpenSshPublicKey(text: string, acceptedAlgorithms?: readonly PublicKeyAlgorithm[]): OpenSshPublicKey {
  const line = text.trim();
  if (line === '' || /[\r\n]/.test(line)) throw new PublicKeyRefused('malformed', ONE_LINE_EXPECTED);
  const [typeName, encoded] = line.split(/[ \t]+/);
  if (encoded === undefined) throw new PublicKeyRefused('malformed', ONE_LINE_EXPECTED);
  const keyType = Object.prototype.hasOwnProperty.call(KNOWN_KEY_TYPES, typeName) ? KNOWN_KEY_TYPES[typeName] : undefined;
  if (!keyType) throw new PublicKeyRefused('malformed', `"${typeName}" is not an OpenSSH public key type`);

  const blob = decodeStrictBase64(encoded);
  try {
    const reader = new SshWireReader(blob);
    // The name inside the blob must repeat the line's: OpenSSH refuses a line whose two names differ.
    if (reader.readText() !== typeName) throw new SshWireFormatError(`the key inside is not ${typeName}`);
    keyType.checkFields(reader);
    reader.expectEnd();
  } catch (err) {
    throw new PublicKeyRefused('malformed', `not a valid ${typeName} public key: ${(err as Error).message}`);
  }

  if (acceptedAlgorithms && !acceptedAlgorithms.includes(keyType.algorithm)) {
    throw new PublicKeyRefused('unsupported-type', `key type ${typeName} is not supported; accepted: ${acceptedAlgorithms.join(', ')}`);
  }
  const md5 = createHash('md5').update(blob).digest('hex');
  return {
    algorithm: keyType.algorithm,
    canonical: `${typeName} ${encoded}`,
    md5WithColons: md5.replace(/(..)(?!$)/g, '$1:'),
    md5Hex: md5,
  };
}

/**
 * Base64 as ssh-keygen writes it, padding included. Node's decoder skips characters it does not know,
 * so the text is checked first, and must be what the decoded bytes encode back to.
 */
function decodeStrictBase64(encoded: string): Buffer {
  const blob = Buffer.from(encoded, 'base64');
  if (!BASE64.test(encoded) || blob.toString('base64') !== encoded) {
    throw new PublicKeyRefused('malformed', 'the key is not in base64');
  }
  return blob;
}

/** RFC 4253: `mpint e`, `mpint n`; node:crypto refuses a modulus it cannot use. */
function checkRsaFields(reader: SshWireReader): void {
  const exponent = reader.readPositiveMpint();
  const modulus = reader.readPositiveMpint();
  importJwk({ kty: 'RSA', n: modulus.toString('base64url'), e: exponent.toString('base64url') });
}

/** RFC 4253: `mpint p`, `mpint q`, `mpint g`, `mpint y` (node:crypto imports no DSA key from its numbers). */
function checkDsaFields(reader: SshWireReader): void {
  for (let parameter = 0; parameter < 4; parameter++) reader.readPositiveMpint();
}

/**
 * RFC 5656: `string` curve identifier (the type name's suffix), `string Q`, an uncompressed point
 * (`0x04 || x || y`); node:crypto refuses a point that is not on the curve.
 */
function ecdsaFieldsCheck(identifier: string, curve: string, coordinateBytes: number): BlobCheck {
  return (reader) => {
    if (reader.readText() !== identifier) throw new SshWireFormatError(`the curve is not ${identifier}`);
    const point = reader.readBytes();
    if (point.length !== 1 + 2 * coordinateBytes || point[0] !== 0x04) throw new SshWireFormatError(`the point is not an uncompressed ${curve} point`);
    const x = point.subarray(1, 1 + coordinateBytes);
    const y = point.subarray(1 + coordinateBytes);
    importJwk({ kty: 'EC', crv: curve, x: x.toString('base64url'), y: y.toString('base64url') });
  };
}

/** RFC 8709: `string key`, 32 bytes. */
function checkEd25519Fields(reader: SshWireReader): void {
  const key = reader.readBytes();
  if (key.length !== 32) throw new SshWireFormatError('an Ed25519 key is 32 bytes');
  importJwk({ kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') });
}

function importJwk(jwk: JsonWebKey): void {
  try {
    createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new SshWireFormatError('its numbers do not make a usable key');
  }
}
