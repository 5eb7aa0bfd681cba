import { removeRunTempDirectory } from '../../support/run-temp-directory';

/**
 * Removes the run's temporary directory, and in it the evidence directory (it holds the emulator's test secrets
 * and the suite's private keys).
 */
export default function globalTeardown(): void {
  removeRunTempDirectory();
}
