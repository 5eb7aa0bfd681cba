import 'cdktf/lib/testing/adapters/jest';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { constructionError, newStack, recordedValue, synthJson } from './helpers';
import { AlicloudKeyPair, IKeyPair, KeyPairCloud, TencentcloudKeyPair, UcloudKeyPair } from '../../src';
import { KEY_PAIR_ID_RULES, LOOKUP_QUERY_KEYS, NAME_RULES, READ_QUERY_KEYS, REGION_RULE, RESULT_KEYS, SCOPE_RULES, TRIGGER_KEYS } from '../../src/contract';

/**
 * References to key pairs made elsewhere (`fromKeyPairName`, `fromKeyPairId`): entries of the stack's
 * plan-time read (`handler read`, one process for every pair and reference of the stack), marked as
 * lookups; never a carrier, never an entry in the stack's registry (nothing of theirs is ever created,
 * changed or deleted). Synth only; test/handler/lifecycle/lookup.test.ts runs the lookup against the emulator.
 */

const HANDLER = /^assets\/cdktf-keypair-handler\/[0-9A-F]+\/handler\.js$/;

/** The stack's only data source, with its name. */
function onlyDataSource(json: any): { name: string; block: any } {
  const external = json.data?.external ?? {};
  expect(Object.keys(external)).toEqual(['cdktf_keypair_read']);
  return { name: 'cdktf_keypair_read', block: external.cdktf_keypair_read };
}

/** A reference's fields of the stack read's query, under its entry (`legacy#<field>`). */
function entryFields(query: Record<string, string>, entry: string): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([key]) => key.startsWith(`${entry}#`)).map(([key, value]) => [key.slice(entry.length + 1), value]));
}

describe.each([
  [
    'AlicloudKeyPair.fromKeyPairName',
    (stack: TerraformStack) => AlicloudKeyPair.fromKeyPairName(stack, 'legacy', { region: 'cn-hangzhou', keyPairName: 'ops' }),
    { [TRIGGER_KEYS.cloud]: 'alicloud', [TRIGGER_KEYS.region]: 'cn-hangzhou', [TRIGGER_KEYS.keyPairName]: 'ops' },
    KeyPairCloud.ALICLOUD,
  ],
  [
    'TencentcloudKeyPair.fromKeyPairName',
    (stack: TerraformStack) => TencentcloudKeyPair.fromKeyPairName(stack, 'legacy', { region: 'ap-guangzhou', keyPairName: 'ci_runner', projectId: 7 }),
    { [TRIGGER_KEYS.cloud]: 'tencentcloud', [TRIGGER_KEYS.region]: 'ap-guangzhou', [TRIGGER_KEYS.keyPairName]: 'ci_runner', [TRIGGER_KEYS.scope]: '7' },
    KeyPairCloud.TENCENTCLOUD,
  ],
  [
    'TencentcloudKeyPair.fromKeyPairId',
    (stack: TerraformStack) => TencentcloudKeyPair.fromKeyPairId(stack, 'legacy', { region: 'ap-guangzhou', keyPairId: 'skey-3glfot13' }),
    { [TRIGGER_KEYS.cloud]: 'tencentcloud', [TRIGGER_KEYS.region]: 'ap-guangzhou', [LOOKUP_QUERY_KEYS.keyPairId]: 'skey-3glfot13' },
    KeyPairCloud.TENCENTCLOUD,
  ],
  [
    'UcloudKeyPair.fromKeyPairName',
    (stack: TerraformStack) =>
      UcloudKeyPair.fromKeyPairName(stack, 'legacy', { region: 'cn-bj2', keyPairName: 'edge key (prod)', projectId: 'org-abc123', endpoint: 'https://api.ucloud.cn' }),
    {
      [TRIGGER_KEYS.cloud]: 'ucloud',
      [TRIGGER_KEYS.region]: 'cn-bj2',
      [TRIGGER_KEYS.keyPairName]: 'edge key (prod)',
      [TRIGGER_KEYS.scope]: 'org-abc123',
      [TRIGGER_KEYS.endpoint]: 'https://api.ucloud.cn',
    },
    KeyPairCloud.UCLOUD,
  ],
] as const)('%s', (_title, reference, query, cloud) => {
  test('joins the stack\'s plan-time read as a lookup entry, and adds nothing else: no carrier, no identity, no registry', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const keyPair = reference(stack);
    const json = synthJson(stack);
    // THEN
    const { block } = onlyDataSource(json);
    expect(block.program).toEqual(['node', expect.stringMatching(HANDLER), 'read']);
    expect(block.query).toEqual(Object.fromEntries(Object.entries({ ...query, [READ_QUERY_KEYS.lookup]: 'true' }).map(([field, value]) => [`legacy#${field}`, value])));
    expect(block).not.toHaveProperty('depends_on');
    expect(json.resource).toBeUndefined();
    expect(json.output).toBeUndefined();
    expect(json.provider).toEqual({ external: [{}] });
    expect(keyPair.cloud).toBe(cloud);
  });

  test('its attributes are the lookup\'s result, as tokens', () => {
    const stack = newStack();
    const keyPair = reference(stack);
    new TerraformOutput(stack, 'out', {
      value: {
        id: keyPair.keyPairId,
        name: keyPair.keyPairName,
        fingerprint: keyPair.fingerprint,
        sha256: keyPair.fingerprintSha256,
        md5: keyPair.fingerprintMd5,
        publicKey: keyPair.publicKey,
      },
    });
    const json = synthJson(stack);
    const { name } = onlyDataSource(json);
    const result = (key: string) => `\${jsondecode(data.external.${name}.result["legacy"]).${key}}`;
    expect(json.output.out.value).toEqual({
      id: result(RESULT_KEYS.keyPairId),
      name: result(RESULT_KEYS.keyPairName),
      fingerprint: result(RESULT_KEYS.fingerprint),
      sha256: result(RESULT_KEYS.fingerprintSha256),
      md5: result(RESULT_KEYS.fingerprintMd5),
      publicKey: result(RESULT_KEYS.publicKey),
    });
  });
});

