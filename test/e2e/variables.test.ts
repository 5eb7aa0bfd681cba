/**
 * Props whose values Terraform knows only at apply (Terraform variables, set with `-var`), with real
 * `terraform`: a key pair name, a region, project ids, a tags map and a tag key, an imported public key, a
 * private key path, a delete timeout and a secret's recovery window, on `null_resource` and `terraform_data`
 * carriers, and the name of a key pair made elsewhere that a reference looks up. Synth cannot check them, so the stack
 * must still be valid Terraform: a destroy step may reference nothing but its own resource, and what the steps
 * read (triggers, the stack registry's record, the tag step's entries) must be strings, a number variable's
 * value included. Then apply, a no-op plan, and destroy with the variables' values.
 */
import { TerraformOutput, TerraformVariable, Token } from 'cdktf';
import { Deployment, EndToEnd, oneLine, outputsOf, REGIONS } from './helpers';
import { keyPairApiFor } from '../../handler/clouds/factory';
import { AlicloudKeyPair, KeyPairCarrier, KeySource, PrivateKeySecret, TencentcloudKeyPair, UcloudKeyPair } from '../../src';
import { OWNERSHIP_TAG_KEY, RESERVED_TAG_KEYS } from '../../src/contract';

jest.setTimeout(240_000);

