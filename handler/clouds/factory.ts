import { ALICLOUD_ENVIRONMENT, createAlicloudKeyPairApi, createAlicloudKmsSecretStoreApi } from './alicloud';
import type { CloudConnection, CloudEnvironmentNames, CloudEnvironmentSpec, SettingValues } from './cloud-connection';
import { CloudCredentials, SecretValue } from './credentials';
import { Environment, firstEnvValue, MissingCredentialsError } from './environment';
import type { KeyPairApi } from './key-pair-api';
import type { SecretStoreApi } from './secret-store-api';
import { createTencentcloudKeyPairApi, createTencentcloudSsmSecretStoreApi, TENCENTCLOUD_ENVIRONMENT } from './tencentcloud';
import { createUcloudKeyPairApi, UCLOUD_ENVIRONMENT } from './ucloud';
import type { CloudName, SecretStoreName } from '../../src/contract';
import type { CallSettings } from '../http/api-call';
import { cloudLabel } from '../http/cloud-api-error';

/** Where a key pair lives, as the synthesized triggers say it. */
export interface KeyPairTarget {
  readonly cloud: CloudName;
  readonly region: string;
  /** Resource group (Alibaba) or project id (Tencent, UCloud). */
  readonly scope?: string;
  /** An endpoint from the construct; wins over every environment variable. */
  readonly endpoint?: string;
}

interface CloudRegistration {
  readonly environment: CloudEnvironmentSpec;
  create(connection: CloudConnection): KeyPairApi;
}

const CLOUDS: Readonly<Record<CloudName, CloudRegistration>> = {
  alicloud: { environment: ALICLOUD_ENVIRONMENT, create: createAlicloudKeyPairApi },
  tencentcloud: { environment: TENCENTCLOUD_ENVIRONMENT, create: createTencentcloudKeyPairApi },
  ucloud: { environment: UCLOUD_ENVIRONMENT, create: createUcloudKeyPairApi },
};

/** The environment variables each cloud reads, as the factory reads them: for the handler's `--help`. */
export function environmentNamesOf(cloud: CloudName): CloudEnvironmentNames {
  return CLOUDS[cloud].environment.names;
}

/**
 * The key pair API for a target, with credentials and endpoint overrides read from `env`. This is the one
 * place that reads the environment for any cloud: a missing credential fails here, naming the variables,
 * before any request is made.
 */
export function keyPairApiFor(target: KeyPairTarget, env: Environment, settings: CallSettings = {}): KeyPairApi {
  return CLOUDS[target.cloud].create(connectionFor(target, env, settings));
}

/** The resolved connection for a target (exported for tests that check where calls would go). */
export function connectionFor(target: KeyPairTarget, env: Environment, settings: CallSettings = {}): CloudConnection {
  const spec = CLOUDS[target.cloud].environment;
  const values: SettingValues = Object.fromEntries(spec.names.settings.map((name) => [name, firstEnvValue(env, [name])]));
  return {
    ...settings,
    region: target.region,
    scope: spec.resolveScope(target.scope, values),
    endpoint: spec.resolveEndpoint(target.endpoint, values, target.region),
    ...(spec.resolveServiceEndpoints ? { serviceEndpoints: spec.resolveServiceEndpoints(target.endpoint, values, target.region) } : {}),
    credentials: credentialsFor(target.cloud, spec, env),
  };
}

function credentialsFor(cloud: CloudName, spec: CloudEnvironmentSpec, env: Environment): CloudCredentials {
  const { names } = spec;
  const accessKeyId = firstEnvValue(env, names.accessKeyId);
  if (accessKeyId === undefined) throw new MissingCredentialsError(cloudLabel(cloud), names.accessKeyIdLabel, names.accessKeyId);
  const accessKeySecret = firstEnvValue(env, names.accessKeySecret);
  if (accessKeySecret === undefined) {
    throw new MissingCredentialsError(cloudLabel(cloud), names.accessKeySecretLabel, names.accessKeySecret);
  }
  const securityToken = firstEnvValue(env, names.securityToken);
  return {
    accessKeyId,
    accessKeySecret: new SecretValue(accessKeySecret),
    ...(securityToken !== undefined ? { securityToken: new SecretValue(securityToken) } : {}),
  };
}

/** The secret stores a private key can be kept in (the contract's `SECRET_STORES`): one per cloud that has one (UCloud has none). */
export type { SecretStoreName } from '../../src/contract';

/** Where a secret lives. */
export interface SecretStoreTarget {
  readonly store: SecretStoreName;
  readonly region: string;
  /**
   * The key pair's endpoint from the construct (ECS or CVM), if any: a gateway or emulator given there
   * serves the store too, unless the store's own variable (`CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT`,
   * `CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT`) says otherwise.
   */
  readonly endpoint?: string;
}

interface SecretStoreRegistration {
  /** Whose credentials and endpoint settings the store uses. */
  readonly cloud: CloudName;
  create(connection: CloudConnection): SecretStoreApi;
}

const SECRET_STORES: Readonly<Record<SecretStoreName, SecretStoreRegistration>> = {
  'alicloud-kms': { cloud: 'alicloud', create: createAlicloudKmsSecretStoreApi },
  'tencentcloud-ssm': { cloud: 'tencentcloud', create: createTencentcloudSsmSecretStoreApi },
};

/** The cloud whose credentials and endpoint settings a store uses. */
export function cloudOfSecretStore(store: SecretStoreName): CloudName {
  return SECRET_STORES[store].cloud;
}

/**
 * The secret store API for a target, read from `env` exactly as key pairs are: the cloud's own credentials
 * (a missing one fails here, naming the variables, before any request) and endpoint overrides.
 */
export function secretStoreApiFor(target: SecretStoreTarget, env: Environment, settings: CallSettings = {}): SecretStoreApi {
  const { cloud, create } = SECRET_STORES[target.store];
  const keyPairTarget: KeyPairTarget = { cloud, region: target.region, ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}) };
  return create(connectionFor(keyPairTarget, env, settings));
}
