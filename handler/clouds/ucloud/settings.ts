import { ruleViolation, SCOPE_RULES } from '../../../src/contract';
import { cloudLabel } from '../../http/cloud-api-error';
import type { CloudEnvironmentSpec, SettingValues } from '../cloud-connection';

/**
 * The environment variables UCloud reads, as data (the factory reads them; nothing here touches the
 * environment). Credentials and the project use the names of UCloud's Terraform provider and Go SDK.
 */
export const UCLOUD_ENV = {
  publicKey: ['UCLOUD_PUBLIC_KEY'],
  privateKey: ['UCLOUD_PRIVATE_KEY'],
  /**
   * UCloud's Terraform provider has no variable for an STS token (it assumes a role itself); this name
   * follows the `UCLOUD_` convention so a token from an external assume-role step can be passed in.
   */
  securityToken: ['UCLOUD_SECURITY_TOKEN'],
  /** The provider's and Go SDK's project id; sub-accounts must send one. */
  projectId: 'UCLOUD_PROJECT_ID',
  /** This project's endpoint override first, then the Go SDK's base URL. */
  endpoint: ['CDKTF_KEYPAIR_UCLOUD_ENDPOINT', 'UCLOUD_API_BASE_URL'],
} as const;

/** UCloud's single public API host (white-label clouds speaking the same API have their own). */
export const UCLOUD_DEFAULT_ENDPOINT = 'https://api.ucloud.cn';

/**
 * The API base URL: an explicit endpoint wins, then `CDKTF_KEYPAIR_UCLOUD_ENDPOINT`, then the Go SDK's
 * `UCLOUD_API_BASE_URL`, then `https://api.ucloud.cn`. Every UCloud-API cloud (white-labels, the local
 * emulator over `http://`) is reached through this one base URL.
 */
export function resolveUcloudEndpoint(explicit: string | undefined, values: SettingValues): URL {
  const fromOption = explicit?.trim();
  if (fromOption) return endpointUrl(fromOption, 'the endpoint option');
  for (const name of UCLOUD_ENV.endpoint) {
    const value = values[name]?.trim();
    if (value) return endpointUrl(value, name);
  }
  return new URL(UCLOUD_DEFAULT_ENDPOINT);
}

/**
 * The project id to send: an explicit one wins, then `UCLOUD_PROJECT_ID`; undefined means the account's
 * default project. Checked against the contract's rule here, so a typo fails before any request.
 */
export function resolveUcloudProjectId(explicit: string | undefined, values: SettingValues): string | undefined {
  const fromOption = explicit?.trim();
  const fromEnv = values[UCLOUD_ENV.projectId]?.trim();
  const projectId = fromOption || fromEnv || undefined;
  if (projectId === undefined) return undefined;
  const violation = ruleViolation(SCOPE_RULES.ucloud, projectId);
  if (violation !== undefined) {
    throw new RangeError(`${cloudLabel('ucloud')}: ${violation} (from ${fromOption ? 'the project id option' : UCLOUD_ENV.projectId})`);
  }
  return projectId;
}

/** How the factory builds a UCloud connection from the construct's values and the environment. */
export const UCLOUD_ENVIRONMENT: CloudEnvironmentSpec = {
  names: {
    accessKeyId: UCLOUD_ENV.publicKey,
    accessKeySecret: UCLOUD_ENV.privateKey,
    securityToken: UCLOUD_ENV.securityToken,
    accessKeyIdLabel: 'API public key',
    accessKeySecretLabel: 'API private key',
    settings: [...UCLOUD_ENV.endpoint, UCLOUD_ENV.projectId],
  },
  resolveEndpoint: (explicit, values) => resolveUcloudEndpoint(explicit, values),
  resolveScope: (explicit, values) => resolveUcloudProjectId(explicit, values),
};

function endpointUrl(value: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${cloudLabel('ucloud')}: ${source} is not a URL; expected e.g. ${UCLOUD_DEFAULT_ENDPOINT}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${cloudLabel('ucloud')}: ${source} must be an http:// or https:// URL, got ${url.protocol}//`);
  }
  // Credentials in a URL would end up in logs and in Terraform state (the endpoint is a trigger).
  if (url.username || url.password) {
    throw new Error(`${cloudLabel('ucloud')}: ${source} must not carry a user name or password`);
  }
  return url;
}
