import { decode, encode, ExtData } from '@msgpack/msgpack';

/**
 * A decoded Terraform (cty) value: objects and maps are plain objects, lists are arrays, null is null.
 * An unknown value arrives as a msgpack extension (type 0, or 12 for a refined unknown) and is kept as
 * the raw `ExtData`, so it re-encodes byte for byte.
 */
export type CtyValue = string | number | boolean | null | ExtData | CtyValue[] | { [key: string]: CtyValue };

export type CtyObject = { [key: string]: CtyValue };

/** A DynamicValue as it crosses the wire (protobuf bytes fields become Buffers). */
export interface DynamicValue {
  msgpack?: Buffer | Uint8Array;
  json?: Buffer | Uint8Array;
}

/** The value Terraform plans for a computed attribute the provider will fill in at apply. */
export function unknownValue(): ExtData {
  return new ExtData(0, Uint8Array.of(0));
}

export function isUnknown(value: CtyValue | undefined): value is ExtData {
  return value instanceof ExtData;
}

/** True when no unknown appears anywhere inside the value. */
export function isWhollyKnown(value: CtyValue | undefined): boolean {
  if (isUnknown(value)) return false;
  if (Array.isArray(value)) return value.every(isWhollyKnown);
  if (value !== null && typeof value === 'object') return Object.values(value).every(isWhollyKnown);
  return true;
}

/**
 * Equality as a RequiresReplace check needs it: an unknown never equals anything (not even another
 * unknown), because the final value may differ.
 */
export function knownValuesEqual(left: CtyValue | undefined, right: CtyValue | undefined): boolean {
  if (isUnknown(left) || isUnknown(right)) return false;
  if (left === undefined || left === null || right === undefined || right === null) {
    return (left ?? null) === (right ?? null);
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length
      && left.every((item, index) => knownValuesEqual(item, right[index]));
  }
  if (typeof left === 'object' && typeof right === 'object') {
    const leftKeys = Object.keys(left).sort();
    const rightKeys = Object.keys(right).sort();
    return leftKeys.length === rightKeys.length
      && leftKeys.every((key, index) => key === rightKeys[index] && knownValuesEqual(left[key], right[key]));
  }
  return left === right;
}

/** Decodes a DynamicValue; an absent value (e.g. no prior state on create) is null. */
export function decodeDynamicValue(value: DynamicValue | null | undefined): CtyValue {
  if (value?.msgpack && value.msgpack.length > 0) return decode(value.msgpack) as CtyValue;
  if (value?.json && value.json.length > 0) return JSON.parse(Buffer.from(value.json).toString('utf8')) as CtyValue;
  return null;
}

export function encodeDynamicValue(value: CtyValue): { msgpack: Buffer } {
  return { msgpack: Buffer.from(encode(value)) };
}

/** Reads an object-typed value (a resource's state or config); null stays null. */
export function asObject(value: CtyValue): CtyObject | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value) || isUnknown(value)) {
    throw new TypeError('expected an object value');
  }
  return value;
}
