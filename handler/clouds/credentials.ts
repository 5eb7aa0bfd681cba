import { inspect } from 'node:util';
import { REDACTED } from '../../src/contract';

/**
 * A secret string that refuses to be printed: string conversion, JSON and `util.inspect` all show
 * `[redacted]`, so a secret cannot reach a log line or an error message by accident. Signers call
 * `reveal()` at the one place the raw value is needed.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * An access key pair in one shape for all three clouds: Alibaba's AccessKeyId/AccessKeySecret, Tencent's
 * SecretId/SecretKey and UCloud's PublicKey/PrivateKey, plus the STS token where one is used.
 */
export interface CloudCredentials {
  /** Not secret: it identifies the key and appears in signed requests (clouds log it too). */
  readonly accessKeyId: string;
  readonly accessKeySecret: SecretValue;
  readonly securityToken?: SecretValue;
}

/** Every secret a connection carries, for the shared call layer to cut from the cloud's messages. */
export function secretsOf(credentials: CloudCredentials): SecretValue[] {
  return credentials.securityToken ? [credentials.accessKeySecret, credentials.securityToken] : [credentials.accessKeySecret];
}
