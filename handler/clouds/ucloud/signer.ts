import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * UCloud request signing as pure functions: no clock, no randomness, no I/O. UCloud's signature covers
 * the parameters only (no timestamp, no nonce, no method, host or headers), so the canonical parts of a
 * request are its flattened parameters and the API private key. The client signs with these functions,
 * and the emulator verifies incoming requests by calling the same ones with the parameters it received.
 */

/** The parameter that carries the signature; never part of what is signed. */
export const UCLOUD_SIGNATURE_PARAM = 'Signature';

/** A parameter value before flattening: arrays become `Name.0`, `Name.1`…, objects `Name.Sub`. */
export type UcloudParamValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly UcloudParamValue[]
  | { readonly [name: string]: UcloudParamValue };

/** Parameters after flattening: every value a string, exactly as it is sent and signed. */
export type UcloudFlatParams = Readonly<Record<string, string>>;

/**
 * Renders a scalar the way UCloud's SDKs do before signing: booleans `true`/`false`, integers in decimal,
 * floats without a zero fraction (`42.0` → `42`) and never in scientific notation.
 */
export function renderUcloudScalar(value: string | number | boolean): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (!Number.isFinite(value)) throw new RangeError(`UCloud parameters must be finite numbers, got ${value}`);
  if (Number.isInteger(value)) return BigInt(value).toString();
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Tiny or huge non-integers: expand the exponent and trim the padding zeros.
  return value.toFixed(20).replace(/\.?0+$/, '');
}

/**
 * Flattens nested parameters into the `Name.N` (0-based, as all of UCloud's SDKs number them) and
 * `Name.Sub` keys UCloud expects. Null, undefined and empty strings are dropped, as the Go SDK's form
 * encoder drops them, so what is signed is exactly what is sent.
 */
export function flattenUcloudParams(params: Readonly<Record<string, UcloudParamValue>>): Record<string, string> {
  const flat: Record<string, string> = {};
  const visit = (name: string, value: UcloudParamValue): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(`${name}.${index}`, item));
    } else if (typeof value === 'object') {
      for (const [sub, item] of Object.entries(value as Record<string, UcloudParamValue>)) visit(`${name}.${sub}`, item);
    } else {
      const rendered = renderUcloudScalar(value as string | number | boolean);
      if (rendered !== '') flat[name] = rendered;
    }
  };
  for (const [name, value] of Object.entries(params)) visit(name, value);
  return flat;
}

/**
 * The canonical parameter string: keys sorted ascending by code unit (as `sort.Strings`, Python's
 * `sorted` and JS `sort()` order them, so `Ids.10` sorts before `Ids.2`), each key followed by its value,
 * no separators, no URL-encoding. `Signature` is left out, so a verifier may pass what it received.
 */
export function ucloudCanonicalParams(params: UcloudFlatParams): string {
  return Object.keys(params)
    .filter((name) => name !== UCLOUD_SIGNATURE_PARAM)
    .sort()
    .map((name) => `${name}${params[name]}`)
    .join('');
}

/** The string UCloud hashes: the canonical parameter string with the API private key appended. */
export function ucloudStringToSign(params: UcloudFlatParams, privateKey: string): string {
  return ucloudCanonicalParams(params) + privateKey;
}

/** Lowercase hex SHA-1 of the UTF-8 string to sign: a plain digest, not an HMAC. */
export function ucloudSignatureOf(stringToSign: string): string {
  return createHash('sha1').update(stringToSign, 'utf8').digest('hex');
}

/** The `Signature` value for these flattened parameters. */
export function signUcloudParams(params: UcloudFlatParams, privateKey: string): string {
  return ucloudSignatureOf(ucloudStringToSign(params, privateKey));
}

export interface UcloudSigningInput {
  /** The action's parameters, `Action`, `Region`, `ProjectId`… (flattened here). */
  readonly params: Readonly<Record<string, UcloudParamValue>>;
  /** The API public key (UCloud's access key id); sent and signed as `PublicKey`. */
  readonly publicKey: string;
  readonly privateKey: string;
  /** STS token: sent as `SecurityToken` and signed with the rest (as the Go SDK adds it before signing). */
  readonly securityToken?: string;
}

/** Everything to send: the flattened parameters, `PublicKey`, `SecurityToken` when given, and `Signature`. */
export function signedUcloudParams(input: UcloudSigningInput): Record<string, string> {
  const params = flattenUcloudParams({
    ...input.params,
    PublicKey: input.publicKey,
    SecurityToken: input.securityToken,
  });
  return { ...params, [UCLOUD_SIGNATURE_PARAM]: signUcloudParams(params, input.privateKey) };
}

/** Constant-time comparison of two hex signatures (a verifier must not leak how many characters matched). */
export function ucloudSignaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
