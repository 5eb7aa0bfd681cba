import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

/** Beside `cdk.tf.json` in a synthesized stack: cdktf leaves unknown entries of a stack directory alone at each synth. */
export const COMPILE_CACHE_DIRECTORY_NAME = '.cdktf-keypair-compile-cache';

/**
 * Where the handler keeps Node's compile cache: only inside a synthesized cdktf stack, the directory the user
 * synthesized and owns (`cdktf.out/stacks/<stack>`), which the bundle runs from as a cdktf asset
 * (`<stack>/assets/<asset>/<hash>/handler.js`). Not the asset's own directory: each synth deletes and
 * copies it anew, so a cache there would be empty at every `cdktf plan`. Anywhere else (the package's copy,
 * a copy in a temporary directory), none: nothing is written where the user did not put this file.
 */
export function compileCacheDirectory(bundleFile: string, exists: (file: string) => boolean = fs.existsSync): string | undefined {
  const hashDirectory = path.dirname(bundleFile);
  const assetsDirectory = path.dirname(path.dirname(hashDirectory));
  if (path.basename(assetsDirectory) !== 'assets') return undefined;
  const stackDirectory = path.dirname(assetsDirectory);
  if (!exists(path.join(stackDirectory, 'cdk.tf.json'))) return undefined;
  return path.join(stackDirectory, COMPILE_CACHE_DIRECTORY_NAME);
}

/** `module.enableCompileCache`, in the Node versions that have it (22.1 and later). */
type EnableCompileCache = (directory?: string) => unknown;

/**
 * Turns on Node's compile cache for what the handler compiles from here on (a deferred package's chunk),
 * where the running Node offers one (22.1 and later) and the bundle runs in a synthesized stack. Node's own
 * settings win: with NODE_COMPILE_CACHE set, the cache is already on in the user's directory, and covers the
 * handler's own code too; NODE_DISABLE_COMPILE_CACHE=1 turns it off. A directory that cannot be written only
 * means no cache. Calling it again changes nothing.
 */
export function enableCompileCache(bundleFile: string, enable: EnableCompileCache | undefined = nodeEnableCompileCache()): void {
  if (enable === undefined) return;
  const directory = compileCacheDirectory(bundleFile);
  if (directory === undefined) return;
  try {
    enable(directory);
  } catch {
    // A cache is an optimisation: the handler runs the same without one.
  }
}

function nodeEnableCompileCache(): EnableCompileCache | undefined {
  const enable = (Module as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  return typeof enable === 'function' ? enable : undefined;
}
