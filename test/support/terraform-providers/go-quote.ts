/**
 * Go's `%q` / strconv.Quote, so messages that quote a value read as the real (Go) providers print
 * them. Printable means Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the
 * ASCII space; anything else is escaped.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u000b': '\\v',
};

function escapeCodePoint(char: string, quote: string): string {
  if (char === quote || char === '\\') return `\\${char}`;
  if (PRINTABLE.test(char)) return char;
  if (SHORT_ESCAPES[char]) return SHORT_ESCAPES[char];
  const codePoint = char.codePointAt(0)!;
  if (codePoint < 0x20 || codePoint === 0x7f) return `\\x${codePoint.toString(16).padStart(2, '0')}`;
  return codePoint < 0x10000 ? `\\u${codePoint.toString(16).padStart(4, '0')}` : `\\U${codePoint.toString(16).padStart(8, '0')}`;
}

/** `strconv.Quote(text)`, e.g. `"a\tb"`. */
export function goQuote(text: string): string {
  return `"${Array.from(text, (char) => escapeCodePoint(char, '"')).join('')}"`;
}

/**
 * How encoding/json names an offending byte in a syntax error: the byte read as a rune (so 0xEF is
 * `'ï'`), single-quoted, with `'` and `"` left bare.
 */
export function goQuoteJsonByte(byte: number): string {
  const char = String.fromCharCode(byte);
  if (char === "'") return "'\\''";
  if (char === '"') return "'\"'";
  return `'${escapeCodePoint(char, '"')}'`;
}
