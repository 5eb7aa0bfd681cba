import type { KeyPairInputs } from './inputs';
import type { KeyPairApi } from '../clouds/key-pair-api';
import type { SecretStoreApi } from '../clouds/secret-store-api';
import type { RetryClock } from '../http/retry';
import type { GeneratedRsaBits } from '../tuning';

/** What every lifecycle step works with; built once per handler run (see `run.ts`). */
export interface LifecycleContext {
  readonly api: KeyPairApi;
  readonly inputs: KeyPairInputs;
  /** One progress line on stderr; callers never pass secrets (SecretValue prints as [redacted] anyway). */
  readonly progress: (line: string) => void;
  /** For the lifecycle's own waits (deletes of a pair in use, settling a lost answer); injectable so tests need not wait. */
  readonly clock: RetryClock;
  /** When the step must be done, by `clock`: the cloud calls' retries share it, and so do the lifecycle's own rounds. */
  readonly deadline: number;
  /** Wait between deletes of a pair still bound to an instance. */
  readonly inUseRetryMs: number;
  /** How long a new key pair may take to show in describes (see DEFAULT_SETTLE_MS). */
  readonly settleMs: number;
  /** The size of an RSA key generated on this machine (see GENERATED_RSA_BITS). */
  readonly generatedRsaBits: GeneratedRsaBits;
  /**
   * The store of `inputs.privateKeySecret`, built with the pair's API (its credentials checked before any
   * call); absent when the private key is kept in no secret.
   */
  readonly secretStore?: SecretStoreApi;
  /**
   * The same API with a deadline of its own from now: for the clean-up after a failure, which must still
   * run when the failure was the step's deadline (a pair this step made is never left behind for want of time).
   */
  cleanUpApi(): KeyPairApi;
  /** The same store with a deadline of its own from now, for the clean-up after a failure (see `cleanUpApi`). */
  cleanUpSecretStore?(): SecretStoreApi;
}

/** A lifecycle failure that is not a cloud error: says what happened and what to do. */
export class LifecycleError extends Error {
  constructor(message: string, remedy?: string) {
    super(remedy ? `${message}. ${remedy}` : message);
    this.name = 'LifecycleError';
  }
}

/** `alicloud key pair "web" (cn-hangzhou)`: how progress lines and errors name the pair. */
export function describeTarget(inputs: KeyPairInputs): string {
  const scope = inputs.target.scope ? `, ${inputs.target.scope}` : '';
  return `${inputs.target.cloud} key pair "${inputs.keyPairName}" (${inputs.target.region}${scope})`;
}
