import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadSync, MessageTypeDefinition } from '@grpc/proto-loader';
import * as esbuild from 'esbuild';
import { DEFAULT_MIRROR_DIRECTORY, executablePath, STAND_IN_PROVIDERS } from './mirror-layout';

/**
 * Builds the stand-in providers as a Terraform filesystem mirror: one self-contained esbuild bundle
 * per provider, executable through its `#!/usr/bin/env node` line. The output is deterministic (the
 * lock-file hash stays stable) and the build is skipped when none of its inputs changed.
 */

const SOURCE_DIRECTORY = __dirname;
const REPOSITORY_ROOT = path.resolve(SOURCE_DIRECTORY, '..', '..', '..');
const BUNDLED_PACKAGES = ['esbuild', '@grpc/grpc-js', '@grpc/proto-loader', '@msgpack/msgpack'];
const INPUTS_STAMP = '.build-inputs.sha256';

/**
 * Compiles an imported `.proto` into a serialized FileDescriptorSet embedded in the bundle, so the
 * executable needs neither the `.proto` file nor a parser at run time.
 */
const protoDescriptorPlugin: esbuild.Plugin = {
  name: 'proto-descriptor-set',
  setup(build) {
    build.onLoad({ filter: /\.proto$/ }, (args) => {
      const definitions = loadSync(args.path, { keepCase: true });
      const message = Object.values(definitions).find((definition) => 'fileDescriptorProtos' in definition) as MessageTypeDefinition<object, object>;
      // FileDescriptorSet { repeated FileDescriptorProto file = 1; }: each file is a length-delimited field 1.
      const files = message.fileDescriptorProtos.map((file) => Buffer.concat([Buffer.of(0x0a), varint(file.length), file]));
      return { contents: Buffer.concat(files), loader: 'binary' };
    });
  },
};

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) + 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A digest of everything that shapes the bundles: this directory's sources and the bundled packages' versions. */
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
  return hash.digest('hex');
}

export async function buildMirror(mirrorDirectory: string = DEFAULT_MIRROR_DIRECTORY): Promise<'built' | 'up to date'> {
  const digest = inputsDigest();
  const stampFile = path.join(mirrorDirectory, INPUTS_STAMP);
  const outputsPresent = STAND_IN_PROVIDERS.every((provider) => existsSync(executablePath(mirrorDirectory, provider)));
  if (outputsPresent && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) return 'up to date';

  await Promise.all(STAND_IN_PROVIDERS.map(async (provider) => {
    const outfile = executablePath(mirrorDirectory, provider);
    const bundle = await esbuild.build({
      entryPoints: [path.join(SOURCE_DIRECTORY, provider.entryPoint)],
      outfile,
      write: false,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      legalComments: 'none',
      banner: { js: '#!/usr/bin/env node' },
      plugins: [protoDescriptorPlugin],
      absWorkingDir: REPOSITORY_ROOT,
      logLevel: 'warning',
    });
    writeExecutableAtomically(outfile, bundle.outputFiles[0].contents);
  }));
  writeFileSync(stampFile, digest);
  return 'built';
}

/**
 * Replaces the file by a rename, so a Terraform run (or a parallel test worker building the same
 * mirror) never sees a half-written executable.
 */
function writeExecutableAtomically(file: string, contents: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents, { mode: 0o755 });
  chmodSync(temporary, 0o755);
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
