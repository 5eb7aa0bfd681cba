import type { SecretValue } from './credentials';

/**
 * Checks every secret store makes before any request, with each store's own limits: a refusal here costs
 * no call and says exactly what to change. Messages give sizes, never the value.
 */

/** The value's UTF-8 size against the store's limit. */
export function checkValueSize(storeLabel: string, value: SecretValue, maxBytes: number): void {
  const bytes = Buffer.byteLength(value.reveal(), 'utf8');
  if (bytes > maxBytes) {
    throw new RangeError(`${storeLabel} keeps values of at most ${maxBytes} bytes; this private key is ${bytes} bytes: use a smaller key type (ed25519, ecdsa)`);
  }
}

/** 0 (delete at once) or a whole number of days within the store's range. */
export function checkRecoveryWindow(storeLabel: string, days: number, range: { readonly min: number; readonly max: number }): void {
  if (days === 0 || (Number.isInteger(days) && days >= range.min && days <= range.max)) return;
  throw new RangeError(`${storeLabel} takes a recovery window of 0 (delete at once) or ${range.min} to ${range.max} days, got ${days}`);
}
