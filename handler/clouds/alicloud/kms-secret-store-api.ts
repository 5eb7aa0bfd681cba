import { ALICLOUD_KMS_API, AlicloudClient } from './client';
import { createSecret, deleteSecret, describeSecret, getSecretValue, KMS_MAX_SECRET_DATA_BYTES, KmsSecret } from './kms-actions';
import { KMS_IN_DELETE_WINDOW_CODE, KMS_NOT_FOUND_CODE } from './kms-errors';
import { CloudApiError } from '../../http/cloud-api-error';
import type { CloudConnection } from '../cloud-connection';
import type { SecretValue } from '../credentials';
import type { CreateSecretInput, SecretStoreApi, StoredSecret } from '../secret-store-api';
import { checkRecoveryWindow, checkValueSize } from '../secret-store-checks';

/** RecoveryWindowInDays takes 7 to 30 (the official provider's documented range); 0 deletes at once. */
export const KMS_RECOVERY_WINDOW_DAYS = { min: 7, max: 30 } as const;

/**
 * Alibaba Cloud KMS Secrets Manager as the lifecycle sees every store. KMS secrets have no enabled or
 * disabled state: a secret is `enabled` until DeleteSecret schedules it (`PlannedDeleteTime` set).
 */
export class AlicloudKmsSecretStoreApi implements SecretStoreApi {
  readonly label: string;
  readonly maxValueBytes = KMS_MAX_SECRET_DATA_BYTES;
  private readonly client: AlicloudClient;

  constructor(connection: CloudConnection) {
    this.client = new AlicloudClient(connection, ALICLOUD_KMS_API);
    this.label = `Alibaba Cloud KMS (${connection.region})`;
  }

  async describe(name: string): Promise<StoredSecret | undefined> {
    try {
      return toStoredSecret(await describeSecret(this.client, name));
    } catch (err) {
      if (hasCode(err, KMS_NOT_FOUND_CODE)) return undefined;
      // Whether KMS describes a scheduled secret or refuses with this code is unconfirmed: both say the same.
      if (hasCode(err, KMS_IN_DELETE_WINDOW_CODE)) return { name, status: 'pending-delete', ...requestIdOf(err) };
      throw err;
    }
  }

  async create(input: CreateSecretInput): Promise<StoredSecret> {
    checkValueSize(this.label, input.value, this.maxValueBytes);
    const answer = await createSecret(this.client, {
      secretName: input.name,
      secretData: input.value,
      versionId: input.versionId,
      encryptionKeyId: input.kmsKeyId, // likely required by KMS 3.0: docs/cloud-behaviour.md#kms-instance
      description: input.description,
      tags: input.tags,
    });
    return {
      name: answer.secretName,
      status: 'enabled',
      tags: { ...input.tags },
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(answer.arn !== undefined ? { resourceName: answer.arn } : {}),
      ...(answer.requestId !== undefined ? { requestId: answer.requestId } : {}),
    };
  }

  async getValue(name: string, versionId: string): Promise<SecretValue | undefined> {
    try {
      const answer = await getSecretValue(this.client, name, versionId);
      return answer.secretData;
    } catch (err) {
      // KMS answers the same code for an unknown secret and an unknown version of it.
      if (hasCode(err, KMS_NOT_FOUND_CODE)) return undefined;
      throw err;
    }
  }

  async delete(name: string, recoveryWindowDays: number): Promise<void> {
    checkRecoveryWindow(this.label, recoveryWindowDays, KMS_RECOVERY_WINDOW_DAYS);
    try {
      await deleteSecret(this.client, name, recoveryWindowDays);
    } catch (err) {
      if (hasCode(err, KMS_NOT_FOUND_CODE)) return;
      // Already scheduled: what a delete with a window asks for. A delete at once is refused with the remedy.
      if (recoveryWindowDays > 0 && hasCode(err, KMS_IN_DELETE_WINDOW_CODE)) return;
      throw err;
    }
  }
}

function toStoredSecret(secret: KmsSecret): StoredSecret {
  return {
    name: secret.secretName,
    status: secret.plannedDeleteTime !== undefined ? 'pending-delete' : 'enabled',
    tags: secret.tags,
    ...(secret.description !== undefined ? { description: secret.description } : {}),
    ...(secret.arn !== undefined ? { resourceName: secret.arn } : {}),
    ...(secret.plannedDeleteTime !== undefined ? { plannedDeleteTime: kmsTimeToIso(secret.plannedDeleteTime) } : {}),
    ...(secret.requestId !== undefined ? { requestId: secret.requestId } : {}),
  };
}

/** KMS writes times as `2024-01-01T00:00:00Z` (ISO 8601 UTC); anything unreadable is passed on as given. */
function kmsTimeToIso(time: string): string {
  const parsed = Date.parse(time);
  return Number.isNaN(parsed) ? time : new Date(parsed).toISOString();
}

function hasCode(err: unknown, code: string): err is CloudApiError {
  return err instanceof CloudApiError && err.code === code;
}

function requestIdOf(err: CloudApiError): { requestId?: string } {
  return err.requestId !== undefined ? { requestId: err.requestId } : {};
}

/** The KMS secret store for a resolved Alibaba connection (see `factory.ts`). */
export function createAlicloudKmsSecretStoreApi(connection: CloudConnection): SecretStoreApi {
  return new AlicloudKmsSecretStoreApi(connection);
}
