import 'cdktf/lib/testing/adapters/jest';
import * as path from 'node:path';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { Fn, TerraformOutput, TerraformResource, TerraformVariable, Testing, Token } from 'cdktf';
import { Construct } from 'constructs';
import { constructionError, keyPairIn, newStack, recordedValue, resultAddressOf, synthJson, synthKeyPair, testKey } from './helpers';
import {
  AlicloudKeyPair,
  KeyAlgorithm,
  KeyPairCarrier,
  KeySource,
  TencentcloudKeyPair,
  UcloudKeyPair,
} from '../../src';
import {
  ENDPOINT_RULE_DESCRIPTION,
  HANDLER_ENV,
  PRIVATE_KEY_FILE_RULE_DESCRIPTION,
  READ_QUERY_KEYS,
  READ_STATUS,
  REGION_RULE,
  RESULT_KEYS,
  TRIGGER_KEYS,
} from '../../src/contract';
import { missingPairWarning } from '../../src/lifecycle-resources';

const HANDLER_COMMAND = (command: string) => new RegExp(`^node "assets/cdktf-keypair-handler/[0-9A-F]+/handler\\.js" ${command}$`);

describe('the carrier and its triggers', () => {
  test('a cloud-generated key pair: triggers are a map literal of exactly the keys that apply', () => {
    // WHEN
    const { carrierType, triggers } = synthKeyPair((stack) =>
      new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', keyPairName: 'bastion', privateKeyFile: '/keys/bastion.pem' }),
    );
    // THEN
    expect(carrierType).toBe('null_resource');
    expect(triggers).toEqual({
      [TRIGGER_KEYS.cloud]: 'alicloud',
      [TRIGGER_KEYS.region]: 'cn-hangzhou',
      [TRIGGER_KEYS.keyPairName]: 'bastion',
      [TRIGGER_KEYS.keySource]: 'cloud',
      [TRIGGER_KEYS.privateKeyFile]: path.resolve('/keys/bastion.pem'),
      // The deployment identity (made once per Terraform state) and the hash of the construct's path.
      [TRIGGER_KEYS.owner]: expect.stringMatching(/^\$\{terraform_data\.cdktf_keypair_identity\.id\}\/[0-9a-f]{16}$/),
    });
  });

  test('every optional trigger appears when set: scope, endpoint, public key; key algorithm for local generation', () => {
    // WHEN
    const imported = synthKeyPair((stack) =>
      new AlicloudKeyPair(stack, 'imported', {
        region: 'cn-hangzhou',
        resourceGroupId: 'rg-aek2z3ry2lmkgjq',
        endpoint: 'http://127.0.0.1:8080',
        keySource: KeySource.importPublicKey(testKey('rsa').publicKeyFile),
      }),
    );
    const generated = synthKeyPair((stack) =>
      new AlicloudKeyPair(stack, 'generated', { region: 'cn-hangzhou', keySource: KeySource.generateLocally(KeyAlgorithm.ECDSA), privateKeyFile: 'k.pem' }),
    );
    // THEN
    expect(imported.triggers).toMatchObject({
      [TRIGGER_KEYS.scope]: 'rg-aek2z3ry2lmkgjq',
      [TRIGGER_KEYS.endpoint]: 'http://127.0.0.1:8080',
      [TRIGGER_KEYS.keySource]: 'import',
      [TRIGGER_KEYS.publicKey]: testKey('rsa').canonical,
    });
    expect(imported.triggers).not.toHaveProperty(TRIGGER_KEYS.privateKeyFile);
    expect(imported.triggers).not.toHaveProperty(TRIGGER_KEYS.keyAlgorithm);
    expect(generated.triggers).toMatchObject({ [TRIGGER_KEYS.keySource]: 'generate', [TRIGGER_KEYS.keyAlgorithm]: 'ecdsa' });
    expect(generated.triggers).not.toHaveProperty(TRIGGER_KEYS.publicKey);
    expect(generated.triggers).not.toHaveProperty(TRIGGER_KEYS.scope);
    expect(generated.triggers).not.toHaveProperty(TRIGGER_KEYS.endpoint);
  });

  test('only contract trigger keys are used, and no trigger holds tags, the handler path or a timeout', () => {
    // WHEN
    const { triggers } = synthKeyPair((stack) =>
      new TencentcloudKeyPair(stack, 'ci', {
        region: 'ap-guangzhou',
        projectId: 7,
        tags: { team: 'infra' },
        privateKeyFile: 'ci.pem',
        deleteTimeoutSeconds: 900,
      }),
    );
    // THEN
    const allowed: string[] = Object.values(TRIGGER_KEYS);
    expect(Object.keys(triggers).filter((key) => !allowed.includes(key))).toEqual([]);
    const values = Object.values(triggers).join('\n');
    expect(values).not.toMatch(/infra|handler\.js|assets\/|900/);
  });

  test('a tag change changes the create step\'s environment, not the triggers', () => {
    // GIVEN
    const build = (tags: Record<string, string>) =>
      synthKeyPair((stack) => new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', tags }));
    // WHEN
    const before = build({ team: 'infra' });
    const after = build({ team: 'platform', cost: 'shared' });
    // THEN
    expect(after.triggers).toEqual(before.triggers);
    expect(JSON.parse(before.create.environment[HANDLER_ENV.tags])).toEqual({ team: 'infra' });
    expect(JSON.parse(after.create.environment[HANDLER_ENV.tags])).toEqual({ team: 'platform', cost: 'shared' });
    // the read compares the cloud's tags with the declared ones (the stack's tag resource applies a change)
    expect(after.readFields[READ_QUERY_KEYS.tags]).toBe(after.create.environment[HANDLER_ENV.tags]);
    const { carrier_id: carrierId, ...registryTriggers } = after.json.locals.cdktf_keypair_registry.bastion.triggers;
    expect(carrierId).toMatch(/^\$\{null_resource\.bastion_carrier_[0-9A-F]+\.id\}$/);
    expect(registryTriggers).toEqual(before.triggers);
  });

  test('a delete timeout change does not change the triggers either', () => {
    const build = (deleteTimeoutSeconds?: number) =>
      synthKeyPair((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem', deleteTimeoutSeconds }));
    expect(build(60).triggers).toEqual(build().triggers);
  });

  test('the terraform_data carrier holds the same map in triggers_replace, and its provisioners read it', () => {
    // WHEN
    const build = (carrier?: KeyPairCarrier) =>
      synthKeyPair((stack) => new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', carrier }));
    const viaNull = build();
    const viaData = build(KeyPairCarrier.TERRAFORM_DATA);
    // THEN
    expect(viaData.carrierType).toBe('terraform_data');
    expect(viaData.carrier).not.toHaveProperty('triggers');
    expect(viaData.triggers).toEqual(viaNull.triggers);
    expect(viaData.create.environment[HANDLER_ENV.triggers]).toBe('${jsonencode(self.triggers_replace)}');
    expect(viaData.destroy.environment[HANDLER_ENV.triggers]).toBe('${jsonencode(self.triggers_replace)}');
    expect(viaData.readAfterApply.depends_on).toEqual([`terraform_data.${viaData.carrierName}`]);
    expect(viaData.json.resource).not.toHaveProperty('null_resource');
  });

  test('the terraform_data carrier synthesizes to HCL too', () => {
    const stack = newStack();
    new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', carrier: KeyPairCarrier.TERRAFORM_DATA });
    const hcl = Testing.synthHcl(stack);
    expect(hcl).toMatch(/resource "terraform_data" "bastion_carrier_[0-9A-F]+"/);
    expect(hcl).toMatch(/triggers_replace = \{/);
    expect(hcl).toMatch(/cloud\s+= "alicloud"/);
  });

  test('literal values with Terraform template syntax are escaped, so the handler receives them unchanged', () => {
    // WHEN
    const { triggers, create } = synthKeyPair((stack) =>
      new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', keyPairName: 'a ${b} %{c}', privateKeyFile: '${HOME}.pem' }),
    );
    const tagged = synthKeyPair((stack) =>
      new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', tags: { note: 'cost ${center}' } }),
    );
    // THEN
    expect(triggers[TRIGGER_KEYS.keyPairName]).toBe('a $${b} %%{c}');
    expect(triggers[TRIGGER_KEYS.privateKeyFile]).toBe('$${HOME}.pem');
    expect(create.environment[HANDLER_ENV.tags]).toBe('{}');
    expect(tagged.create.environment[HANDLER_ENV.tags]).toBe('{"note":"cost $${center}"}');
  });
});

describe('the provisioners', () => {
  test('create and destroy run the handler by its path only; every input comes from the environment', () => {
    // WHEN
    const { create, destroy, triggers } = synthKeyPair((stack) =>
      new AlicloudKeyPair(stack, 'bastion', {
        region: 'cn-hangzhou',
        keyPairName: 'bastion',
        endpoint: 'https://ecs.example.com',
        resourceGroupId: 'rg-abc',
        privateKeyFile: 'keys/bastion.pem',
        tags: { team: 'infra' },
        deleteTimeoutSeconds: 120,
      }),
    );
    // THEN the shell commands hold nothing but the bundle's path and the command
    expect(create.command).toMatch(HANDLER_COMMAND('create'));
    expect(destroy.command).toMatch(HANDLER_COMMAND('delete'));
    // (the bundle's path aside: its content hash may hold any digits)
    const withoutPath = (command: string) => command.replace(/"[^"]*"/, '"<bundle>"');
    for (const value of [...Object.values(triggers), 'infra', '120']) {
      expect(withoutPath(create.command)).not.toContain(value);
      expect(withoutPath(destroy.command)).not.toContain(value);
    }
    expect(create.when).toBeUndefined();
    expect(destroy.when).toBe('destroy');
    expect(create.environment).toEqual({
      [HANDLER_ENV.triggers]: '${jsonencode(self.triggers)}',
      [HANDLER_ENV.tags]: JSON.stringify({ team: 'infra' }),
      [HANDLER_ENV.baseDirectory]: process.cwd(),
    });
    expect(destroy.environment).toEqual({
      [HANDLER_ENV.triggers]: '${jsonencode(self.triggers)}',
      [HANDLER_ENV.deleteTimeoutSeconds]: '120',
      [HANDLER_ENV.baseDirectory]: process.cwd(),
    });
  });

  test('the delete timeout defaults to 300 seconds', () => {
    const { destroy } = synthKeyPair((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' }));
    expect(destroy.environment[HANDLER_ENV.deleteTimeoutSeconds]).toBe('300');
  });

  test('tags known only at deploy time reach the create step through jsonencode', () => {
    // GIVEN
    const { create, readFields } = synthKeyPair((stack) => {
      const team = new TerraformVariable(stack, 'team', { type: 'string' });
      return new TencentcloudKeyPair(stack, 'ci', { region: 'ap-guangzhou', privateKeyFile: 'ci.pem', tags: { team: team.stringValue, fixed: 'x' } });
    });
    // THEN
    expect(create.environment[HANDLER_ENV.tags]).toBe('${jsonencode({"team" = tostring(var.team), "fixed" = "x"})}');
    expect(readFields[READ_QUERY_KEYS.tags]).toBe(create.environment[HANDLER_ENV.tags]);
  });

  test('tag keys known only at deploy time go through zipmap (a map literal cannot carry them)', () => {
    // GIVEN
    const { create, readFields } = synthKeyPair((stack) => {
      const key = new TerraformVariable(stack, 'tag_key', { type: 'string' });
      return new TencentcloudKeyPair(stack, 'ci', { region: 'ap-guangzhou', privateKeyFile: 'ci.pem', tags: { [key.stringValue]: 'infra', fixed: 'x' } });
    });
    // THEN
    expect(create.environment[HANDLER_ENV.tags]).toBe('${jsonencode(zipmap([tostring(var.tag_key), "fixed"], ["infra", "x"]))}');
    expect(readFields[READ_QUERY_KEYS.tags]).toBe(create.environment[HANDLER_ENV.tags]);
  });

  test('a whole tag map known only at deploy time too (tags are no trigger, so a map token is fine there)', () => {
    const { create, triggers } = synthKeyPair((stack) => {
      const tags = new TerraformVariable(stack, 'tags', { type: 'map(string)' });
      return new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', tags: Token.asStringMap(tags.value) });
    });
    expect(create.environment[HANDLER_ENV.tags]).toBe('${jsonencode(var.tags)}');
    expect(JSON.stringify(triggers)).not.toContain('var.tags');
  });
});

describe('the stack\'s reads, and a vanished pair made again', () => {
  test('every pair joins the stack\'s two reads: one handler process each, whatever the number of pairs', () => {
    // WHEN
    const { liveRead, readAfterApply, readFields, triggers, carrierName, json } = synthKeyPair((stack) => {
      new AlicloudKeyPair(stack, 'other', { region: 'cn-hangzhou', privateKeyFile: 'o.pem' });
      return new TencentcloudKeyPair(stack, 'ci', { region: 'ap-guangzhou', privateKeyFile: 'ci.pem' });
    });
    // THEN both run the handler's read over one query, an entry per pair
    expect(Object.keys(json.data.external)).toEqual(['cdktf_keypair_read', 'cdktf_keypair_read_after_apply']);
    expect(liveRead.program).toEqual(['node', expect.stringMatching(/^assets\/cdktf-keypair-handler\/[0-9A-F]+\/handler\.js$/), 'read']);
    expect(readAfterApply.program).toEqual(liveRead.program);
    expect(readAfterApply.query).toEqual(liveRead.query);
    expect([...new Set(Object.keys(liveRead.query).map((key) => key.split('#')[0]))].sort()).toEqual(['ci', 'other']);
    expect(readFields).toEqual({
      ...triggers,
      [READ_QUERY_KEYS.baseDirectory]: process.cwd(),
      [READ_QUERY_KEYS.tags]: '{}',
    });
    // the plan-time read depends on no carrier (it decides which to replace); the other runs after all of them
    expect(liveRead).not.toHaveProperty('depends_on');
    expect(readAfterApply.depends_on).toEqual([expect.stringMatching(/^null_resource\.other_carrier_/), `null_resource.${carrierName}`]);
  });

  test('a name someone else holds stops the plan, through the plan-time read\'s postcondition', () => {
    const { liveRead, readAfterApply } = synthKeyPair((stack) => new TencentcloudKeyPair(stack, 'ci', { region: 'ap-guangzhou', privateKeyFile: 'ci.pem' }));
    expect(liveRead.lifecycle.postcondition).toEqual([
      {
        condition: `\${alltrue([for entry in values(self.result) : jsondecode(entry).status != "${READ_STATUS.taken}"])}`,
        error_message: expect.stringContaining('jsondecode(entry).problem'),
      },
    ]);
    expect(readAfterApply).not.toHaveProperty('lifecycle');
  });

  test('a pair the plan-time read finds gone changes its presence, which replaces its carrier; a check block says which, and why', () => {
    // WHEN
    const { presence, carrier, json } = synthKeyPair((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' }));
    // THEN
    const status = `jsondecode(data.external.cdktf_keypair_read.result["edge"]).${RESULT_KEYS.status}`;
    expect(presence.input).toBe(`\${${status} == "${READ_STATUS.missing}" ? replace(timestamp(), "/^.*$/", "${READ_STATUS.present}") : "${READ_STATUS.present}"}`);
    const presenceAddress = carrier.lifecycle.replace_triggered_by[0];
    expect(carrier.lifecycle.replace_triggered_by).toEqual([expect.stringMatching(/^terraform_data\.edge_presence_[0-9A-F]+$/)]);
    expect(Object.keys(json.check)).toEqual([expect.stringMatching(/^cdktf_keypair_gone_edge_[0-9a-f]{8}$/)]);
    expect(Object.values<any>(json.check)[0].assert).toEqual([
      {
        condition: `\${${status} != "${READ_STATUS.missing}" ? true : ${presenceAddress}.id == ""}`,
        error_message: missingPairWarning('stack/edge'),
      },
    ]);
  });

  test('the result records what the read after the carriers saw, made anew with the carrier and kept otherwise', () => {
    const { result, carrierName } = synthKeyPair((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' }));
    expect(result).toEqual({
      input: '${jsondecode(data.external.cdktf_keypair_read_after_apply.result["edge"])}',
      triggers_replace: { carrier_id: `\${null_resource.${carrierName}.id}` },
      lifecycle: { ignore_changes: ['input'] },
    });
  });

  test('the carrier\'s address follows an overridden logical id', () => {
    // GIVEN
    const stack = newStack();
    const keyPair = new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' });
    // WHEN
    keyPair.carrier.overrideLogicalId('edge');
    // THEN
    const { readAfterApply, result } = keyPairIn(synthJson(stack), keyPair);
    expect(result.triggers_replace).toEqual({ carrier_id: '${null_resource.edge.id}' });
    expect(readAfterApply.depends_on).toEqual(['null_resource.edge']);
  });

  test('the outputs follow an overridden logical id of the result', () => {
    // GIVEN
    const stack = newStack();
    const keyPair = new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' });
    // WHEN
    (keyPair.node.findChild('result') as TerraformResource).overrideLogicalId('edge_result');
    // THEN
    const json = synthJson(stack);
    expect(json.output.edge_key_pair_id.value).toBe(`\${terraform_data.edge_result.output.${RESULT_KEYS.keyPairId}}`);
    expect(json.output.edge_fingerprint.value).toBe(`\${terraform_data.edge_result.output.${RESULT_KEYS.fingerprint}}`);
  });
});

describe('attributes and outputs', () => {
  test('every attribute is the matching entry of the read\'s result, and wires into other resources', () => {
    // GIVEN
    const stack = newStack();
    const keyPair = new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem' });
    // WHEN
    new Resource(stack, 'instance', {
      triggers: {
        id: keyPair.keyPairId,
        name: keyPair.keyPairName,
        fingerprint: keyPair.fingerprint,
        sha256: keyPair.fingerprintSha256,
        md5: keyPair.fingerprintMd5,
        publicKey: keyPair.publicKey,
      },
      dependsOn: [keyPair],
    });
    // THEN
    const json = synthJson(stack);
    const recorded = `terraform_data.${(keyPair.node.findChild('result') as TerraformResource).friendlyUniqueId}`;
    const result = (key: string) => `\${${recorded}.output.${key}}`;
    expect(json.resource.null_resource.instance.triggers).toEqual({
      id: result(RESULT_KEYS.keyPairId),
      name: result(RESULT_KEYS.keyPairName),
      fingerprint: result(RESULT_KEYS.fingerprint),
      sha256: result(RESULT_KEYS.fingerprintSha256),
      md5: result(RESULT_KEYS.fingerprintMd5),
      publicKey: result(RESULT_KEYS.publicKey),
    });
    expect(json.resource.null_resource.instance.depends_on).toEqual([recorded]);
  });

  test('outputs for the KeyPairId and the fingerprint, named after the construct path', () => {
    // GIVEN
    const stack = newStack();
    const team = new Construct(stack, 'team');
    // WHEN
    const bastion = new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem' });
    const nested = new TencentcloudKeyPair(team, 'ci-runner.2', { region: 'ap-guangzhou', privateKeyFile: 'c.pem' });
    new UcloudKeyPair(stack, '1st', { region: 'cn-bj2', privateKeyFile: 'u.pem' });
    // THEN
    const json = synthJson(stack);
    expect(Object.keys(json.output).sort()).toEqual([
      '_1st_fingerprint',
      '_1st_key_pair_id',
      'bastion_fingerprint',
      'bastion_key_pair_id',
      'team_ci-runner_2_fingerprint',
      'team_ci-runner_2_key_pair_id',
    ]);
    expect(json.output.bastion_key_pair_id.value).toBe(recordedValue(bastion, RESULT_KEYS.keyPairId));
    expect(json.output['team_ci-runner_2_fingerprint'].value).toBe(recordedValue(nested, RESULT_KEYS.fingerprint));
    expect(json.output.bastion_key_pair_id.description).toMatch(/KeyPairId/);
    expect(json.output.bastion_key_pair_id.sensitive).toBeUndefined();
  });

  test('outputs: false adds none', () => {
    const { json } = synthKeyPair((stack) => new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', outputs: false }));
    expect(json.output).toBeUndefined();
  });

  test('two constructs whose paths give the same output names are refused, unless one has no outputs', () => {
    // GIVEN
    const message = constructionError((stack) => {
      new AlicloudKeyPair(new Construct(stack, 'team'), 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'a.pem' });
      new AlicloudKeyPair(stack, 'team_bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem' });
    });
    // THEN
    expect(message).toContain('team_bastion_key_pair_id');
    expect(message).toContain('stack/team/bastion');
    // AND
    const stack = newStack();
    new AlicloudKeyPair(new Construct(stack, 'team'), 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'a.pem' });
    expect(() => new AlicloudKeyPair(stack, 'team_bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', outputs: false })).not.toThrow();
  });
});

describe('replacementKey: rotating a key from code', () => {
  const build = (replacementKey?: string) =>
    synthKeyPair((stack) => new TencentcloudKeyPair(stack, 'ci', { region: 'ap-guangzhou', privateKeyFile: 'ci.pem', replacementKey }));

  test('unset, it is no trigger: stacks that never set it keep their triggers', () => {
    expect(Object.keys(build().triggers)).not.toContain(TRIGGER_KEYS.replacementKey);
  });

  test('set, it adds exactly one trigger; changing it changes nothing else, so it replaces the carrier alone', () => {
    // WHEN
    const before = build();
    const first = build('2026-03');
    const second = build('2026-04');
    // THEN
    expect(first.triggers).toEqual({ ...before.triggers, [TRIGGER_KEYS.replacementKey]: '2026-03' });
    expect(second.triggers).toEqual({ ...before.triggers, [TRIGGER_KEYS.replacementKey]: '2026-04' });
    expect(second.create).toEqual(first.create);
    expect(second.destroy).toEqual(first.destroy);
    // and the stack's registry entry (whose destroy step deletes the old pair) carries it too
    expect(second.json.locals.cdktf_keypair_registry.ci.triggers[TRIGGER_KEYS.replacementKey]).toBe('2026-04');
  });

  test('any string: template syntax stays literal, and a token goes through as a Terraform string', () => {
    expect(build('gen ${2} %{x}').triggers[TRIGGER_KEYS.replacementKey]).toBe('gen $${2} %%{x}');
    const { triggers } = synthKeyPair((stack) => {
      const generation = new TerraformVariable(stack, 'generation', { type: 'string' });
      return new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem', replacementKey: generation.stringValue });
    });
    expect(triggers[TRIGGER_KEYS.replacementKey]).toBe('${tostring(var.generation)}');
  });
});

describe('once per stack: the handler asset and the providers', () => {
  test('one null and one external provider for any number of key pairs, none declared by the user', () => {
    // GIVEN
    const stack = newStack();
    new AlicloudKeyPair(stack, 'a', { region: 'cn-hangzhou', privateKeyFile: 'a.pem' });
    new TencentcloudKeyPair(stack, 'b', { region: 'ap-guangzhou', privateKeyFile: 'b.pem' });
    // WHEN
    const json = synthJson(stack);
    // THEN
    expect(json.provider).toEqual({ null: [{}], external: [{}] });
    expect(Object.keys(json.terraform.required_providers).sort()).toEqual(['external', 'null']);
    expect(Testing.synth(stack)).toHaveProvider({ tfResourceType: 'null' });
  });

  test('a provider the user declares, even after the key pair, is used and not doubled', () => {
    // GIVEN
    const stack = newStack();
    new AlicloudKeyPair(stack, 'a', { region: 'cn-hangzhou', privateKeyFile: 'a.pem' });
    new NullProvider(stack, 'mine', {});
    // WHEN
    const first = synthJson(stack);
    const second = synthJson(stack);
    // THEN
    expect(first.provider.null).toHaveLength(1);
    expect(first.provider.external).toHaveLength(1);
    expect(second).toEqual(first);
  });

  test('no null provider when every key pair uses terraform_data', () => {
    const { json } = synthKeyPair((stack) =>
      new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem', carrier: KeyPairCarrier.TERRAFORM_DATA }),
    );
    expect(Object.keys(json.provider)).toEqual(['external']);
  });

  test('one handler asset per stack, at a path that depends on the bundle only, and never in the triggers', () => {
    // GIVEN
    const stack = newStack();
    const a = new AlicloudKeyPair(stack, 'a', { region: 'cn-hangzhou', privateKeyFile: 'a.pem' });
    const b = new UcloudKeyPair(stack, 'b', { region: 'cn-bj2', privateKeyFile: 'b.pem' });
    const elsewhere = synthKeyPair((other) => new TencentcloudKeyPair(other, 'c', { region: 'ap-guangzhou', privateKeyFile: 'c.pem' }));
    // WHEN
    const json = synthJson(stack);
    // THEN
    const [first, second] = [keyPairIn(json, a), keyPairIn(json, b)];
    expect(stack.node.children.filter((child) => child.node.id === 'cdktf-keypair-handler')).toHaveLength(1);
    const handler = first.liveRead.program[1];
    expect(elsewhere.liveRead.program[1]).toBe(handler);
    expect(first.create.command).toBe(`node "${handler}" create`);
    expect(second.create.command).toBe(`node "${handler}" create`);
    for (const keyPair of [first, second]) {
      expect(JSON.stringify(keyPair.triggers)).not.toContain(handler);
    }
  });
});

describe('tokens are passed through as Terraform strings, unchecked (the handler checks them)', () => {
  test('region, name, scope, endpoint, public key, private key file, timeout and project id as tokens', () => {
    // GIVEN
    const stack = newStack();
    const variable = (id: string, type = 'string') => new TerraformVariable(stack, id, { type });
    // WHEN
    const imported = new UcloudKeyPair(stack, 'imported', {
      region: variable('region').stringValue,
      keyPairName: variable('name').stringValue,
      projectId: variable('project').stringValue,
      endpoint: variable('endpoint').stringValue,
      keySource: KeySource.importPublicKey(Fn.file('id.pub')),
      deleteTimeoutSeconds: variable('timeout', 'number').numberValue,
    });
    const generated = new TencentcloudKeyPair(stack, 'generated', {
      region: 'ap-guangzhou',
      projectId: variable('tencent_project', 'number').numberValue,
      keySource: KeySource.generateLocally(KeyAlgorithm.RSA),
      privateKeyFile: variable('key_file').stringValue,
    });
    // THEN
    const json = synthJson(stack);
    const first = keyPairIn(json, imported);
    expect(first.triggers).toMatchObject({
      [TRIGGER_KEYS.region]: '${tostring(var.region)}',
      [TRIGGER_KEYS.keyPairName]: '${tostring(var.name)}',
      [TRIGGER_KEYS.scope]: '${tostring(var.project)}',
      [TRIGGER_KEYS.endpoint]: '${tostring(var.endpoint)}',
      [TRIGGER_KEYS.publicKey]: '${tostring(file("id.pub"))}',
    });
    // A destroy step may reference nothing but its own resource: the carrier's waits the default; the registry's
    // entry records the token's value, as a string (what the handler reads)
    expect(first.destroy.environment[HANDLER_ENV.deleteTimeoutSeconds]).toBe('300');
    expect(json.locals.cdktf_keypair_registry.imported.input.delete_timeout_seconds).toBe('${tostring(var.timeout)}');
    const second = keyPairIn(json, generated);
    // (a number variable as a Terraform string: the handler reads the triggers as strings)
    expect(second.triggers).toMatchObject({ [TRIGGER_KEYS.scope]: '${tostring(var.tencent_project)}', [TRIGGER_KEYS.privateKeyFile]: '${tostring(var.key_file)}' });
    expect(Token.isUnresolved(generated.privateKeyFile)).toBe(true);
  });
});

describe('props every cloud shares', () => {
  test('a relative private key file is resolved against the directory synth runs in, which is no trigger', () => {
    const stack = newStack();
    const keyPair = new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'keys/bastion.pem' });
    expect(keyPair.privateKeyFile).toBe(path.join(process.cwd(), 'keys', 'bastion.pem'));
    const synthesized = keyPairIn(synthJson(stack), keyPair);
    // The path as written is the trigger: synthesizing from another checkout directory replaces nothing.
    expect(synthesized.triggers[TRIGGER_KEYS.privateKeyFile]).toBe('keys/bastion.pem');
    expect(JSON.stringify(synthesized.triggers)).not.toContain(process.cwd());
  });

  test('an imported key has no private key file', () => {
    const stack = newStack();
    const keyPair = new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', keySource: KeySource.importPublicKey(testKey('rsa').publicKeyFile) });
    expect(keyPair.privateKeyFile).toBeUndefined();
    expect(keyPair.cloud).toBe('ucloud');
  });

  test.each([
    ['a cloud-generated key pair', KeySource.cloudGenerated(), /privateKeyFile or privateKeySecret is required: the cloud generates the key pair/],
    ['the default key source', undefined, /privateKeyFile or privateKeySecret is required: the cloud generates the key pair/],
    ['a locally generated key pair', KeySource.generateLocally(KeyAlgorithm.RSA), /privateKeyFile or privateKeySecret is required: the key pair is generated locally/],
  ])('%s without privateKeyFile or privateKeySecret is refused', (_, keySource, expected) => {
    expect(constructionError((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', keySource }))).toMatch(expected);
  });

  test('an imported public key with privateKeyFile is refused', () => {
    const message = constructionError((stack) =>
      new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', keySource: KeySource.importPublicKey(testKey('rsa').publicKeyFile), privateKeyFile: 'x.pem' }),
    );
    expect(message).toMatch(/privateKeyFile is refused for an imported public key/);
  });

  test.each(['', ' ', 'keys/', 'keys\\', '~/.ssh/id_rsa', 'a\u0000b', '.', '..', 'keys/..', ' key.pem'])('private key file %j is refused with the rule', (privateKeyFile) => {
    const message = constructionError((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile }));
    expect(message).toContain(PRIVATE_KEY_FILE_RULE_DESCRIPTION);
  });

  test.each(['https://api.ucloud.cn', 'http://127.0.0.1:8080', 'https://gateway.example.com/ucloud/'])('endpoint %s is accepted', (endpoint) => {
    const { triggers } = synthKeyPair((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem', endpoint }));
    expect(triggers[TRIGGER_KEYS.endpoint]).toBe(endpoint);
  });

  test.each([
    'api.ucloud.cn',
    'ftp://api.ucloud.cn',
    'https://user:secret@api.ucloud.cn',
    'https://AKID@api.ucloud.cn',
    'https://api.ucloud.cn/?token=x',
    'https://api.ucloud.cn/#x',
    ' https://api.ucloud.cn',
    'https://api.ucloud .cn',
    '',
  ])('endpoint %j is refused with the rule', (endpoint) => {
    const message = constructionError((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem', endpoint }));
    expect(message).toContain(ENDPOINT_RULE_DESCRIPTION);
  });

  test('an endpoint carrying a password is refused without echoing the password', () => {
    const message = constructionError((stack) =>
      new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem', endpoint: 'https://user:hunter2@api.ucloud.cn' }),
    );
    expect(message).toContain('"https://[redacted]@api.ucloud.cn"');
    expect(message).not.toContain('hunter2');
  });

  test.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('deleteTimeoutSeconds %p is refused', (deleteTimeoutSeconds) => {
    const message = constructionError((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem', deleteTimeoutSeconds }));
    expect(message).toMatch(/deleteTimeoutSeconds must be a whole number of seconds, 0 or more/);
  });

  test('deleteTimeoutSeconds 0 is accepted, as the handler accepts it: a pair still bound fails the destroy at once', () => {
    const { destroy } = synthKeyPair((stack) => new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem', deleteTimeoutSeconds: 0 }));
    expect(destroy.environment[HANDLER_ENV.deleteTimeoutSeconds]).toBe('0');
  });

  test.each(['CN-HANGZHOU', 'cn_hangzhou', 'cn-', 'x', ''])('region %j is refused with the rule', (region) => {
    const message = constructionError((stack) => new AlicloudKeyPair(stack, 'bastion', { region, privateKeyFile: 'b.pem' }));
    expect(message).toContain(REGION_RULE.description);
  });

  test('a missing region is refused (JavaScript callers have no type check)', () => {
    const message = constructionError((stack) => new AlicloudKeyPair(stack, 'bastion', { privateKeyFile: 'b.pem' } as any));
    expect(message).toMatch(/region is required/);
  });

  test('every problem is reported at once, with the construct path and class', () => {
    const message = constructionError((stack) => new TencentcloudKeyPair(stack, 'ci', { region: 'Guangzhou', keyPairName: 'ci-runner', deleteTimeoutSeconds: -1 }));
    expect(message).toMatch(/^cdktf-keypair: stack\/ci \(TencentcloudKeyPair\) has invalid props:/);
    expect(message.split('\n  - ')).toHaveLength(5); // header + region, name, private key file, timeout
  });

  test('two key pairs asking one cloud location for the same name are refused', () => {
    // GIVEN
    const message = constructionError((stack) => {
      new AlicloudKeyPair(stack, 'a', { region: 'cn-hangzhou', keyPairName: 'shared', privateKeyFile: 'a.pem' });
      new AlicloudKeyPair(stack, 'b', { region: 'cn-hangzhou', keyPairName: 'shared', privateKeyFile: 'b.pem' });
    });
    // THEN
    expect(message).toMatch(/key pair name "shared" is already used by stack\/a/);
    // AND another region, scope or cloud is another location
    const stack = newStack();
    new AlicloudKeyPair(stack, 'a', { region: 'cn-hangzhou', keyPairName: 'shared', privateKeyFile: 'a.pem' });
    new AlicloudKeyPair(stack, 'b', { region: 'cn-beijing', keyPairName: 'shared', privateKeyFile: 'b.pem' });
    new AlicloudKeyPair(stack, 'c', { region: 'cn-hangzhou', keyPairName: 'shared', privateKeyFile: 'c.pem', resourceGroupId: 'rg-other' });
    new TencentcloudKeyPair(stack, 'd', { region: 'cn-hangzhou', keyPairName: 'shared', privateKeyFile: 'd.pem' });
    expect(() => synthJson(stack)).not.toThrow();
  });

  test('the KeyPairBase is a dependable: depends_on a key pair waits for its result (recorded once the pair exists)', () => {
    const stack = newStack();
    const keyPair = new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem' });
    new TerraformOutput(stack, 'after', { value: 'x', dependsOn: [keyPair] });
    // (cdktf writes an output's depends_on as interpolations, a resource's as bare addresses)
    expect(synthJson(stack).output.after.depends_on).toEqual([`\${${resultAddressOf(keyPair)}}`]);
  });
});
