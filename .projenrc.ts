import { cdktf, javascript } from 'projen';

// Everything generated (package.json, tsconfig files, .projen/, API.md, LICENSE) comes from this file.
// Run `npx projen` after editing it.
const project = new cdktf.ConstructLibraryCdktf({
  name: 'cdktf-keypair',
  description:
    'CDK for Terraform constructs that create, import, read and delete SSH key pairs on Alibaba Cloud ECS, Tencent Cloud CVM and UCloud UHost.',
  keywords: ['cdktf', 'terraform', 'ssh', 'key-pair', 'alicloud', 'tencentcloud', 'ucloud'],
  author: 'cdktf-keypair maintainers',
  authorAddress: 'maintainers@cdktf-keypair.dev',
  repositoryUrl: 'https://github.com/cdktf-keypair/cdktf-keypair',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: '0.103.25',

  // jsii 6 / TypeScript ~5.9 keep ts-node and eslint on the JS compiler API
  // (TypeScript 7 has none); minNodeVersion keeps @types/node on a served dist-tag.
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  minNodeVersion: '20.9.0',
  cdktfVersion: '^0.21.0',
  constructsVersion: '^10.4.2',

  peerDeps: ['@cdktf/provider-null@^11.0.1', '@cdktf/provider-external@^11.0.1'],
  // No run-time dependency: lib/ needs only the peers, and esbuild bundles sshpk into the handler and the
  // emulator (assets/). sshpk is a devDependency of the bundle step and the tests, never shipped.
  devDeps: [
    'sshpk@^1.18.0',
    '@types/sshpk',
    'esbuild',
    // Offline Terraform provider stand-ins (test support only, never published).
    '@grpc/grpc-js',
    '@grpc/proto-loader',
    'protobufjs',
    '@msgpack/msgpack',
    // The clouds' official SDKs: never shipped or used at run time (docs/design.md#thin-cloud-clients); the tests check that the
    // emulator accepts their requests, and the benchmark compares the thin clients against them.
    'tencentcloud-sdk-nodejs-cvm',
    '@alicloud/ecs20140526',
    '@alicloud/openapi-client',
    '@alicloud/pop-core',
    // `npx projen demo` deploys and destroys the example app with `cdktf deploy` / `cdktf destroy` themselves.
    'cdktf-cli@0.21.0',
    // Jest's TypeScript transform (below).
    '@swc/core',
    '@swc/jest',
  ],

  publishToPypi: { distName: 'cdktf-keypair', module: 'cdktf_keypair' },
  publishToMaven: {
    javaPackage: 'dev.cdktfkeypair',
    mavenGroupId: 'dev.cdktf-keypair',
    mavenArtifactId: 'cdktf-keypair',
  },
  publishToNuget: { dotNetNamespace: 'CdktfKeypair', packageId: 'CdktfKeypair' },
  publishToGo: { moduleName: 'github.com/cdktf-keypair/cdktf-keypair-go' },

  // No workflows that cannot run on these machines.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  eslintOptions: {
    dirs: ['src', 'handler', 'emulator'],
    devdirs: ['test', 'bench', 'examples', 'rosetta'],
    fileExtensions: ['.ts'],
    // Lint everything against tsconfig.dev.json: jsii's tsconfig.json covers src/ only.
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
  },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Nothing reads a coverage report (no threshold, and the end-to-end tests run the handler in child
      // processes jest cannot see), and collecting it costs about a third of a unit file's time.
      // `npx jest --coverage` still writes one.
      collectCoverage: false,
      // One worker per core (jest's default leaves one core idle): much of a test's time is spent waiting
      // on servers, child processes and terraform, which the other worker's test fills.
      maxWorkers: '100%',
      // Longest first, the terraform-driven files before the rest when jest has no durations of its own yet.
      testSequencer: '<rootDir>/test/support/sequencer.js',
      // The run's own TMPDIR, removed after it (test/support/run-temp-directory.ts), and the key pools the
      // test files share, made once per checkout (test/support/key-pools.ts).
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      testTimeout: 120_000,
      // test/faults/ is its own task (`test:faults`, below): the fault and load suite takes minutes.
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/assets/', '/dist/', '/test/faults/'],
    },
  },
  // '/node_modules' too (projen ignores only the directory): a worktree's node_modules symlink must never be committed.
  gitignore: ['/node_modules', '/assets/', '/.tf-providers/', '/.jsii-bindings/', '/examples/*/cdktf.out/', '/bench/results/'],
  // The package is an allow-list (`files`, below), not a deny-list: no .npmignore.
  npmignoreEnabled: false,
});

