import { createHash, createHmac } from 'node:crypto';

/**
 * Alibaba Cloud request signing as pure functions: no clock, no randomness, no I/O. The client signs
 * with them, and the emulator verifies incoming requests by calling the same functions with the parts
 * it received, so each function takes the canonical parts of a request rather than a client object.
 *
 * V3 (ACS3-HMAC-SHA256) is the current scheme; V2 (RPC HMAC-SHA1, `SignatureVersion=1.0`) is kept for
 * gateways that still demand it.
 */

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';
export const RPC_SIGNATURE_METHOD = 'HMAC-SHA1';
export const RPC_SIGNATURE_VERSION = '1.0';

/** Request parameters after flattening (`Tag.1.Key`...), by name. */
export type RequestParams = Readonly<Record<string, string>>;

/**
 * RFC 3986 percent-encoding as Alibaba specifies it: `A-Z a-z 0-9 - _ . ~` stay, everything else is
 * `%XX` (uppercase) of its UTF-8 bytes; space is `%20`, never `+`.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `name=value` pairs, encoded, sorted by name (code unit order, as the SDKs sort), joined with `&`. */
export function canonicalQueryString(params: RequestParams): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name])}`)
    .join('&');
}

/** Lowercase hex SHA-256 of the exact body bytes (UTF-8); the empty body hashes to `e3b0c442…`. */
export function sha256Hex(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** The UTC timestamp format both schemes use: `yyyy-MM-ddTHH:mm:ssZ`, no milliseconds. */
export function formatAlicloudTimestamp(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------------------------------------------
// V3: ACS3-HMAC-SHA256
// ---------------------------------------------------------------------------------------------------

/** What an ACS3 signature covers. Header names may be in any case; values are trimmed when signed. */
export interface Acs3RequestParts {
  readonly method: string;
  /** `/` for RPC-style APIs such as ECS. */
  readonly canonicalUri: string;
  readonly query: RequestParams;
  readonly headers: Readonly<Record<string, string>>;
  /** Lowercase hex SHA-256 of the body, the value of `x-acs-content-sha256`. */
  readonly hashedPayload: string;
  /**
   * The lowercase header names to sign. Omitted when signing: every `host`, `content-type` and `x-acs-*`
   * header present. A verifier passes the names listed in the received Authorization header.
   */
  readonly signedHeaderNames?: readonly string[];
}

/** Whether the V3 scheme signs a header of this (lowercase) name by default. */
export function isAcs3SignedHeader(lowercaseName: string): boolean {
  return lowercaseName === 'host' || lowercaseName === 'content-type' || lowercaseName.startsWith('x-acs-');
}

export interface Acs3CanonicalRequest {
  readonly canonicalRequest: string;
  /** Sorted lowercase names joined with `;`. */
  readonly signedHeaders: string;
}

export function acs3CanonicalRequest(parts: Acs3RequestParts): Acs3CanonicalRequest {
  const byLowercaseName = new Map<string, string>();
  for (const [name, value] of Object.entries(parts.headers)) byLowercaseName.set(name.toLowerCase(), value);
  const names = (parts.signedHeaderNames ?? [...byLowercaseName.keys()].filter(isAcs3SignedHeader))
    .map((name) => name.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((name) => `${name}:${(byLowercaseName.get(name) ?? '').trim()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    parts.method.toUpperCase(),
    parts.canonicalUri,
    canonicalQueryString(parts.query),
    canonicalHeaders,
    signedHeaders,
    parts.hashedPayload,
  ].join('\n');
  return { canonicalRequest, signedHeaders };
}

export function acs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

/** Lowercase hex HMAC-SHA256 keyed with the raw AccessKey secret (no `&`, unlike V2). */
export function acs3Signature(accessKeySecret: string, stringToSign: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
}

export function acs3AuthorizationHeader(accessKeyId: string, signedHeaders: string, signature: string): string {
  return `${ACS3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

export interface Acs3Signed extends Acs3CanonicalRequest {
  readonly stringToSign: string;
  readonly signature: string;
  readonly authorization: string;
}

/** Every step of an ACS3 signature, so tests and the emulator can compare each one. */
export function signAcs3(parts: Acs3RequestParts, accessKeyId: string, accessKeySecret: string): Acs3Signed {
  const canonical = acs3CanonicalRequest(parts);
  const stringToSign = acs3StringToSign(canonical.canonicalRequest);
  const signature = acs3Signature(accessKeySecret, stringToSign);
  return {
    ...canonical,
    stringToSign,
    signature,
    authorization: acs3AuthorizationHeader(accessKeyId, canonical.signedHeaders, signature),
  };
}

export interface Acs3Authorization {
  readonly accessKeyId: string;
  readonly signedHeaderNames: readonly string[];
  readonly signature: string;
}

/** Splits a received `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`; undefined if not one. */
export function parseAcs3Authorization(header: string | undefined): Acs3Authorization | undefined {
  if (!header?.startsWith(`${ACS3_ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ACS3_ALGORITHM.length + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return { accessKeyId, signedHeaderNames: signedHeaders.split(';'), signature };
}

// ---------------------------------------------------------------------------------------------------
// V2: RPC HMAC-SHA1
// ---------------------------------------------------------------------------------------------------

/** The sorted, encoded parameters (all of them, common ones included, `Signature` excluded). */
export function rpcCanonicalizedQueryString(params: RequestParams): string {
  const { Signature: _excluded, ...signed } = params;
  return canonicalQueryString(signed);
}

/** `METHOD&%2F&percentEncode(canonicalized query)`: the query is encoded a second time, so `%3A` becomes `%253A`. */
export function rpcStringToSign(method: string, params: RequestParams): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(rpcCanonicalizedQueryString(params))}`;
}

/** Base64 HMAC-SHA1 keyed with the AccessKey secret followed by `&`. */
export function rpcSignature(accessKeySecret: string, stringToSign: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}
