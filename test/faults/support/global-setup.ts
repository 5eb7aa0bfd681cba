import * as fs from 'node:fs';
import * as path from 'node:path';
import { EVIDENCE_DIRECTORY_ENV } from './evidence';
import { prepareKeyPools } from '../../support/key-pools';
import { enterRunTempDirectory } from '../../support/run-temp-directory';

/**
 * Jest global setup of `npx projen test:faults`: the run's temporary directory, the directory the suite's files
 * save their evidence in, and the key pools the test files share.
 */
export default async function globalSetup(): Promise<void> {
  const temporary = enterRunTempDirectory();
  process.env[EVIDENCE_DIRECTORY_ENV] = fs.mkdtempSync(path.join(temporary, 'evidence-'));
  await prepareKeyPools();
}
