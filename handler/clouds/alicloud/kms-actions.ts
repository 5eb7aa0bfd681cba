import type { AlicloudClient } from './client';
import { alicloudMalformedAnswerError } from './errors';
import { SecretValue } from '../credentials';

/**
 * KMS Secrets Manager's four secret actions (API 2016-01-20, RPC style) as Alibaba defines them: parameters
 * in, what the answer says out, in KMS's terms. What an absent secret or a pending deletion means for the
 * lifecycle is `kms-secret-store-api.ts`'s job. The client must be bound to KMS
 * (`new AlicloudClient(connection, ALICLOUD_KMS_API)`).
 */

/** SecretData holds at most 30 KB. */
export const KMS_MAX_SECRET_DATA_BYTES = 30_720;

export interface CreateSecretRequest {
  readonly secretName: string;
  readonly secretData: SecretValue;
  readonly versionId: string;
  readonly encryptionKeyId?: string;
  readonly description?: string;
  /** At most 20; sent as the JSON string KMS takes. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface CreateSecretAnswer {
  /** `acs:kms:<region>:<account>:secret/<name>`. */
  readonly arn?: string;
  readonly secretName: string;
  readonly versionId?: string;
  readonly requestId?: string;
}

/** A secret as DescribeSecret shows it (no value). */
export interface KmsSecret {
  readonly secretName: string;
  readonly arn?: string;
  readonly description?: string;
  readonly encryptionKeyId?: string;
  /** Set only while the secret is scheduled for deletion. */
  readonly plannedDeleteTime?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly requestId?: string;
}

export interface GetSecretValueAnswer {
  readonly secretName: string;
  readonly versionId?: string;
  /** The value as stored: a `binary` secret's base64 decoded. */
  readonly secretData: SecretValue;
  /** `text` or `binary`. */
  readonly secretDataType?: string;
  readonly requestId?: string;
}

export interface DeleteSecretAnswer {
  readonly plannedDeleteTime?: string;
  readonly requestId?: string;
}

/** CreateSecret: a Generic secret with its first version, its key, description and tags in one call. */
export function createSecret(client: AlicloudClient, request: CreateSecretRequest): Promise<CreateSecretAnswer> {
  const tags = Object.entries(request.tags ?? {});
  const params: Record<string, string> = {
    SecretName: request.secretName,
    SecretData: request.secretData.reveal(),
    SecretDataType: 'text',
    VersionId: request.versionId,
    ...optional('EncryptionKeyId', request.encryptionKeyId),
    ...optional('Description', request.description),
    // KMS takes the tags as one JSON string, unlike ECS's Tag.N.Key lists.
    ...(tags.length > 0 ? { Tags: JSON.stringify(tags.map(([TagKey, TagValue]) => ({ TagKey, TagValue }))) } : {}),
  };
  return client.call(
    'CreateSecret',
    params,
    (body) => ({
      secretName: nonEmptyString(body.SecretName) ?? request.secretName,
      ...definedOnly({ arn: nonEmptyString(body.Arn), versionId: nonEmptyString(body.VersionId), requestId: nonEmptyString(body.RequestId) }),
    }),
    [request.secretData],
  );
}

/** DescribeSecret with its tags (`FetchTags=true`). */
export function describeSecret(client: AlicloudClient, secretName: string): Promise<KmsSecret> {
  return client.call('DescribeSecret', { SecretName: secretName, FetchTags: 'true' }, (body) => ({
    secretName: nonEmptyString(body.SecretName) ?? secretName,
    ...definedOnly({
      arn: nonEmptyString(body.Arn),
      description: nonEmptyString(body.Description),
      encryptionKeyId: nonEmptyString(body.EncryptionKeyId),
      plannedDeleteTime: nonEmptyString(body.PlannedDeleteTime),
      requestId: nonEmptyString(body.RequestId),
    }),
    tags: tagsOf(body.Tags),
  }));
}

/**
 * GetSecretValue of one version. An answer without SecretData is an error, never an empty value. A
 * `binary` secret (not one this project writes) comes back in base64, and is decoded like Tencent's.
 */
export function getSecretValue(client: AlicloudClient, secretName: string, versionId: string): Promise<GetSecretValueAnswer> {
  const action = 'GetSecretValue';
  return client.call(action, { SecretName: secretName, VersionId: versionId }, (body, response) => {
    const requestId = nonEmptyString(body.RequestId);
    if (typeof body.SecretData !== 'string') throw alicloudMalformedAnswerError(action, 'SecretData', response, requestId, 'permanent');
    const secretDataType = nonEmptyString(body.SecretDataType);
    const data = secretDataType === 'binary' ? Buffer.from(body.SecretData, 'base64').toString('utf8') : body.SecretData;
    return {
      secretName: nonEmptyString(body.SecretName) ?? secretName,
      secretData: new SecretValue(data),
      ...definedOnly({ versionId: nonEmptyString(body.VersionId), secretDataType, requestId }),
    };
  });
}

/** DeleteSecret: at once (`ForceDeleteWithoutRecovery`) when `recoveryWindowDays` is 0, else after that window. */
export function deleteSecret(client: AlicloudClient, secretName: string, recoveryWindowDays: number): Promise<DeleteSecretAnswer> {
  const window: Record<string, string> =
    recoveryWindowDays === 0 ? { ForceDeleteWithoutRecovery: 'true' } : { ForceDeleteWithoutRecovery: 'false', RecoveryWindowInDays: String(recoveryWindowDays) };
  return client.call('DeleteSecret', { SecretName: secretName, ...window }, (body) =>
    definedOnly({ plannedDeleteTime: nonEmptyString(body.PlannedDeleteTime), requestId: nonEmptyString(body.RequestId) }),
  );
}

/**
 * Tags as DescribeSecret returns them: the XML-derived nesting `{"Tag": [{TagKey, TagValue}]}` Alibaba's
 * JSON uses for lists, or a bare list. Absent (asked for with FetchTags): none.
 */
function tagsOf(value: unknown): Record<string, string> {
  const wrapped = isObject(value) ? value.Tag : value;
  const tags: Record<string, string> = {};
  if (!Array.isArray(wrapped)) return tags;
  for (const tag of wrapped) {
    if (isObject(tag) && typeof tag.TagKey === 'string') tags[tag.TagKey] = typeof tag.TagValue === 'string' ? tag.TagValue : '';
  }
  return tags;
}

function optional(name: string, value: string | undefined): Record<string, string> {
  return value === undefined || value === '' ? {} : { [name]: value };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function definedOnly<T extends Record<string, string | undefined>>(fields: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: string };
}
