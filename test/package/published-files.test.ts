import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * What the npm package ships, and so every jsii language's package (each embeds the npm tarball): an
 * allow-list (package.json `files`, from .projenrc.ts) of what users need at run time. Anything else in the
 * checkout when the package is built (sources, tests, build leftovers, a stray file at the root) stays out.
 */
const ROOT = path.join(__dirname, '..', '..');

/** Every path the package may hold. */
const ALLOWED: ReadonlyArray<string | RegExp> = [
  // npm's own: always packed
  'package.json',
  'README.md',
  'LICENSE',
  // the constructs, compiled, with their declarations, and the jsii assembly
  /^lib\/(?:[\w-]+\/)*[\w-]+\.(?:js|d\.ts)$/,
  '.jsii',
  // the examples' translations (jsii-rosetta's tablet), which the other languages' packagers read
  '.jsii.tabl.json',
  // the handler bundle every synthesized stack copies
  'assets/handler.js',
  // the emulator: the bin, and its programmatic API with type declarations
  'assets/emulator/cli.js',
  'assets/emulator/index.js',
  'assets/emulator/index.d.ts',
  // (the emulator's own modules and the contract it shares: never the handler's, which it does not load)
  /^assets\/emulator\/types\/(?:emulator|src)\/(?:[\w-]+\/)*[\w-]+\.d\.ts$/,
  // the API reference (TypeScript, and per language), and the topic pages README.md links to
  'API.md',
  /^docs\/[\w-]+\.md$/,
  /^docs\/api\/API\.(?:python|java|csharp|go)\.md$/,
];

/** Every path the package must hold. */
const REQUIRED: readonly string[] = [
  'package.json',
  'README.md',
  'LICENSE',
  'API.md',
  '.jsii',
  'lib/index.js',
  'lib/index.d.ts',
  'assets/handler.js',
  'assets/emulator/cli.js',
  'assets/emulator/index.js',
  'assets/emulator/index.d.ts',
  'assets/emulator/types/emulator/index.d.ts',
];

function allowed(file: string): boolean {
  return ALLOWED.some((pattern) => (typeof pattern === 'string' ? pattern === file : pattern.test(file)));
}

interface PackedFile {
  readonly path: string;
  readonly mode: number;
}

