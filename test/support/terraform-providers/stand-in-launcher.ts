import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Script } from 'node:vm';
import { BUNDLE_FILE, CODE_CACHE_RECORD_ENV, codeCacheFile } from './mirror-layout';

/**
 * The executable Terraform starts (bundled with a `#!/usr/bin/env -S node --use-openssl-ca` line): it
 * runs the provider's bundle beside it from the V8 code cache the build recorded, so a plugin process
 * compiles almost nothing of grpc-js and protobufjs before its handshake. Without a usable cache (none
 * recorded, another Node version) V8 compiles the bundle from source, as a plain `node stand-in.js` would.
 */

/** The bundle's digest, filled in by the build; it names the code cache recorded for this very bundle. */
declare const STAND_IN_BUNDLE_DIGEST: string;

type CommonJsModuleFunction = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

const bundleFile = path.join(__dirname, BUNDLE_FILE);
const cacheFile = codeCacheFile(__filename, STAND_IN_BUNDLE_DIGEST);
const recordTo = process.env[CODE_CACHE_RECORD_ENV];
delete process.env[CODE_CACHE_RECORD_ENV]; // never passed on to the programs a provider runs

const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundleFile, 'utf8')}\n})`, {
  filename: bundleFile,
  cachedData: recordTo ? undefined : readIfPresent(cacheFile),
});
// Recorded at exit, so that the cache also holds every function compiled while the process served.
if (recordTo) process.on('exit', () => writeFileSync(recordTo, script.createCachedData()));
(script.runInThisContext() as CommonJsModuleFunction)(exports, require, module, bundleFile, __dirname);

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