// Jest strips the types with swc instead of ts-jest's TypeScript transpile, which cost 9 of the CPU-seconds
// of a clean run's test processes (node --cpu-prof; each suite's first run transpiles everything again).
// Types are checked by the `typecheck` task, as before; the output keeps the tsconfig's target (ES2022, class
// fields with define semantics) and CommonJS modules.
project.jest!.config.transform = {
  '^.+\\.[t]sx?$': new javascript.Transform('@swc/jest', {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022', transform: { useDefineForClassFields: true } },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  }),
};
project.deps.removeDependency('ts-jest');

// handler/ and emulator/ ship only as esbuild bundles (assets/), never resolved from node_modules at run time:
// what they import (sshpk) is a devDependency of the bundle step.
project.eslint?.allowDevDeps('handler/**');
project.eslint?.allowDevDeps('emulator/**');

// Quiet tools: jsii's Node 20 end-of-life banner, and cdktf's update check (no internet here).
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
project.tasks.addEnvironment('CHECKPOINT_DISABLE', '1');

// Trap: npm ci rejects a lockfile naming unrs-resolver platform bindings this registry does not serve.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// ---- What the npm package ships, and so every jsii language's package (they embed it): an allow-list of
// what users need at run time. npm adds package.json, README.md and LICENSE itself; anything else in the
// checkout (sources, tests, a stray file at the root) stays out. test/package/published-files.test.ts checks
// what `npm pack` packs against its own list. ----
const packageFiles = [
  // The compiled constructs and their declarations (jsii's output).
  'lib/**/*.js',
  'lib/**/*.d.ts',
  // The jsii assembly: what jsii-pacmak and the other languages' runtimes load.
  '.jsii',
  // The deploy-time handler bundle every synthesized stack copies (TerraformAsset).
  'assets/handler.js',
  // The emulator: the `cdktf-keypair-emulator` bin, and its programmatic API with type declarations.
  'assets/emulator/cli.js',
  'assets/emulator/index.js',
  'assets/emulator/index.d.ts',
  // Its declarations reach the contract (src/) and nothing else: never the handler's.
  'assets/emulator/types/emulator/**/*.d.ts',
  'assets/emulator/types/src/**/*.d.ts',
  // The examples' translations (jsii-rosetta's tablet): the other languages' packagers read it from the npm
  // package to show every example in their own syntax.
  '.jsii.tabl.json',
  // The API reference (TypeScript, and per language), and the topic pages README.md links to.
  'API.md',
  'docs/*.md',
  'docs/api/*.md',
];
project.package.addField('files', packageFiles);
// jsii-pacmak writes a .npmignore of its own when the checkout has none; `files` makes it meaningless to npm,
// but it would sit in the checkout as a stray file.
for (const target of ['js', 'java', 'python', 'dotnet', 'go']) {
  const task = project.tasks.tryFind(`package:${target}`);
  task?.reset();
  task?.exec(`jsii-pacmak -v --target ${target} --no-npmignore`);
}

project.package.addBin({ 'cdktf-keypair-emulator': 'assets/emulator/cli.js' });

// ---- Deploy-time bundles: one self-contained file each, runnable with plain `node`. ----
const esbuild = 'esbuild --bundle --platform=node --target=node20 --minify --legal-comments=none';
const bundle = project.addTask('bundle', {
  description: 'Bundle the deploy-time handler and the emulator into assets/ (no node_modules needed at run time)',
});
// The handler: its own code, then sshpk as a chunk in comments that only the commands needing it compile
// (handler/bundle/). Type-checked by `typecheck`, so transpiled only here. A task of its own for the fault
// suite, which runs the handler through Terraform but the emulator from its sources.
const bundleHandler = project.addTask('bundle:handler', {
  description: 'Bundle the deploy-time handler into assets/handler.js',
  exec: 'ts-node --transpile-only --project tsconfig.dev.json handler/bundle/build.ts',
});
bundle.spawn(bundleHandler);
// The emulator ships twice: a bin, and a programmatic API (startEmulator) with its type declarations.
bundle.exec(`${esbuild} emulator/main.ts --outfile=assets/emulator/cli.js --banner:js="#!/usr/bin/env node"`);
bundle.exec('chmod +x assets/emulator/cli.js');
bundle.exec(`${esbuild} emulator/index.ts --outfile=assets/emulator/index.js`);
// tsc only adds and overwrites declarations: cleared first, so those of modules the emulator no longer
// loads (the handler's, once) are not left behind and packed.
bundle.exec('rm -rf assets/emulator/types');
bundle.exec('tsc -p tsconfig.emulator-types.json');
bundle.exec('echo "export * from \'./types/emulator/index\';" > assets/emulator/index.d.ts');
project.preCompileTask.spawn(bundle);

// ---- Offline stand-ins for hashicorp/null and hashicorp/external (test support). ----
const providers = project.addTask('build:providers', {
  description: 'Build the offline Terraform provider stand-ins as a filesystem mirror in .tf-providers/',
  // Type-checked by `typecheck`, so transpiled only here (`test` and `test:faults` both build the mirror).
  exec: 'ts-node --transpile-only --project tsconfig.dev.json test/support/terraform-providers/build-mirror.ts',
});

// ---- Tests: type-check what jest only strips of its types, and make `projen test` self-sufficient. ----
project.addTask('typecheck', {
  description: 'Type-check handler, emulator, tests, benchmarks and examples (jest only strips types)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
const prepare = project.addTask('test:prepare', {
  description: 'Build what the tests run (bundles, jsii compile, provider stand-ins)',
});
prepare.spawn(bundle);
prepare.spawn(project.compileTask); // the package tests check the jsii output too
prepare.spawn(providers);
// eslint, the type-check and test:prepare each keep one core busy and read nothing the others write (the
// type-check reads sources only): side by side they share the cores instead of taking turns. All three run
// to the end; any failing fails the step, before jest. (Through sh: projen's own command runner refuses `&`.)
project.testTask.reset();
project.testTask.exec(
  "sh -c 'projen eslint & lint=$!; projen typecheck & types=$!; projen test:prepare; prepared=$?; " +
    "wait $lint; linted=$?; wait $types; typed=$?; exit $((prepared || linted || typed))'",
);
project.testTask.execArgs(['jest', '--passWithNoTests', '--ci'], { receiveArgs: true });

// ---- The fault and load suite (test/faults/): real terraform against the emulator under throttling,
// lost answers, timeouts, bad credentials, quotas, interruptions and races; and the secret scan of all it
// produced. Its own task with its own report (test-reports/junit-faults.xml), which .ci/run runs too. Two
// workers, longest file first; the sequencer queues the scan (secret-hygiene.test.ts) last, and the scan waits
// for the marks the suite's environment leaves as each other file ends; the global setup makes the directory
// where the suite's files leave their evidence for it. The path comes first: --testPathIgnorePatterns takes a list.
// ---- The Terraform-driven tests on the real hashicorp/null and hashicorp/external providers, when a
// filesystem mirror of them is named (CDKTF_KEYPAIR_PROVIDER_MIRROR): the end-to-end tests alone, for a quick
// check by hand. Its own report (test-reports/junit-real-providers.xml).
const realProviders = project.addTask('test:real-providers', {
  description: 'The end-to-end and bad-input Terraform tests on the real providers of the mirror CDKTF_KEYPAIR_PROVIDER_MIRROR names',
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-real-providers.xml' },
  // Checked by projen itself: the task's shell may lack `test -n` and `{ ...; }` (it does on some CI machines).
  requiredEnv: ['CDKTF_KEYPAIR_PROVIDER_MIRROR'],
});
realProviders.exec('jest test/e2e test/bad-input/terraform.test.ts --ci --coverage=false --passWithNoTests=false --testPathIgnorePatterns=/node_modules/');

// ---- The stand-ins' own tests (test/terraform-providers/) on the stand-ins, whatever the environment names:
// where .ci/run runs the main suite on the real providers, these hold the stand-ins to the same expectations.
// Its own report (test-reports/junit-stand-ins.xml).
const standIns = project.addTask('test:stand-ins', {
  description: 'The provider stand-ins\' conformance tests (test/terraform-providers/) on the stand-ins',
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-stand-ins.xml', CDKTF_KEYPAIR_PROVIDER_MIRROR: '' },
});
standIns.spawn(providers);
standIns.exec('jest test/terraform-providers --ci --coverage=false --passWithNoTests=false --testPathIgnorePatterns=/node_modules/');

const faults = project.addTask('test:faults', {
  description: 'Fault and load suite: real terraform against the emulator under injected faults, quotas, interruptions and races (test/faults/)',
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-faults.xml' },
});
faults.spawn(bundleHandler);
faults.spawn(providers);
faults.exec([
  'jest test/faults --ci --maxWorkers=2 --coverage=false --passWithNoTests=false',
  '--globalSetup=./test/faults/support/global-setup.ts --globalTeardown=./test/faults/support/global-teardown.ts',
  '--testEnvironment=./test/faults/support/environment.js',
  '--testSequencer=./test/faults/support/sequencer.js --testPathIgnorePatterns=/node_modules/',
].join(' '));

// tsconfig for everything outside src/ (jsii owns tsconfig.json and compiles src/ only).
new javascript.TypescriptConfig(project, {
  fileName: 'tsconfig.dev.json',
  include: ['src/**/*.ts', 'handler/**/*.ts', 'emulator/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts', 'rosetta/**/*.ts', '.projenrc.ts'],
  exclude: ['node_modules', '**/cdktf.out/**'],
  compilerOptions: {
    alwaysStrict: true,
    declaration: false,
    esModuleInterop: true,
    experimentalDecorators: true,
    inlineSourceMap: true,
    inlineSources: true,
    lib: ['es2022'],
    module: 'node16',
    noEmit: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    resolveJsonModule: true,
    strict: true,
    strictNullChecks: true,
    strictPropertyInitialization: true,
    target: 'ES2022',
    types: ['jest', 'node'],
    skipLibCheck: true,
  },
});

// Only the JS package can be built here: the Python, Java, .NET and Go packagers need PyPI, Maven
// Central, the .NET SDK or the Go proxy, none reachable. `check:bindings` proves the API still generates.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

// Declarations for the emulator's programmatic API (assets/emulator/index.d.ts points at them).
new javascript.TypescriptConfig(project, {
  fileName: 'tsconfig.emulator-types.json',
  include: ['emulator/index.ts'],
  compilerOptions: {
    declaration: true,
    emitDeclarationOnly: true,
    outDir: 'assets/emulator/types',
    rootDir: '.',
    module: 'node16',
    target: 'ES2022',
    lib: ['es2022'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
  },
});

// ---- The project's main job for a newcomer: the whole story against the emulator, offline. ----
// examples/basic/demo.ts starts the emulator, runs `cdktf deploy` on the example app (providers from the
// stand-ins' mirror), checks each private key against the cloud's public key, runs `cdktf destroy`, stops.
const demo = project.addTask('demo', {
  description: 'Deploy and destroy the example app with cdktf deploy / cdktf destroy against the cloud emulator (offline)',
});
demo.spawn(bundle);
demo.spawn(providers);
demo.exec('ts-node --project tsconfig.dev.json examples/basic/demo.ts');

// ---- Benchmarks (docs/design.md#performance-targets), never run by the tests: handler read vs the floor, node -e 0 and the official
// SDKs; synth of 10 to 1,000 key pairs vs null_resources; terraform apply/plan/destroy of 1, 10, 50 pairs vs
// null_resources running node -e 0, and a throttled apply; bundle size and peak RSS. bench/README.md. ----
const bench = project.addTask('bench', {
  description: 'Run the benchmarks (about half an hour on 2 cores); report in bench/results/BENCHMARKS.md (BENCH_PUBLISH=1: also BENCHMARKS.md)',
});
bench.spawn(bundle);
bench.spawn(providers);
bench.exec('ts-node --project tsconfig.dev.json bench/main.ts');

// ---- Examples in every language: jsii-rosetta compiles each TypeScript example of README.md and of the API's
// `@example`s strictly against the real API (fixtures: rosetta/*.ts-fixture) and translates it to Python, Java,
// C# and Go, into the tablet .jsii.tabl.json; an example that no longer compiles fails `compile`. jsii-pacmak
// reads the tablet (the assembly's default one) for every language's README and docs, jsii-docgen for
// docs/api/API.<language>.md, and rosetta/readme-translations.ts for the translations under each README example. ----
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compile every TypeScript example (README.md, @example) strictly against the API and translate it to Python, Java, C# and Go (.jsii.tabl.json)',
  exec: 'jsii-rosetta extract --strict',
});
project.compileTask.spawn(rosettaExtract);
project.gitignore.addPatterns('/.jsii.tabl.json');

const docgen = project.tasks.tryFind('docgen')!;
const apiLanguages = ['python', 'java', 'csharp', 'go'];
// One jsii-docgen for the four languages: it loads the assembly and its dependencies once, and names each
// file after its language (docs/api/API.<language>.md).
docgen.exec(`jsii-docgen ${apiLanguages.map((language) => `--language ${language}`).join(' ')} -o docs/api/API.md`);
for (const language of apiLanguages) project.annotateGenerated(`/docs/api/API.${language}.md`);
const rosettaReadme = project.addTask('rosetta:readme', {
  description: 'Write the Python, Java, C# and Go translations of README.md\'s TypeScript examples below each example (from .jsii.tabl.json)',
  // Type-checked by `typecheck`, so transpiled only here.
  exec: 'ts-node --transpile-only --project tsconfig.dev.json rosetta/readme-translations.ts',
});
project.postCompileTask.spawn(rosettaReadme);
// The packagers read the tablet explicitly and refuse an example missing from it, rather than copying the
// TypeScript into a Python, Java, C# or Go README (the npm package carries .jsii.tabl.json for them).
const pacmakRosetta = '--rosetta-tablet .jsii.tabl.json --rosetta-unknown-snippets fail';
for (const target of ['python', 'java', 'dotnet', 'go']) {
  project.tasks.tryFind(`package:${target}`)!.reset(`jsii-pacmak -v --target ${target} ${pacmakRosetta} --no-npmignore`);
}

// ---- Every binding generates offline: proof the public API is jsii-clean in each language. ----
project.addTask('check:bindings', {
  description: 'Generate Python, Java, .NET and Go bindings (code only) into .jsii-bindings/ (test/bindings.test.ts checks them)',
  exec: `jsii-pacmak --code-only --target python --target java --target dotnet --target go ${pacmakRosetta} --outdir .jsii-bindings`,
});

project.synth();
