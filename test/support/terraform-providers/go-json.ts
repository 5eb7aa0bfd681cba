import { goQuoteJsonByte } from './go-quote';

/**
 * Decodes a program's stdout as Go's `json.Unmarshal(output, &map[string]string{})` does in the real
 * external provider, with Go's error texts: the whole input is checked for syntax first (so a syntax
 * error wins over a type error), `null` leaves the map nil (docs/cloud-behaviour.md#external-json-null-result),
 * a null member becomes "", the last of duplicate keys wins, and the first member of the wrong type is the
 * error.
 */
export type GoStringMapDecoding = { readonly result: Record<string, string> | null } | { readonly error: string };

type JsonValue =
  | { readonly kind: 'object'; readonly members: ReadonlyArray<readonly [string, JsonValue]> }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array' | 'number' | 'bool' | 'null' };

class GoJsonSyntaxError extends Error {}

const SPACE = 0x20;
const WHITESPACE = new Set([SPACE, 0x09, 0x0a, 0x0d]);
const SIMPLE_ESCAPES = new Set(Array.from('"\\/bfnrt', (char) => char.charCodeAt(0)));

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function isHexDigit(byte: number): boolean {
  return isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

/** Lone surrogates from `\u` escapes become U+FFFD, as Go decodes them. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * A recursive-descent reader that reports the first offending byte as Go's scanner does. At the end
 * of input it reads one virtual space, as Go's scanner does before it gives up with "unexpected end
 * of JSON input": so `-` alone is "invalid character ' ' in numeric literal", not an early end.
 */
class GoJsonReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  readDocument(): JsonValue {
    const value = this.readValue();
    // Only real bytes here: the end of input after a complete value is no error.
    while (this.position < this.bytes.length && WHITESPACE.has(this.bytes[this.position])) this.position += 1;
    if (this.position < this.bytes.length) this.fail('after top-level value');
    return value;
  }

  private peek(): number {
    if (this.position < this.bytes.length) return this.bytes[this.position];
    if (this.position === this.bytes.length) return SPACE;
    throw new GoJsonSyntaxError('unexpected end of JSON input');
  }

  private next(): number {
    const byte = this.peek();
    this.position += 1;
    return byte;
  }

  private fail(context: string): never {
    throw new GoJsonSyntaxError(`invalid character ${goQuoteJsonByte(this.peek())} ${context}`);
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.peek())) this.position += 1;
  }

  private readValue(): JsonValue {
    this.skipWhitespace();
    const byte = this.peek();
    if (byte === 0x7b) return this.readObject();
    if (byte === 0x5b) return this.readArray();
    if (byte === 0x22) return { kind: 'string', value: this.readString() };
    if (byte === 0x2d || isDigit(byte)) return this.readNumber();
    if (byte === 0x74) return this.readLiteral('true', 'bool');
    if (byte === 0x66) return this.readLiteral('false', 'bool');
    if (byte === 0x6e) return this.readLiteral('null', 'null');
    return this.fail('looking for beginning of value');
  }

  private readObject(): JsonValue {
    this.position += 1;
    const members: Array<readonly [string, JsonValue]> = [];
    this.skipWhitespace();
    if (this.peek() === 0x7d) {
      this.position += 1;
      return { kind: 'object', members };
    }
    for (;;) {
      if (this.peek() !== 0x22) this.fail('looking for beginning of object key string');
      const key = this.readString();
      this.skipWhitespace();
      if (this.peek() !== 0x3a) this.fail('after object key');
      this.position += 1;
      members.push([key, this.readValue()]);
      this.skipWhitespace();
      const separator = this.peek();
      if (separator === 0x7d) {
        this.position += 1;
        return { kind: 'object', members };
      }
      if (separator !== 0x2c) this.fail('after object key:value pair');
      this.position += 1;
      this.skipWhitespace();
    }
  }

  private readArray(): JsonValue {
    this.position += 1;
    this.skipWhitespace();
    if (this.peek() === 0x5d) {
      this.position += 1;
      return { kind: 'array' };
    }
    for (;;) {
      this.readValue();
      this.skipWhitespace();
      const separator = this.peek();
      if (separator === 0x5d) {
        this.position += 1;
        return { kind: 'array' };
      }
      if (separator !== 0x2c) this.fail('after array element');
      this.position += 1;
    }
  }

  private readString(): string {
    const start = this.position;
    this.position += 1;
    for (;;) {
      const byte = this.peek();
      if (byte === 0x22) break;
      if (byte < 0x20) this.fail('in string literal');
      this.position += 1;
      if (byte !== 0x5c) continue;
      const escape = this.peek();
      if (SIMPLE_ESCAPES.has(escape)) {
        this.position += 1;
      } else if (escape === 0x75) {
        this.position += 1;
        for (let digit = 0; digit < 4; digit += 1) {
          if (!isHexDigit(this.peek())) this.fail('in \\u hexadecimal character escape');
          this.position += 1;
        }
      } else {
        this.fail('in string escape code');
      }
    }
    this.position += 1;
    // The bytes are valid JSON by now; invalid UTF-8 decodes to U+FFFD, as in Go.
    return wellFormed(JSON.parse(Buffer.from(this.bytes.subarray(start, this.position)).toString('utf8')) as string);
  }

  private readNumber(): JsonValue {
    if (this.peek() === 0x2d) {
      this.position += 1;
      if (!isDigit(this.peek())) this.fail('in numeric literal');
    }
    if (this.next() !== 0x30) this.skipDigits();
    if (this.peek() === 0x2e) {
      this.position += 1;
      if (!isDigit(this.peek())) this.fail('after decimal point in numeric literal');
      this.skipDigits();
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      this.position += 1;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.position += 1;
      if (!isDigit(this.peek())) this.fail('in exponent of numeric literal');
      this.skipDigits();
    }
    return { kind: 'number' };
  }

  private skipDigits(): void {
    while (isDigit(this.peek())) this.position += 1;
  }

  private readLiteral(literal: 'true' | 'false' | 'null', kind: 'bool' | 'null'): JsonValue {
    this.position += 1;
    for (const expected of literal.slice(1)) {
      if (this.peek() !== expected.charCodeAt(0)) this.fail(`in literal ${literal} (expecting '${expected}')`);
      this.position += 1;
    }
    return { kind };
  }
}

function typeError(value: JsonValue, goType: string): { error: string } {
  return { error: `json: cannot unmarshal ${value.kind} into Go value of type ${goType}` };
}

export function decodeGoStringMap(output: Uint8Array): GoStringMapDecoding {
  let document: JsonValue;
  try {
    document = new GoJsonReader(output).readDocument();
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) return { error: error.message };
    throw error;
  }
  if (document.kind === 'null') return { result: null };
  if (document.kind !== 'object') return typeError(document, 'map[string]string');
  const result = new Map<string, string>();
  for (const [key, value] of document.members) {
    if (value.kind === 'string') result.set(key, value.value);
    else if (value.kind === 'null') result.set(key, '');
    else return typeError(value, 'string');
  }
  return { result: Object.fromEntries(result) };
}
