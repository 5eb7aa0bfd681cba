import type { EmulatorResponse } from '../../cloud-emulator';

/** What the gateway reports as `HostId` when the request did not say which host it reached. */
export const DEFAULT_HOST_ID = 'ecs.aliyuncs.com';

const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8' };

/**
 * The error codes the emulator answers with, and their HTTP statuses.
 *
 * From official text (ECS API reference pages of the four actions, the common-error list and the
 * signature pages): KeyPair.AlreadyExist, QuotaExceed.KeyPair, InvalidKeyPairName.Malformed,
 * InvalidPublicKeyBody.Malformed, MissingParameter, InvalidKeyPairNames.ValueNotSupported,
 * InvalidTagKey.Malformed, InvalidTagValue.Malformed, Duplicate.TagKey, QuotaExceed.Tags,
 * IncompleteSignature, InvalidAccessKeyId.NotFound, InternalError,
 * InvalidParameter.KeypairAlreadyAttachedInstance (DeleteKeyPairs), InvalidRegionId.NotFound; and the
 * codes of TagResources and UntagResources: MissingParameter.RegionId, MissingParameter.ResourceType,
 * MissingParameter.Tags, InvalidResourceType.NotFound, InvalidResourceId.NotFound, NumberExceed.ResourceIds,
 * NumberExceed.Tags, InvalidTag.Mismatch, OperationDenied.QuotaExceed.
 *
 * Commonly seen on the wire but not found in official text: SignatureDoesNotMatch,
 * InvalidTimeStamp.Expired, InvalidTimeStamp.Format, InvalidSecurityToken.Malformed,
 * InvalidSecurityToken.MismatchWithAccessKey, Throttling.User, MissingRegionId, InvalidVersion,
 * InvalidAction.NotFound, InvalidParameter (paging), and InvalidKeyPair.NotFound (which the official
 * Terraform provider handles for DescribeKeyPairs and DeleteKeyPairs).
 *
 * The answer to a RAM user or role without the permission for the action (the `denied` fault): `Forbidden.RAM`
 * with HTTP 403, which Alibaba's announcement of ECS's Describe authentication change documents for the
 * Describe actions (docs/cloud-behaviour.md#permission-refusals). That ECS answers it to its key pair
 * create, import and delete as well is the emulator's choice.
 */
