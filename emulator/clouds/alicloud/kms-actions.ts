import type { AlicloudAction, AlicloudActionInput } from './actions';
import { ALICLOUD_ERRORS, AlicloudFault, alicloudSuccess, missingParameter } from './envelope';
import { invalidKmsParameter, KMS_ERRORS } from './kms-errors';
import { ALICLOUD_REGION_IDS } from './parameters';
import type { EmulatorResponse } from '../../cloud-emulator';
import type { StoredSecret } from '../../secret-store';

/**
 * KMS Secrets Manager (API 2016-01-20) as far as a private key needs it: CreateSecret, DescribeSecret,
 * GetSecretValue, DeleteSecret and RestoreSecret on Generic secrets, by region, with the limits and codes
 * of KMS's reference pages. Error messages name parameters, never values: a value is a private key.
 */

export const KMS_API_VERSION = '2016-01-20';

/** SecretName: ≤ 192 characters of letters, digits and `_ / + = . - @`. */
const SECRET_NAME = /^[A-Za-z0-9_/+=.@-]{1,192}$/;
/** Names under `acs/` are the managed secret types' (ECS, RDS…), not a Generic secret's. */
const RESERVED_NAME_PREFIX = 'acs/';
const MAX_SECRET_DATA_BYTES = 30_720;
const MAX_VERSION_ID_LENGTH = 64;
const MAX_TAGS = 20;
/** Tag keys and values: ≤ 128 characters of letters, digits and `/ \ _ - . + = : @`. */
const TAG_TEXT = /^[A-Za-z0-9/\\_.+=:@-]{0,128}$/;
const RESERVED_TAG_PREFIXES = ['aliyun', 'acs:'];
const DEFAULT_RECOVERY_WINDOW_DAYS = 30;
const MIN_RECOVERY_WINDOW_DAYS = 7;
const MAX_RECOVERY_WINDOW_DAYS = 30;
const CURRENT_STAGE = 'ACSCurrent';
const DAY_MS = 24 * 60 * 60_000;
/** The emulated account in every ARN (Alibaba account ids are 16 digits). */
export const EMULATED_ALICLOUD_ACCOUNT_UID = '1234567890123456';
/**
 * Secrets per region before `Rejected.LimitExceeded`. KMS documents no number here; the emulator takes
 * Tencent's documented 1,000 (EmulatorOptions.secretQuotaPerRegion changes it).
 */
export const DEFAULT_SECRET_QUOTA_PER_REGION = 1000;

const ATTRIBUTE = { description: 'description', encryptionKeyId: 'encryptionKeyId', dataType: 'secretDataType' } as const;

export const KMS_ACTIONS: Readonly<Record<string, AlicloudAction>> = {
  CreateSecret: createSecret,
  DescribeSecret: describeSecret,
  GetSecretValue: getSecretValue,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
};

