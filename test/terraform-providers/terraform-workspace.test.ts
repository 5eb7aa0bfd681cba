import { cpSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inheritedEnvironment, oneLine, PROVIDER_MIRROR_ENV, providerMirrorDirectory, TerraformWorkspace } from '../support/terraform';
import { buildMirror } from '../support/terraform-providers/build-mirror';
import { DEFAULT_MIRROR_DIRECTORY, terraformPlatform } from '../support/terraform-providers/mirror-layout';

/** Sets environment variables of this test process for one test; afterEach restores them. */
const savedEnvironment = new Map<string, string | undefined>();
function setProcessEnv(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) {
    if (!savedEnvironment.has(name)) savedEnvironment.set(name, process.env[name]);
    process.env[name] = value;
  }
}

const temporaryDirectories: string[] = [];
function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  temporaryDirectories.push(directory);
  return directory;
}

const workspaces: TerraformWorkspace[] = [];
async function workspaceWith(files: Record<string, string>, env?: Record<string, string>): Promise<TerraformWorkspace> {
  const workspace = await TerraformWorkspace.create({ files, env });
  workspaces.push(workspace);
  return workspace;
}

afterEach(() => {
  for (const [name, value] of savedEnvironment) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  savedEnvironment.clear();
  for (const workspace of workspaces.splice(0)) workspace.dispose();
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('the provider mirror', () => {
  test('is the stand-ins\' own unless CDKTF_KEYPAIR_PROVIDER_MIRROR names another, resolved to an absolute path', () => {
    expect(providerMirrorDirectory({})).toBe(DEFAULT_MIRROR_DIRECTORY);
    expect(providerMirrorDirectory({ [PROVIDER_MIRROR_ENV]: '' })).toBe(DEFAULT_MIRROR_DIRECTORY);
    expect(providerMirrorDirectory({ [PROVIDER_MIRROR_ENV]: '/srv/mirror' })).toBe('/srv/mirror');
    expect(providerMirrorDirectory({ [PROVIDER_MIRROR_ENV]: 'relative/mirror' })).toBe(path.resolve('relative/mirror'));
  });

  test('CDKTF_KEYPAIR_PROVIDER_MIRROR makes terraform init install from that mirror', async () => {
    // GIVEN a copy of the stand-ins' mirror, selected through the environment
    await buildMirror();
    const copy = path.join(temporaryDirectory('provider-mirror-copy-'), 'mirror');
    cpSync(DEFAULT_MIRROR_DIRECTORY, copy, { recursive: true });
    setProcessEnv({ [PROVIDER_MIRROR_ENV]: copy });
    const workspace = await workspaceWith({ 'main.tf': 'resource "null_resource" "example" {}' });

    // WHEN
    const init = await workspace.runOrThrow(['init']);

    // THEN Terraform links the unpacked provider from the mirror it installed from
    expect(init.stdout).toContain('Installed hashicorp/null v3.2.4');
    expect(workspace.mirrorDirectory).toBe(copy);
    const installed = path.join(workspace.rootDirectory, 'terraform-data', 'providers', 'registry.terraform.io', 'hashicorp', 'null', '3.2.4', terraformPlatform());
    expect(realpathSync(installed)).toBe(realpathSync(path.join(copy, 'registry.terraform.io', 'hashicorp', 'null', '3.2.4', terraformPlatform())));
  });

  test('a mirror named by the environment is used as it is, never built', async () => {
    // GIVEN an empty directory as the mirror
    const emptyMirror = temporaryDirectory('provider-mirror-empty-');
    setProcessEnv({ [PROVIDER_MIRROR_ENV]: emptyMirror });
    const workspace = await workspaceWith({ 'main.tf': 'resource "null_resource" "example" {}' });

    // WHEN
    const init = await workspace.run(['init']);

    // THEN
    expect(init.exitCode).toBe(1);
    expect(oneLine(init.stderr)).toContain('Failed to query available provider packages');
    expect(readdirSync(emptyMirror)).toEqual([]);
  });
});

describe('the environment terraform runs with', () => {
  // Variables of the person running the tests that must not reach Terraform, its providers or the programs they run.
  const LEAKS = {
    ALICLOUD_ACCESS_KEY_ID: 'leaked',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'leaked',
    TENCENTCLOUD_SECRET_ID: 'leaked',
    UCLOUD_PRIVATE_KEY: 'leaked',
    CDKTF_KEYPAIR_ENDPOINT: 'leaked',
    TF_STRAY_SETTING: 'leaked',
    NODE_OPTIONS: '--no-deprecation',
    SOME_UNRELATED_VARIABLE: 'leaked',
  };

  test('inheritedEnvironment keeps PATH, HOME, locale, TZ, USER and SHELL only', () => {
    expect(inheritedEnvironment({ ...LEAKS, PATH: '/bin', HOME: '/home/someone', LANG: 'C.UTF-8', LC_ALL: 'C', TZ: 'UTC', USER: 'someone', SHELL: '/bin/sh' }))
      .toEqual({ PATH: '/bin', HOME: '/home/someone', LANG: 'C.UTF-8', LC_ALL: 'C', TZ: 'UTC', USER: 'someone', SHELL: '/bin/sh' });
  });

  test("reaches an external program without the runner's credentials or settings, with what was passed explicitly", async () => {
    // GIVEN credentials and settings in this process's environment, and a program that prints its environment's names
    setProcessEnv(LEAKS);
    const workspace = await workspaceWith({
      'env-keys.js': 'process.stdout.write(JSON.stringify({ keys: Object.keys(process.env).sort().join(" ") }));',
      'main.tf': `
        data "external" "environment" {
          program = ["node", "\${path.module}/env-keys.js"]
        }
        output "keys" {
          value = data.external.environment.result.keys
        }
      `,
    }, { ALICLOUD_REGION: 'passed to the workspace' });
    const perCommand = { TENCENTCLOUD_REGION: 'passed to the command' };

    // WHEN
    await workspace.runOrThrow(['init']);
    await workspace.runOrThrow(['apply', '-auto-approve'], { env: perCommand });

    // THEN
    const keys = String((await workspace.outputs()).keys).split(' ');
    for (const leaked of Object.keys(LEAKS)) expect(keys).not.toContain(leaked);
    const inheritedHere = ['PATH', 'HOME'].filter((name) => process.env[name] !== undefined);
    expect(keys).toEqual(expect.arrayContaining([...inheritedHere, 'ALICLOUD_REGION', 'TENCENTCLOUD_REGION']));
  });
});
