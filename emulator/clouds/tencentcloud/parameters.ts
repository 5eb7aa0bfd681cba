import { TencentcloudFault } from './envelope';

/** The parsed JSON body of one action. */
export type Parameters = Readonly<Record<string, unknown>>;

/** Tencent rejects parameters an action does not define, rather than ignoring them. */
export function rejectUnknownParameters(parameters: Parameters, known: readonly string[]): void {
  const unknown = Object.keys(parameters).find((name) => !known.includes(name));
  if (unknown !== undefined) throw new TencentcloudFault('UnknownParameter', `The parameter \`${unknown}\` is not recognized.`);
}

export function requiredParameter(parameters: Parameters, name: string): unknown {
  const value = parameters[name];
  if (value === undefined || value === null) throw new TencentcloudFault('MissingParameter', `The request is missing a required parameter \`${name}\`.`);
  return value;
}

export function expectString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidType(name, 'String');
  return value;
}

export function expectInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidType(name, 'Integer');
  return value;
}

export function expectArray(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw invalidType(name, 'Array');
  return value;
}

export function expectObject(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidType(name, 'Object');
  return value as Record<string, unknown>;
}

export function expectStringArray(value: unknown, name: string): string[] {
  return expectArray(value, name).map((item, index) => expectString(item, `${name}.${index}`));
}

function invalidType(name: string, type: string): TencentcloudFault {
  return new TencentcloudFault('InvalidParameter', `The value type of parameter \`${name}\` is not valid, expected ${type}.`);
}
