import { alicloudCodeMeaning, isAlicloudPermissionDenial, RAM_IDENTITY } from './errors';
import { CodeMeaning, codeMeaningOf, CodeMeaningEntry, missingPermissionRemedy, permanentRefusal } from '../../http/cloud-api-error';

/**
 * KMS Secrets Manager's error codes (API 2016-01-20, the CreateSecret, DescribeSecret, GetSecretValue and
 * DeleteSecret pages): what each means for the secret. Codes not listed here (signature, AccessKey, clock,
 * throttling variants) mean what they mean for every Alibaba product, so ECS's table answers for them.
 */

/** A secret of that name exists (names are unique per region). */
export const KMS_NAME_TAKEN_CODE = 'Rejected.ResourceExist';
/** The secret is scheduled for deletion: no action but RestoreSecret or DescribeSecret works on it. */
export const KMS_IN_DELETE_WINDOW_CODE = 'Rejected.ResourceInDeleteWindow';
/** The secret (or the version asked for) does not exist; the official provider treats it as gone. */
export const KMS_NOT_FOUND_CODE = 'Forbidden.ResourceNotFound';

const PERMISSIONS = 'kms:CreateSecret, kms:DescribeSecret, kms:GetSecretValue and kms:DeleteSecret';

/**
 * KMS's documented refusal for lack of permission (403 on its CreateSecret page), and RAM's own
 * (`Forbidden.RAM`, which a gateway in front of any Alibaba product may answer): the action was not run.
 */
const KMS_DENIED_CODES: ReadonlySet<string> = new Set(['Forbidden.NoPermission', 'Forbidden.RAM']);

const KMS_MEANINGS: Readonly<Record<string, CodeMeaningEntry>> = {
  [KMS_NAME_TAKEN_CODE]: {
    outcome: 'name-taken',
    retryable: false,
    remedy: 'A secret of this name already exists in the region: choose another name, or delete the existing secret first',
  },
  [KMS_IN_DELETE_WINDOW_CODE]: permanentRefusal(
    'A secret of this name is scheduled for deletion: restore it (RestoreSecret, e.g. `aliyun kms RestoreSecret --SecretName <name>`) ' +
      'or wait until its recovery window ends, then apply again',
  ),
  [KMS_NOT_FOUND_CODE]: {
    outcome: 'not-found',
    retryable: false,
    remedy: 'The secret does not exist in this region: it was deleted outside Terraform, or the region is wrong',
  },
  // Refused at the gateway before the action ran: even a create may be sent again, later.
  'Rejected.Throttling': { outcome: 'refused', retryable: true, remedy: 'KMS is throttling the account: retry later, or run fewer operations in parallel' },
  // An internal error may come after the action ran.
  'InternalFailure': { outcome: 'unknown', retryable: true },
  'InvalidParameter': permanentRefusal(
    'KMS refused a parameter: secret names take at most 192 letters, digits and _/+=.-@ (not starting with acs/), ' +
      'at most 20 tags of at most 128 characters, and the encryption key must be a symmetric key of the same KMS instance',
  ),
  'Rejected.LimitExceeded': permanentRefusal('The region holds the most secrets KMS allows this account or instance: delete unused secrets, or raise the quota'),
};

/**
 * What a KMS error code, answered with `httpStatus` to `action`, means: this table first, else what the
 * code means across Alibaba Cloud, with a KMS remedy for a permission refusal the table does not name.
 */
export function alicloudKmsCodeMeaning(code: string, httpStatus: number, action: string): CodeMeaning {
  if (Object.prototype.hasOwnProperty.call(KMS_MEANINGS, code)) return codeMeaningOf(KMS_MEANINGS[code]);
  if (KMS_DENIED_CODES.has(code)) {
    return codeMeaningOf(permanentRefusal(missingPermissionRemedy(RAM_IDENTITY, `${PERMISSIONS} on the secrets (acs:kms:<region>:<account>:secret/*)`, { action, permission: `kms:${action}` })));
  }
  const shared = alicloudCodeMeaning(code, httpStatus, action);
  // ECS's remedy for these names ECS permissions; KMS's own refusals also cover its keys and instances.
  if (isAlicloudPermissionDenial(code)) {
    return { ...shared, remedy: `Check that the encryption key exists in this region and is enabled, and grant the RAM user or role ${PERMISSIONS}` };
  }
  return shared;
}
