/**
 * The percent-encoding and parameter ordering both of Alibaba's signature schemes build on, written from
 * its signature pages: names and values are UTF-8, every byte outside RFC 3986's unreserved set
 * (`A-Z a-z 0-9 - _ . ~`) becomes `%XX` in upper-case hex, so a space is `%20` (never `+`) and `*` is `%2A`.
 */

const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;

export function alicloudPercentEncode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const character = String.fromCharCode(byte);
    encoded += UNRESERVED.test(character) ? character : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** `name=value` pairs, both encoded, ordered by name (ascending, character by character), joined with `&`. */
export function alicloudCanonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${alicloudPercentEncode(name)}=${alicloudPercentEncode(value)}`)
    .join('&');
}
