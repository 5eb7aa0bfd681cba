import { randomBytes } from 'node:crypto';
import { CallSettings, callCloudApi, fromCallSettings, parseJsonObject } from '../../http/api-call';
import { CloudApiError, TRANSPORT_ERROR_CODES } from '../../http/cloud-api-error';
import { HttpResponse } from '../../http/transport';
import { CloudCredentials, SecretValue } from '../credentials';
import { Environment } from '../environment';
import { resolveAlicloudEndpoint } from './endpoint';
import { ALICLOUD_NOT_FOUND_CODES, alicloudApiError } from './errors';
import { AlicloudSignatureVersion, buildSignedAlicloudRequest, tagParams } from './request';

export interface AlicloudClientOptions extends CallSettings {
  /** Region id, e.g. `cn-hangzhou`: key pairs are regional. */
  readonly region: string;
  readonly credentials: CloudCredentials;
  /** Base URL; else `CDKTF_KEYPAIR_ALICLOUD_ENDPOINT` in `env`, else the SDK's regional endpoint. */
  readonly endpoint?: string;
  /** Where `CDKTF_KEYPAIR_ALICLOUD_ENDPOINT` is looked up; defaults to the process environment. */
  readonly env?: Environment;
  /** `v3` (ACS3-HMAC-SHA256, default) or `v2` (RPC HMAC-SHA1) for gateways that only speak the old scheme. */
  readonly signatureVersion?: AlicloudSignatureVersion;
}

/** ECS allows at most 50 key pairs per DescribeKeyPairs page. */
export const ALICLOUD_MAX_PAGE_SIZE = 50;
/** DeleteKeyPairs takes at most 100 names per call. */
export const ALICLOUD_MAX_DELETE_NAMES = 100;

