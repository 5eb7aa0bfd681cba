import * as path from 'node:path';

/** One stand-in provider as the filesystem mirror lays it out. */
export interface StandInProvider {
  /** The provider type, e.g. `null` (the registry address is `hashicorp/<type>`). */
  readonly type: string;
  /** The version the cdktf prebuilt bindings pin; the config's constraint must match it. */
  readonly version: string;
  /** The entry point, relative to this directory. */
  readonly entryPoint: string;
}

export const STAND_IN_PROVIDERS: readonly StandInProvider[] = [
  { type: 'null', version: '3.2.4', entryPoint: 'null-provider-main.ts' },
  { type: 'external', version: '2.3.5', entryPoint: 'external-provider-main.ts' },
];

/** Where `npx projen build:providers` puts the mirror: `.tf-providers/` at the repository root. */
export const DEFAULT_MIRROR_DIRECTORY = path.resolve(__dirname, '..', '..', '..', '.tf-providers');

/** Terraform's name for this machine's platform, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const architecture: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${process.platform}_${architecture[process.arch] ?? process.arch}`;
}

/** The provider addresses a CLI config's `filesystem_mirror { include = [...] }` lists. */
export function providerAddresses(): string[] {
  return STAND_IN_PROVIDERS.map((provider) => `registry.terraform.io/hashicorp/${provider.type}`);
}

/**
 * The provider's JavaScript bundle, beside the executable in its package directory. The executable is a
 * small launcher that runs it through V8's code cache (stand-in-launcher.ts).
 */
export const BUNDLE_FILE = 'stand-in.js';

/**
 * Where the build keeps the bundles' V8 code caches: a directory at the mirror's root, outside every
 * package directory. A code cache differs from build to build, and anything inside a package directory
 * is part of the provider's hash in the lock files.
 */
export const CODE_CACHE_DIRECTORY = '.v8-code-cache';

/** Names the file the launcher writes its code cache to when the process exits (set by the build only). */
export const CODE_CACHE_RECORD_ENV = 'TF_STANDIN_RECORD_CODE_CACHE';

/**
 * The code cache of a provider executable's bundle, found from the executable's real path (five
 * directories below the mirror's root) and named after the bundle's digest, so a cache never meets a
 * bundle it was not recorded for.
 */
export function codeCacheFile(executable: string, bundleDigest: string): string {
  const mirrorDirectory = path.resolve(path.dirname(executable), '..', '..', '..', '..', '..');
  return path.join(mirrorDirectory, CODE_CACHE_DIRECTORY, `${path.basename(executable)}-${bundleDigest}.bin`);
}

/** The unpacked-layout path of a provider executable inside the mirror. */
export function executablePath(mirrorDirectory: string, provider: StandInProvider): string {
  return path.join(
    mirrorDirectory,
    'registry.terraform.io',
    'hashicorp',
    provider.type,
    provider.version,
    terraformPlatform(),
    `terraform-provider-${provider.type}_v${provider.version}`,
  );
}
