import { prepareEmulatorKeyPool } from './emulator-key-pool';

/** Jest global setup of `npx projen test`: the emulator's key pool the test files share. */
export default async function globalSetup(): Promise<void> {
  await prepareEmulatorKeyPool();
}
