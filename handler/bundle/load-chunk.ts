import * as fs from 'node:fs';
import Module from 'node:module';
import { ChunkPlace, decodeChunk, INDEX_TAIL_BYTES, readIndex } from './chunks';
import { enableCompileCache } from './compile-cache';

/** What this loader uses of a CommonJS module beyond @types/node: the loader's own compile step. */
interface CompilableModule {
  filename: string;
  paths: string[];
  exports: unknown;
  _compile(code: string, filename: string): void;
}

interface Bundle {
  readonly index: ReadonlyMap<string, ChunkPlace>;
  readonly loaded: Map<string, unknown>;
}

const bundles = new Map<string, Bundle>();

/**
 * The exports of the chunk `name` of the bundle file `bundleFile` (chunks.ts), compiled on the first call
 * only. It is compiled by Node's own CommonJS loader step, with Node's compile cache on where there is one
 * (compile-cache.ts): turned on here, so a command that compiles no chunk writes nothing. A chunk is
 * bundled: it requires node's built-in modules only, never anything from a node_modules.
 */
export function requireChunk(bundleFile: string, name: string): unknown {
  const bundle = bundleAt(bundleFile);
  if (bundle.loaded.has(name)) return bundle.loaded.get(name);
  const place = bundle.index.get(name);
  if (place === undefined) throw new Error(`the handler bundle ${bundleFile} has no chunk "${name}"`);
  const code = decodeChunk(name, readBytes(bundleFile, place.offset, place.length));
  // A filename of its own per chunk: Node's compile cache keeps one entry per filename.
  const filename = `${bundleFile}#${name}`;
  const chunk = new Module(filename) as unknown as CompilableModule;
  chunk.filename = filename;
  chunk.paths = [];
  enableCompileCache(bundleFile);
  chunk._compile(code, filename);
  bundle.loaded.set(name, chunk.exports);
  return chunk.exports;
}

function bundleAt(bundleFile: string): Bundle {
  let bundle = bundles.get(bundleFile);
  if (bundle === undefined) {
    const size = fs.statSync(bundleFile).size;
    const tailLength = Math.min(size, INDEX_TAIL_BYTES);
    bundle = { index: readIndex(readBytes(bundleFile, size - tailLength, tailLength)), loaded: new Map() };
    bundles.set(bundleFile, bundle);
  }
  return bundle;
}

/** `length` bytes of `file` from `offset`: only the part needed, not the whole file again (Node has read it once to run it). */
function readBytes(file: string, offset: number, length: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const count = fs.readSync(fd, buffer, read, length - read, offset + read);
      if (count === 0) throw new Error(`the handler bundle ${file} ends before its chunk index says`);
      read += count;
    }
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
