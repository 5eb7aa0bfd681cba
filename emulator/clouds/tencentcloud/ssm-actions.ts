import { TencentcloudFault } from './envelope';
import { expectArray, expectInteger, expectObject, expectString, Parameters, rejectUnknownParameters, requiredParameter } from './parameters';
import { ruleViolation, TAG_RULES } from '../../../src/contract';
import type { EmulatorContext } from '../../cloud-emulator';
import type { SecretStatus, StoredSecret } from '../../secret-store';

/**
 * Tencent Cloud SSM (service `ssm`, API 2019-09-23) as far as a private key needs it: CreateSecret,
 * DescribeSecret, GetSecretValue, DisableSecret, DeleteSecret and RestoreSecret on user-defined secrets
 * (SecretType 0), by region (`X-TC-Region`), with SSM's limits and codes (tencentcloud-sdk ssm errors).
 * Error messages name parameters, never values: a value is a private key.
 */

export type SsmAction = (parameters: Parameters, context: EmulatorContext, region: string) => Record<string, unknown>;

export const SSM_API_VERSION = '2019-09-23';

/**
 * DeleteSecret on a secret still Enabled: SSM deletes only a disabled secret, but does not say with which
 * code it refuses. `OperationDenied` (in SSM's documented code list) is the emulator's choice, kept here
 * alone so it changes in one place once the real code is known.
 */
export const SSM_DELETE_ENABLED_SECRET_CODE = 'OperationDenied';

/** SecretName: ≤ 128 bytes of `[A-Za-z0-9_-]`, starting with a letter or a digit. */
const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** VersionId: ≤ 64 bytes of `[A-Za-z0-9_.-]`, starting with a letter or a digit. */
const VERSION_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** The first version's id when CreateSecret names none (the current documentation's default). */
const DEFAULT_VERSION_ID = 'SSM_Current';
/** SecretString and SecretBinary: "a maximum of 4096 bytes" each (SecretBinary counted as sent, in base64). */
const MAX_VALUE_BYTES = 4096;
const MAX_RECOVERY_WINDOW_DAYS = 30;
/** Secrets per region ("up to 1,000"); EmulatorOptions.secretQuotaPerRegion changes it. */
const DEFAULT_SECRET_QUOTA = 1000;
const DAY_MS = 24 * 60 * 60_000;
/** The emulated account's uin, as DescribeSecret's CreateUin. */
export const EMULATED_TENCENTCLOUD_UIN = 100000000001;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TAG_RULE = TAG_RULES.tencentcloud!;

const ATTRIBUTE = { description: 'description', kmsKeyId: 'kmsKeyId' } as const;

/** SSM's own names for the neutral statuses. */
const STATUS_NAMES: Readonly<Record<SecretStatus, string>> = { 'enabled': 'Enabled', 'disabled': 'Disabled', 'pending-delete': 'PendingDelete' };

