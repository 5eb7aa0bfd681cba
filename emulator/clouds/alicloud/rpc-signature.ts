import { createHmac } from 'node:crypto';
import { alicloudCanonicalQuery, alicloudPercentEncode } from './canonical-query';

/**
 * Alibaba's V2 signature for RPC APIs (HMAC-SHA1), as the emulator verifies it: written from Alibaba's
 * "Request syntax and signature method V2 for RPC APIs" page, apart from the handler's signer, so a
 * mistake in the client's signing cannot be repeated here and pass unnoticed.
 */

/** The only method and version of the scheme: a request naming others is not signed the way it says. */
export const RPC_SIGNATURE_METHOD = 'HMAC-SHA1';
export const RPC_SIGNATURE_VERSION = '1.0';

/**
 * The `Signature` a request with these parameters must carry: every parameter but `Signature` itself in
 * the canonical query, then `METHOD&%2F&` and that query encoded once more, then base64 of the HMAC-SHA1
 * keyed with the AccessKey secret and `&`.
 */
export function expectedRpcSignature(method: string, params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  const signed = Object.fromEntries(Object.entries(params).filter(([name]) => name !== 'Signature'));
  const stringToSign = [method.toUpperCase(), alicloudPercentEncode('/'), alicloudPercentEncode(alicloudCanonicalQuery(signed))].join('&');
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}