describe('a reference beside managed key pairs', () => {
  test('adds no registry entry and no tag entry: only managed pairs are deleted or tagged by the stack', () => {
    // GIVEN
    const stack = newStack();
    new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', tags: { team: 'infra' } });
    AlicloudKeyPair.fromKeyPairName(stack, 'legacy', { region: 'cn-hangzhou', keyPairName: 'ops' });
    TencentcloudKeyPair.fromKeyPairName(stack, 'ci', { region: 'ap-guangzhou', keyPairName: 'ci_runner' });
    // WHEN
    const json = synthJson(stack);
    // THEN
    expect(Object.keys(json.resource.terraform_data.cdktf_keypair_registry.for_each)).toEqual(['bastion']);
    expect(Object.keys(json.resource.terraform_data.cdktf_keypair_tags.triggers_replace)).toEqual(['bastion']);
    expect(Object.keys(json.resource.null_resource)).toHaveLength(1);
    // the stack's two reads, the references in the plan-time one alone
    expect(Object.keys(json.data.external)).toEqual(['cdktf_keypair_read', 'cdktf_keypair_read_after_apply']);
    const entries = (query: Record<string, string>) => [...new Set(Object.keys(query).map((key) => key.split('#')[0]))].sort();
    expect(entries(json.data.external.cdktf_keypair_read.query)).toEqual(['bastion', 'ci', 'legacy']);
    expect(entries(json.data.external.cdktf_keypair_read_after_apply.query)).toEqual(['bastion']);
    // one handler asset for all of them
    const programs = new Set(Object.values<any>(json.data.external).map((block) => block.program[1]));
    expect(programs.size).toBe(1);
  });

  test('a reference and a managed pair are both IKeyPair, and wire into a consumer resource as tokens', () => {
    // GIVEN code that takes any key pair
    const stack = newStack();
    const instance = (id: string, keyPair: IKeyPair) =>
      new Resource(stack, id, { triggers: { key_name: keyPair.keyPairName, key_id: keyPair.keyPairId, fingerprint: keyPair.fingerprintSha256 } });
    const managed: IKeyPair = new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' });
    const referenced: IKeyPair = UcloudKeyPair.fromKeyPairName(stack, 'legacy', { region: 'cn-bj2', keyPairName: 'ops' });
    // WHEN
    instance('with_managed', managed);
    instance('with_reference', referenced);
    // THEN
    for (const keyPair of [managed, referenced]) {
      expect(Token.isUnresolved(keyPair.keyPairName)).toBe(true);
      expect(Token.isUnresolved(keyPair.keyPairId)).toBe(true);
    }
    const json = synthJson(stack);
    expect(json.resource.null_resource.with_managed.triggers.key_name).toBe(recordedValue(managed as UcloudKeyPair, RESULT_KEYS.keyPairName));
    const looked = (key: string) => `\${jsondecode(data.external.cdktf_keypair_read.result["legacy"]).${key}}`;
    expect(json.resource.null_resource.with_reference.triggers).toEqual({
      key_name: looked(RESULT_KEYS.keyPairName),
      key_id: looked(RESULT_KEYS.keyPairId),
      fingerprint: looked(RESULT_KEYS.fingerprintSha256),
    });
  });

  test('values only known at plan time are passed through to the lookup, unchecked (the handler checks them)', () => {
    const stack = newStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    const region = new TerraformVariable(stack, 'region', { type: 'string' });
    TencentcloudKeyPair.fromKeyPairName(stack, 'legacy', { region: region.stringValue, keyPairName: name.stringValue });
    expect(entryFields(onlyDataSource(synthJson(stack)).block.query, 'legacy')).toEqual({
      cloud: 'tencentcloud', region: '${tostring(var.region)}', key_pair_name: '${tostring(var.name)}', [READ_QUERY_KEYS.lookup]: 'true',
    });
  });

  test('literal values with Terraform template syntax are escaped, so the handler receives them unchanged', () => {
    const stack = newStack();
    UcloudKeyPair.fromKeyPairName(stack, 'legacy', { region: 'cn-bj2', keyPairName: 'a ${b} %{c}' });
    expect(entryFields(onlyDataSource(synthJson(stack)).block.query, 'legacy')[TRIGGER_KEYS.keyPairName]).toBe('a $${b} %%{c}');
  });
});

