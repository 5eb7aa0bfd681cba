import { SECRET_STORES, type SecretStoreName } from './contract';

/** A private key kept in Alibaba Cloud KMS Secrets Manager. */
export interface AlicloudPrivateKeySecretProps {
  /**
   * The secret's name in KMS (`SecretName`). Checked at synth unless it is a token (then the handler checks it
   * before any cloud call): 1 to 192 letters, digits and `_ / + = . - @`, not starting with `acs/`. The
   * private key is stored as its one version, `cdktf-keypair-private-key`. Changing it replaces the key pair.
   */
  readonly secretName: string;

  /**
   * The KMS region the secret lives in, such as `cn-hangzhou`. Changing it replaces the key pair.
   *
   * @default - the key pair's region when the key pair is on Alibaba Cloud; required for a key pair on
   * another cloud (a Tencent Cloud or UCloud key pair)
   */
  readonly region?: string;

  /**
   * The id (or alias) of the KMS key that encrypts the secret (`EncryptionKeyId`). KMS 3.0 (KMS instances)
   * has no default key for secrets: name a symmetric key of your KMS instance here. Changing it replaces the
   * key pair.
   *
   * @default - the key KMS chooses for secrets (the account's default key, where KMS still offers one)
   */
  readonly encryptionKeyId?: string;

  /**
   * How many days a deleted secret stays restorable after the key pair is destroyed or replaced: 0, or 7 to
   * 30. With 0 (the default) the secret is deleted at once (`ForceDeleteWithoutRecovery`), so the stack can
   * be destroyed and deployed again under the same secret name. With 7 to 30 the secret can be restored
   * during that window, but creating a secret of the same name fails until it is restored or the window
   * ends: a redeploy after a destroy, and a rotation (`replacementKey`) under the same secret name, fail
   * until then. Changing it does not replace the key pair; it changes what a later destroy does. A token (a
   * Terraform variable) counts with its value at create, which the stack records for the delete (where it
   * could not, a runner killed mid-apply, the secret stays restorable for 30 days).
   *
   * @default 0
   */
  readonly recoveryWindowDays?: number;
}

/** A private key kept in Tencent Cloud Secrets Manager (SSM). */
export interface TencentcloudPrivateKeySecretProps {
  /**
   * The secret's name in SSM (`SecretName`). Checked at synth unless it is a token (then the handler checks it
   * before any cloud call): 1 to 128 letters, digits, underscores and hyphens, starting with a letter or a
   * digit. The private key is stored as its one version, `cdktf-keypair-private-key`. Changing it replaces
   * the key pair.
   */
  readonly secretName: string;

  /**
   * The SSM region the secret lives in, such as `ap-guangzhou`. Changing it replaces the key pair.
   *
   * @default - the key pair's region when the key pair is on Tencent Cloud; required for a key pair on
   * another cloud (an Alibaba Cloud or UCloud key pair)
   */
  readonly region?: string;

  /**
   * The id of the KMS key that encrypts the secret (`KmsKeyId`). Changing it replaces the key pair.
   *
   * @default - SSM's default key (free of charge)
   */
  readonly kmsKeyId?: string;

  /**
   * How many days a deleted secret stays restorable after the key pair is destroyed or replaced: 0, or 1 to
   * 30. With 0 (the default) the secret is deleted at once, so the stack can be destroyed and deployed again
   * under the same secret name. With 1 to 30 the secret can be restored during that window, but creating a
   * secret of the same name fails until it is restored or the window ends: a redeploy after a destroy, and a
   * rotation (`replacementKey`) under the same secret name, fail until then. Changing it does not replace the
   * key pair; it changes what a later destroy does. A token (a Terraform variable) counts with its value at
   * create, which the stack records for the delete (where it could not, a runner killed mid-apply, the secret
   * stays restorable for 30 days).
   *
   * @default 0
   */
  readonly recoveryWindowDays?: number;
}

/**
 * A cloud secret store that keeps a key pair's private key besides (or instead of) `privateKeyFile`, so the
 * key outlives the machine that deployed it (a CI runner): Alibaba Cloud KMS Secrets Manager or Tencent Cloud
 * SSM. A key pair of any cloud may use either store (UCloud has none of its own). The secret is created with
 * the key pair, holds the private key as its version `cdktf-keypair-private-key`, and is deleted with the key
 * pair; its name, store, region and encryption key are in Terraform state, the private key never is.
 *
 * @example
 * new AlicloudKeyPair(stack, 'bastion', {
 *   region: 'cn-hangzhou',
 *   privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'bastion-private-key' }),
 * });
 */
export class PrivateKeySecret {
  /** A secret in Alibaba Cloud KMS Secrets Manager. */
  public static alicloud(props: AlicloudPrivateKeySecretProps): PrivateKeySecret {
    return new PrivateKeySecret(SECRET_STORES.alicloudKms, props.secretName, props.region, props.encryptionKeyId, 'encryptionKeyId', props.recoveryWindowDays);
  }

  /** A secret in Tencent Cloud Secrets Manager (SSM). */
  public static tencentcloud(props: TencentcloudPrivateKeySecretProps): PrivateKeySecret {
    return new PrivateKeySecret(SECRET_STORES.tencentcloudSsm, props.secretName, props.region, props.kmsKeyId, 'kmsKeyId', props.recoveryWindowDays);
  }

  /** @internal */
  public readonly _store: SecretStoreName;
  /** @internal */
  public readonly _secretName: string;
  /** @internal */
  public readonly _region?: string;
  /** @internal */
  public readonly _encryptionKeyId?: string;
  /**
   * How the store's props name the encryption key, for messages.
   *
   * @internal
   */
  public readonly _encryptionKeyProp: string;
  /** @internal */
  public readonly _recoveryWindowDays?: number;

  private constructor(
    store: SecretStoreName,
    secretName: string,
    region: string | undefined,
    encryptionKeyId: string | undefined,
    encryptionKeyProp: string,
    recoveryWindowDays: number | undefined,
  ) {
    this._store = store;
    this._secretName = secretName;
    this._region = region;
    this._encryptionKeyId = encryptionKeyId;
    this._encryptionKeyProp = encryptionKeyProp;
    this._recoveryWindowDays = recoveryWindowDays;
  }
}
