import { CLOUD_LABELS, IMPORTABLE_KEY_TYPES, openSshTypeList, type CloudName, type PublicKeyAlgorithm } from './contract';

/**
 * A synth-time reading of an OpenSSH public key line, without sshpk (the handler's parser needs it, and jsii
 * compiles src/ only): enough to refuse what no cloud imports, and to know the key's algorithm.
 */
export interface PublicKeyLine {
  readonly algorithm: PublicKeyAlgorithm;
  /** The OpenSSH type name (`ssh-rsa`, `ecdsa-sha2-nistp256`, ...). */
  readonly typeName: string;
  /** `<type> <base64>`: the line without its comment or surrounding whitespace. */
  readonly canonical: string;
}

const ECDSA_POINT_BYTES: Readonly<Record<string, number>> = { nistp256: 65, nistp384: 97, nistp521: 133 };

/**
 * The public key line `text` when `cloud` imports it; otherwise why not, in one sentence that names the rule
 * (and never quotes the text). The constructs check literal keys with it at synth, the handler keys that
 * were tokens, before any cloud call.
 */
export function importablePublicKey(cloud: CloudName, text: string): PublicKeyLine | string {
  const key = readPublicKeyLine(text);
  if (typeof key === 'string') return `the public key to import is not valid: ${key}`;
  if (!IMPORTABLE_KEY_TYPES[cloud].includes(key.algorithm)) {
    return `${CLOUD_LABELS[cloud]} imports ${openSshTypeList(IMPORTABLE_KEY_TYPES[cloud])} keys only; this public key is ${key.typeName}`;
  }
  return key;
}

/** What a public key is expected to look like, quoted in every error about one. */
export const PUBLIC_KEY_SHAPE = 'one line in OpenSSH format, "<type> <base64> [comment]", as in a .pub file';

/**
 * Reads one OpenSSH public key line (`<type> <base64> [comment]`; surrounding whitespace, a trailing
 * newline and a comment are tolerated). Returns the key, or why it is not one — in words that never quote
 * the text, which may be a private key pasted by mistake.
 */
export function readPublicKeyLine(text: string): PublicKeyLine | string {
  const trimmed = text.trim();
  if (/PRIVATE KEY/.test(trimmed)) {
    return 'this is a private key: pass the public key (the .pub file), the private key must never enter the configuration';
  }
  if (trimmed === '') return `the public key is empty; expected ${PUBLIC_KEY_SHAPE}`;
  if (/[\r\n]/.test(trimmed)) return `the public key spans several lines; expected ${PUBLIC_KEY_SHAPE}`;
  const [typeName, base64] = trimmed.split(/\s+/);
  const algorithm = algorithmOfType(typeName);
  if (algorithm === undefined) {
    return `key type ${JSON.stringify(typeName.slice(0, 40))} is not an OpenSSH public key type (ssh-rsa, ssh-dss, ecdsa-sha2-nistp256/384/521, ssh-ed25519); expected ${PUBLIC_KEY_SHAPE}`;
  }
  if (base64 === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    return `the ${typeName} key's second field is not base64; expected ${PUBLIC_KEY_SHAPE}`;
  }
  const problem = blobProblem(typeName, Buffer.from(base64, 'base64'));
  if (problem !== undefined) return `the ${typeName} key's data is malformed: ${problem}`;
  return { algorithm, typeName, canonical: `${typeName} ${base64}` };
}

function algorithmOfType(typeName: string): PublicKeyAlgorithm | undefined {
  if (typeName === 'ssh-rsa') return 'rsa';
  if (typeName === 'ssh-dss') return 'dsa';
  if (typeName === 'ssh-ed25519') return 'ed25519';
  if (/^ecdsa-sha2-nistp(256|384|521)$/.test(typeName)) return 'ecdsa';
  return undefined;
}

/** Checks the SSH wire encoding (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) against the type the line names. */
function blobProblem(typeName: string, blob: Buffer): string | undefined {
  const reader = new WireReader(blob);
  const innerType = reader.string()?.toString('latin1');
  if (innerType === undefined) return 'it is truncated';
  if (innerType !== typeName) return `it holds a ${JSON.stringify(innerType.slice(0, 40))} key`;
  let fields: Array<Buffer | undefined>;
  if (typeName === 'ssh-rsa') {
    fields = [reader.string(), reader.string()]; // e, n
  } else if (typeName === 'ssh-dss') {
    fields = [reader.string(), reader.string(), reader.string(), reader.string()]; // p, q, g, y
  } else if (typeName === 'ssh-ed25519') {
    const key = reader.string();
    if (key !== undefined && key.length !== 32) return 'an Ed25519 key is 32 bytes';
    fields = [key];
  } else {
    const curve = typeName.slice('ecdsa-sha2-'.length);
    const curveField = reader.string();
    if (curveField !== undefined && curveField.toString('latin1') !== curve) return `its curve is not ${curve}`;
    const point = reader.string();
    if (point !== undefined && (point.length !== ECDSA_POINT_BYTES[curve] || point[0] !== 4)) return `its point is not an uncompressed ${curve} point`;
    fields = [curveField, point];
  }
  if (fields.some((field) => field === undefined || field.length === 0)) return 'it is truncated';
  if (!reader.atEnd()) return 'it has trailing bytes';
  return undefined;
}

/** Reads the length-prefixed strings of the SSH wire format. */
class WireReader {
  private offset = 0;

  constructor(private readonly data: Buffer) {}

  /** The next string, or undefined when the data ends first. */
  string(): Buffer | undefined {
    if (this.offset + 4 > this.data.length) return undefined;
    const length = this.data.readUInt32BE(this.offset);
    if (this.offset + 4 + length > this.data.length) return undefined;
    const value = this.data.subarray(this.offset + 4, this.offset + 4 + length);
    this.offset += 4 + length;
    return value;
  }

  atEnd(): boolean {
    return this.offset === this.data.length;
  }
}