/** What `npm pack` would publish from `directory` (the bundles are built by `npx projen bundle` before the tests). */
function packedFiles(directory: string): PackedFile[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: directory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(output) as Array<{ files: PackedFile[] }>;
  return pack.files;
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('the npm package', () => {
  const files = packedFiles(ROOT);
  const paths = files.map((file) => file.path);

  test('holds nothing but the allow-list', () => {
    expect(paths.filter((file) => !allowed(file))).toEqual([]);
  });

  test('holds everything users need at run time', () => {
    expect(REQUIRED.filter((file) => !paths.includes(file))).toEqual([]);
    // every compiled module with its declarations
    const modules = paths.filter((file) => file.startsWith('lib/') && file.endsWith('.js'));
    expect(modules.length).toBeGreaterThan(10);
    expect(modules.filter((file) => !paths.includes(file.replace(/\.js$/, '.d.ts')))).toEqual([]);
    // what package.json points at: main, types, the bin (executable), and every page README.md links to
    expect(paths).toContain(manifest.main);
    expect(paths).toContain(manifest.types);
    expect(manifest.bin).toEqual({ 'cdktf-keypair-emulator': 'assets/emulator/cli.js' });
    const bin = files.find((file) => file.path === manifest.bin['cdktf-keypair-emulator'])!;
    expect(Math.floor(bin.mode / 0o100) % 2).toBe(1); // its owner may execute it
    expect(fs.readFileSync(path.join(ROOT, bin.path), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    const linked = [...fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/\]\((docs\/[\w-]+\.md)[)#]/g)].map((match) => match[1]);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((file) => !paths.includes(file))).toEqual([]);
  });

  test('has no run-time dependency of its own to install or bundle: only the peers', () => {
    // lib/ needs cdktf, constructs and the two provider bindings (peers); the handler and the emulator are
    // single files with everything bundled in (the handler's sshpk included).
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.bundledDependencies ?? manifest.bundleDependencies ?? []).toEqual([]);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['@cdktf/provider-external', '@cdktf/provider-null', 'cdktf', 'constructs']);
    expect(paths.filter((file) => file.startsWith('node_modules/'))).toEqual([]);
    expect(fs.existsSync(path.join(ROOT, '.npmignore'))).toBe(false);
  });

  test('a stray file anywhere in the checkout stays out (files is an allow-list, not a deny-list)', () => {
    // GIVEN a copy of the package's manifest with one file of each allowed kind, and strays beside them
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'published-files-'));
    try {
      fs.writeFileSync(path.join(directory, 'package.json'), JSON.stringify({ ...manifest, scripts: {} }));
      const shipped = [
        'README.md',
        'LICENSE',
        'API.md',
        '.jsii',
        'lib/index.js',
        'lib/index.d.ts',
        'lib/contract/rules.js',
        'lib/contract/rules.d.ts',
        'assets/handler.js',
        'assets/emulator/cli.js',
        'assets/emulator/index.js',
        'assets/emulator/index.d.ts',
        'assets/emulator/types/emulator/index.d.ts',
        'assets/emulator/types/src/contract/index.d.ts',
        'docs/ownership.md',
      ];
      const strays = [
        'notes.txt',
        '.env',
        'credentials.json',
        'BENCHMARKS.md',
        'tsconfig.json',
        'tsconfig.tsbuildinfo',
        '.projenrc.ts',
        'src/index.ts',
        'handler/main.ts',
        'emulator/main.ts',
        'test/x.test.ts',
        'examples/basic/keys/alicloud-bastion.pem',
        'coverage/lcov.info',
        'test-reports/junit.xml',
        'dist/js/cdktf-keypair-0.0.0.tgz',
        '.tf-providers/registry.terraform.io/hashicorp/null/provider',
        '.jsii-bindings/python/setup.py',
        'node_modules/left-over/index.js',
        'lib/index.ts',
        'lib/index.js.map',
        'lib/notes.txt',
        'assets/stray.js',
        'assets/emulator/stray.js',
        'assets/emulator/types/emulator/index.ts',
        'assets/emulator/types/handler/keys/public-key.d.ts',
        'docs/draft.txt',
        'docs/drafts/next.md',
      ];
      for (const file of [...shipped, ...strays]) {
        fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
        fs.writeFileSync(path.join(directory, file), '');
      }
      // WHEN
      const packed = packedFiles(directory).map((file) => file.path);
      // THEN exactly the allowed files, none of the strays
      expect(packed.sort()).toEqual(['package.json', ...shipped].sort());
      expect(packed.filter((file) => !allowed(file))).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  test('the emulator API runs from its bundle alone, with no node_modules beside it', () => {
    // GIVEN the API bundle copied on its own into an empty directory
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-api-'));
    try {
      fs.copyFileSync(path.join(ROOT, 'assets', 'emulator', 'index.js'), path.join(dir, 'index.js'));
      const script = [
        "const { startEmulator } = require('./index.js');",
        '(async () => {',
        '  const emulator = await startEmulator();',
        "  const health = await (await fetch(emulator.endpoints.ucloud + '/_emulator/health')).json();",
        '  await emulator.stop();',
        '  console.log(JSON.stringify(health));',
        '})();',
      ].join('\n');
      // WHEN
      const output = execFileSync(process.execPath, ['-e', script], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
      // THEN
      expect(JSON.parse(output)).toEqual({ cloud: 'ucloud', healthy: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the handler runs from its bundle alone, with no node_modules beside it', () => {
    // GIVEN the handler bundle copied on its own into an empty directory, as a synthesized stack holds it
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-alone-'));
    try {
      fs.copyFileSync(path.join(ROOT, 'assets', 'handler.js'), path.join(dir, 'handler.js'));
      // WHEN
      const output = execFileSync(process.execPath, ['handler.js', '--help'], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
      // THEN
      expect(output).toMatch(/^cdktf-keypair handler:/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
