import type { CloudCredentials } from './credentials';
import type { CallSettings } from '../http/api-call';

/**
 * Everything a cloud's key pair API needs, resolved: the factory (`factory.ts`) builds it from the
 * environment, tests build it directly. No per-cloud code reads the environment itself.
 */
export interface CloudConnection extends CallSettings {
  readonly region: string;
  /** Alibaba resource group id, Tencent project id (decimal), UCloud project id; unset: the default. */
  readonly scope?: string;
  readonly endpoint: URL;
  /**
   * Base URLs of the cloud's other services this connection calls besides `endpoint`, by the cloud's own
   * service name (for example a tag service separate from the key pairs' own API). A service missing here
   * is derived from `endpoint` by the cloud's folder, so connections built by hand need not set it.
   */
  readonly serviceEndpoints?: Readonly<Record<string, URL>>;
  readonly credentials: CloudCredentials;
}

/**
 * The environment variables a cloud reads, as data: each list is searched in order and the first
 * non-empty value wins (the clouds' Terraform providers resolve the same way).
 */
export interface CloudEnvironmentNames {
  readonly accessKeyId: readonly string[];
  readonly accessKeySecret: readonly string[];
  readonly securityToken: readonly string[];
  /** What the variables above are called in the cloud's own words, for "no … found" messages. */
  readonly accessKeyIdLabel: string;
  readonly accessKeySecretLabel: string;
  /** Further variables the cloud's endpoint and scope resolution read (endpoint overrides, domain, project). */
  readonly settings: readonly string[];
}

/** The values of a cloud's `settings` variables, by name (unset or blank: absent). */
export type SettingValues = Readonly<Record<string, string | undefined>>;

/** How one cloud turns what the construct gave and what the environment holds into a connection. */
export interface CloudEnvironmentSpec {
  readonly names: CloudEnvironmentNames;
  /** The base URL: an explicit endpoint wins, then the cloud's override variables, then its default host. */
  resolveEndpoint(explicit: string | undefined, values: SettingValues, region: string): URL;
  /**
   * The base URLs of the further services the cloud's key pair API calls (see `CloudConnection.serviceEndpoints`),
   * from the same inputs as `resolveEndpoint`. Absent on clouds whose key pair API is one service.
   */
  resolveServiceEndpoints?(explicit: string | undefined, values: SettingValues, region: string): Readonly<Record<string, URL>>;
  /** The scope to use: the explicit one wins; a cloud may fall back to a variable (UCLOUD_PROJECT_ID). */
  resolveScope(explicit: string | undefined, values: SettingValues): string | undefined;
}
