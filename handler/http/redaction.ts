import { REDACTED } from '../../src/contract';
import type { SecretValue } from '../clouds/credentials';

/**
 * Gateways answer a bad signature with the string they signed ("server string to sign is: …"), which
 * may hold an STS token or, on UCloud-API clouds, every parameter: everything from there on is dropped.
 */
const STRING_TO_SIGN = /(server\s+)?string\s*to\s*sign/i;

/**
 * A line of a multi-line secret (a private key's PEM) at least this long is masked on its own too: a
 * server that echoes a parameter may cut it short or re-wrap it, and one base64 line of a key is already
 * too much to print. Shorter lines could mask ordinary words of the message.
 */
const SHORTEST_MASKED_LINE = 16;

/**
 * A cloud message made safe to print: the echoed string-to-sign cut off, and every secret masked in the
 * forms a server may echo it (as is, URL-encoded either way, JSON-escaped, base64), a multi-line secret
 * line by line as well.
 */
export function redactSecrets(message: string, secrets: readonly SecretValue[]): string {
  const marker = message.search(STRING_TO_SIGN);
  let text = marker < 0 ? message : message.slice(0, marker).trim().replace(/[\s:,.]+$/, '');
  for (const secret of secrets) {
    const raw = secret.reveal();
    if (raw.length < 4) continue;
    const lines = raw.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length >= SHORTEST_MASKED_LINE && line !== raw);
    // The whole value first, then its lines: longest forms first, so no partial mask hides a longer match.
    for (const part of [raw, ...lines]) {
      for (const form of echoedForms(part)) text = text.split(form).join(REDACTED);
    }
  }
  return text;
}

function echoedForms(raw: string): string[] {
  const forms = new Set([
    raw,
    // As a JSON string's content (`\n` for a newline): Tencent's JSON answers quote parameters that way.
    JSON.stringify(raw).slice(1, -1),
    encodeURIComponent(raw),
    // RFC 3986 strict encoding (Alibaba's percentEncode) and form encoding (`+` for spaces).
    encodeURIComponent(raw).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    new URLSearchParams({ v: raw }).toString().slice(2),
    Buffer.from(raw, 'utf8').toString('base64'),
  ]);
  return [...forms].filter((form) => form.length >= 4);
}
