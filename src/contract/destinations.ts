/**
 * Rules for the two free-form values a construct hands the handler besides names: the endpoint override
 * and the private key's destination. The constructs check literal values at synth, the handler checks
 * values that were tokens. Both functions say why a value is refused, or return undefined.
 */

/** What every secret is shown as, wherever one is kept out of a message (handler, synth errors). */
export const REDACTED = '[redacted]';

/** The endpoint rule, quoted in every error. */
export const ENDPOINT_RULE_DESCRIPTION =
  'an endpoint is an absolute http:// or https:// URL such as https://api.ucloud.cn, without user name, password, query or fragment ' +
  '(it lands in Terraform state: credentials come from the environment)';

/** Why `value` is not a usable endpoint override, or undefined. */
export function endpointViolation(value: string): string | undefined {
  // The user-info part of a URL may hold a password: it is never echoed.
  const shown = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, `$1${REDACTED}@`);
  const refuse = () => `endpoint ${JSON.stringify(shown)} is not valid: ${ENDPOINT_RULE_DESCRIPTION}`;
  // eslint-disable-next-line no-control-regex
  if (value.trim() !== value || /[\s\u0000-\u001f\u007f]/.test(value)) return refuse();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse();
  }
  const credentials = url.username !== '' || url.password !== '';
  const extras = url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#');
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || credentials || extras) return refuse();
  return undefined;
}

/** The private key destination rule, quoted in every error. */
export const PRIVATE_KEY_FILE_RULE_DESCRIPTION =
  'the private key file is a file path (absolute, or relative to the directory cdktf synth runs in): not empty, no NUL character, ' +
  'no surrounding spaces, no leading ~ (the shell does not expand it here), not a directory (no trailing slash, not . or ..)';

/** Why `value` cannot name the file the private key is written to, or undefined. */
export function privateKeyFileViolation(value: string): string | undefined {
  const lastPart = value.split(/[\\/]/).pop() ?? '';
  const broken =
    value.trim() === '' ||
    value.trim() !== value ||
    value.includes('\u0000') ||
    value.startsWith('~') ||
    value.endsWith('/') ||
    value.endsWith('\\') ||
    lastPart === '.' ||
    lastPart === '..';
  return broken ? `private key file ${JSON.stringify(value)} is not valid: ${PRIVATE_KEY_FILE_RULE_DESCRIPTION}` : undefined;
}
