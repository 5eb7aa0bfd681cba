/**
 * Key pairs made in one stack and used by another stack of the same app, with real `terraform`: cdktf turns
 * each token the second stack uses into an output of the first and a `terraform_remote_state` read of its
 * state. The "keys" stack holds a pair per cloud; the "servers" stack uses their KeyPairId, name and
 * fingerprints in its own resources and outputs, and looks one pair up by the name it got from "keys". Each
 * stack is applied on its own, "keys" first, as `cdktf deploy` orders them. A renamed pair is a new pair
 * with a new KeyPairId: "servers" sees it at its next apply. Destroy goes in the reverse order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { addKeyPairOutputs, CLOUDS, Deployment, EndToEnd, oneLine, outputsOf, REGIONS } from './helpers';
import { AlicloudKeyPair, IKeyPair, KeyAlgorithm, KeyPairBase, KeySource, TencentcloudKeyPair, UcloudKeyPair } from '../../src';
import type { CloudName } from '../../src/contract';
import { TerraformData } from '../../src/terraform-data';
import { sshKeygenFingerprint } from '../support/ssh-keygen';

jest.setTimeout(240_000);

describe('key pairs of one stack used by another stack of the app', () => {
  let e2e: EndToEnd;
  let keys: Deployment;
  let servers: Deployment;

  /** Synthesizes the app; `alicloudName` is the Alibaba pair's name in "keys". */
  const synth = (alicloudName: string) => e2e.synthApp([keys, servers], ([keysStack, serversStack]) => {
    const made: Record<CloudName, KeyPairBase> = {
      alicloud: new AlicloudKeyPair(keysStack, 'alicloud', {
        region: REGIONS.alicloud,
        keyPairName: alicloudName,
        keySource: KeySource.cloudGenerated(),
        privateKeyFile: keys.privateKeyFile('alicloud'),
      }),
      tencentcloud: new TencentcloudKeyPair(keysStack, 'tencentcloud', {
        region: REGIONS.tencentcloud,
        keyPairName: 'shared_ci',
        keySource: KeySource.importPublicKey(e2e.importKey('tencentcloud').publicKey),
      }),
      ucloud: new UcloudKeyPair(keysStack, 'ucloud', {
        region: REGIONS.ucloud,
        keyPairName: 'shared-edge',
        keySource: KeySource.generateLocally(KeyAlgorithm.RSA),
        privateKeyFile: keys.privateKeyFile('ucloud'),
      }),
    };
    for (const cloud of CLOUDS) {
      useInServers(serversStack, cloud, made[cloud]);
    }
    // "servers" also looks the UCloud pair up itself, by the name "keys" gave it
    const lookedUp = UcloudKeyPair.fromKeyPairName(serversStack, 'edge-lookup', { region: REGIONS.ucloud, keyPairName: made.ucloud.keyPairName });
    new TerraformOutput(serversStack, 'edge-lookup-id', { value: lookedUp.keyPairId }).overrideLogicalId('edge_lookup_key_pair_id');
  });

  /** What "servers" does with a pair of "keys": a resource of its own takes it, and its outputs show it. */
  const useInServers = (stack: TerraformStack, id: string, keyPair: IKeyPair) => {
    new TerraformData(stack, `server-${id}`, { input: { key_pair_id: keyPair.keyPairId, key_pair_name: keyPair.keyPairName } })
      .overrideLogicalId(`server_${id}`);
    addKeyPairOutputs(stack, id, keyPair, ['keyPairId', 'keyPairName', 'fingerprint', 'fingerprintSha256', 'publicKey']);
  };

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    keys = await e2e.deployment('keys');
    servers = await e2e.deployment('servers');
    synth('shared_bastion');
    await Promise.all([keys.init(), servers.init()]);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('"servers" reads what it uses from the state of "keys", and manages no key pair', () => {
    const config = JSON.parse(fs.readFileSync(path.join(servers.workspace.workingDirectory, 'cdk.tf.json'), 'utf8')) as {
      data: Record<string, Record<string, { backend?: string }>>;
      resource: Record<string, Record<string, unknown>>;
    };
    expect(Object.values(config.data.terraform_remote_state ?? {}).map((remoteState) => remoteState.backend)).toEqual(['local']);
    expect(Object.fromEntries(Object.entries(config.resource).map(([type, resources]) => [type, Object.keys(resources).sort()])))
      .toEqual({ terraform_data: ['server_alicloud', 'server_tencentcloud', 'server_ucloud'] });
  });

  test('applying "keys" and then "servers": servers sees each pair as keys does, and what the clouds hold', async () => {
    // WHEN
    await keys.apply();
    const apply = await servers.apply();

    // THEN every value crossed the stacks as "keys" has it ...
    const [keysOutputs, serversOutputs] = [await keys.outputs(), await servers.outputs()];
    for (const cloud of CLOUDS) {
      const [inKeys, inServers] = [outputsOf(keysOutputs, cloud), outputsOf(serversOutputs, cloud)];
      expect({ cloud, keyPairId: inServers.keyPairId, fingerprint: inServers.fingerprint, fingerprintSha256: inServers.fingerprintSha256 })
        .toEqual({ cloud, keyPairId: inKeys.keyPairId, fingerprint: inKeys.fingerprint, fingerprintSha256: sshKeygenFingerprint(inServers.publicKey, 'sha256') });
    }
    // ... which is what the clouds hold
    const [edge] = e2e.keyPairsNamed('ucloud', 'shared-edge');
    const [ci] = e2e.keyPairsNamed('tencentcloud', 'shared_ci');
    expect({
      alicloud: serversOutputs.alicloud_key_pair_id,
      tencentcloud: serversOutputs.tencentcloud_key_pair_id,
      ucloud: serversOutputs.ucloud_key_pair_id,
      lookup: serversOutputs.edge_lookup_key_pair_id,
      names: [serversOutputs.alicloud_key_pair_name, serversOutputs.tencentcloud_key_pair_name, serversOutputs.ucloud_key_pair_name],
      tencentPublicKey: serversOutputs.tencentcloud_public_key,
    }).toEqual({
      alicloud: 'shared_bastion', // Alibaba names its key pairs by name
      tencentcloud: ci.id,
      ucloud: edge.id,
      lookup: edge.id,
      names: ['shared_bastion', 'shared_ci', 'shared-edge'],
      tencentPublicKey: e2e.importKey('tencentcloud').publicKey.split(' ').slice(0, 2).join(' '),
    });
    expect(oneLine(apply.stderr)).toBe('');
    // "servers" made no key pair of its own, and took none
    expect(CLOUDS.map((cloud) => e2e.emulator.listKeyPairs(cloud).length)).toEqual([1, 1, 1]);
    expect(keys.readPrivateKey('ucloud')?.mode).toBe(0o600);
  });

  test('the plans of both stacks are no-ops after that', async () => {
    const plans = await Promise.all([keys, servers].map((deployment) => deployment.run(['plan', '-detailed-exitcode'])));
    expect(plans.map((plan) => ({ exitCode: plan.exitCode, stderr: plan.stderr }))).toEqual([{ exitCode: 0, stderr: '' }, { exitCode: 0, stderr: '' }]);
  });

  test('a pair renamed in "keys" is a new pair: "servers" takes its new KeyPairId at its next apply', async () => {
    // GIVEN
    synth('shared_bastion_v2');

    // WHEN
    await keys.apply();
    const plan = await servers.run(['plan', '-detailed-exitcode']);
    await servers.apply();

    // THEN "servers" planned the change of its resource that takes the pair, and now holds the new pair
    expect(plan.exitCode).toBe(2);
    expect(oneLine(plan.stdout)).toContain('terraform_data.server_alicloud will be updated in-place');
    expect(oneLine(plan.stdout)).not.toContain('terraform_data.server_tencentcloud will be');
    expect(e2e.emulator.listKeyPairs('alicloud').map((keyPair) => keyPair.name)).toEqual(['shared_bastion_v2']);
    expect((await servers.outputs()).alicloud_key_pair_id).toBe('shared_bastion_v2');
  });

  test('destroying "servers" and then "keys" leaves no pair and no key file', async () => {
    // WHEN
    await servers.destroy();
    const pairsWhileKeysStands = CLOUDS.map((cloud) => e2e.emulator.listKeyPairs(cloud).length);
    await keys.destroy();

    // THEN
    expect(pairsWhileKeysStands).toEqual([1, 1, 1]);
    expect(CLOUDS.map((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual([[], [], []]);
    expect([keys.readPrivateKey('alicloud'), keys.readPrivateKey('ucloud')]).toEqual([undefined, undefined]);
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.secretFindings()).toEqual([]);
  });
});
