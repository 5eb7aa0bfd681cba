import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EVIDENCE_DIRECTORY_ENV } from './evidence';
import { prepareKeyPools } from '../../support/key-pools';

/**
 * Jest global setup of `npx projen test:faults`: the directory the suite's files save their evidence in, and
 * the key pools the test files share.
 */
export default async function globalSetup(): Promise<void> {
  process.env[EVIDENCE_DIRECTORY_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-keypair-faults-evidence-'));
  await prepareKeyPools();
}
