import { cloudLabel } from '../../http/cloud-api-error';
import { CloudCredentials, SecretValue } from '../credentials';
import { Environment, firstEnvValue, MissingCredentialsError } from '../environment';

/** The variables UCloud's Terraform provider (and Go SDK) read for the API key pair. */
export const UCLOUD_PUBLIC_KEY_VARIABLES = ['UCLOUD_PUBLIC_KEY'] as const;
export const UCLOUD_PRIVATE_KEY_VARIABLES = ['UCLOUD_PRIVATE_KEY'] as const;
/**
 * UCloud's Terraform provider has no environment variable for an STS token (it obtains one itself
 * through `assume_role`); this name follows the `UCLOUD_` convention so a token from an external
 * assume-role step can be passed in.
 */
export const UCLOUD_SECURITY_TOKEN_VARIABLES = ['UCLOUD_SECURITY_TOKEN'] as const;
/** The provider's (and Go SDK's) project id variable; sub-accounts must send a project id. */
export const UCLOUD_PROJECT_ID_VARIABLES = ['UCLOUD_PROJECT_ID'] as const;

/** This project's endpoint override, then the Go SDK's base URL variable. */
export const UCLOUD_ENDPOINT_VARIABLES = ['CDKTF_KEYPAIR_UCLOUD_ENDPOINT', 'UCLOUD_API_BASE_URL'] as const;
/** UCloud's single public API host (white-label clouds speaking the same API have their own). */
export const UCLOUD_DEFAULT_ENDPOINT = 'https://api.ucloud.cn';

/** The UCloud API key pair (and STS token, when set) from the environment that runs terraform. */
export function ucloudCredentialsFromEnv(env: Environment): CloudCredentials {
  const publicKey = firstEnvValue(env, UCLOUD_PUBLIC_KEY_VARIABLES);
  if (publicKey === undefined) {
    throw new MissingCredentialsError(cloudLabel('ucloud'), 'API public key', UCLOUD_PUBLIC_KEY_VARIABLES);
  }
  const privateKey = firstEnvValue(env, UCLOUD_PRIVATE_KEY_VARIABLES);
  if (privateKey === undefined) {
    throw new MissingCredentialsError(cloudLabel('ucloud'), 'API private key', UCLOUD_PRIVATE_KEY_VARIABLES);
  }
  const securityToken = firstEnvValue(env, UCLOUD_SECURITY_TOKEN_VARIABLES);
  return {
    accessKeyId: publicKey,
    accessKeySecret: new SecretValue(privateKey),
    ...(securityToken !== undefined ? { securityToken: new SecretValue(securityToken) } : {}),
  };
}

/** The project id to send: an explicit value wins, then `UCLOUD_PROJECT_ID`; undefined means the default project. */
export function resolveUcloudProjectId(explicit: string | undefined, env: Environment): string | undefined {
  const trimmed = explicit?.trim();
  if (trimmed) return trimmed;
  return firstEnvValue(env, UCLOUD_PROJECT_ID_VARIABLES);
}

/**
 * The API base URL: an explicit endpoint wins, then `CDKTF_KEYPAIR_UCLOUD_ENDPOINT`, then the Go SDK's
 * `UCLOUD_API_BASE_URL`, then `https://api.ucloud.cn`. Any UCloud-API-compatible cloud (white-labels,
 * the local emulator over `http://`) is reached through this one base URL.
 */
export function resolveUcloudEndpoint(explicit: string | undefined, env: Environment): string {
  const fromOption = explicit?.trim();
  if (fromOption) return validateEndpoint(fromOption, 'the endpoint option');
  for (const name of UCLOUD_ENDPOINT_VARIABLES) {
    const value = firstEnvValue(env, [name]);
    if (value !== undefined) return validateEndpoint(value, name);
  }
  return UCLOUD_DEFAULT_ENDPOINT;
}

function validateEndpoint(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${cloudLabel('ucloud')}: ${source} is not a URL; expected e.g. ${UCLOUD_DEFAULT_ENDPOINT}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${cloudLabel('ucloud')}: ${source} must be an http:// or https:// URL, got ${url.protocol}//`);
  }
  if (url.username || url.password) {
    throw new Error(`${cloudLabel('ucloud')}: ${source} must not carry a user name or password`);
  }
  return value;
}
