import { TencentcloudClient } from './client';
import { tencentcloudMalformedAnswerError } from './errors';
import { TENCENTCLOUD_SSM_API } from './settings';
import {
  createSecret,
  deleteSecret,
  describeSecret,
  disableSecret,
  getSecretValue,
  SSM_MAX_SECRET_STRING_BYTES,
  SsmSecret,
  tencentcloudSecretResourceName,
} from './ssm-actions';
import { SSM_DISABLED_CODE, SSM_NOT_FOUND_CODES } from './ssm-errors';
import { CloudApiError } from '../../http/cloud-api-error';
import type { CloudConnection } from '../cloud-connection';
import type { SecretValue } from '../credentials';
import type { CreateSecretInput, SecretStatus, SecretStoreApi, StoredSecret } from '../secret-store-api';
import { checkRecoveryWindow, checkValueSize } from '../secret-store-checks';

/** RecoveryWindowInDays takes 0 (delete at once) to 30. */
export const SSM_RECOVERY_WINDOW_DAYS = { min: 1, max: 30 } as const;

const STATUSES: Readonly<Record<string, SecretStatus>> = { Enabled: 'enabled', Disabled: 'disabled', PendingDelete: 'pending-delete' };

/**
 * Tencent Cloud SSM as the lifecycle sees every store. Tags: CreateSecret takes them, but DescribeSecret is
 * not documented to return them, and reading them through the Tag API would need a resource name and
 * parameters the references do not confirm for SSM. So a describe whose answer has no `Tags` list reports
 * the tags as unknown (undefined), never as none.
 */
export class TencentcloudSsmSecretStoreApi implements SecretStoreApi {
  readonly label: string;
  readonly maxValueBytes = SSM_MAX_SECRET_STRING_BYTES;
  private readonly client: TencentcloudClient;

  constructor(private readonly connection: CloudConnection) {
    this.client = new TencentcloudClient(connection, TENCENTCLOUD_SSM_API);
    this.label = `Tencent Cloud SSM (${connection.region})`;
  }

  async describe(name: string): Promise<StoredSecret | undefined> {
    try {
      return this.toStoredSecret(await describeSecret(this.client, name));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async create(input: CreateSecretInput): Promise<StoredSecret> {
    checkValueSize(this.label, input.value, this.maxValueBytes);
    const answer = await createSecret(this.client, {
      secretName: input.name,
      secretString: input.value,
      versionId: input.versionId,
      kmsKeyId: input.kmsKeyId,
      description: input.description,
      tags: input.tags,
    });
    // A non-zero TagCode: the secret exists, but its tags may not have been set.
    const tagsSet = answer.tagCode === undefined || answer.tagCode === 0;
    return {
      name: answer.secretName,
      status: 'enabled',
      ...(tagsSet ? { tags: { ...input.tags } } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(answer.requestId !== undefined ? { requestId: answer.requestId } : {}),
    };
  }

  async getValue(name: string, versionId: string): Promise<SecretValue | undefined> {
    try {
      return (await getSecretValue(this.client, name, versionId)).value;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** DescribeSecret, DisableSecret when the secret is enabled, then DeleteSecret (docs/cloud-behaviour.md#secret-deletion); gone at any step is done. */
  async delete(name: string, recoveryWindowDays: number): Promise<void> {
    checkRecoveryWindow(this.label, recoveryWindowDays, SSM_RECOVERY_WINDOW_DAYS);
    const secret = await this.describe(name);
    if (secret === undefined) return;
    // Already scheduled: what a delete with a window asks for. A delete at once is left to SSM to refuse, with the remedy.
    if (secret.status === 'pending-delete' && recoveryWindowDays > 0) return;
    try {
      if (secret.status === 'enabled') await this.disable(name);
      await deleteSecret(this.client, name, recoveryWindowDays);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  private async disable(name: string): Promise<void> {
    try {
      await disableSecret(this.client, name);
    } catch (err) {
      // Disabled meanwhile (by another run, or by hand): what this call was for.
      if (err instanceof CloudApiError && err.code === SSM_DISABLED_CODE) return;
      throw err;
    }
  }

  private toStoredSecret(secret: SsmSecret): StoredSecret {
    const status = STATUSES[secret.status];
    if (status === undefined) {
      // `Creating` and `Failed` belong to secrets SSM makes itself (SSH key pairs, product secrets), never ours.
      const what = `the secret's status "${secret.status}" is not one a custom secret has`;
      throw tencentcloudMalformedAnswerError('DescribeSecret', what, secret.requestId, TENCENTCLOUD_SSM_API);
    }
    const { deleteTime, createUin } = secret;
    const pending = status === 'pending-delete' && deleteTime !== undefined && deleteTime > 0;
    return {
      name: secret.secretName,
      status,
      ...(secret.tags !== undefined ? { tags: secret.tags } : {}),
      ...(secret.description !== undefined ? { description: secret.description } : {}),
      ...(createUin !== undefined ? { resourceName: tencentcloudSecretResourceName(this.connection.region, createUin, secret.secretName) } : {}),
      ...(pending ? { plannedDeleteTime: new Date(deleteTime * 1000).toISOString() } : {}),
      ...(secret.requestId !== undefined ? { requestId: secret.requestId } : {}),
    };
  }
}

function isNotFound(err: unknown): err is CloudApiError {
  return err instanceof CloudApiError && err.outcome === 'not-found' && SSM_NOT_FOUND_CODES.includes(err.code);
}

/** The SSM secret store for a resolved Tencent Cloud connection (see `factory.ts`). */
export function createTencentcloudSsmSecretStoreApi(connection: CloudConnection): SecretStoreApi {
  return new TencentcloudSsmSecretStoreApi(connection);
}