export const ALICLOUD_ERRORS = {
  keyPairAlreadyExists: { code: 'KeyPair.AlreadyExist', status: 400, message: 'The key pair already exist.' },
  keyPairQuotaExceeded: { code: 'QuotaExceed.KeyPair', status: 403, message: 'The key pair quota exceeds.' },
  keyPairNameMalformed: { code: 'InvalidKeyPairName.Malformed', status: 400, message: 'Specified key pair name is not valid.' },
  publicKeyMalformed: { code: 'InvalidPublicKeyBody.Malformed', status: 400, message: 'The PublicKeyBody format is not supported.' },
  keyPairNotFound: { code: 'InvalidKeyPair.NotFound', status: 404, message: 'The specified KeyPair does not exist.' },
  keyPairAttached: {
    code: 'InvalidParameter.KeypairAlreadyAttachedInstance',
    status: 400,
    message: 'The specified parameter "KeyPairNames" attached to instances can not be deleted.',
  },
  regionNotFound: { code: 'InvalidRegionId.NotFound', status: 404, message: 'The specified RegionId does not exist.' },
  keyPairNamesNotSupported: {
    code: 'InvalidKeyPairNames.ValueNotSupported',
    status: 400,
    message: 'The specified parameter "KeyPairNames" is not valid.',
  },
  tagKeyMalformed: { code: 'InvalidTagKey.Malformed', status: 400, message: 'The specified Tag.n.Key is not valid.' },
  tagValueMalformed: { code: 'InvalidTagValue.Malformed', status: 400, message: 'The specified Tag.n.Value is not valid.' },
  duplicateTagKey: { code: 'Duplicate.TagKey', status: 400, message: 'The Tag.N.Key contain duplicate key.' },
  tagQuotaExceeded: { code: 'QuotaExceed.Tags', status: 403, message: 'The maximum number of tags is exceeded.' },
  missingRegionId: { code: 'MissingRegionId', status: 400, message: 'RegionId is mandatory for this action.' },
  // TagResources and UntagResources, with the statuses and messages of their reference pages.
  tagsMissingRegionId: { code: 'MissingParameter.RegionId', status: 404, message: 'The parameter - RegionId should not be null' },
  missingResourceType: { code: 'MissingParameter.ResourceType', status: 404, message: 'The parameter - ResourceType should not be null' },
  missingTags: { code: 'MissingParameter.Tags', status: 404, message: 'The parameter - Tags should not be null' },
  resourceTypeNotFound: { code: 'InvalidResourceType.NotFound', status: 404, message: 'The ResourceType provided does not exist in our records.' },
  resourceNotFound: { code: 'InvalidResourceId.NotFound', status: 404, message: 'The specified ResourceIds are not found in our records.' },
  tooManyResourceIds: { code: 'NumberExceed.ResourceIds', status: 400, message: "The ResourceIds parameter's number is exceed , Valid : 50" },
  tooManyTags: { code: 'NumberExceed.Tags', status: 400, message: "The Tags parameter's number is exceed , Valid : 20" },
  tagMismatch: { code: 'InvalidTag.Mismatch', status: 400, message: 'The specified Tag.n.Key and Tag.n.Value are not match.' },
  resourceTagQuotaExceeded: {
    code: 'OperationDenied.QuotaExceed',
    status: 400,
    message: 'The quota of tags on resource is beyond permitted range.',
  },
  invalidPaging: { code: 'InvalidParameter', status: 400, message: 'The specified parameter "PageSize" is not valid.' },
  incompleteSignature: { code: 'IncompleteSignature', status: 400, message: 'The request signature does not conform to Aliyun standards.' },
  accessKeyNotFound: { code: 'InvalidAccessKeyId.NotFound', status: 404, message: 'Specified access key is not found.' },
  signatureMismatch: { code: 'SignatureDoesNotMatch', status: 400, message: 'Specified signature is not matched with our calculation.' },
  timestampExpired: { code: 'InvalidTimeStamp.Expired', status: 400, message: 'Specified time stamp or date value is expired.' },
  timestampMalformed: { code: 'InvalidTimeStamp.Format', status: 400, message: 'Specified time stamp or date value is not well formatted.' },
  securityTokenMalformed: { code: 'InvalidSecurityToken.Malformed', status: 400, message: 'Specified SecurityToken is malformed.' },
  securityTokenMismatch: {
    code: 'InvalidSecurityToken.MismatchWithAccessKey',
    status: 400,
    message: 'Specified SecurityToken mismatch with the AccessKey.',
  },
  invalidVersion: { code: 'InvalidVersion', status: 400, message: 'Specified parameter Version is not valid.' },
  actionNotFound: { code: 'InvalidAction.NotFound', status: 404, message: 'Specified api is not found, please check your url and method.' },
  throttled: { code: 'Throttling.User', status: 400, message: 'Request was denied due to user flow control.' },
  /** See above: only the `denied` fault answers it, before the action runs. */
  ramDenied: { code: 'Forbidden.RAM', status: 403, message: "User not authorized to operate on the specified resource, or this API doesn't support RAM." },
  internalError: {
    code: 'InternalError',
    status: 500,
    message: 'The request processing has failed due to some unknown error, exception or failure.',
  },
} as const;

export interface AlicloudErrorSpec {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

/** Thrown by any step of handling a request; the module answers it in the error envelope. */
export class AlicloudFault extends Error {
  constructor(
    public readonly spec: AlicloudErrorSpec,
    /** Replaces the spec's message when the cloud names the parameter at fault. */
    public readonly detail?: string,
  ) {
    super(detail ?? spec.message);
    this.name = 'AlicloudFault';
  }
}

/** `MissingParameter` naming the parameter, as the gateway does. */
export function missingParameter(name: string): AlicloudFault {
  return new AlicloudFault(
    { code: 'MissingParameter', status: 400, message: '' },
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

/** Success: HTTP 200, the action's fields next to `RequestId`, no wrapper. */
export function alicloudSuccess(requestId: string, fields: Record<string, unknown>): EmulatorResponse {
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ RequestId: requestId, ...fields }) };
}

/**
 * Failure: `{"RequestId","HostId","Code","Message","Recommend"}` with the code's HTTP status; `product` is
 * the troubleshooting link's (`Ecs`, `Kms`).
 */
export function alicloudError(
  spec: AlicloudErrorSpec,
  requestId: string,
  hostId: string = DEFAULT_HOST_ID,
  message?: string,
  product: string = 'Ecs',
): EmulatorResponse {
  return {
    status: spec.status,
    headers: JSON_HEADERS,
    body: JSON.stringify({
      RequestId: requestId,
      HostId: hostId,
      Code: spec.code,
      Message: message ?? spec.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(spec.code)}&product=${product}&requestId=${requestId}`,
    }),
  };
}

/** Request ids are uppercase UUIDs (`473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E`). */
export function alicloudRequestId(uuid: string): string {
  return uuid.toUpperCase();
}