/** A Generic secret with its first version, current at once. A name pending deletion is not free yet. */
function createSecret({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const region = kmsRegion(params);
  const name = checkSecretName(params.SecretName);
  if (params.SecretData === undefined || params.SecretData === '') throw missingParameter('SecretData');
  if (Buffer.byteLength(params.SecretData, 'utf8') > MAX_SECRET_DATA_BYTES) {
    throw invalidKmsParameter('SecretData', `at most ${MAX_SECRET_DATA_BYTES} bytes`);
  }
  const versionId = params.VersionId;
  if (versionId === undefined || versionId === '') throw missingParameter('VersionId');
  if (versionId.length > MAX_VERSION_ID_LENGTH) throw invalidKmsParameter('VersionId', `at most ${MAX_VERSION_ID_LENGTH} characters`);
  const dataType = params.SecretDataType ?? 'text';
  if (dataType !== 'text' && dataType !== 'binary') throw invalidKmsParameter('SecretDataType', 'text or binary');
  const tags = readKmsTags(params.Tags);

  const existing = context.secrets.find(region, name);
  if (existing?.status === 'pending-delete') throw new AlicloudFault(KMS_ERRORS.inDeleteWindow);
  if (existing) throw new AlicloudFault(KMS_ERRORS.resourceExists);
  if (context.secrets.list(region).length >= (context.secretQuotaPerScope ?? DEFAULT_SECRET_QUOTA_PER_REGION)) {
    throw new AlicloudFault(KMS_ERRORS.limitExceeded);
  }

  const createdAt = kmsTime(context.now());
  const attributes: Record<string, string> = { [ATTRIBUTE.dataType]: dataType };
  if (params.EncryptionKeyId) attributes[ATTRIBUTE.encryptionKeyId] = params.EncryptionKeyId;
  if (params.Description) attributes[ATTRIBUTE.description] = params.Description;
  context.secrets.save(region, {
    name,
    status: 'enabled',
    versions: [{ versionId, value: params.SecretData, encoding: dataType === 'binary' ? 'base64' : 'text', createdAt, stages: [CURRENT_STAGE] }],
    tags,
    createdAt,
    attributes,
  });
  return alicloudSuccess(requestId, { Arn: arnOf(region, name), SecretName: name, VersionId: versionId, SecretType: 'Generic' });
}

/**
 * The secret's metadata, tags when `FetchTags` is `true`. KMS's DescribeSecret has no status field: a
 * pending deletion shows as `PlannedDeleteTime`, present only then.
 */
function describeSecret({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const region = kmsRegion(params);
  const secret = findSecret(context.secrets.find(region, requiredName(params)));
  return alicloudSuccess(requestId, {
    SecretName: secret.name,
    Arn: arnOf(region, secret.name),
    Description: secret.attributes[ATTRIBUTE.description] ?? '',
    EncryptionKeyId: secret.attributes[ATTRIBUTE.encryptionKeyId] ?? '',
    CreateTime: secret.createdAt,
    UpdateTime: secret.createdAt,
    SecretType: 'Generic',
    AutomaticRotation: 'Disabled',
    ...(secret.plannedDeleteTime !== undefined ? { PlannedDeleteTime: secret.plannedDeleteTime } : {}),
    ...(params.FetchTags === 'true' ? { Tags: { Tag: Object.entries(secret.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) } } : {}),
  });
}

/**
 * One version's value: by `VersionId`, else the `VersionStage` (default `ACSCurrent`). A secret pending
 * deletion answers `Rejected.ResourceInDeleteWindow`: the emulator's choice, KMS does not say which code.
 */
function getSecretValue({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const region = kmsRegion(params);
  const secret = findSecret(context.secrets.find(region, requiredName(params)));
  if (secret.status === 'pending-delete') throw new AlicloudFault(KMS_ERRORS.inDeleteWindow);
  const stage = params.VersionStage || (params.VersionId ? undefined : CURRENT_STAGE);
  const version = secret.versions.find(
    (candidate) => (!params.VersionId || candidate.versionId === params.VersionId) && (stage === undefined || candidate.stages.includes(stage)),
  );
  if (!version) throw new AlicloudFault(KMS_ERRORS.notFound);
  return alicloudSuccess(requestId, {
    SecretName: secret.name,
    VersionId: version.versionId,
    SecretData: version.value,
    SecretDataType: secret.attributes[ATTRIBUTE.dataType] ?? 'text',
    VersionStages: { VersionStage: [...version.stages] },
    CreateTime: version.createdAt,
    SecretType: 'Generic',
  });
}

/**
 * At once with `ForceDeleteWithoutRecovery=true` (whatever `RecoveryWindowInDays` says: the official
 * provider sends both), else after `RecoveryWindowInDays` (7–30, default 30) on the emulator's clock.
 * Scheduling a secret already pending deletion again is refused with `Rejected.ResourceInDeleteWindow`
 * (the emulator's choice); forcing it deletes it.
 */
function deleteSecret({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const region = kmsRegion(params);
  const secret = findSecret(context.secrets.find(region, requiredName(params)));
  const force = readBoolean('ForceDeleteWithoutRecovery', params.ForceDeleteWithoutRecovery);
  const windowDays = readRecoveryWindow(params.RecoveryWindowInDays);
  const now = context.now();
  if (force) {
    context.secrets.remove(region, secret.name);
    return alicloudSuccess(requestId, { SecretName: secret.name, PlannedDeleteTime: kmsTime(now) });
  }
  if (secret.status === 'pending-delete') throw new AlicloudFault(KMS_ERRORS.inDeleteWindow);
  const plannedDeleteTime = kmsTime(new Date(now.getTime() + windowDays * DAY_MS));
  context.secrets.save(region, { ...secret, status: 'pending-delete', plannedDeleteTime });
  return alicloudSuccess(requestId, { SecretName: secret.name, PlannedDeleteTime: plannedDeleteTime });
}

/** Cancels a pending deletion. A secret not pending deletion is left as it is, without error (the emulator's choice). */
function restoreSecret({ params, requestId, context }: AlicloudActionInput): EmulatorResponse {
  const region = kmsRegion(params);
  const secret = findSecret(context.secrets.find(region, requiredName(params)));
  if (secret.status === 'pending-delete') {
    const { plannedDeleteTime: _cancelled, ...rest } = secret;
    context.secrets.save(region, { ...rest, status: 'enabled' });
  }
  return alicloudSuccess(requestId, { SecretName: secret.name });
}

// ---------------------------------------------------------------------------------------------------

/**
 * KMS takes its region from the host (`kms.<region>.aliyuncs.com`) and documents no `RegionId`; the emulator
 * serves every region on one port. It takes `RegionId` when a client sends one (the SDKs' common parameter),
 * and otherwise keeps the secret in one scope for every region: the emulator's choice, stricter than the
 * cloud (a name is then taken across regions), never kinder.
 */
export const KMS_REGIONLESS_SCOPE = 'any-region';

function kmsRegion(params: Readonly<Record<string, string>>): string {
  const region = params.RegionId;
  if (!region) return KMS_REGIONLESS_SCOPE;
  if (!ALICLOUD_REGION_IDS.has(region)) throw new AlicloudFault(ALICLOUD_ERRORS.regionNotFound);
  return region;
}

function requiredName(params: Readonly<Record<string, string>>): string {
  if (!params.SecretName) throw missingParameter('SecretName');
  return params.SecretName;
}

function checkSecretName(name: string | undefined): string {
  if (name === undefined || name === '') throw missingParameter('SecretName');
  if (!SECRET_NAME.test(name)) throw invalidKmsParameter('SecretName', 'at most 192 letters, digits and _ / + = . - @');
  if (name.startsWith(RESERVED_NAME_PREFIX)) throw invalidKmsParameter('SecretName', `a Generic secret's name must not start with ${RESERVED_NAME_PREFIX}`);
  return name;
}

function findSecret(secret: StoredSecret | undefined): StoredSecret {
  if (!secret) throw new AlicloudFault(KMS_ERRORS.notFound);
  return secret;
}

/** `Tags`: a JSON string `[{"TagKey":"k","TagValue":"v"}]`, at most 20, unique keys, no reserved prefix. */
function readKmsTags(text: string | undefined): Record<string, string> {
  if (text === undefined || text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidKmsParameter('Tags', 'a JSON array of {"TagKey","TagValue"}');
  }
  if (!Array.isArray(parsed)) throw invalidKmsParameter('Tags', 'a JSON array of {"TagKey","TagValue"}');
  if (parsed.length > MAX_TAGS) throw invalidKmsParameter('Tags', `at most ${MAX_TAGS} tags`);
  const tags: Record<string, string> = {};
  for (const item of parsed as unknown[]) {
    const { TagKey: key, TagValue: value } = (item ?? {}) as { TagKey?: unknown; TagValue?: unknown };
    if (typeof key !== 'string' || key === '' || typeof value !== 'string') throw invalidKmsParameter('Tags', 'every tag needs a TagKey and a TagValue');
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) throw invalidKmsParameter('Tags', 'keys and values of at most 128 letters, digits and / \\ _ - . + = : @');
    if (RESERVED_TAG_PREFIXES.some((prefix) => key.toLowerCase().startsWith(prefix))) throw invalidKmsParameter('Tags', `the key ${key} is reserved`);
    if (Object.hasOwn(tags, key)) throw invalidKmsParameter('Tags', `the key ${key} is given twice`);
    tags[key] = value;
  }
  return tags;
}

function readBoolean(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw invalidKmsParameter(name, 'true or false');
}

function readRecoveryWindow(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_RECOVERY_WINDOW_DAYS;
  const days = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(days >= MIN_RECOVERY_WINDOW_DAYS && days <= MAX_RECOVERY_WINDOW_DAYS)) {
    throw invalidKmsParameter('RecoveryWindowInDays', `${MIN_RECOVERY_WINDOW_DAYS} to ${MAX_RECOVERY_WINDOW_DAYS} days`);
  }
  return days;
}

function arnOf(region: string, name: string): string {
  return `acs:kms:${region}:${EMULATED_ALICLOUD_ACCOUNT_UID}:secret/${name}`;
}

/** KMS writes times as ISO 8601 UTC to the second: `2026-12-06T17:31:10Z`. */
function kmsTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
