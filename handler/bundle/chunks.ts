import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * How code is kept in the one file Terraform runs: the handler's own code, then named chunks of code, each
 * kept in line comments so that V8 only skims it when it compiles the file. A chunk is compiled when something
 * requires it (load-chunk.ts), so a command never parses code it does not run. Measured on one machine:
 * sshpk's 195 KB cost V8 about 6 ms to compile as code, even never run; as a string literal about 2 ms; as
 * comments about 0.2 ms. A chunk is kept compressed (raw DEFLATE, in base64): sshpk then takes about a third
 * of the bytes, which every command reads and skims, and the one that compiles it inflates it in about a
 * millisecond.
 *
 * Layout after the handler's code: per chunk, a header line `//#chunk <name>` then its compressed code in
 * base64, `BASE64_LINE` characters a line behind `//|`; last, one index line `//#index <name>=<offset>+<length>,…`
 * giving each chunk's lines in bytes, so a loader reads the end of the file and then the one chunk it
 * needs, never the whole file again. A chunk line always starts with `//|`, a header or the index never
 * does, so nothing in a chunk can pass for either.
 */
const HEADER = '//#chunk ';
const INDEX = '//#index ';
const CODE_LINE = '//|';
const CHUNK_NAME = /^[a-z][a-z0-9-]*$/;

/** For whoever opens the file. */
const EXPLANATION = '// What follows is code kept in comments, in chunks the code above compiles only when it requires them (cdktf-keypair: handler/bundle/chunks.ts).';

/** Characters of base64 per chunk line. */
const BASE64_LINE = 120;

/** Where a chunk's lines are in the bundle file, in bytes. */
export interface ChunkPlace {
  readonly offset: number;
  readonly length: number;
}

/** Bytes read from the end of a bundle to find its index: the index line with room to spare. */
export const INDEX_TAIL_BYTES = 1024;

/** The bundle's text: `code` (the handler), then each chunk's lines, then the index. */
export function encodeBundle(code: string, chunks: ReadonlyArray<readonly [name: string, code: string]>): string {
  let text = `${code.replace(/\n$/, '')}\n${EXPLANATION}\n`;
  const places: string[] = [];
  for (const [name, chunkCode] of chunks) {
    if (!CHUNK_NAME.test(name)) throw new Error(`chunk name "${name}": lower-case letters, digits and "-" only`);
    text += `${HEADER}${name}\n`;
    const base64 = deflateRawSync(Buffer.from(chunkCode.replace(/\n$/, '')), { level: 9 }).toString('base64');
    let lines = '';
    for (let start = 0; start < base64.length; start += BASE64_LINE) lines += `${CODE_LINE}${base64.slice(start, start + BASE64_LINE)}\n`;
    places.push(`${name}=${Buffer.byteLength(text)}+${Buffer.byteLength(lines)}`);
    text += lines;
  }
  const index = `${INDEX}${places.join(',')}\n`;
  if (index.length > INDEX_TAIL_BYTES) throw new Error('the chunk index is longer than a loader reads');
  return text + index;
}

/** The chunks' places, from the end of a bundle's text (at least its last line). */
export function readIndex(tail: string): Map<string, ChunkPlace> {
  const start = tail.lastIndexOf(`\n${INDEX}`);
  if (start < 0) throw new Error('the handler bundle has no chunk index: it is damaged or was not built by handler/bundle/build.ts');
  const places = new Map<string, ChunkPlace>();
  for (const entry of tail.slice(start + INDEX.length + 1).trim().split(',')) {
    const match = /^([a-z][a-z0-9-]*)=(\d+)\+(\d+)$/.exec(entry);
    if (!match) throw new Error(`the handler bundle's chunk index is damaged: "${entry}"`);
    places.set(match[1], { offset: Number(match[2]), length: Number(match[3]) });
  }
  return places;
}

/** A chunk's code from its lines as the bundle holds them (the bytes its index entry gives). */
export function decodeChunk(name: string, lines: string): string {
  const damaged = (why: string) => new Error(`chunk "${name}" of the handler bundle is damaged: ${why}`);
  const base64 = lines
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      if (!line.startsWith(CODE_LINE)) throw damaged(`a line lacks "${CODE_LINE}"`);
      return line.slice(CODE_LINE.length);
    })
    .join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw damaged('a line is not base64');
  try {
    return inflateRawSync(Buffer.from(base64, 'base64')).toString('utf8');
  } catch (err) {
    throw damaged(`it does not inflate (${(err as NodeJS.ErrnoException).code ?? 'unknown'})`);
  }
}
