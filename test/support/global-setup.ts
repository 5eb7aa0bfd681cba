import { prepareKeyPools } from './key-pools';

/** Jest global setup of `npx projen test`: the key pools the test files share. */
export default async function globalSetup(): Promise<void> {
  await prepareKeyPools();
}