export const SSM_ACTIONS: Readonly<Record<string, SsmAction>> = {
  /** A secret with its first version. A name in use, pending deletion included, is `ResourceInUse.SecretExists`. */
  CreateSecret: (parameters, context, region) => {
    rejectUnknownParameters(parameters, [
      'SecretName', 'VersionId', 'Description', 'KmsKeyId', 'SecretType', 'SecretBinary', 'SecretString', 'AdditionalConfig', 'Tags',
    ]);
    const name = checkSecretName(parameters);
    const versionId = parameters.VersionId === undefined ? DEFAULT_VERSION_ID : checkVersionId(parameters.VersionId);
    if (parameters.SecretType !== undefined && expectInteger(parameters.SecretType, 'SecretType') !== 0) {
      throw new TencentcloudFault('UnsupportedOperation', 'The emulator serves user-defined secrets (SecretType 0) only.');
    }
    const { value, encoding } = readValue(parameters);
    const tags = parameters.Tags === undefined ? {} : readTags(parameters.Tags);
    const description = parameters.Description === undefined ? undefined : expectString(parameters.Description, 'Description');
    const kmsKeyId = parameters.KmsKeyId === undefined ? undefined : expectString(parameters.KmsKeyId, 'KmsKeyId');

    if (context.secrets.find(region, name)) throw new TencentcloudFault('ResourceInUse.SecretExists', `The secret \`${name}\` already exists.`);
    if (context.secrets.list(region).length >= (context.secretQuotaPerScope ?? DEFAULT_SECRET_QUOTA)) {
      throw new TencentcloudFault('LimitExceeded', 'The number of secrets in this region has reached the limit.');
    }
    const createdAt = context.now().toISOString();
    const attributes: Record<string, string> = {};
    if (description) attributes[ATTRIBUTE.description] = description;
    if (kmsKeyId) attributes[ATTRIBUTE.kmsKeyId] = kmsKeyId;
    context.secrets.save(region, { name, status: 'enabled', versions: [{ versionId, value, encoding, createdAt, stages: [] }], tags, createdAt, attributes });
    // TagCode 0: the tags were attached (CreateSecret reports the tagging's outcome beside its own).
    return { SecretName: name, VersionId: versionId, ...(Object.keys(tags).length > 0 ? { TagCode: 0, TagMsg: '' } : {}) };
  },

  /**
   * The secret's metadata: Status, DeleteTime (Unix seconds, 0 unless pending deletion), CreateTime and
   * CreateUin. No tags: SSM's DescribeSecret answer has no tag field (the official provider reads tags
   * through the Tag API); the emulator keeps them, for `listSecrets` and the `GET secrets` route.
   */
  DescribeSecret: (parameters, context, region) => {
    rejectUnknownParameters(parameters, ['SecretName']);
    const secret = findSecret(context, region, parameters);
    return {
      SecretName: secret.name,
      Description: secret.attributes[ATTRIBUTE.description] ?? '',
      KmsKeyId: secret.attributes[ATTRIBUTE.kmsKeyId] ?? '',
      CreateUin: EMULATED_TENCENTCLOUD_UIN,
      Status: STATUS_NAMES[secret.status],
      DeleteTime: secret.plannedDeleteTime === undefined ? 0 : unixSeconds(secret.plannedDeleteTime),
      CreateTime: unixSeconds(secret.createdAt),
      SecretType: 0,
      ProductName: '',
      ResourceID: '',
      RotationStatus: false,
      RotationFrequency: 0,
      ResourceName: '',
      ProjectID: 0,
      AssociatedInstanceIDs: [],
      TargetUin: 0,
    };
  },

  /** One version's value; a disabled or pending secret refuses with its `ResourceUnavailable.*` code. */
  GetSecretValue: (parameters, context, region) => {
    rejectUnknownParameters(parameters, ['SecretName', 'VersionId']);
    const secret = findSecret(context, region, parameters);
    const versionId = expectString(requiredParameter(parameters, 'VersionId'), 'VersionId');
    refuseUnavailable(secret);
    const version = secret.versions.find((candidate) => candidate.versionId === versionId);
    // A missing version of an existing secret: plain `ResourceNotFound` (the emulator's choice of SSM's two codes).
    if (!version) throw new TencentcloudFault('ResourceNotFound', `The secret \`${secret.name}\` has no version \`${versionId}\`.`);
    return {
      SecretName: secret.name,
      VersionId: version.versionId,
      ...(version.encoding === 'base64' ? { SecretBinary: version.value } : { SecretString: version.value }),
      SecretType: 0,
    };
  },

  /** Disabling a disabled secret changes nothing; one pending deletion refuses. */
  DisableSecret: (parameters, context, region) => {
    rejectUnknownParameters(parameters, ['SecretName']);
    const secret = findSecret(context, region, parameters);
    if (secret.status === 'pending-delete') throw pendingDeleted(secret);
    if (secret.status === 'enabled') context.secrets.save(region, { ...secret, status: 'disabled' });
    return {};
  },

  /**
   * Deletes a disabled secret: at once with `RecoveryWindowInDays` 0, else after that many days (1–30) on
   * the emulator's clock, PendingDelete meanwhile. The window is required here (the provider always sends
   * it), so a client that leaves it out learns so before a real store guesses for it.
   */
  DeleteSecret: (parameters, context, region) => {
    rejectUnknownParameters(parameters, ['SecretName', 'RecoveryWindowInDays', 'CleanSSHKey']);
    const secret = findSecret(context, region, parameters);
    const days = expectInteger(requiredParameter(parameters, 'RecoveryWindowInDays'), 'RecoveryWindowInDays');
    if (days < 0 || days > MAX_RECOVERY_WINDOW_DAYS) {
      throw new TencentcloudFault('InvalidParameterValue', `The value of \`RecoveryWindowInDays\` must be 0 to ${MAX_RECOVERY_WINDOW_DAYS}.`);
    }
    if (secret.status === 'pending-delete') throw pendingDeleted(secret);
    if (secret.status === 'enabled') {
      throw new TencentcloudFault(SSM_DELETE_ENABLED_SECRET_CODE, `The secret \`${secret.name}\` is enabled: disable it (DisableSecret) before deleting it.`);
    }
    const now = context.now().getTime();
    if (days === 0) {
      context.secrets.remove(region, secret.name);
      return { SecretName: secret.name, DeleteTime: Math.floor(now / 1000) };
    }
    const plannedDeleteTime = new Date(now + days * DAY_MS).toISOString();
    context.secrets.save(region, { ...secret, status: 'pending-delete', plannedDeleteTime });
    return { SecretName: secret.name, DeleteTime: unixSeconds(plannedDeleteTime) };
  },

  /**
   * Cancels a pending deletion. The secret comes back Disabled, the status it had to have to be deleted
   * (the emulator's choice: SSM does not say). A secret not pending deletion is left as it is, without error.
   */
  RestoreSecret: (parameters, context, region) => {
    rejectUnknownParameters(parameters, ['SecretName']);
    const secret = findSecret(context, region, parameters);
    if (secret.status === 'pending-delete') {
      const { plannedDeleteTime: _cancelled, ...rest } = secret;
      context.secrets.save(region, { ...rest, status: 'disabled' });
    }
    return { SecretName: secret.name };
  },
};

