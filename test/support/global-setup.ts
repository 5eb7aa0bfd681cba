import { prepareKeyPools } from './key-pools';
import { enterRunTempDirectory } from './run-temp-directory';

/** Jest global setup of `npx projen test`: the run's temporary directory, and the key pools the test files share. */
export default async function globalSetup(): Promise<void> {
  enterRunTempDirectory();
  await prepareKeyPools();
}
