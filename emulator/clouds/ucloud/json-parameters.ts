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
