import type { CloudConnection, CloudEnvironmentSpec, SettingValues } from '../cloud-connection';

/**
 * The variables the official Alibaba Cloud Terraform provider reads (`alicloud/provider.go`), in its
 * order: the first non-empty one wins, so a shell already set up for `terraform` works unchanged.
 */
export const ALICLOUD_ACCESS_KEY_ENV = ['ALICLOUD_ACCESS_KEY', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABACLOUD_ACCESS_KEY_ID'] as const;
export const ALICLOUD_SECRET_KEY_ENV = ['ALICLOUD_SECRET_KEY', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABACLOUD_ACCESS_KEY_SECRET'] as const;
export const ALICLOUD_SECURITY_TOKEN_ENV = ['ALICLOUD_SECURITY_TOKEN', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABACLOUD_SECURITY_TOKEN'] as const;

/** Overrides the endpoint for every Alibaba Cloud call (the local emulator, a private gateway). */
export const ALICLOUD_ENDPOINT_ENV = 'CDKTF_KEYPAIR_ALICLOUD_ENDPOINT';

/**
 * Regions whose ECS endpoint is not `ecs.<region>.aliyuncs.com`: the exceptions of the official ECS
 * SDK's endpoint map (its `_endpointRule` is "regional"). Internal and test regions are left out.
 */
const ECS_ENDPOINT_EXCEPTIONS: Readonly<Record<string, string>> = {
  'cn-hangzhou': 'ecs-cn-hangzhou.aliyuncs.com',
  'cn-shanghai-finance-1': 'ecs-cn-hangzhou.aliyuncs.com',
  'cn-shenzhen-finance-1': 'ecs-cn-hangzhou.aliyuncs.com',
  'cn-fujian': 'ecs-cn-hangzhou.aliyuncs.com',
  'cn-hangzhou-finance': 'ecs.aliyuncs.com',
  'cn-north-2-gov-1': 'ecs.aliyuncs.com',
  'cn-beijing-gov-1': 'ecs.aliyuncs.com',
  'cn-beijing-finance-pop': 'ecs.aliyuncs.com',
  'cn-hongkong-finance-pop': 'ecs.aliyuncs.com',
  'cn-shanghai-inner': 'ecs.aliyuncs.com',
  'cn-shenzhen-inner': 'ecs.aliyuncs.com',
  'cn-wuhan': 'ecs.aliyuncs.com',
  'cn-yushanfang': 'ecs.aliyuncs.com',
  'cn-zhangbei': 'ecs.aliyuncs.com',
  'ap-northeast-2-pop': 'ecs.aliyuncs.com',
  'rus-west-1-pop': 'ecs.aliyuncs.com',
  'cn-edge-1': 'ecs.cn-qingdao-nebula.aliyuncs.com',
  'cn-huhehaote-nebula-1': 'ecs.cn-qingdao-nebula.aliyuncs.com',
  'cn-zhengzhou-nebula-1': 'ecs.cn-qingdao-nebula.aliyuncs.com',
  'eu-west-1-oxs': 'ecs.cn-shenzhen-cloudstone.aliyuncs.com',
};

/** The ECS endpoint the official SDK uses for a region. */
export function defaultAlicloudEndpoint(region: string): string {
  return `https://${ECS_ENDPOINT_EXCEPTIONS[region] ?? `ecs.${region}.aliyuncs.com`}`;
}

/**
 * The base URL to send requests to: the explicit endpoint (construct prop), else
 * `CDKTF_KEYPAIR_ALICLOUD_ENDPOINT`, else the SDK's regional default. `http://` is allowed (the emulator);
 * a bare host means `https://`. Pure: the factory passes in what the environment holds.
 */
export function resolveAlicloudEndpoint(explicit: string | undefined, values: SettingValues, region: string): URL {
  const configured = explicit?.trim() || values[ALICLOUD_ENDPOINT_ENV]?.trim() || undefined;
  return parseAlicloudEndpoint(configured ?? defaultAlicloudEndpoint(region), 'ECS');
}

/** Overrides the KMS Secrets Manager endpoint alone (a gateway or emulator that serves KMS elsewhere). */
export const ALICLOUD_KMS_ENDPOINT_ENV = 'CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT';

/** ECS, whose endpoint is the connection's own. */
export const ALICLOUD_ECS_PRODUCT = 'ecs';

/** KMS's key in `CloudConnection.serviceEndpoints`, and the first label of its regional host. */
export const ALICLOUD_KMS_PRODUCT = 'kms';

/** The KMS endpoint of a region: `kms.<region>.aliyuncs.com`, HTTPS only (KMS refuses plain HTTP). */
export function defaultAlicloudKmsEndpoint(region: string): string {
  return `https://${ALICLOUD_KMS_PRODUCT}.${region}.aliyuncs.com`;
}

/**
 * The KMS base URL: `CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT`, else the ECS endpoint's origin when that was
 * overridden (construct prop or `CDKTF_KEYPAIR_ALICLOUD_ENDPOINT`: a private gateway or the local emulator
 * serves every product on one origin, telling them apart by the action and version), else the regional default.
 */
export function resolveAlicloudKmsEndpoint(explicit: string | undefined, values: SettingValues, region: string): URL {
  const own = values[ALICLOUD_KMS_ENDPOINT_ENV]?.trim();
  if (own) return parseAlicloudEndpoint(own, 'KMS');
  const ecsOverridden = Boolean(explicit?.trim() || values[ALICLOUD_ENDPOINT_ENV]?.trim());
  if (ecsOverridden) return resolveAlicloudEndpoint(explicit, values, region);
  return parseAlicloudEndpoint(defaultAlicloudKmsEndpoint(region), 'KMS');
}

/**
 * Where a connection sends one product's calls: ECS to its endpoint; another product to its
 * `serviceEndpoints` entry (the factory resolves it), else, for a connection built by hand, the product's
 * regional default beside a default ECS endpoint, or the endpoint's own origin (a gateway or emulator).
 */
export function alicloudServiceEndpoint(connection: CloudConnection, product: string): URL {
  if (product === ALICLOUD_ECS_PRODUCT) return connection.endpoint;
  const resolved = connection.serviceEndpoints?.[product];
  if (resolved !== undefined) return resolved;
  const ecsByDefault = connection.endpoint.origin === new URL(defaultAlicloudEndpoint(connection.region)).origin;
  if (ecsByDefault && product === ALICLOUD_KMS_PRODUCT) return parseAlicloudEndpoint(defaultAlicloudKmsEndpoint(connection.region), 'KMS');
  return connection.endpoint;
}

/** `http://` is allowed (the emulator); a bare host means `https://`. */
function parseAlicloudEndpoint(text: string, product: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`Alibaba Cloud ${product} endpoint "${text}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Alibaba Cloud ${product} endpoint "${text}" must use https:// or http://`);
  }
  if (url.username || url.password) {
    throw new Error(`Alibaba Cloud ${product} endpoint must not carry credentials in the URL`);
  }
  // RPC-style APIs are always called on `/`: the path and query of a configured endpoint are not used.
  return new URL(`${url.protocol}//${url.host}/`);
}

/** How the factory builds an Alibaba connection from the environment (`factory.ts`). */
export const ALICLOUD_ENVIRONMENT: CloudEnvironmentSpec = {
  names: {
    accessKeyId: ALICLOUD_ACCESS_KEY_ENV,
    accessKeySecret: ALICLOUD_SECRET_KEY_ENV,
    securityToken: ALICLOUD_SECURITY_TOKEN_ENV,
    accessKeyIdLabel: 'AccessKey ID',
    accessKeySecretLabel: 'AccessKey secret',
    settings: [ALICLOUD_ENDPOINT_ENV, ALICLOUD_KMS_ENDPOINT_ENV],
  },
  resolveEndpoint: resolveAlicloudEndpoint,
  resolveServiceEndpoints: (explicit, values, region) => ({ [ALICLOUD_KMS_PRODUCT]: resolveAlicloudKmsEndpoint(explicit, values, region) }),
  // The resource group comes from the construct only: the provider has no variable for it.
  resolveScope: (explicit) => (explicit?.trim() ? explicit.trim() : undefined),
};
