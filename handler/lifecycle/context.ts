import type { KeyPairInputs } from './inputs';
import type { KeyPairApi } from '../clouds/key-pair-api';
import type { RetryClock } from '../http/retry';

/** What every lifecycle step works with; built once per handler run (see `run.ts`). */
export interface LifecycleContext {
  readonly api: KeyPairApi;
  readonly inputs: KeyPairInputs;
  /** One progress line on stderr; callers never pass secrets (SecretValue prints as [redacted] anyway). */
  readonly progress: (line: string) => void;
  /** For waits between delete attempts; injectable so tests need not wait. */
  readonly clock: RetryClock;
  /** Wait between deletes of a pair still bound to an instance. */
  readonly inUseRetryMs: number;
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
