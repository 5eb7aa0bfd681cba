/**
 * Builds the shipped handler, `assets/handler.js` (`npx projen bundle` runs this): one self-contained file that
 * Terraform runs with plain `node`. The handler (main.ts) is its code; each deferred package follows as a
 * chunk kept in comments (chunks.ts), which the handler's `require` of that package compiles on first use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { decodeChunk, encodeBundle, readIndex } from './chunks';

/**
 * Packages the handler requires lazily, inside the functions that need them, and that share no state with
 * its own code: each becomes a chunk, so only the commands that call it compile it. sshpk parses and writes
 * private keys (handler/keys/sshpk.ts).
 */
const DEFERRED_PACKAGES = ['sshpk'];

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const OUTFILE = path.join(REPO_ROOT, 'assets', 'handler.js');
const LOAD_CHUNK = path.join(__dirname, 'load-chunk.ts');

/** The settings every part is bundled with: the oldest Node the package supports, minified, no licence comments. */
const ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
};

/** The handler's `require` of a deferred package, answered by its chunk in the same file (`__filename`: the bundle). */
const requireFromChunks: Plugin = {
  name: 'deferred-packages',
  setup(pluginBuild) {
    const filter = new RegExp(`^(${DEFERRED_PACKAGES.join('|')})$`);
    pluginBuild.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'deferred-package' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'deferred-package' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(LOAD_CHUNK)}).requireChunk(__filename, ${JSON.stringify(args.path)});`,
      resolveDir: REPO_ROOT,
      loader: 'js',
    }));
  },
};

async function bundled(options: BuildOptions): Promise<string> {
  const result = await build({ ...ESBUILD_OPTIONS, ...options });
  return result.outputFiles![0].text;
}

async function main(): Promise<void> {
  const handler = await bundled({ entryPoints: [path.join(REPO_ROOT, 'handler', 'main.ts')], plugins: [requireFromChunks] });
  const chunks: [string, string][] = [];
  for (const name of DEFERRED_PACKAGES) {
    const contents = `module.exports = require(${JSON.stringify(name)});`;
    chunks.push([name, await bundled({ stdin: { contents, resolveDir: REPO_ROOT, loader: 'js' } })]);
  }
  const text = encodeBundle(handler, chunks);
  // Read back as the loader will, before anything is written.
  const bytes = Buffer.from(text);
  const index = readIndex(text);
  for (const [name, code] of chunks) {
    const place = index.get(name)!;
    if (decodeChunk(name, bytes.subarray(place.offset, place.offset + place.length).toString('utf8')) !== code.replace(/\n$/, '')) {
      throw new Error(`chunk "${name}" does not read back as it was written`);
    }
  }
  fs.mkdirSync(path.dirname(OUTFILE), { recursive: true });
  fs.writeFileSync(OUTFILE, text);
  const sizes = [['handler', handler] as const, ...chunks].map(([name, code]) => `${name} ${Buffer.byteLength(code).toLocaleString('en-US')}`);
  console.log(`${path.relative(REPO_ROOT, OUTFILE)}: ${Buffer.byteLength(text).toLocaleString('en-US')} bytes (${sizes.join(', ')})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
