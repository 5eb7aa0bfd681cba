import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** The files `npm pack` would publish (the bundles are built by `npx projen bundle` before the tests). */
function publishedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((file) => file.path);
}

describe('the npm package', () => {
  const files = publishedFiles();

  test('ships the handler bundle, the emulator bin and API with types, the jsii assembly, the docs and the license', () => {
    for (const expected of [
      'assets/handler.js',
      'assets/emulator/cli.js',
      'assets/emulator/index.js',
      'assets/emulator/index.d.ts',
      'assets/emulator/types/emulator/index.d.ts',
      '.jsii',
      'lib/index.js',
      'lib/index.d.ts',
      'API.md',
      'LICENSE',
      'README.md',
      'docs/credentials.md',
      'docs/emulator.md',
    ]) {
      expect(files).toContain(expected);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ 'cdktf-keypair-emulator': 'assets/emulator/cli.js' });
  });

  test('ships no sources, tests, test-only provider stand-ins or build leftovers', () => {
    const forbidden = /^(src|handler|emulator|test|bench|examples|\.ci|\.tf-providers|\.jsii-bindings|coverage|test-reports)\//;
    expect(files.filter((file) => forbidden.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
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
});
