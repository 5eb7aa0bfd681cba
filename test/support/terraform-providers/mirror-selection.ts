import * as path from 'node:path';
import { DEFAULT_MIRROR_DIRECTORY } from './mirror-layout';

/**
 * Names a ready Terraform filesystem mirror (e.g. made by `terraform providers mirror` where the
 * registry is reachable) holding hashicorp/null 3.2.4 and hashicorp/external 2.3.5. When set, the
 * end-to-end tests install those providers from it instead of the stand-ins.
 */
export const PROVIDER_MIRROR_ENV = 'CDKTF_KEYPAIR_PROVIDER_MIRROR';

/** The mirror the end-to-end tests use: the one the environment names, else the stand-ins' own. */
export function providerMirrorDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const selected = env[PROVIDER_MIRROR_ENV];
  return selected ? path.resolve(selected) : DEFAULT_MIRROR_DIRECTORY;
}

/** False when the environment selects another mirror: tests of the stand-ins' own extras then skip. */
export function usingStandInProviders(env: NodeJS.ProcessEnv = process.env): boolean {
  return providerMirrorDirectory(env) === DEFAULT_MIRROR_DIRECTORY;
}
