import { decodeChunk, encodeBundle, INDEX_TAIL_BYTES, readIndex } from '../../../handler/bundle/chunks';

/** A chunk's lines as a loader reads them: the bytes its index entry gives. */
function chunkOf(text: string, name: string): string {
  const place = readIndex(text.slice(-INDEX_TAIL_BYTES)).get(name);
  if (place === undefined) throw new Error(`no chunk ${name}`);
  return decodeChunk(name, Buffer.from(text).subarray(place.offset, place.offset + place.length).toString('utf8'));
}

describe('bundle chunks', () => {
  const handler = 'require("a");\nconsole.log(`two\nlines`);\n';
  const tricky = [
    'const a = `',
    '//#chunk other',
    '//#index other=1+2',
    '//| not a code line of ours`;',
    "module.exports = { a, é: 'non-ASCII' };",
  ].join('\n');

  test('every chunk reads back exactly, whatever its lines look like, after the handler code left as it is', () => {
    // WHEN
    const text = encodeBundle(handler, [['first', 'module.exports = 1;\n'], ['second', tricky]]);
    // THEN the handler's code comes first, unchanged, and runs as code
    expect(text.startsWith(handler)).toBe(true);
    // AND each chunk reads back from its index entry
    expect(chunkOf(text, 'first')).toBe('module.exports = 1;');
    expect(chunkOf(text, 'second')).toBe(tricky);
    // AND every line after the handler's code is a comment: node compiles none of it
    const after = text.slice(handler.length).replace(/\n$/, '').split('\n');
    expect(after.every((line) => line.startsWith('//'))).toBe(true);
  });

  test('the index is the last line, found from the tail alone', () => {
    const text = encodeBundle(handler, [['only', 'x();']]);
    const lastLine = text.trimEnd().split('\n').pop()!;
    expect(lastLine).toMatch(/^\/\/#index only=\d+\+\d+$/);
    expect(readIndex(`\n${lastLine}\n`).get('only')).toEqual(readIndex(text).get('only'));
  });

  test('holds code no line comment could hold, compressed: a chunk is smaller than its code', () => {
    const unusual = 'a();\rb();\u2028c();\u2029// */';
    const repetitive = 'module.exports.f = function () { return 1; };\n'.repeat(200);
    const text = encodeBundle(handler, [['unusual', unusual], ['repetitive', repetitive]]);
    expect(chunkOf(text, 'unusual')).toBe(unusual);
    expect(chunkOf(text, 'repetitive')).toBe(repetitive.replace(/\n$/, ''));
    expect(Buffer.byteLength(text)).toBeLessThan(Buffer.byteLength(repetitive) / 10);
    expect(text.slice(handler.length)).not.toMatch(/[\r\u2028\u2029]/);
  });

  test('names a chunk only in lower case', () => {
    expect(() => encodeBundle(handler, [['Upper', 'a();']])).toThrow('lower-case');
  });

  test('a damaged bundle is reported, never compiled', () => {
    expect(() => readIndex('console.log(1);\n')).toThrow('no chunk index');
    expect(() => readIndex('\n//#index sshpk=12\n')).toThrow('chunk index is damaged');
    expect(() => decodeChunk('sshpk', '//|AAAA\nb();\n')).toThrow('chunk "sshpk" of the handler bundle is damaged: a line lacks "//|"');
    expect(() => decodeChunk('sshpk', '//|a();\n')).toThrow('chunk "sshpk" of the handler bundle is damaged: a line is not base64');
    expect(() => decodeChunk('sshpk', '//|AAAAAAAA\n')).toThrow('chunk "sshpk" of the handler bundle is damaged: it does not inflate');
  });
});