describe('bad literal values fail at synth, naming the rule', () => {
  test.each([
    ['Alibaba: a name ImportKeyPair refuses', () => (stack: TerraformStack) => AlicloudKeyPair.fromKeyPairName(stack, 'r', { region: 'cn-hangzhou', keyPairName: '-ops' }), NAME_RULES.alicloud.import.description],
    ['Tencent: a hyphen in the name', () => (stack: TerraformStack) => TencentcloudKeyPair.fromKeyPairName(stack, 'r', { region: 'ap-guangzhou', keyPairName: 'ci-runner' }), NAME_RULES.tencentcloud.import.description],
    ['UCloud: a 64-character name', () => (stack: TerraformStack) => UcloudKeyPair.fromKeyPairName(stack, 'r', { region: 'cn-bj2', keyPairName: 'x'.repeat(64) }), NAME_RULES.ucloud.import.description],
    ['UCloud: a name holding a lone UTF-16 surrogate', () => (stack: TerraformStack) => UcloudKeyPair.fromKeyPairName(stack, 'r', { region: 'cn-bj2', keyPairName: 'web\ud800' }), 'UCloud key pair name "web\\ud800" is not valid Unicode'],
    ['Tencent: an id of the wrong shape', () => (stack: TerraformStack) => TencentcloudKeyPair.fromKeyPairId(stack, 'r', { region: 'ap-guangzhou', keyPairId: 'skey-ABC' }), KEY_PAIR_ID_RULES.tencentcloud!.description],
    ['Tencent: a name given as the id', () => (stack: TerraformStack) => TencentcloudKeyPair.fromKeyPairId(stack, 'r', { region: 'ap-guangzhou', keyPairId: 'ci_runner' }), KEY_PAIR_ID_RULES.tencentcloud!.description],
    ['an upper-case region', () => (stack: TerraformStack) => AlicloudKeyPair.fromKeyPairName(stack, 'r', { region: 'CN-Hangzhou', keyPairName: 'ops' }), REGION_RULE.description],
    ['a missing region (JavaScript callers have no type check)', () => (stack: TerraformStack) => UcloudKeyPair.fromKeyPairName(stack, 'r', { keyPairName: 'ops' } as any), 'region is required'],
    ['a missing name', () => (stack: TerraformStack) => AlicloudKeyPair.fromKeyPairName(stack, 'r', { region: 'cn-hangzhou' } as any), 'keyPairName is required'],
    ['Tencent: a negative project id', () => (stack: TerraformStack) => TencentcloudKeyPair.fromKeyPairName(stack, 'r', { region: 'ap-guangzhou', keyPairName: 'ci', projectId: -1 }), SCOPE_RULES.tencentcloud.description],
    ['UCloud: a project name instead of its id', () => (stack: TerraformStack) => UcloudKeyPair.fromKeyPairName(stack, 'r', { region: 'cn-bj2', keyPairName: 'ops', projectId: 'Default' }), SCOPE_RULES.ucloud.description],
    ['an endpoint with credentials', () => (stack: TerraformStack) => UcloudKeyPair.fromKeyPairName(stack, 'r', { region: 'cn-bj2', keyPairName: 'ops', endpoint: 'https://u:p@api.ucloud.cn' }), 'is not valid: an endpoint is an absolute'],
  ])('%s', (_title, build, expected) => {
    const message = constructionError(build());
    expect(message).toMatch(/^cdktf-keypair: stack\/r \(KeyPairReference\) has invalid props:\n {2}- /);
    expect(message).toContain(expected);
  });

  test('every problem is reported at once', () => {
    const message = constructionError((stack) => TencentcloudKeyPair.fromKeyPairName(stack, 'r', { region: 'Guangzhou', keyPairName: 'ci-runner', projectId: 1.5 }));
    expect(message.split('\n  - ')).toHaveLength(4);
  });
});
