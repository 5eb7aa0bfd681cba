import { REDACTED } from '../../src/contract';
import type { SecretValue } from '../clouds/credentials';

/**
 * Gateways answer a bad signature with the string they signed ("server string to sign is: …"), which
 * may hold an STS token or, on UCloud-API clouds, every parameter: everything from there on is dropped.
 */
const STRING_TO_SIGN = /(server\s+)?string\s*to\s*sign/i;

/**
 * A cloud message made safe to print: the echoed string-to-sign cut off, and every secret masked in the
 * forms a server may echo it (as is, URL-encoded either way, base64).
 */
export function redactSecrets(message: string, secrets: readonly SecretValue[]): string {
  const marker = message.search(STRING_TO_SIGN);
  let text = marker < 0 ? message : message.slice(0, marker).trim().replace(/[\s:,.]+$/, '');
  for (const secret of secrets) {
    const raw = secret.reveal();
    if (raw.length < 4) continue;
    for (const form of echoedForms(raw)) text = text.split(form).join(REDACTED);
  }
  return text;
}

function echoedForms(raw: string): string[] {
  const forms = new Set([
    raw,
    encodeURIComponent(raw),
    // RFC 3986 strict encoding (Alibaba's percentEncode) and form encoding (`+` for spaces).
    encodeURIComponent(raw).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    new URLSearchParams({ v: raw }).toString().slice(2),
    Buffer.from(raw, 'utf8').toString('base64'),
  ]);
  return [...forms].filter((form) => form.length >= 4);
}