// ---------------------------------------------------------------------------------------------------

function checkSecretName(parameters: Parameters): string {
  const name = expectString(requiredParameter(parameters, 'SecretName'), 'SecretName');
  if (!SECRET_NAME.test(name)) {
    throw new TencentcloudFault(
      'InvalidParameterValue',
      'The value of `SecretName` must be at most 128 letters, digits, `_` and `-`, starting with a letter or a digit.',
    );
  }
  return name;
}

function checkVersionId(value: unknown): string {
  const versionId = expectString(value, 'VersionId');
  if (!VERSION_ID.test(versionId)) {
    throw new TencentcloudFault(
      'InvalidParameterValue',
      'The value of `VersionId` must be at most 64 letters, digits, `_`, `.` and `-`, starting with a letter or a digit.',
    );
  }
  return versionId;
}

/** Exactly one of SecretString (text) and SecretBinary (base64), each at most 4,096 bytes. */
function readValue(parameters: Parameters): { value: string; encoding: 'text' | 'base64' } {
  const given = (['SecretString', 'SecretBinary'] as const).filter((name) => parameters[name] !== undefined && parameters[name] !== null);
  if (given.length !== 1) throw new TencentcloudFault('InvalidParameter', 'Exactly one of `SecretString` and `SecretBinary` must be given.');
  const [name] = given;
  const value = expectString(parameters[name], name);
  if (value === '') throw new TencentcloudFault('InvalidParameterValue', `The value of \`${name}\` must not be empty.`);
  if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
    throw new TencentcloudFault('InvalidParameterValue', `The value of \`${name}\` must be at most ${MAX_VALUE_BYTES} bytes.`);
  }
  if (name === 'SecretBinary' && !BASE64.test(value)) throw new TencentcloudFault('InvalidParameterValue', 'The value of `SecretBinary` must be base64.');
  return { value, encoding: name === 'SecretBinary' ? 'base64' : 'text' };
}

/** `Tags.N`: `{TagKey, TagValue}` by the contract's Tencent tag rules; a key given twice is SSM's own code. */
function readTags(value: unknown): Record<string, string> {
  const items = expectArray(value, 'Tags');
  if (items.length > TAG_RULE.maxTags) throw new TencentcloudFault('LimitExceeded', `At most ${TAG_RULE.maxTags} tags may be given.`);
  const tags: Record<string, string> = {};
  for (const [index, item] of items.entries()) {
    const tag = expectObject(item, `Tags.${index}`);
    const key = expectString(requiredParameter(tag, 'TagKey'), `Tags.${index}.TagKey`);
    const tagValue = expectString(requiredParameter(tag, 'TagValue'), `Tags.${index}.TagValue`);
    if (ruleViolation(TAG_RULE.key, key) !== undefined || ruleViolation(TAG_RULE.value, tagValue) !== undefined) {
      throw new TencentcloudFault('InvalidParameterValue', `The tag \`Tags.${index}\` is not valid.`);
    }
    if (Object.hasOwn(tags, key)) throw new TencentcloudFault('InvalidParameterValue.TagKeysDuplicated', `The tag key \`${key}\` is given twice.`);
    tags[key] = tagValue;
  }
  return tags;
}

function findSecret(context: EmulatorContext, region: string, parameters: Parameters): StoredSecret {
  const name = expectString(requiredParameter(parameters, 'SecretName'), 'SecretName');
  const secret = context.secrets.find(region, name);
  if (!secret) throw new TencentcloudFault('ResourceNotFound.SecretNotExist', `The secret \`${name}\` does not exist in ${region}.`);
  return secret;
}

function refuseUnavailable(secret: StoredSecret): void {
  if (secret.status === 'pending-delete') throw pendingDeleted(secret);
  if (secret.status === 'disabled') throw new TencentcloudFault('ResourceUnavailable.ResourceDisabled', `The secret \`${secret.name}\` is disabled.`);
}

function pendingDeleted(secret: StoredSecret): TencentcloudFault {
  return new TencentcloudFault('ResourceUnavailable.ResourcePendingDeleted', `The secret \`${secret.name}\` is pending deletion.`);
}

function unixSeconds(isoTime: string): number {
  return Math.floor(Date.parse(isoTime) / 1000);
}
