import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * UCloud's request signature, as the emulator verifies it: written from UCloud's signature page
 * (docs.ucloud.cn/api/summary/signature), apart from the handler's signer, so a mistake in the client's
 * signing cannot be repeated here and pass unnoticed. It covers the parameters alone: no method, path,
 * header, time or nonce.
 */

/** The parameter that carries the signature, and so is not part of what is signed. */
export const SIGNATURE_PARAMETER = 'Signature';

/**
 * The signature these parameters must carry: every parameter but the signature, ordered by name
 * (ascending, character by character), written as name then value with nothing between and nothing
 * encoded, the API private key appended, then the lower-case hex SHA-1 of it all (a digest, not an HMAC).
 */
export function expectedUcloudSignature(params: Readonly<Record<string, string>>, privateKey: string): string {
  const digest = createHash('sha1');
  const names = Object.keys(params)
    .filter((name) => name !== SIGNATURE_PARAMETER)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) digest.update(`${name}${params[name]}`, 'utf8');
  digest.update(privateKey, 'utf8');
  return digest.digest('hex');
}

/** Compares hex signatures in constant time; hex digits may come in either case. */
export function sameUcloudSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
