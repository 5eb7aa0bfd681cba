import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tencent Cloud's signature v3 (TC3-HMAC-SHA256), as the emulator verifies it: written from Tencent's
 * signature documentation, apart from the handler's signer, so a mistake in the client's signing cannot
 * be repeated here and pass unnoticed.
 */

const ALGORITHM = 'TC3-HMAC-SHA256';
const TERMINATOR = 'tc3_request';

/** The parts of a received request the signature covers. */
export interface ReceivedTc3Request {
  readonly method: string;
  /** The query string as received, without `?` (empty for POST). */
  readonly query: string;
  /** The signed headers, by lowercase name, with the values received. */
  readonly signedHeaders: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The `Authorization` header taken apart. */
export interface Tc3Credential {
  readonly secretId: string;
  /** `YYYY-MM-DD`, the UTC date of `X-TC-Timestamp`. */
  readonly date: string;
  /** The product the request was signed for (`cvm`, `tag`): the credential scope's service. */
  readonly service: string;
  readonly signedHeaderNames: readonly string[];
  readonly signature: string;
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=…, Signature=…`, or undefined. */
export function readTc3Authorization(header: string): Tc3Credential | undefined {
  const match = AUTHORIZATION.exec(header.trim());
  if (!match) return undefined;
  return { secretId: match[1], date: match[2], service: match[3], signedHeaderNames: match[4].split(';'), signature: match[5] };
}

/** The UTC date of a Unix timestamp in seconds. */
export function tc3DateOf(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/**
 * The signature a request with these parts must carry, signed with `secretKey` for `service` at
 * `timestamp`: canonical request (headers lowercased and trimmed, names sorted), string to sign, and the
 * key derived from the date, the service and `tc3_request`.
 */
export function expectedTc3Signature(request: ReceivedTc3Request, secretKey: string, service: string, timestamp: number): string {
  const headers = Object.entries(request.signedHeaders)
    .map(([name, value]) => [name.trim().toLowerCase(), value.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalRequest = [
    request.method.toUpperCase(),
    '/',
    request.query,
    headers.map(([name, value]) => `${name}:${value}\n`).join(''),
    headers.map(([name]) => name).join(';'),
    sha256(request.body),
  ].join('\n');
  const date = tc3DateOf(timestamp);
  const scope = `${date}/${service}/${TERMINATOR}`;
  const stringToSign = `${ALGORITHM}\n${timestamp}\n${scope}\n${sha256(canonicalRequest)}`;
  const dateKey = hmac(`TC3${secretKey}`, date);
  const serviceKey = hmac(dateKey, service);
  const signingKey = hmac(serviceKey, TERMINATOR);
  return hmac(signingKey, stringToSign).toString('hex');
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}
