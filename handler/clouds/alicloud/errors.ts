import { ALICLOUD_ACCESS_KEY_ENV, ALICLOUD_SECRET_KEY_ENV, ALICLOUD_SECURITY_TOKEN_ENV } from './settings';
import { NAME_RULES, TAG_RULES } from '../../../src/contract';
import { parseJsonObject } from '../../http/api-call';
import { CloudApiError, CloudErrorOutcome, CodeMeaning, missingPermissionRemedy, TRANSPORT_ERROR_CODES } from '../../http/cloud-api-error';
import { HttpResponse } from '../../http/transport';

/**
 * The codes that say "this key pair does not exist" (DescribeKeyPairs, DeleteKeyPairs, Attach/Detach:
 * the official provider's `errors.go`). Only these: `InvalidAccessKeyId.NotFound` and
 * `InvalidRegionId.NotFound` are HTTP 404 too, and a bare 404 proves nothing (docs/cloud-behaviour.md#not-found-codes).
 */
export const ALICLOUD_NOT_FOUND_CODES: readonly string[] = ['InvalidKeyPair.NotFound', 'InvalidKeyPairName.NotFound'];

/**
 * TagResources and UntagResources on a key pair name the region does not hold (HTTP 404). A not-found
 * outcome like the codes above, kept apart from them: it names the tag actions' resource, not a key pair.
 */
export const ALICLOUD_TAG_RESOURCE_NOT_FOUND_CODE = 'InvalidResourceId.NotFound';

/** The tag actions, whose refusals get remedies of their own (permissions, tag quotas). */
const TAG_ACTIONS: ReadonlySet<string> = new Set(['TagResources', 'UntagResources']);

/**
 * DeleteKeyPairs of a pair still bound to an instance; it lasts a while after the instance is gone
 * (docs/cloud-behaviour.md#bound-key-pair-delete).
 */
export const ALICLOUD_IN_USE_CODE = 'InvalidParameter.KeypairAlreadyAttachedInstance';

/**
 * CreateKeyPair and ImportKeyPair under a name the region already holds (names are unique per region:
 * docs/cloud-behaviour.md#key-pair-names-are-unique).
 */
export const ALICLOUD_NAME_TAKEN_CODE = 'KeyPair.AlreadyExist';

/** A describe that would need more pages than the client follows (this project's code, not the cloud's). */
export const ALICLOUD_PAGING_LIMIT_CODE = 'PagingLimitExceeded';
/** A describe whose pages stopped bringing key pairs before TotalCount was reached (this project's code). */
export const ALICLOUD_PAGING_INCOMPLETE_CODE = 'PagingIncomplete';

/** The error envelope: `{"RequestId","HostId","Code","Message"}` with a 4xx/5xx status. */
export interface AlicloudErrorEnvelope {
  readonly code: string;
  readonly message: string;
  readonly requestId?: string;
}

/**
 * Throttling codes: `Throttling`, `Throttling.User`, `Throttling.Api`, `Rejected.Throttling`...
 * (docs/cloud-behaviour.md#throttling-and-transient-errors).
 */
function isThrottling(code: string): boolean {
  return code.includes('Throttling');
}

/**
 * Throttling, `ServiceUnavailable` and server-side failures are worth another attempt; client errors
 * never are (the in-use refusal lasts seconds to minutes: the lifecycle waits for it, not the HTTP layer).
 */
function isRetryableAlicloudError(code: string, httpStatus: number): boolean {
  if (isThrottling(code)) return true;
  if (code === 'ServiceUnavailable' || code.startsWith('InternalError')) return true;
  return httpStatus >= 500;
}

/** What an answered error means for the key pair (see CloudErrorOutcome). */
function alicloudOutcome(code: string, httpStatus: number): CloudErrorOutcome {
  // A throttled request is refused at the gateway before the action runs, so even a create may be resent.
  if (isThrottling(code)) return 'refused';
  if (ALICLOUD_NOT_FOUND_CODES.includes(code) || code === ALICLOUD_TAG_RESOURCE_NOT_FOUND_CODE) return 'not-found';
  if (code === ALICLOUD_IN_USE_CODE) return 'in-use';
  if (code === ALICLOUD_NAME_TAKEN_CODE) return 'name-taken';
  // An internal error or an unavailable service may come after the action ran.
  if (isRetryableAlicloudError(code, httpStatus)) return 'unknown';
  return 'permanent';
}

