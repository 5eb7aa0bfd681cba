import type { SecretValue } from './credentials';

/**
 * A cloud secret store a private key can be kept in, as the lifecycle sees every store: Alibaba Cloud KMS
 * Secrets Manager (API 2016-01-20) and Tencent Cloud SSM (API 2019-09-23). UCloud has none. What differs
 * between the stores (Tencent's disable before delete, Alibaba's version ids, each store's codes) stays in
 * `clouds/<cloud>/`; failures are `CloudApiError`s whose outcome the lifecycle acts on, as for key pairs:
 * `name-taken` (a secret of that name exists), `not-found` (the store's specific code), `unknown` (the store
 * may or may not have acted: describe before anything else), `refused`, `permanent`. A secret pending
 * deletion is reported by `describe` (status `pending-delete`), never as absent.
 */
export interface SecretStoreApi {
  /** Which store this is, for messages: `Alibaba Cloud KMS (cn-hangzhou)`. */
  readonly label: string;
  /** The largest value the store keeps, in bytes (Alibaba 30,720; Tencent 4,096), checked before any call. */
  readonly maxValueBytes: number;

  /** The secret under `name`, without its value; undefined when the store has none, pending deletion included. */
  describe(name: string): Promise<StoredSecret | undefined>;

  /** Creates the secret with its first version, tags and key in one call. */
  create(input: CreateSecretInput): Promise<StoredSecret>;

  /** The value of one version, or undefined when the store has no such version. Never logged by anyone. */
  getValue(name: string, versionId: string): Promise<SecretValue | undefined>;

  /**
   * Deletes the secret: at once when `recoveryWindowDays` is 0, else after that many days (restorable
   * meanwhile). Tencent's store deletes only a disabled secret, so its implementation disables first.
   * Already gone is success only on the store's specific not-found code.
   */
  delete(name: string, recoveryWindowDays: number): Promise<void>;
}

export type SecretStatus = 'enabled' | 'disabled' | 'pending-delete';

/** A secret as the store describes it: never its value. */
export interface StoredSecret {
  readonly name: string;
  /** The store's own name for the resource where it has one (Alibaba's ARN, Tencent's six-segment name). */
  readonly resourceName?: string;
  readonly status: SecretStatus;
  /**
   * Undefined when the store did not say: Tencent's DescribeSecret is not documented to return tags, and
   * KMS may refuse to describe a secret scheduled for deletion. Never `{}` for "unknown", which would read
   * as "no ownership tag".
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The secret's description, when it has one: where the store returns no tags, the proof of whose it is
   * (`ownerInSecretDescription`).
   */
  readonly description?: string;
  /** When a pending deletion becomes final (ISO 8601 UTC), for status `pending-delete`. */
  readonly plannedDeleteTime?: string;
  readonly requestId?: string;
}

export interface CreateSecretInput {
  readonly name: string;
  readonly value: SecretValue;
  /**
   * The first version's id. Chosen by the caller and sent again unchanged when an answer is lost: the store
   * refuses a second version of that id (Alibaba `Rejected.ResourceExist` on the name, Tencent
   * `ResourceInUse.VersionIdExists`), so a resend can never store a second value.
   */
  readonly versionId: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The KMS key that encrypts the secret (Alibaba `EncryptionKeyId`, Tencent `KmsKeyId`); the store's default when absent. */
  readonly kmsKeyId?: string;
  readonly description?: string;
}
