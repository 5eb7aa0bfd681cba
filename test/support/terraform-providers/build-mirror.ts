import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as esbuild from 'esbuild';
import { INamespace, Root } from 'protobufjs';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from './go-plugin-handshake';
import { protocolRoot, serviceDefinition } from './grpc-service-definitions';
import {
  BUNDLE_FILE,
  CODE_CACHE_DIRECTORY,
  CODE_CACHE_RECORD_ENV,
  codeCacheFile,
  DEFAULT_MIRROR_DIRECTORY,
  executablePath,
  STAND_IN_PROVIDERS,
  StandInProvider,
} from './mirror-layout';
import { createServerCertificate } from './self-signed-certificate';

/**
 * Builds the stand-in providers as a Terraform filesystem mirror. Each package directory holds the
 * provider's self-contained esbuild bundle and a small executable launcher (`#!/usr/bin/env -S node
 * --use-openssl-ca`) that runs the bundle from a V8 code cache; the build records that cache by starting
 * each provider once and calling it as Terraform does. The package directories are deterministic (the
 * lock-file hashes stay stable; the code caches are kept outside them) and the build is skipped when none
 * of its inputs changed.
 */

const SOURCE_DIRECTORY = __dirname;
const REPOSITORY_ROOT = path.resolve(SOURCE_DIRECTORY, '..', '..', '..');
const BUNDLED_PACKAGES = ['esbuild', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', '@msgpack/msgpack'];
const INPUTS_STAMP = '.build-inputs.sha256';
const LAUNCHER_ENTRY_POINT = 'stand-in-launcher.ts';
/** Node's own flag: see plugin-server.ts (bindWithoutDefaultTrustStore). `env -S` splits the line. */
const LAUNCHER_SHEBANG = '#!/usr/bin/env -S node --use-openssl-ca';
/** A bound on recording a code cache: a provider that does not start must fail the build, not hang it. */
const RECORDING_TIMEOUT_MS = 60_000;

const COMMON_BUILD_OPTIONS = {
  write: false as const,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  absWorkingDir: REPOSITORY_ROOT,
  logLevel: 'warning',
} satisfies esbuild.BuildOptions;

/**
 * The protocol of a `.proto` file as the JSON of its protobufjs root, field names as the file spells
 * them (proto-loader's `keepCase`). The runtime rebuilds the types from it without parsing any `.proto`
 * (test/terraform-providers/grpc-service-definitions.test.ts holds its codecs to proto-loader's).
 */
export function protocolJson(protoFile: string): INamespace {
  const root = new Root().loadSync(protoFile, { keepCase: true });
  root.resolveAll();
  return root.toJSON();
}

/** Embeds an imported `.proto` in the bundle as its protocol JSON (see protocolJson). */
const protocolJsonPlugin: esbuild.Plugin = {
  name: 'protocol-json',
  setup(build) {
    build.onLoad({ filter: /\.proto$/ }, (args) => ({ contents: JSON.stringify(protocolJson(args.path)), loader: 'json' }));
  },
};

/**
 * A digest of everything that shapes the mirror: this directory's sources, the bundled packages' versions,
 * and the Node version and platform (a V8 code cache is only good for the V8 that recorded it).
 */
function inputsDigest(): string {
  const hash = createHash('sha256');
  const files = readdirSync(SOURCE_DIRECTORY, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    const full = path.join(SOURCE_DIRECTORY, file);
    if (!/\.(ts|proto)$/.test(file)) continue;
    hash.update(`${file}\0`).update(readFileSync(full)).update('\0');
  }
  for (const name of BUNDLED_PACKAGES) {
    const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
    hash.update(`${name}@${manifest.version}\0`);
  }
  hash.update(`node ${process.version} ${process.platform} ${process.arch}\0`);
  return hash.digest('hex');
}

export async function buildMirror(mirrorDirectory: string = DEFAULT_MIRROR_DIRECTORY): Promise<'built' | 'up to date'> {
  const digest = inputsDigest();
  const stampFile = path.join(mirrorDirectory, INPUTS_STAMP);
  const outputsPresent = STAND_IN_PROVIDERS.every((provider) => existsSync(executablePath(mirrorDirectory, provider)));
  if (outputsPresent && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) return 'up to date';

  const cacheFiles = await Promise.all(STAND_IN_PROVIDERS.map(async (provider) => {
    const executable = executablePath(mirrorDirectory, provider);
    const bundle = await esbuild.build({
      ...COMMON_BUILD_OPTIONS,
      entryPoints: [path.join(SOURCE_DIRECTORY, provider.entryPoint)],
      outfile: path.join(path.dirname(executable), BUNDLE_FILE),
      plugins: [protocolJsonPlugin],
    });
    const bundleContents = bundle.outputFiles[0].contents;
    const bundleDigest = createHash('sha256').update(bundleContents).digest('hex').slice(0, 16);
    const launcher = await esbuild.build({
      ...COMMON_BUILD_OPTIONS,
      entryPoints: [path.join(SOURCE_DIRECTORY, LAUNCHER_ENTRY_POINT)],
      outfile: executable,
      banner: { js: LAUNCHER_SHEBANG },
      define: { STAND_IN_BUNDLE_DIGEST: JSON.stringify(bundleDigest) },
    });
    writeFileAtomically(path.join(path.dirname(executable), BUNDLE_FILE), bundleContents, 0o644);
    writeFileAtomically(executable, launcher.outputFiles[0].contents, 0o755);
    const cacheFile = codeCacheFile(executable, bundleDigest);
    await recordCodeCache(provider, executable, cacheFile);
    return cacheFile;
  }));
  removeStaleCodeCaches(mirrorDirectory, cacheFiles);
  writeFileSync(stampFile, digest);
  return 'built';
}

/**
 * Starts the provider as Terraform does (cookie, AutoMTLS), asks for its schema and shuts it down; on
 * exit the launcher writes the code cache of everything the process compiled on the way.
 */
async function recordCodeCache(provider: StandInProvider, executable: string, cacheFile: string): Promise<void> {
  mkdirSync(path.dirname(cacheFile), { recursive: true });
  const temporaryCache = `${cacheFile}.${process.pid}.tmp`;
  const temporaryDirectory = mkdtempSync(path.join(tmpdir(), 'tf-standin-code-cache-'));
  const terraformCertificate = createServerCertificate();
  const child = spawn(executable, [], {
    env: {
      PATH: process.env.PATH,
      TMPDIR: temporaryDirectory,
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: '5',
      PLUGIN_CLIENT_CERT: terraformCertificate.certificatePem,
      [CODE_CACHE_RECORD_ENV]: temporaryCache,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const timeout = setTimeout(() => child.kill('SIGKILL'), RECORDING_TIMEOUT_MS);
  const clients: grpc.Client[] = [];
  try {
    const handshake = await Promise.race([
      new Promise<string>((resolve) => child.stdout.on('data', () => stdout.includes('\n') && resolve(stdout.slice(0, stdout.indexOf('\n'))))),
      exited.then(() => undefined),
    ]);
    if (handshake === undefined) throw new Error('it exited before its handshake');
    const [, , , socketPath, , certificate] = handshake.split('|');
    const serverCertificate = new X509Certificate(Buffer.from(certificate, 'base64')).toString();
    const credentials = grpc.credentials.createSsl(
      Buffer.from(serverCertificate),
      Buffer.from(terraformCertificate.privateKeyPem),
      Buffer.from(terraformCertificate.certificatePem),
    );
    const options = { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' };
    const [tfplugin5, goPlugin] = ['tfplugin5.proto', 'go-plugin.proto'].map((file) => protocolRoot(protocolJson(path.join(SOURCE_DIRECTORY, 'protocol', file))));
    const Provider = grpc.makeGenericClientConstructor(serviceDefinition(tfplugin5, 'tfplugin5.Provider'), 'Provider');
    const Controller = grpc.makeGenericClientConstructor(serviceDefinition(goPlugin, 'plugin.GRPCController'), 'GRPCController');
    const providerClient = new Provider(`unix:${socketPath}`, credentials, options);
    const controllerClient = new Controller(`unix:${socketPath}`, credentials, options);
    clients.push(providerClient, controllerClient);
    await unaryCall(providerClient, 'GetSchema');
    await unaryCall(controllerClient, 'Shutdown');
    const code = await exited;
    if (code !== 0 || !existsSync(temporaryCache)) throw new Error(`it exited with ${code} and left no code cache`);
    renameSync(temporaryCache, cacheFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`recording the code cache of the ${provider.type} provider stand-in failed: ${(error as Error).message}\n${stderr}`);
  } finally {
    clearTimeout(timeout);
    for (const client of clients) client.close();
    rmSync(temporaryCache, { force: true });
    rmSync(temporaryDirectory, { recursive: true, force: true });
  }
}

function unaryCall(client: grpc.Client, method: string): Promise<unknown> {
  const call = (client as unknown as Record<string, (request: object, callback: (error: Error | null, response: unknown) => void) => void>)[method];
  return new Promise((resolve, reject) => call.call(client, {}, (error, response) => (error ? reject(error) : resolve(response))));
}

/** Code caches of earlier bundles (their names carry the bundle's digest) are never read again. */
function removeStaleCodeCaches(mirrorDirectory: string, current: readonly string[]): void {
  const directory = path.join(mirrorDirectory, CODE_CACHE_DIRECTORY);
  for (const entry of readdirSync(directory)) {
    const file = path.join(directory, entry);
    if (!current.includes(file) && entry.endsWith('.bin')) rmSync(file, { force: true });
  }
}

/**
 * Replaces the file by a rename, so a Terraform run (or a parallel test worker building the same
 * mirror) never sees a half-written file.
 */
function writeFileAtomically(file: string, contents: Uint8Array, mode: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, file);
}

if (require.main === module) {
  const started = Date.now();
  buildMirror().then(
    (outcome) => console.log(`terraform provider stand-ins: ${outcome} in ${Date.now() - started} ms (${path.relative(REPOSITORY_ROOT, DEFAULT_MIRROR_DIRECTORY)}/)`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
