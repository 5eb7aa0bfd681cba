import type { TencentcloudClient } from './client';
import { tencentcloudMalformedAnswerError } from './errors';
import { TENCENTCLOUD_SSM_SERVICE } from './settings';
import { SecretValue } from '../credentials';

/**
 * SSM's five secret actions (API 2019-09-23) as Tencent defines them: parameters in, what the answer says
 * out, in SSM's terms. The client must be bound to SSM (`new TencentcloudClient(connection,
 * TENCENTCLOUD_SSM_API)`); the region travels in `X-TC-Region` on every call (secrets are regional, though
 * newer pages call it optional). What a state or an error means for the lifecycle is
 * `ssm-secret-store-api.ts`'s job.
 */

/** SecretString holds at most 4,096 bytes. */
export const SSM_MAX_SECRET_STRING_BYTES = 4_096;

export interface CreateSecretRequest {
  readonly secretName: string;
  readonly secretString: SecretValue;
  readonly versionId: string;
  readonly kmsKeyId?: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface CreateSecretAnswer {
  readonly secretName: string;
  readonly versionId?: string;
  /**
   * The official SDK's `TagCode`: 0 when the tags were set; otherwise the secret exists but its tags may
   * not. Undefined when the answer does not say.
   */
  readonly tagCode?: number;
  readonly requestId?: string;
}

/** A secret as DescribeSecret shows it (no value). */
export interface SsmSecret {
  readonly secretName: string;
  /** `Enabled`, `Disabled`, `PendingDelete` (and `Creating`, `Failed` for secrets SSM makes itself). */
  readonly status: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  /** The account that created the secret: part of its six-segment resource name. */
  readonly createUin?: string;
  /** Unix seconds when a pending deletion becomes final; 0 or absent otherwise. */
  readonly deleteTime?: number;
  /** Undefined when the answer carries no `Tags` list (DescribeSecret is not documented to return one). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly requestId?: string;
}

export interface GetSecretValueAnswer {
  readonly secretName: string;
  readonly versionId?: string;
  readonly value: SecretValue;
  readonly requestId?: string;
}

export interface SsmAnswer {
  readonly requestId?: string;
}

export interface DeleteSecretAnswer extends SsmAnswer {
  /** Unix seconds when the deletion becomes final (0 or the present for a deletion at once). */
  readonly deleteTime?: number;
}

/** CreateSecret: a custom (type 0) secret with its first version, key, description and tags in one call. */
export function createSecret(client: TencentcloudClient, request: CreateSecretRequest): Promise<CreateSecretAnswer> {
  const tags = Object.entries(request.tags ?? {});
  const body: Record<string, unknown> = {
    SecretName: request.secretName,
    VersionId: request.versionId,
    SecretString: request.secretString.reveal(),
  };
  if (request.kmsKeyId !== undefined && request.kmsKeyId !== '') body.KmsKeyId = request.kmsKeyId;
  if (request.description !== undefined && request.description !== '') body.Description = request.description;
  if (tags.length > 0) body.Tags = tags.map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  return client.call(
    'CreateSecret',
    body,
    (response) => ({
      secretName: optionalString(response.SecretName) ?? request.secretName,
      ...definedOnly({
        versionId: optionalString(response.VersionId),
        tagCode: typeof response.TagCode === 'number' ? response.TagCode : undefined,
        requestId: optionalString(response.RequestId),
      }),
    }),
    [request.secretString],
  );
}

export function describeSecret(client: TencentcloudClient, secretName: string): Promise<SsmSecret> {
  const action = 'DescribeSecret';
  return client.call(action, { SecretName: secretName }, (response) => {
    const requestId = optionalString(response.RequestId);
    const status = optionalString(response.Status);
    if (status === undefined) throw tencentcloudMalformedAnswerError(action, 'expected a Status', requestId, client.api);
    return {
      secretName: optionalString(response.SecretName) ?? secretName,
      status,
      ...definedOnly({
        description: optionalString(response.Description),
        kmsKeyId: optionalString(response.KmsKeyId),
        createUin: typeof response.CreateUin === 'number' ? String(response.CreateUin) : optionalString(response.CreateUin),
        deleteTime: typeof response.DeleteTime === 'number' ? response.DeleteTime : undefined,
        tags: tagsOf(response.Tags),
        requestId,
      }),
    };
  });
}

/** GetSecretValue of one version: its SecretString, or its SecretBinary decoded from base64. */
export function getSecretValue(client: TencentcloudClient, secretName: string, versionId: string): Promise<GetSecretValueAnswer> {
  const action = 'GetSecretValue';
  return client.call(action, { SecretName: secretName, VersionId: versionId }, (response) => {
    const requestId = optionalString(response.RequestId);
    const text =
      typeof response.SecretString === 'string' && response.SecretString !== ''
        ? response.SecretString
        : typeof response.SecretBinary === 'string' && response.SecretBinary !== ''
          ? Buffer.from(response.SecretBinary, 'base64').toString('utf8')
          : undefined;
    // Named by field, never echoed.
    if (text === undefined) throw tencentcloudMalformedAnswerError(action, 'expected a SecretString or SecretBinary', requestId, client.api);
    return {
      secretName: optionalString(response.SecretName) ?? secretName,
      value: new SecretValue(text),
      ...definedOnly({ versionId: optionalString(response.VersionId), requestId }),
    };
  });
}

/** DisableSecret: SSM deletes only a disabled secret. */
export function disableSecret(client: TencentcloudClient, secretName: string): Promise<SsmAnswer> {
  return client.call('DisableSecret', { SecretName: secretName }, (response) => definedOnly({ requestId: optionalString(response.RequestId) }));
}

/** DeleteSecret: at once when `recoveryWindowInDays` is 0, else after 1 to 30 days (restorable meanwhile). */
export function deleteSecret(client: TencentcloudClient, secretName: string, recoveryWindowInDays: number): Promise<DeleteSecretAnswer> {
  return client.call('DeleteSecret', { SecretName: secretName, RecoveryWindowInDays: recoveryWindowInDays }, (response) =>
    definedOnly({
      deleteTime: typeof response.DeleteTime === 'number' ? response.DeleteTime : undefined,
      requestId: optionalString(response.RequestId),
    }),
  );
}

/**
 * A secret's six-segment resource name as the official provider builds it for the Tag API:
 * `qcs::ssm:<region>:uin/:secret/creatorUin/<CreateUin>/<SecretName>`.
 */
export function tencentcloudSecretResourceName(region: string, createUin: string, secretName: string): string {
  return `qcs::${TENCENTCLOUD_SSM_SERVICE}:${region}:uin/:secret/creatorUin/${createUin}/${secretName}`;
}

/** A `Tags` list of `{TagKey, TagValue}` (the Tag API's shape) or `{Key, Value}` (CVM's); undefined when absent. */
function tagsOf(value: unknown): Record<string, string> | undefined {
  if (!Array.isArray(value)) return undefined;
  const tags: Record<string, string> = {};
  for (const tag of value) {
    if (!isObject(tag)) continue;
    const key = typeof tag.TagKey === 'string' ? tag.TagKey : typeof tag.Key === 'string' ? tag.Key : undefined;
    const tagValue = typeof tag.TagValue === 'string' ? tag.TagValue : typeof tag.Value === 'string' ? tag.Value : '';
    if (key !== undefined) tags[key] = tagValue;
  }
  return tags;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function definedOnly<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