/** Requests expire 15 minutes after their date (docs/cloud-behaviour.md#request-clock-limits). */
const CREDENTIAL_REMEDY =
  `Check the AccessKey in ${ALICLOUD_ACCESS_KEY_ENV[0]} / ${ALICLOUD_SECRET_KEY_ENV[0]} ` +
  `(or ${ALICLOUD_ACCESS_KEY_ENV[1]} / ${ALICLOUD_SECRET_KEY_ENV[1]}), the STS token in ${ALICLOUD_SECURITY_TOKEN_ENV[0]} ` +
  'when you use one, and that this machine\'s clock is right (requests are valid for 15 minutes)';

const TAG_RULE_TEXT = (() => {
  const rules = TAG_RULES.alicloud;
  return rules ? `${rules.key.description}; ${rules.value.description}; at most ${rules.maxTags} tags per key pair` : '';
})();

/** Who deploys, in RAM's words (RAM actions are `<product>:<API action>`: `ecs:CreateKeyPair`, `kms:CreateSecret`). */
export const RAM_IDENTITY = 'RAM user or role';
const ECS_KEY_PAIR_PERMISSIONS = 'ecs:CreateKeyPair, ecs:ImportKeyPair, ecs:DescribeKeyPairs and ecs:DeleteKeyPairs';

/**
 * A refusal for lack of permission: RAM's `Forbidden.RAM` (HTTP 403, what ECS answers a RAM user or role
 * without the action's permission: docs/cloud-behaviour.md#permission-refusals), and the other `Forbidden…`
 * and `NoPermission` codes Alibaba's products answer the same way. Permanent: granting the permission is the
 * only way past it.
 */
export function isAlicloudPermissionDenial(code: string): boolean {
  return code.startsWith('Forbidden') || code === 'NoPermission';
}

type RemedyRule = readonly [(code: string, action: string) => boolean, string | ((action: string) => string)];

const REMEDIES: readonly RemedyRule[] = [
  [
    (code) =>
      code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature' || code === 'SignatureNonceUsed' ||
      code.startsWith('InvalidAccessKeyId') || code.startsWith('InvalidSecurityToken') ||
      code === 'InvalidTimeStamp.Expired' || code === 'IllegalTimestamp' || code === 'InvalidTimeStamp.Format',
    CREDENTIAL_REMEDY,
  ],
  [
    (code, action) => TAG_ACTIONS.has(action) && (isAlicloudPermissionDenial(code) || code === 'NoPermission.Tag'),
    (action) =>
      missingPermissionRemedy(RAM_IDENTITY, `ecs:TagResources and ecs:UntagResources on the key pairs (besides ${ECS_KEY_PAIR_PERMISSIONS})`, {
        action,
        permission: `ecs:${action}`,
      }),
  ],
  [
    (code) => isAlicloudPermissionDenial(code),
    (action) => missingPermissionRemedy(RAM_IDENTITY, ECS_KEY_PAIR_PERMISSIONS, { action, permission: `ecs:${action}` }),
  ],
  [
    (code) => code === 'OperationDenied.QuotaExceed' || code === 'NumberExceed.Tags' || code === 'InvalidTagCount',
    `A key pair holds at most ${TAG_RULES.alicloud?.maxTags ?? 20} tags, the ownership tag included: remove tags from the key pair's tags, ` +
      'or tags added outside Terraform from the key pair',
  ],
  [
    (code) => code === 'InvalidResourceType.NotFound' || code === 'InvalidResourceId.NotSupported',
    'Check that the endpoint is Alibaba Cloud ECS (API 2014-05-26), which tags SSH key pairs as ResourceType keypair',
  ],
  [
    (code) => code === ALICLOUD_TAG_RESOURCE_NOT_FOUND_CODE,
    'The key pair does not exist in this region: it was deleted outside Terraform (run terraform apply again: the plan makes it again), or the region is wrong',
  ],
  [
    (code) => code === ALICLOUD_NAME_TAKEN_CODE,
    'Key pair names are unique per region: choose another name, or delete the existing key pair first',
  ],
  [
    (code) => code === 'QuotaExceed.KeyPair',
    'The region holds the maximum number of key pairs (500): delete unused key pairs or use another region',
  ],
  [
    (code) => code === 'InvalidPublicKeyBody.Malformed',
    'Pass one OpenSSH public key line (ssh-rsa, ssh-dss or ecdsa-sha2-*): `<type> <base64> [comment]`',
  ],
  [
    (code) => code === 'InvalidKeyPairName.Malformed',
    // The rule differs between the two actions; its words come from the contract.
    (action) => (action === 'ImportKeyPair' ? NAME_RULES.alicloud.import : NAME_RULES.alicloud.create).description,
  ],
  [
    (code) =>
      code === 'InvalidTagKey.Malformed' || code === 'InvalidTagValue.Malformed' || code === 'Duplicate.TagKey' ||
      code === 'QuotaExceed.Tags' || code === 'InvalidTag.Mismatch',
    TAG_RULE_TEXT,
  ],
  [
    (code) => ALICLOUD_NOT_FOUND_CODES.includes(code),
    'The key pair does not exist in this region: it was deleted outside Terraform, or the region is wrong',
  ],
  [
    (code) => code === 'InvalidRegionId.NotFound',
    'Check the region id (for example cn-hangzhou) and that the endpoint serves it',
  ],
  [
    (code) => code === 'InvalidResourceGroup.NotFound',
    'Check the resource group id (rg-…) and that it belongs to this account',
  ],
  [
    (code) => code === ALICLOUD_IN_USE_CODE,
    'The key pair is still attached to an instance. Right after the instance is deleted this lasts a few minutes: ' +
      'run the delete again later; otherwise detach it first (DetachKeyPair, e.g. `aliyun ecs DetachKeyPair`) or delete the instance',
  ],
  [
    (code) => isThrottling(code),
    'The account is being throttled: retry later, or run fewer operations in parallel',
  ],
];

