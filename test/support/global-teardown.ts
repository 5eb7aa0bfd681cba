import { removeRunTempDirectory } from './run-temp-directory';

/** Jest global teardown of `npx projen test`: the run's temporary directory goes, with what the tests left in it. */
export default function globalTeardown(): void {
  removeRunTempDirectory();
}