export interface CreateKeyPairRequest {
  readonly keyPairName: string;
  readonly resourceGroupId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface CreateKeyPairResult {
  readonly keyPairId: string;
  readonly keyPairName: string;
  /** The fingerprint as ECS reports it (treated as an opaque string). */
  readonly fingerprint: string;
  /** Unencrypted PKCS#8 PEM, handed out once by the cloud; reveal it only to write the key file. */
  readonly privateKey: SecretValue;
  readonly requestId?: string;
}

export interface ImportKeyPairRequest {
  readonly keyPairName: string;
  /** One OpenSSH public key line. */
  readonly publicKey: string;
  readonly resourceGroupId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** ImportKeyPair returns no KeyPairId: ECS identifies key pairs by name. */
export interface ImportKeyPairResult {
  readonly keyPairName: string;
  readonly fingerprint: string;
  readonly requestId?: string;
}

export interface DescribeKeyPairsRequest {
  /** Exact name, or a pattern with `*` wildcards (`web-*`, `*-ci`, `*bastion*`). */
  readonly keyPairName?: string;
  readonly fingerprint?: string;
  /** 1-based. */
  readonly pageNumber?: number;
  /** At most 50 (ECS defaults to 10). */
  readonly pageSize?: number;
  readonly includePublicKey?: boolean;
  readonly resourceGroupId?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** One item of DescribeKeyPairs; ECS returns no KeyPairId here. */
export interface AlicloudKeyPair {
  readonly keyPairName: string;
  readonly fingerprint: string;
  /** Only with `includePublicKey`. */
  readonly publicKey?: string;
  readonly creationTime?: string;
  readonly resourceGroupId?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface DescribeKeyPairsResult {
  readonly keyPairs: readonly AlicloudKeyPair[];
  readonly totalCount: number;
  readonly pageNumber: number;
  readonly pageSize: number;
  readonly requestId?: string;
}

export interface DeleteKeyPairsRequest {
  readonly keyPairNames: readonly string[];
}

export interface DeleteKeyPairsResult {
  readonly requestId?: string;
  /** True when ECS answered `InvalidKeyPair.NotFound`: nothing was left to delete. */
  readonly alreadyGone: boolean;
}

/** CreateKeyPair: ECS generates an RSA 2048 key pair and returns its private key once. */
export async function createKeyPair(options: AlicloudClientOptions, request: CreateKeyPairRequest): Promise<CreateKeyPairResult> {
  const params = {
    RegionId: options.region,
    KeyPairName: request.keyPairName,
    ...optional('ResourceGroupId', request.resourceGroupId),
    ...tagParams(request.tags),
  };
  return callAlicloud(options, 'CreateKeyPair', params, (body, response) => ({
    keyPairId: requiredString(body, 'KeyPairId', 'CreateKeyPair', response),
    keyPairName: requiredString(body, 'KeyPairName', 'CreateKeyPair', response),
    fingerprint: requiredString(body, 'KeyPairFingerPrint', 'CreateKeyPair', response),
    privateKey: new SecretValue(requiredString(body, 'PrivateKeyBody', 'CreateKeyPair', response)),
    requestId: optionalString(body, 'RequestId'),
  }));
}

/** ImportKeyPair: registers a public key the user holds the private half of. */
export async function importKeyPair(options: AlicloudClientOptions, request: ImportKeyPairRequest): Promise<ImportKeyPairResult> {
  const params = {
    RegionId: options.region,
    KeyPairName: request.keyPairName,
    PublicKeyBody: request.publicKey.trim(),
    ...optional('ResourceGroupId', request.resourceGroupId),
    ...tagParams(request.tags),
  };
  return callAlicloud(options, 'ImportKeyPair', params, (body, response) => ({
    keyPairName: requiredString(body, 'KeyPairName', 'ImportKeyPair', response),
    fingerprint: requiredString(body, 'KeyPairFingerPrint', 'ImportKeyPair', response),
    requestId: optionalString(body, 'RequestId'),
  }));
}

/** One page of DescribeKeyPairs. `InvalidKeyPair.NotFound` is an empty page, as the Terraform provider reads it. */
export async function describeKeyPairs(options: AlicloudClientOptions, request: DescribeKeyPairsRequest = {}): Promise<DescribeKeyPairsResult> {
  const pageNumber = request.pageNumber ?? 1;
  const pageSize = request.pageSize ?? ALICLOUD_MAX_PAGE_SIZE;
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw new RangeError(`pageNumber must be an integer ≥ 1, got ${pageNumber}`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > ALICLOUD_MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${ALICLOUD_MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  const params = {
    RegionId: options.region,
    PageNumber: String(pageNumber),
    PageSize: String(pageSize),
    ...optional('KeyPairName', request.keyPairName),
    ...optional('KeyPairFingerPrint', request.fingerprint),
    ...optional('IncludePublicKey', request.includePublicKey === undefined ? undefined : String(request.includePublicKey)),
    ...optional('ResourceGroupId', request.resourceGroupId),
    ...tagParams(request.tags),
  };
  try {
    return await callAlicloud(options, 'DescribeKeyPairs', params, (body, response) => ({
      keyPairs: nestedList(body, 'KeyPairs', 'KeyPair').map((item) => toKeyPair(item, response)),
      totalCount: optionalNumber(body, 'TotalCount') ?? 0,
      pageNumber: optionalNumber(body, 'PageNumber') ?? pageNumber,
      pageSize: optionalNumber(body, 'PageSize') ?? pageSize,
      requestId: optionalString(body, 'RequestId'),
    }));
  } catch (err) {
    if (isNotFound(err)) return { keyPairs: [], totalCount: 0, pageNumber, pageSize, requestId: err.requestId };
    throw err;
  }
}

/**
 * Every key pair whose name matches `keyPairName`, across all pages. Without `*` the name is matched
 * exactly (ECS treats it as exact too; the filter guards against gateways that match loosely).
 */
export async function describeKeyPairsByName(
  options: AlicloudClientOptions,
  keyPairName: string,
  extra: Pick<DescribeKeyPairsRequest, 'includePublicKey' | 'resourceGroupId'> = {},
): Promise<AlicloudKeyPair[]> {
  const found: AlicloudKeyPair[] = [];
  // ECS holds at most 500 key pairs per region: 10 pages of 50; a few more guard against a total that grows meanwhile.
  const maxPages = 20;
  for (let pageNumber = 1; pageNumber <= maxPages; pageNumber++) {
    const page = await describeKeyPairs(options, { ...extra, keyPairName, pageNumber, pageSize: ALICLOUD_MAX_PAGE_SIZE });
    found.push(...page.keyPairs);
    if (page.keyPairs.length < ALICLOUD_MAX_PAGE_SIZE || pageNumber * ALICLOUD_MAX_PAGE_SIZE >= page.totalCount) break;
  }
  return keyPairName.includes('*') ? found : found.filter((keyPair) => keyPair.keyPairName === keyPairName);
}

/** DeleteKeyPairs by name (≤ 100). `InvalidKeyPair.NotFound` counts as deleted. */
export async function deleteKeyPairs(options: AlicloudClientOptions, request: DeleteKeyPairsRequest): Promise<DeleteKeyPairsResult> {
  const names = request.keyPairNames;
  if (names.length === 0 || names.length > ALICLOUD_MAX_DELETE_NAMES) {
    throw new RangeError(`DeleteKeyPairs takes 1 to ${ALICLOUD_MAX_DELETE_NAMES} names, got ${names.length}`);
  }
  const params = { RegionId: options.region, KeyPairNames: JSON.stringify(names) };
  try {
    return await callAlicloud(options, 'DeleteKeyPairs', params, (body) => ({
      requestId: optionalString(body, 'RequestId'),
      alreadyGone: false,
    }));
  } catch (err) {
    if (isNotFound(err)) return { requestId: err.requestId, alreadyGone: true };
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------

/** Actions that create something and carry no idempotency token (see `ApiCall.idempotent`). */
const NON_IDEMPOTENT_ACTIONS: ReadonlySet<string> = new Set(['CreateKeyPair', 'ImportKeyPair']);

function callAlicloud<T>(
  options: AlicloudClientOptions,
  action: string,
  params: Record<string, string>,
  parseSuccess: (body: Record<string, unknown>, response: HttpResponse) => T,
): Promise<T> {
  const endpoint = resolveAlicloudEndpoint({ region: options.region, endpoint: options.endpoint, env: options.env ?? process.env });
  const secrets = credentialSecrets(options.credentials);
  return callCloudApi({
    cloud: 'alicloud',
    action,
    idempotent: !NON_IDEMPOTENT_ACTIONS.has(action),
    ...fromCallSettings(options),
    buildRequest: (timeoutMs) =>
      buildSignedAlicloudRequest({
        endpoint,
        action,
        params,
        credentials: options.credentials,
        signatureVersion: options.signatureVersion ?? 'v3',
        time: new Date(),
        nonce: randomBytes(16).toString('hex'),
        timeoutMs,
      }),
    parseResponse: (response) => {
      const body = parseJsonObject('alicloud', action, response);
      if (response.status < 200 || response.status >= 300) throw alicloudApiError(action, response, body, secrets);
      return parseSuccess(body, response);
    },
  });
}

function credentialSecrets(credentials: CloudCredentials): string[] {
  const secrets = [credentials.accessKeySecret.reveal()];
  if (credentials.securityToken) secrets.push(credentials.securityToken.reveal());
  return secrets;
}

function isNotFound(err: unknown): err is CloudApiError {
  return err instanceof CloudApiError && ALICLOUD_NOT_FOUND_CODES.includes(err.code);
}

function optional(name: string, value: string | undefined): Record<string, string> {
  return value === undefined || value === '' ? {} : { [name]: value };
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' ? value : undefined;
}

function optionalNumber(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** A field the action must return; its absence is a malformed answer (named by field, never echoed). */
function requiredString(body: Record<string, unknown>, field: string, action: string, response: HttpResponse): string {
  const value = body[field];
  if (typeof value === 'string' && value !== '') return value;
  throw new CloudApiError({
    cloud: 'alicloud',
    action,
    code: TRANSPORT_ERROR_CODES.malformedResponse,
    message: `the answer has no ${field}`,
    requestId: optionalString(body, 'RequestId'),
    httpStatus: response.status,
    retryable: false,
  });
}

/** The XML-derived nesting ECS uses for lists: `{"KeyPairs": {"KeyPair": [...]}}`. */
function nestedList(body: Record<string, unknown>, outer: string, inner: string): Record<string, unknown>[] {
  const wrapper = body[outer];
  if (wrapper === null || typeof wrapper !== 'object') return [];
  const list = (wrapper as Record<string, unknown>)[inner];
  if (!Array.isArray(list)) return [];
  return list.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object');
}

function toKeyPair(item: Record<string, unknown>, response: HttpResponse): AlicloudKeyPair {
  const tags: Record<string, string> = {};
  for (const tag of nestedList(item, 'Tags', 'Tag')) {
    const key = optionalString(tag, 'TagKey');
    if (key !== undefined) tags[key] = optionalString(tag, 'TagValue') ?? '';
  }
  return {
    keyPairName: requiredString(item, 'KeyPairName', 'DescribeKeyPairs', response),
    fingerprint: optionalString(item, 'KeyPairFingerPrint') ?? '',
    ...definedOnly({
      publicKey: optionalString(item, 'PublicKey'),
      creationTime: optionalString(item, 'CreationTime'),
      resourceGroupId: optionalString(item, 'ResourceGroupId'),
    }),
    tags,
  };
}

function definedOnly<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, string>>;
}

