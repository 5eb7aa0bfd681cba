import { ruleViolation, SCOPE_RULES } from '../../../src/contract';
import type { CloudConnection, CloudEnvironmentSpec, SettingValues } from '../cloud-connection';

/**
 * The variables read for Tencent Cloud: the official Terraform provider's (tencentcloudstack/tencentcloud)
 * names, and this project's own full-URL override. Only the factory reads them, through
 * `TENCENTCLOUD_ENVIRONMENT`.
 */
export const TENCENTCLOUD_ENV = {
  secretId: ['TENCENTCLOUD_SECRET_ID'],
  secretKey: ['TENCENTCLOUD_SECRET_KEY'],
  securityToken: ['TENCENTCLOUD_SECURITY_TOKEN'],
  /** This project's override: a full URL, e.g. a local emulator. Wins over domain and protocol. */
  endpoint: 'CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT',
  /**
   * This project's override of the Tag API (tags are changed there, not in CVM): a full URL. Wins over
   * everything else; without it, an overridden CVM endpoint (construct prop or the variable above) serves
   * the Tag API too (a private gateway or the emulator answers both on one origin), else `tag.<domain>`.
   */
  tagEndpoint: 'CDKTF_KEYPAIR_TENCENTCLOUD_TAG_ENDPOINT',
  /** This project's override of the SSM secret store: a full URL, resolved like the Tag API's. */
  ssmEndpoint: 'CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT',
  /** The provider's root domain (`tencentcloudapi.com`); the host is `cvm.<domain>`. */
  domain: 'TENCENTCLOUD_DOMAIN',
  /** The provider's `HTTP` or `HTTPS` (default). */
  protocol: 'TENCENTCLOUD_PROTOCOL',
} as const;

export const TENCENTCLOUD_DEFAULT_DOMAIN = 'tencentcloudapi.com';
/** Key pairs belong to CVM: its host is `cvm.<root domain>` and `cvm` is the TC3 credential scope's service. */
export const TENCENTCLOUD_SERVICE = 'cvm';
/**
 * Tags are changed through the Tag API, a service of its own: host `tag.<root domain>`, `tag` in the TC3
 * credential scope, its own version, and no region needed.
 */
export const TENCENTCLOUD_TAG_SERVICE = 'tag';
/** Secrets Manager (SSM), where private keys may be kept: host `ssm.<root domain>`, `ssm` in the credential scope. */
export const TENCENTCLOUD_SSM_SERVICE = 'ssm';
/** The project key pairs go to when no scope is given. */
export const TENCENTCLOUD_DEFAULT_PROJECT_ID = 0;

/** An endpoint that cannot be used; the message names where it came from. */
export class InvalidEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEndpointError';
  }
}

/**
 * The CVM API base URL: an explicit endpoint (construct prop), else `CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT`,
 * else `<TENCENTCLOUD_PROTOCOL>://cvm.<TENCENTCLOUD_DOMAIN>/` as the Terraform provider builds it
 * (default `https://cvm.tencentcloudapi.com/`). The region travels in `X-TC-Region`, not in the host.
 */
export function resolveTencentcloudEndpoint(explicit: string | undefined, values: SettingValues): URL {
  if (explicit !== undefined && explicit.trim() !== '') return checkTencentcloudEndpoint(explicit.trim(), 'the endpoint option');
  const override = values[TENCENTCLOUD_ENV.endpoint];
  if (override !== undefined) return checkTencentcloudEndpoint(override, TENCENTCLOUD_ENV.endpoint);

  return checkTencentcloudEndpoint(`${protocolOf(values)}://${TENCENTCLOUD_SERVICE}.${domainOf(values)}/`, TENCENTCLOUD_ENV.domain);
}

/**
 * The Tag API base URL: `CDKTF_KEYPAIR_TENCENTCLOUD_TAG_ENDPOINT`, else the CVM endpoint's origin when that
 * was overridden (construct prop or `CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT`: a private gateway or the local
 * emulator serves both APIs on one origin, telling them apart by the signed service), else
 * `<TENCENTCLOUD_PROTOCOL>://tag.<TENCENTCLOUD_DOMAIN>/` (default `https://tag.tencentcloudapi.com/`).
 */
