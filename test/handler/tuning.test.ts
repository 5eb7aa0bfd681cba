import { DEFAULT_GENERATED_RSA_BITS, DEFAULT_IN_USE_RETRY_MS, DEFAULT_SETTLE_MS, TUNING_ENV, tuningFromEnv } from '../../handler/tuning';

describe('handler tuning from the environment', () => {
  test('unset: the defaults', () => {
    expect(tuningFromEnv({})).toEqual({
      retry: {},
      inUseRetryMs: DEFAULT_IN_USE_RETRY_MS,
      settleMs: DEFAULT_SETTLE_MS,
      generatedRsaBits: DEFAULT_GENERATED_RSA_BITS,
    });
    // 5 s between deletes of a pair still in use, as the official providers wait (the end-to-end tests set 1 s).
    expect(DEFAULT_IN_USE_RETRY_MS).toBe(5_000);
    // RSA keys made here are 4096 bits unless the environment asks for less (the end-to-end tests ask for 2048).
    expect(DEFAULT_GENERATED_RSA_BITS).toBe(4096);
  });

  test('seconds become the retry policy and the in-use wait', () => {
    const tuning = tuningFromEnv({
      [TUNING_ENV.maxAttempts]: '3',
      [TUNING_ENV.requestTimeoutSeconds]: '0.5',
      [TUNING_ENV.deadlineSeconds]: '10',
      [TUNING_ENV.backoffBaseSeconds]: '0.01',
      [TUNING_ENV.backoffMaxSeconds]: '0.2',
      [TUNING_ENV.inUseRetrySeconds]: '1',
      [TUNING_ENV.settleSeconds]: '2',
      [TUNING_ENV.generatedRsaBits]: '2048',
    });
    expect(tuning).toEqual({
      retry: { maxAttempts: 3, requestTimeoutMs: 500, deadlineMs: 10_000, baseDelayMs: 10, maxDelayMs: 200 },
      inUseRetryMs: 1000,
      settleMs: 2000,
      generatedRsaBits: 2048,
    });
  });

  test.each([
    [TUNING_ENV.maxAttempts, '2.5'],
    [TUNING_ENV.maxAttempts, '0'],
    [TUNING_ENV.requestTimeoutSeconds, 'soon'],
    [TUNING_ENV.deadlineSeconds, '-1'],
    [TUNING_ENV.backoffBaseSeconds, '0'],
    [TUNING_ENV.settleSeconds, 'never'],
  ])('%s=%s is refused, naming the variable', (name, value) => {
    expect(() => tuningFromEnv({ [name]: value })).toThrow(new RegExp(`^${name} must be a positive`));
  });

  test.each(['1024', '2047', '8192', 'big'])('%s RSA bits are refused, naming the variable and the sizes it takes', (value) => {
    expect(() => tuningFromEnv({ [TUNING_ENV.generatedRsaBits]: value })).toThrow(
      `${TUNING_ENV.generatedRsaBits} must be one of 2048, 3072, 4096, got "${value}"`,
    );
  });
});
