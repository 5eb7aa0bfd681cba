import { EMULATOR_RET_CODES, UcloudFault } from './envelope';
import type { EmulatorRequest } from '../../cloud-emulator';

/**
 * The parameters of a request as UCloud's gateway reads them: the query string (GET), merged with a form
 * or JSON body (POST). JSON bodies may be nested; they are flattened as UCloud's signature page says.
 */
export function readUcloudParams(request: EmulatorRequest): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(request.url.searchParams);
  if (request.method !== 'POST' || request.body === '') return params;
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  if (contentType.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.body);
    } catch {
      return params;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return params;
    return { ...params, ...flattenJsonParameters(parsed as Record<string, unknown>) };
  }
  return { ...params, ...Object.fromEntries(new URLSearchParams(request.body)) };
}

/** UCloud's wording for a parameter it refuses: `Params [Name] not valid` (RetCode 230). */
export function invalidParam(name: string, why?: string): UcloudFault {
  return new UcloudFault(EMULATOR_RET_CODES.invalidParameter, `Params [${name}] not valid${why ? `: ${why}` : ''}`);
}

/** An optional integer parameter within bounds, or its default. */
export function integerParam(params: Readonly<Record<string, string>>, name: string, fallback: number, min: number, max: number): number {
  const text = params[name];
  if (text === undefined || text === '') return fallback;
  if (!/^-?\d+$/.test(text)) throw invalidParam(name, 'not an integer');
  const value = Number(text);
  if (value < min || value > max) throw invalidParam(name, `must be between ${min} and ${max}`);
  return value;
}

/** The values of `Name.0`, `Name.1`… in index order (UCloud numbers lists from 0). */
export function listParam(params: Readonly<Record<string, string>>, name: string): string[] {
  const pattern = new RegExp(`^${name}\\.(\\d+)$`);
  return Object.keys(params)
    .map((key) => ({ key, match: pattern.exec(key) }))
    .filter((entry): entry is { key: string; match: RegExpExecArray } => entry.match !== null)
    .sort((a, b) => Number(a.match[1]) - Number(b.match[1]))
    .map((entry) => params[entry.key]);
}

/**
 * How the emulator reads a JSON body (as UCloud's JavaScript SDK sends one) into the flat parameters the
 * signature covers, following the signature page's rules for structured values: a list's items become
 * `Name.0`, `Name.1`… (UCloud numbers from 0), an object's fields `Name.Field`, booleans `true`/`false`,
 * numbers plain decimals (no exponent, no trailing zero fraction). A null carries nothing.
 */
export function flattenJsonParameters(body: Readonly<Record<string, unknown>>): Record<string, string> {
  const flat: Record<string, string> = {};
  const add = (name: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) add(`${name}.${index}`, value[index]);
    } else if (typeof value === 'object') {
      for (const field of Object.keys(value)) add(`${name}.${field}`, (value as Record<string, unknown>)[field]);
    } else if (typeof value === 'number') {
      flat[name] = plainDecimal(value);
    } else {
      flat[name] = String(value);
    }
  };
  for (const name of Object.keys(body)) add(name, body[name]);
  return flat;
}

/** `5`, `42.1`, `1000000000000000000000`, `0.00000015`: never `1e+21` or `1.5e-7`. */
function plainDecimal(value: number): string {
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}