export function resolveTencentcloudTagEndpoint(explicit: string | undefined, values: SettingValues): URL {
  return resolveOtherServiceEndpoint(TENCENTCLOUD_TAG_SERVICE, TENCENTCLOUD_ENV.tagEndpoint, explicit, values);
}

/** The SSM base URL, resolved like the Tag API's: `CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT`, the CVM override's origin, or `ssm.<domain>`. */
export function resolveTencentcloudSsmEndpoint(explicit: string | undefined, values: SettingValues): URL {
  return resolveOtherServiceEndpoint(TENCENTCLOUD_SSM_SERVICE, TENCENTCLOUD_ENV.ssmEndpoint, explicit, values);
}

function resolveOtherServiceEndpoint(service: string, overrideVariable: string, explicit: string | undefined, values: SettingValues): URL {
  const override = values[overrideVariable];
  if (override !== undefined) return checkTencentcloudEndpoint(override, overrideVariable);
  const cvmOverridden = (explicit !== undefined && explicit.trim() !== '') || values[TENCENTCLOUD_ENV.endpoint] !== undefined;
  if (cvmOverridden) return resolveTencentcloudEndpoint(explicit, values);
  return checkTencentcloudEndpoint(`${protocolOf(values)}://${service}.${domainOf(values)}/`, TENCENTCLOUD_ENV.domain);
}

/**
 * Where a connection sends one service's calls: its `serviceEndpoints` entry (the factory resolves it),
 * else, for a connection built by hand, the service's host beside a default-style `cvm.<domain>` endpoint,
 * or the endpoint's own origin for any other (a gateway or an emulator serving every service).
 */
export function tencentcloudServiceEndpoint(connection: CloudConnection, service: string): URL {
  if (service === TENCENTCLOUD_SERVICE) return connection.endpoint;
  const resolved = connection.serviceEndpoints?.[service];
  if (resolved !== undefined) return checkTencentcloudEndpoint(resolved, `the ${service} endpoint`);
  const { protocol, host } = connection.endpoint;
  const cvmPrefix = `${TENCENTCLOUD_SERVICE}.`;
  if (host.startsWith(cvmPrefix)) return new URL(`${protocol}//${service}.${host.slice(cvmPrefix.length)}/`);
  return connection.endpoint;
}

function protocolOf(values: SettingValues): 'http' | 'https' {
  const protocol = (values[TENCENTCLOUD_ENV.protocol] ?? 'HTTPS').toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') {
    throw new InvalidEndpointError(`${TENCENTCLOUD_ENV.protocol} must be HTTP or HTTPS, got "${protocol}"`);
  }
  return protocol;
}

function domainOf(values: SettingValues): string {
  return values[TENCENTCLOUD_ENV.domain] ?? TENCENTCLOUD_DEFAULT_DOMAIN;
}

/**
 * The endpoint as a bare origin URL. TC3 signs the path `/` and an empty query, so an endpoint with a path,
 * a query or user info would be signed wrongly: refused here, naming `source`.
 */
