import { createHash, createHmac } from 'node:crypto';
import { alicloudCanonicalQuery } from './canonical-query';

/**
 * Alibaba's V3 signature (ACS3-HMAC-SHA256), as the emulator verifies it: written from Alibaba's "V3
 * request structure and signature" page, apart from the handler's signer, so a mistake in the client's
 * signing cannot be repeated here and pass unnoticed.
 */

const ALGORITHM = 'ACS3-HMAC-SHA256';

/** The `Authorization` header taken apart. */
export interface Acs3Authorization {
  readonly accessKeyId: string;
  /** The header names the client says it signed, lower-cased, in the order it listed them. */
  readonly signedHeaderNames: readonly string[];
  readonly signature: string;
}

/** `ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b;…>,Signature=<hex>`, or undefined when it is not one. */
export function readAcs3Authorization(header: string | undefined): Acs3Authorization | undefined {
  if (header === undefined || !header.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const field of header.slice(ALGORITHM.length + 1).split(',')) {
    const separator = field.indexOf('=');
    if (separator !== -1) fields.set(field.slice(0, separator).trim(), field.slice(separator + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return { accessKeyId, signedHeaderNames: signedHeaders.split(';').map((name) => name.toLowerCase()), signature };
}

/** The headers the scheme lets a client sign: `host`, `content-type` and every `x-acs-` header. */
export function isAcs3SignableHeader(lowercaseName: string): boolean {
  return lowercaseName === 'host' || lowercaseName === 'content-type' || lowercaseName.startsWith('x-acs-');
}

/** The parts of a received request the signature covers. */
export interface ReceivedAcs3Request {
  readonly method: string;
  /** The URL path (`/` for an RPC-style API such as ECS). */
  readonly path: string;
  /** The URL's query parameters, decoded. */
  readonly query: Readonly<Record<string, string>>;
  /** Header values by lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The hex signature a request with these parts must carry when it signed `signedHeaderNames` with
 * `accessKeySecret`: the canonical request (method, path, canonical query, the signed headers sorted by
 * name with trimmed values, their names, the SHA-256 of the body received), hashed into the string to
 * sign, and HMAC-SHA256 keyed with the bare secret.
 */
export function expectedAcs3Signature(request: ReceivedAcs3Request, signedHeaderNames: readonly string[], accessKeySecret: string): string {
  const names = [...signedHeaderNames].sort();
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.path,
    alicloudCanonicalQuery(request.query),
    names.map((name) => `${name}:${(request.headers[name] ?? '').trim()}\n`).join(''),
    names.join(';'),
    sha256Hex(request.body),
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  return createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
