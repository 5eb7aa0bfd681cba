import { cloudLabel } from '../../http/cloud-api-error';
import { CloudCredentials, SecretValue } from '../credentials';
import { Environment, firstEnvValue, MissingCredentialsError } from '../environment';

/**
 * The variables the official Alibaba Cloud Terraform provider reads (`alicloud/provider.go`), in its
 * order: the first non-empty one wins, so a shell already set up for `terraform` works unchanged.
 */
export const ALICLOUD_ACCESS_KEY_ENV = ['ALICLOUD_ACCESS_KEY', 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABACLOUD_ACCESS_KEY_ID'] as const;
export const ALICLOUD_SECRET_KEY_ENV = ['ALICLOUD_SECRET_KEY', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABACLOUD_ACCESS_KEY_SECRET'] as const;
export const ALICLOUD_SECURITY_TOKEN_ENV = ['ALICLOUD_SECURITY_TOKEN', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABACLOUD_SECURITY_TOKEN'] as const;
export const ALICLOUD_REGION_ENV = ['ALICLOUD_REGION', 'ALIBABA_CLOUD_REGION'] as const;

/** AccessKey pair (and STS token, when set) from the environment; throws naming the variables when one is missing. */
export function alicloudCredentialsFromEnv(env: Environment): CloudCredentials {
  const accessKeyId = firstEnvValue(env, ALICLOUD_ACCESS_KEY_ENV);
  if (accessKeyId === undefined) {
    throw new MissingCredentialsError(cloudLabel('alicloud'), 'AccessKey ID', ALICLOUD_ACCESS_KEY_ENV);
  }
  const accessKeySecret = firstEnvValue(env, ALICLOUD_SECRET_KEY_ENV);
  if (accessKeySecret === undefined) {
    throw new MissingCredentialsError(cloudLabel('alicloud'), 'AccessKey secret', ALICLOUD_SECRET_KEY_ENV);
  }
  const securityToken = firstEnvValue(env, ALICLOUD_SECURITY_TOKEN_ENV);
  return {
    accessKeyId,
    accessKeySecret: new SecretValue(accessKeySecret),
    ...(securityToken !== undefined ? { securityToken: new SecretValue(securityToken) } : {}),
  };
}

/** The region the Terraform provider would use (`ALICLOUD_REGION`, `ALIBABA_CLOUD_REGION`), if set. */
export function alicloudRegionFromEnv(env: Environment): string | undefined {
  return firstEnvValue(env, ALICLOUD_REGION_ENV);
}
