import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tencent Cloud's signature v3 (TC3-HMAC-SHA256) as pure functions: no clock, no I/O. The client signs
 * with them and the emulator verifies incoming requests by recomputing with the same functions from the
 * parts it received, so both sides share one definition of the canonical request.
 */

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
const TERMINATOR = 'tc3_request';

/** The parts of an HTTP request that the signature covers. */
export interface Tc3CanonicalParts {
  readonly method: 'POST' | 'GET';
  /** RFC 3986-encoded query string; always empty for POST. */
  readonly canonicalQueryString: string;
  /** The signed headers as sent (any case); `content-type` and `host` are required by the cloud. */
  readonly signedHeaders: Readonly<Record<string, string>>;
  /** The exact body bytes sent (empty for GET). */
  readonly payload: string;
}

export interface Tc3SigningInput extends Tc3CanonicalParts {
  readonly secretId: string;
  readonly secretKey: string;
  /** The product in the credential scope (`cvm` for key pairs). */
  readonly service: string;
  /** Unix seconds, the value of `X-TC-Timestamp`. */
  readonly timestamp: number;
}

export interface Tc3Signature {
  readonly canonicalRequest: string;
  readonly signedHeaderNames: string;
  readonly credentialScope: string;
  readonly stringToSign: string;
  readonly signature: string;
  /** The complete `Authorization` header value. */
  readonly authorization: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Canonical headers: names and values lowercased and trimmed, sorted by name, each `name:value\n`
 * (the documentation lowercases values too: `x-tc-action:describeinstances`).
 */
export function canonicalizeHeaders(headers: Readonly<Record<string, string>>): {
  canonicalHeaders: string;
  signedHeaderNames: string;
} {
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.trim().toLowerCase(), value.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    canonicalHeaders: entries.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaderNames: entries.map(([name]) => name).join(';'),
  };
}

export function buildCanonicalRequest(parts: Tc3CanonicalParts): { canonicalRequest: string; signedHeaderNames: string } {
  const { canonicalHeaders, signedHeaderNames } = canonicalizeHeaders(parts.signedHeaders);
  const canonicalRequest = [
    parts.method,
    '/',
    parts.canonicalQueryString,
    canonicalHeaders,
    signedHeaderNames,
    sha256Hex(parts.payload),
  ].join('\n');
  return { canonicalRequest, signedHeaderNames };
}

/** The UTC date of a Unix timestamp, `YYYY-MM-DD`; a local date breaks every request near midnight. */
export function utcDateOf(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function credentialScopeOf(date: string, service: string): string {
  return `${date}/${service}/${TERMINATOR}`;
}

export function buildStringToSign(timestamp: number, credentialScope: string, canonicalRequest: string): string {
  return [TC3_ALGORITHM, String(timestamp), credentialScope, sha256Hex(canonicalRequest)].join('\n');
}

/** SecretDate → SecretService → SecretSigning, each an HMAC-SHA256 keyed with the previous binary digest. */
export function deriveSigningKey(secretKey: string, date: string, service: string): Buffer {
  const secretDate = hmacSha256(`TC3${secretKey}`, date);
  const secretService = hmacSha256(secretDate, service);
  return hmacSha256(secretService, TERMINATOR);
}

export function signStringToSign(signingKey: Buffer, stringToSign: string): string {
  return hmacSha256(signingKey, stringToSign).toString('hex');
}

export function formatAuthorization(secretId: string, credentialScope: string, signedHeaderNames: string, signature: string): string {
  return `${TC3_ALGORITHM} Credential=${secretId}/${credentialScope}, SignedHeaders=${signedHeaderNames}, Signature=${signature}`;
}

/** Signs one request: every intermediate is returned so tests and the emulator can inspect them. */
export function signTc3(input: Tc3SigningInput): Tc3Signature {
  const { canonicalRequest, signedHeaderNames } = buildCanonicalRequest(input);
  const date = utcDateOf(input.timestamp);
  const credentialScope = credentialScopeOf(date, input.service);
  const stringToSign = buildStringToSign(input.timestamp, credentialScope, canonicalRequest);
  const signature = signStringToSign(deriveSigningKey(input.secretKey, date, input.service), stringToSign);
  return {
    canonicalRequest,
    signedHeaderNames,
    credentialScope,
    stringToSign,
    signature,
    authorization: formatAuthorization(input.secretId, credentialScope, signedHeaderNames, signature),
  };
}

/** An `Authorization` header taken apart; undefined fields mean the header is malformed. */
export interface ParsedTc3Authorization {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaderNames: readonly string[];
  readonly signature: string;
}

const AUTHORIZATION_PATTERN =
  /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Parses `TC3-HMAC-SHA256 Credential=…/date/service/tc3_request, SignedHeaders=…, Signature=…`. */
export function parseTc3Authorization(header: string): ParsedTc3Authorization | undefined {
  const match = AUTHORIZATION_PATTERN.exec(header.trim());
  if (!match) return undefined;
  const [, secretId, date, service, signedHeaders, signature] = match;
  return { secretId, date, service, signedHeaderNames: signedHeaders.split(';'), signature };
}

/** Compares two hex signatures in constant time. */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function hmacSha256(key: string | Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
}
