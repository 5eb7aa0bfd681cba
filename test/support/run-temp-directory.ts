import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * One temporary directory per jest run, which every test process and everything it starts uses as TMPDIR,
 * and which the run's global teardown removes. cdktf's `Testing` never removes the out directories it makes
 * (about a thousand per run of the main suite), and a file that fails midway leaves its own behind; inside
 * this directory they go with the run, and the directories of a run going on beside it are never touched.
 * Jest starts its workers after the global setup, so they inherit the variable.
 */
const RUN_TEMP_DIRECTORY_ENV = 'CDKTF_KEYPAIR_TEST_RUN_TMPDIR';

/** Makes the run's temporary directory and points TMPDIR at it (global setup). */
export function enterRunTempDirectory(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-keypair-tests-'));
  // Others may pass through, as through /tmp, but not list it: a test that runs the handler as an unprivileged
  // user opens its own directory inside to it. Everything made inside with mkdtemp is the owner's alone.
  fs.chmodSync(directory, 0o711);
  process.env[RUN_TEMP_DIRECTORY_ENV] = directory;
  process.env.TMPDIR = directory;
  return directory;
}

/** Removes the run's temporary directory and everything in it (global teardown). */
export function removeRunTempDirectory(): void {
  const directory = process.env[RUN_TEMP_DIRECTORY_ENV];
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
}
