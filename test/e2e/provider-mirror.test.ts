/**
 * The end-to-end tests take their providers from the mirror CDKTF_KEYPAIR_PROVIDER_MIRROR names (a mirror
 * of the real hashicorp/null and hashicorp/external, where they are available). This proves the switch:
 * pointed at a copy of the mirror in use, a stack with a key pair on every cloud installs its providers
 * from the copy, applies and destroys.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allPlanned, CLOUDS, Deployment, EndToEnd, KeyPairSpec, keyPairIdFormat, KeySourceName, oneLine, outputsOf, plannedActions } from './helpers';
import type { CloudName } from '../../src/contract';
import { sshKeygenPublicKeyOf } from '../support/ssh-keygen';
import { PROVIDER_MIRROR_ENV, providerMirrorDirectory } from '../support/terraform';
import { buildMirror } from '../support/terraform-providers/build-mirror';
import { DEFAULT_MIRROR_DIRECTORY, STAND_IN_PROVIDERS, terraformPlatform } from '../support/terraform-providers/mirror-layout';

jest.setTimeout(240_000);

/** One key pair per cloud, the key sources spread over them. */
const SOURCES: Record<CloudName, KeySourceName> = { alicloud: 'cloud', tencentcloud: 'import', ucloud: 'generate' };

describe('CDKTF_KEYPAIR_PROVIDER_MIRROR pointing at a copy of the mirror', () => {
  const specs: KeyPairSpec[] = CLOUDS.map((cloud) => ({ id: `${cloud}_kp`, cloud, source: SOURCES[cloud], name: `mirror_${SOURCES[cloud]}` }));
  let e2e: EndToEnd;
  let deployment: Deployment;
  let copy: string;
  const saved = process.env[PROVIDER_MIRROR_ENV];

  beforeAll(async () => {
    // GIVEN a copy of the mirror this run uses, selected through the environment
    const source = providerMirrorDirectory();
    if (source === DEFAULT_MIRROR_DIRECTORY) await buildMirror();
    copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-mirror-copy-')), 'mirror');
    fs.cpSync(source, copy, { recursive: true });
    process.env[PROVIDER_MIRROR_ENV] = copy;
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment();
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env[PROVIDER_MIRROR_ENV];
    else process.env[PROVIDER_MIRROR_ENV] = saved;
    await e2e?.stop();
    if (copy) fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  });

  test('init installs null and external from the copy; apply, a no-op re-plan and destroy work', async () => {
    // GIVEN
    deployment.synth(specs);

    // WHEN
    const init = await deployment.init();
    const apply = await deployment.apply();
    const outputs = await deployment.outputs();
    const stored = Object.fromEntries(specs.map((spec) => [spec.id, e2e.keyPairsNamed(spec.cloud, spec.name)]));
    const fromKeyFiles = Object.fromEntries(
      specs.filter((spec) => spec.source !== 'import').map((spec) => [spec.id, sshKeygenPublicKeyOf(deployment.privateKeyFile(spec.id))]),
    );
    const replan = await deployment.run(['plan', '-detailed-exitcode']);
    const destroy = await deployment.destroy();

    // THEN the providers came from the copy
    expect(deployment.workspace.mirrorDirectory).toBe(copy);
    for (const provider of STAND_IN_PROVIDERS) {
      expect(init.stdout).toContain(`Installed hashicorp/${provider.type} v${provider.version}`);
      const installed = path.join(deployment.workspace.rootDirectory, 'terraform-data', 'providers', 'registry.terraform.io', 'hashicorp', provider.type, provider.version, terraformPlatform());
      // An unpacked mirror is linked, a packed one unpacked: either way the copy is what Terraform read.
      if (fs.lstatSync(installed).isSymbolicLink()) {
        expect(fs.realpathSync(installed)).toBe(fs.realpathSync(path.join(copy, 'registry.terraform.io', 'hashicorp', provider.type, provider.version, terraformPlatform())));
      }
    }
    // AND the key pairs lived and died as on any mirror: every carrier, registry entry, the deployment
    // identity and the tag resource (terraform_data, built into Terraform) created, then destroyed
    const addresses = deployment.stackAddresses();
    expect(plannedActions(apply.stdout)).toEqual(allPlanned(addresses, 'create'));
    expect(apply.stdout).toContain(`Apply complete! Resources: ${addresses.length} added, 0 changed, 0 destroyed.`);
    for (const spec of specs) {
      const keyPairOutputs = outputsOf(outputs, spec.id);
      expect(keyPairOutputs.keyPairId).toMatch(keyPairIdFormat(spec.cloud, spec.name));
      expect(stored[spec.id].map((keyPair) => keyPair.fingerprint)).toEqual([keyPairOutputs.fingerprint]);
      if (spec.source !== 'import') expect(fromKeyFiles[spec.id]).toBe(keyPairOutputs.publicKey);
    }
    expect({ exitCode: replan.exitCode, stderr: oneLine(replan.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    expect(plannedActions(destroy.stdout)).toEqual(allPlanned(addresses, 'destroy'));
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${addresses.length} destroyed.`);
    expect(CLOUDS.flatMap((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual([]);
    expect(deployment.workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.secretFindings()).toEqual([]);
  });
});
