import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { HANDLER_COMMANDS } from '../../src/contract';

// The bundle is built by `npx projen bundle` (run before jest by `npx projen test`).
const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handler.js');
const SIZE_BUDGET_BYTES = 300 * 1024;

describe('handler bundle', () => {
  // docs/design.md#performance-targets
  test('exists and stays within its size budget', () => {
    expect(fs.existsSync(BUNDLE)).toBe(true);
    expect(fs.statSync(BUNDLE).size).toBeLessThanOrEqual(SIZE_BUDGET_BYTES);
  });

  test('the three cloud clients with sshpk, bundled as the handler is, fit the same budget', () => {
    // The handler's commands will import all of these; this keeps the budget honest before they do.
    const result = buildSync({
      stdin: {
        contents: [
          "export * as alicloud from './handler/clouds/alicloud';",
          "export * as tencentcloud from './handler/clouds/tencentcloud';",
          "export * as ucloud from './handler/clouds/ucloud';",
          "export { parseKey } from 'sshpk';",
        ].join('\n'),
        resolveDir: path.join(__dirname, '..', '..'),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      target: 'node20',
      minify: true,
      legalComments: 'none',
      write: false,
    });
    const size = result.outputFiles[0].contents.byteLength;
    expect(size).toBeGreaterThan(200 * 1024); // sshpk alone is ~190 KB minified: the clients are in on top
    expect(size).toBeLessThanOrEqual(SIZE_BUDGET_BYTES);
  });

  test('runs with plain node, alone in an empty directory (no node_modules anywhere above it)', () => {
    // GIVEN the bundle copied on its own into a fresh directory
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-bundle-'));
    try {
      const copy = path.join(dir, 'handler.js');
      fs.copyFileSync(BUNDLE, copy);
      // WHEN
      const output = execFileSync(process.execPath, [copy, '--help'], {
        cwd: dir,
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
      });
      // THEN it prints its commands
      for (const command of Object.values(HANDLER_COMMANDS)) expect(output).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'));
      // AND an unknown command fails with a pointer to --help, and no command prints the usage and fails
      const unknown = spawnSync(process.execPath, [copy, 'destroy-everything'], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('unknown command "destroy-everything". Run with --help');
      const bare = spawnSync(process.execPath, [copy], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
      expect(bare.status).toBe(1);
      expect(bare.stdout).toContain('Usage: node handler.js <command>');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
