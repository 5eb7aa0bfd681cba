import { decodeGoStringMap } from '../support/terraform-providers/go-json';
import { goQuote, goQuoteJsonByte } from '../support/terraform-providers/go-quote';

function decode(text: string | Buffer) {
  return decodeGoStringMap(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
}

describe('decodeGoStringMap: what json.Unmarshal into map[string]string accepts', () => {
  test.each([
    ['{"a":"1","b":""}', { a: '1', b: '' }],
    [' \t\r\n{ "a" : "x" } \n', { a: 'x' }],
    ['{}', {}],
    ['{"a":null}', { a: '' }],
    ['{"a":"1","a":"2"}', { a: '2' }],
    ['{"2":"two","1":"one"}', { 1: 'one', 2: 'two' }],
    ['{"esc":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"}', { esc: '"\\/\b\f\n\r\t\u00e9\u{1F600}' }],
    ['{"lone":"\\ud800"}', { lone: '\uFFFD' }],
    ['{"__proto__":"kept as a key"}', JSON.parse('{"__proto__":"kept as a key"}')],
  ])('%s', (stdout, result) => {
    expect(decode(stdout)).toEqual({ result });
  });

  test('JSON null leaves the map nil: the result is null', () => {
    expect(decode('null')).toEqual({ result: null });
    expect(decode(' null\n')).toEqual({ result: null });
  });
});

describe('decodeGoStringMap: type errors, in document order', () => {
  test.each([
    ['{"a":3}', 'json: cannot unmarshal number into Go value of type string'],
    ['{"a":true}', 'json: cannot unmarshal bool into Go value of type string'],
    ['{"a":{"nested":"x"}}', 'json: cannot unmarshal object into Go value of type string'],
    ['{"a":[]}', 'json: cannot unmarshal array into Go value of type string'],
    ['{"b":1,"2":true}', 'json: cannot unmarshal number into Go value of type string'],
    ['["a"]', 'json: cannot unmarshal array into Go value of type map[string]string'],
    ['"text"', 'json: cannot unmarshal string into Go value of type map[string]string'],
    ['12', 'json: cannot unmarshal number into Go value of type map[string]string'],
    ['false', 'json: cannot unmarshal bool into Go value of type map[string]string'],
  ])('%s', (stdout, error) => {
    expect(decode(stdout)).toEqual({ error });
  });
});

describe("decodeGoStringMap: syntax errors in Go's words (they win over type errors)", () => {
  test.each([
    ['', 'unexpected end of JSON input'],
    ['  \n', 'unexpected end of JSON input'],
    ['{"a":"1"', 'unexpected end of JSON input'],
    ['{"a":"1', 'unexpected end of JSON input'],
    ['[2, 3', 'unexpected end of JSON input'],
    ['not json', "invalid character 'o' in literal null (expecting 'u')"],
    ['tru', "invalid character ' ' in literal true (expecting 'e')"],
    ['fals!', "invalid character '!' in literal false (expecting 'e')"],
    ['hello', "invalid character 'h' looking for beginning of value"],
    ['{"a":"1"} trailing', "invalid character 't' after top-level value"],
    ['{"a":3} x', "invalid character 'x' after top-level value"],
    ['{a:"1"}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a":"1",}', "invalid character '}' looking for beginning of object key string"],
    ['{"a" "1"}', "invalid character '\"' after object key"],
    ['{"X":12x}', "invalid character 'x' after object key:value pair"],
    ['{"a":"1"]', "invalid character ']' after object key:value pair"],
    ['[1, 2, 3+]', "invalid character '+' after array element"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['{"F3": -}', "invalid character '}' in numeric literal"],
    ['-', "invalid character ' ' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1e+', "invalid character ' ' in exponent of numeric literal"],
    ['01', "invalid character '1' after top-level value"],
    ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
    ['{"a":"\\u12G4"}', "invalid character 'G' in \\u hexadecimal character escape"],
    ['{"a":"line\nbreak"}', "invalid character '\\n' in string literal"],
    ["{'a':'1'}", "invalid character '\\'' looking for beginning of object key string"],
    ['\ufeff{}', "invalid character 'ï' looking for beginning of value"],
    ['{"a":3,}', "invalid character '}' looking for beginning of object key string"],
  ])('%j', (stdout, error) => {
    expect(decode(stdout)).toEqual({ error });
  });
});

describe('goQuote and goQuoteJsonByte', () => {
  test('quote as strconv.Quote does', () => {
    expect(goQuote('plain')).toBe('"plain"');
    expect(goQuote('tab\there "q" \\ é \u00a0 \u0001 \u007f \u2028')).toBe('"tab\\there \\"q\\" \\\\ é \\u00a0 \\x01 \\x7f \\u2028"');
  });

  test('name a byte as encoding/json does', () => {
    expect(goQuoteJsonByte(0x61)).toBe("'a'");
    expect(goQuoteJsonByte(0x27)).toBe("'\\''");
    expect(goQuoteJsonByte(0x22)).toBe("'\"'");
    expect(goQuoteJsonByte(0x0a)).toBe("'\\n'");
    expect(goQuoteJsonByte(0xef)).toBe("'ï'");
    expect(goQuoteJsonByte(0x80)).toBe("'\\u0080'");
  });
});