describe('props from Terraform variables, through real terraform', () => {
  let e2e: EndToEnd;
  let deployment: Deployment;
  let variables: string[];
  let elsewhereId: string;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment('vars');
    deployment.synthStack((stack) => {
      const variable = (id: string, type: string) => new TerraformVariable(stack, id, { type });
      const [name, timeout, window] = [variable('alicloud_name', 'string'), variable('delete_timeout', 'number'), variable('window_days', 'number')];
      const [region, tags, publicKey] = [variable('tencent_region', 'string'), variable('tencent_tags', 'map(string)'), variable('ucloud_public_key', 'string')];
      const [project, ucloudProject] = [variable('tencent_project', 'number'), variable('ucloud_project', 'string')];
      const [keyFile, referenceName] = [variable('tencent_key_file', 'string'), variable('reference_name', 'string')];
      const tagKey = variable('alicloud_tag_key', 'string');
      // A key pair made elsewhere, looked up by a name from a variable
      const reference = TencentcloudKeyPair.fromKeyPairName(stack, 'reference', { region: region.stringValue, keyPairName: referenceName.stringValue });
      new TerraformOutput(stack, 'reference-id', { value: reference.keyPairId }).overrideLogicalId('reference_key_pair_id');
      return {
        alicloud: new AlicloudKeyPair(stack, 'alicloud', {
          region: REGIONS.alicloud,
          keyPairName: name.stringValue,
          deleteTimeoutSeconds: timeout.numberValue,
          tags: { [tagKey.stringValue]: 'bastion-hosts' }, // a key known only at apply
          privateKeyFile: deployment.privateKeyFile('alicloud'),
          privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'vars-bastion-key', recoveryWindowDays: window.numberValue }),
        }),
        tencentcloud: new TencentcloudKeyPair(stack, 'tencentcloud', {
          region: region.stringValue,
          keyPairName: 'vars_ci',
          privateKeyFile: keyFile.stringValue,
          tags: Token.asStringMap(tags.value),
          projectId: project.numberValue,
        }),
        // terraform_data keeps its triggers' types (null_resource's are strings): the tokens must be strings already
        ucloud: new UcloudKeyPair(stack, 'ucloud', {
          region: REGIONS.ucloud,
          keyPairName: 'vars_edge',
          keySource: KeySource.importPublicKey(publicKey.stringValue),
          projectId: ucloudProject.stringValue,
          carrier: KeyPairCarrier.TERRAFORM_DATA,
        }),
      };
    });
    variables = [
      ['alicloud_name', 'vars_bastion'],
      ['delete_timeout', '120'],
      ['window_days', '7'],
      ['tencent_region', REGIONS.tencentcloud],
      ['tencent_tags', '{"team"="infra"}'],
      ['tencent_project', '1002'],
      ['ucloud_project', 'org-vars'],
      ['tencent_key_file', deployment.privateKeyFile('tencentcloud')],
      ['reference_name', 'vars_made_elsewhere'],
      ['alicloud_tag_key', 'role'],
      ['ucloud_public_key', e2e.importKey('ucloud').publicKey.trim()],
    ].flatMap(([key, value]) => ['-var', `${key}=${value}`]);
    // Made outside this app, through the cloud's API (a teammate, the console, another stack).
    const made = await keyPairApiFor({ cloud: 'tencentcloud', region: REGIONS.tencentcloud }, e2e.emulator.handlerEnvironment())
      .importPublicKey({ name: 'vars_made_elsewhere', publicKey: e2e.importKey('elsewhere').publicKey });
    elsewhereId = made.id;
    await deployment.init();
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('apply makes each pair from the values given at apply, and the plan after it is a no-op', async () => {
    // WHEN
    const apply = await deployment.apply({}, variables);
    const plan = await deployment.run(['plan', '-detailed-exitcode', ...variables]);

    // THEN each cloud holds its pair under the name and in the region from the variables, tagged from the map
    const [bastion] = e2e.keyPairsNamed('alicloud', 'vars_bastion');
    const [ci] = e2e.keyPairsNamed('tencentcloud', 'vars_ci');
    const [edge] = e2e.keyPairsNamed('ucloud', 'vars_edge');
    expect({ bastion: bastion?.scope, ci: ci?.scope, edge: edge?.publicKey.split(' ')[1] }).toEqual({
      bastion: expect.stringContaining(REGIONS.alicloud),
      ci: expect.stringContaining(REGIONS.tencentcloud),
      edge: e2e.importKey('ucloud').publicKey.split(' ')[1],
    });
    const declared = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).filter(([key]) => !RESERVED_TAG_KEYS.includes(key)));
    expect(declared(ci.tags)).toEqual({ team: 'infra' });
    expect(declared(bastion.tags)).toEqual({ role: 'bastion-hosts' });
    expect(ci.attributes.projectId).toBe('1002'); // a number variable
    expect(edge.scope).toContain('org-vars');
    expect(ci.tags[OWNERSHIP_TAG_KEY]).toBeDefined();
    // ... its private key in the file and in the secret (or at the path from a variable), its outputs from the read
    expect(deployment.readPrivateKey('alicloud')?.mode).toBe(0o600);
    expect(deployment.readPrivateKey('tencentcloud')?.mode).toBe(0o600);
    expect(e2e.emulator.listSecrets('alicloud').map((secret) => [secret.name, secret.status])).toEqual([['vars-bastion-key', 'enabled']]);
    const outputs = await deployment.outputs();
    expect(outputsOf(outputs, 'tencentcloud').keyPairId).toBe(ci.id);
    expect(outputsOf(outputs, 'alicloud').keyPairId).toBe('vars_bastion'); // Alibaba names its key pairs by name
    expect(outputs.reference_key_pair_id).toBe(elsewhereId);
    // ... the registry records the variables' values as strings (what the destroy steps read) ...
    const records = await deployment.registryRecords();
    expect(records.alicloud.deleteTimeoutSeconds).toBe('120');
    expect(oneLine(apply.stderr)).toBe('');
    // ... and nothing changes on the next plan
    expect({ exitCode: plan.exitCode, stderr: plan.stderr }).toEqual({ exitCode: 0, stderr: '' });
  });

  test('destroy deletes every pair, and schedules the secret\'s deletion with the window from its variable', async () => {
    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve', ...variables]);

    // THEN
    expect({ exitCode: destroy.exitCode, stderr: oneLine(destroy.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    // (the pair made elsewhere stays)
    expect(e2e.emulator.listKeyPairs('tencentcloud').map((keyPair) => keyPair.id)).toEqual([elsewhereId]);
    for (const cloud of ['alicloud', 'ucloud'] as const) expect(e2e.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(deployment.readPrivateKey('tencentcloud')).toBeUndefined();
    expect(e2e.emulator.listSecrets('alicloud').map((secret) => [secret.name, secret.status])).toEqual([['vars-bastion-key', 'pending-delete']]);
    expect(oneLine(destroy.stdout)).toContain('"vars-bastion-key" in Alibaba Cloud KMS Secrets Manager (cn-hangzhou) for deletion in 7 days');
    expect(deployment.readPrivateKey('alicloud')).toBeUndefined();
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.secretFindings()).toEqual([]);
  });
});
