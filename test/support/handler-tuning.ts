import { TUNING_ENV } from '../../handler/tuning';

/**
 * The handler's tuning wherever a test runs its steps (end-to-end deployments, the fault suite, the lifecycle
 * tests): RSA keys generated on the deploying machine are 2048 bits, an eighth of the CPU of the 4096-bit
 * default. Hundreds of keys are made on two cores and no such test is about a key's size;
 * `test/handler/lifecycle/run-handler.test.ts` creates one with the default and checks its 4096 bits.
 */
export const TEST_HANDLER_TUNING: Readonly<Record<string, string>> = { [TUNING_ENV.generatedRsaBits]: '2048' };