function alicloudRemedy(code: string, action: string): string | undefined {
  const remedy = REMEDIES.find(([matches]) => matches(code, action))?.[1];
  return typeof remedy === 'function' ? remedy(action) : remedy || undefined;
}

/**
 * What an Alibaba error code, answered with `httpStatus` to `action`, means: its outcome, whether it may be
 * sent again now or later (throttling), and the remedy.
 */
export function alicloudCodeMeaning(code: string, httpStatus: number, action: string): CodeMeaning {
  return {
    outcome: alicloudOutcome(code, httpStatus),
    retryable: isRetryableAlicloudError(code, httpStatus),
    retryLater: isThrottling(code),
    remedy: alicloudRemedy(code, action),
  };
}

/**
 * Reads an answer: returns its JSON body on a 2xx, throws the CloudApiError of the error envelope otherwise
 * (`meaningOf` is the product's table: ECS's by default). Never echoes the body.
 */
export function readAlicloudAnswer(
  action: string,
  response: HttpResponse,
  meaningOf: (code: string, httpStatus: number, action: string) => CodeMeaning = alicloudCodeMeaning,
): Record<string, unknown> {
  const body = parseJsonObject('alicloud', action, response);
  if (response.status < 200 || response.status >= 300) throw alicloudApiError(action, response, body, meaningOf);
  return body;
}

/** Reads the error envelope; the shared call layer redacts its message. Undefined when there is no `Code`. */
function readAlicloudErrorEnvelope(body: Record<string, unknown>): AlicloudErrorEnvelope | undefined {
  const code = typeof body.Code === 'string' ? body.Code : undefined;
  if (!code) return undefined;
  const message = typeof body.Message === 'string' ? body.Message.trim() : '';
  return {
    code,
    message: message || '(no message)',
    requestId: typeof body.RequestId === 'string' ? body.RequestId : undefined,
  };
}

/** Builds the CloudApiError for a non-2xx answer whose body is a JSON object; `meaningOf` is the product's table (ECS's by default). */
export function alicloudApiError(
  action: string,
  response: HttpResponse,
  body: Record<string, unknown>,
  meaningOf: (code: string, httpStatus: number, action: string) => CodeMeaning = alicloudCodeMeaning,
): CloudApiError {
  const envelope = readAlicloudErrorEnvelope(body) ?? {
    code: `HTTP${response.status}`,
    message: 'the error answer carried no Code',
    requestId: typeof body.RequestId === 'string' ? body.RequestId : undefined,
  };
  const meaning = meaningOf(envelope.code, response.status, action);
  return new CloudApiError({
    cloud: 'alicloud',
    action,
    code: envelope.code,
    message: envelope.message,
    requestId: envelope.requestId,
    httpStatus: response.status,
    retryable: meaning.retryable,
    retryLater: meaning.retryLater,
    outcome: meaning.outcome,
    remedy: meaning.remedy,
  });
}

/**
 * A success answer without a field the action cannot do without. Named by field, never echoed: the body
 * may hold a private key. `outcome` says whether the action may have taken effect regardless.
 */
export function alicloudMalformedAnswerError(
  action: string,
  field: string,
  response: HttpResponse,
  requestId: string | undefined,
  outcome: CloudErrorOutcome,
  remedy?: string,
): CloudApiError {
  return new CloudApiError({
    cloud: 'alicloud',
    action,
    code: TRANSPORT_ERROR_CODES.malformedResponse,
    message: `the answer has no ${field}`,
    requestId,
    httpStatus: response.status,
    retryable: false,
    outcome,
    remedy,
  });
}
