import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EVIDENCE_DIRECTORY_ENV } from './evidence';
import { prepareEmulatorKeyPool } from '../../support/emulator-key-pool';

/**
 * Jest global setup of `npx projen test:faults`: the directory the suite's files save their evidence in, and
 * the emulator's key pool.
 */
export default async function globalSetup(): Promise<void> {
  process.env[EVIDENCE_DIRECTORY_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-keypair-faults-evidence-'));
  await prepareEmulatorKeyPool();
}