export function checkTencentcloudEndpoint(endpoint: string | URL, source: string): URL {
  let url: URL;
  try {
    url = new URL(String(endpoint));
  } catch {
    throw new InvalidEndpointError(`${source} is not a URL: "${String(endpoint)}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidEndpointError(`${source} must be an http:// or https:// URL, got "${url.protocol}"`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidEndpointError(`${source} must be a bare origin such as https://cvm.tencentcloudapi.com, got "${url.origin}${url.pathname}"`);
  }
  return new URL(`${url.protocol}//${url.host}/`);
}

/**
 * The CVM `ProjectId` of a scope: a decimal project id (the contract's SCOPE_RULES), unset meaning the
 * default project 0. Throws before any request when the scope is not a project id.
 */
export function tencentcloudProjectId(scope: string | undefined): number {
  if (scope === undefined) return TENCENTCLOUD_DEFAULT_PROJECT_ID;
  const violation = ruleViolation(SCOPE_RULES.tencentcloud, scope);
  const projectId = Number(scope);
  if (violation !== undefined || !Number.isSafeInteger(projectId)) {
    throw new RangeError(violation ?? `${SCOPE_RULES.tencentcloud.subject} ${JSON.stringify(scope)} is too large`);
  }
  return projectId;
}

/** How the factory builds a Tencent Cloud connection from the construct's values and the environment. */
export const TENCENTCLOUD_ENVIRONMENT: CloudEnvironmentSpec = {
  names: {
    accessKeyId: TENCENTCLOUD_ENV.secretId,
    accessKeySecret: TENCENTCLOUD_ENV.secretKey,
    securityToken: TENCENTCLOUD_ENV.securityToken,
    accessKeyIdLabel: 'SecretId',
    accessKeySecretLabel: 'SecretKey',
    settings: [
      TENCENTCLOUD_ENV.endpoint,
      TENCENTCLOUD_ENV.tagEndpoint,
      TENCENTCLOUD_ENV.ssmEndpoint,
      TENCENTCLOUD_ENV.domain,
      TENCENTCLOUD_ENV.protocol,
    ],
  },
  resolveEndpoint: (explicit, values) => resolveTencentcloudEndpoint(explicit, values),
  resolveServiceEndpoints: (explicit, values) => ({
    [TENCENTCLOUD_TAG_SERVICE]: resolveTencentcloudTagEndpoint(explicit, values),
    [TENCENTCLOUD_SSM_SERVICE]: resolveTencentcloudSsmEndpoint(explicit, values),
  }),
  resolveScope: (explicit) => {
    const scope = explicit === undefined || explicit.trim() === '' ? undefined : explicit.trim();
    // Checked here so a bad project id fails while the connection is made, before any request.
    tencentcloudProjectId(scope);
    return scope;
  },
};

/** The Tencent Cloud APIs a client talks to (CVM, Tag, SSM), their versions, and how messages and errors name them. */
export const TENCENTCLOUD_CVM_API_VERSION = '2017-03-12';
export const TENCENTCLOUD_TAG_API_VERSION = '2018-08-13';
export const TENCENTCLOUD_SSM_API_VERSION = '2019-09-23';

/** One Tencent Cloud API a client talks to: the TC3 service name, the API version, and its name for messages. */
export interface TencentcloudApi {
  /** What its actions act on ("key pair", "secret"), for the remedy after an unknown outcome. */
  readonly resource?: string;
  /** The service in the host (`<service>.<root domain>`) and in the TC3 credential scope. */
  readonly service: string;
  /** `X-TC-Version`. */
  readonly version: string;
  /** How messages name it ("the Tencent Cloud CVM API"). */
  readonly label: string;
  /** How errors name it when it is not CVM ("Tencent Cloud SSM"). */
  readonly errorLabel?: string;
}

/** CVM, where key pairs live (the default of every client). */
export const TENCENTCLOUD_CVM_API: TencentcloudApi = {
  service: TENCENTCLOUD_SERVICE,
  version: TENCENTCLOUD_CVM_API_VERSION,
  label: 'the Tencent Cloud CVM API',
};

/** The Tag API, where a key pair's tags are changed (`ModifyResourceTags`). */
export const TENCENTCLOUD_TAG_API: TencentcloudApi = {
  service: TENCENTCLOUD_TAG_SERVICE,
  version: TENCENTCLOUD_TAG_API_VERSION,
  label: 'the Tencent Cloud Tag API',
};
/** Secrets Manager, where private keys may be kept (`ssm-actions.ts`). */
export const TENCENTCLOUD_SSM_API: TencentcloudApi = {
  service: TENCENTCLOUD_SSM_SERVICE,
  version: TENCENTCLOUD_SSM_API_VERSION,
  label: 'the Tencent Cloud SSM API',
  errorLabel: 'Tencent Cloud SSM',
  resource: 'secret',
};
