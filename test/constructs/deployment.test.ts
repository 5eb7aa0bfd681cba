import 'cdktf/lib/testing/adapters/jest';
import { createHash } from 'node:crypto';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { keyPairIn, liveValue, LocalExec, newStack, recordedValue, resultAddressOf, synthJson, testKey } from './helpers';
import { AlicloudKeyPair, KeyPairCarrier, KeyPairDeployment, KeySource, TencentcloudKeyPair, UcloudKeyPair } from '../../src';
import { HANDLER_ENV, RECORD_KEYS, RESULT_KEYS, TAG_ENTRY_KEYS, TRIGGER_KEYS } from '../../src/contract';

/**
 * The resources a stack's key pairs share (src/deployment.ts): the deployment identity, the registry that
 * deletes a pair whose construct was removed from the app, and the tag resource that puts the cloud's tags
 * back in place. Synth only; test/e2e runs them through Terraform.
 */

const IDENTITY = 'cdktf_keypair_identity';
const REGISTRY = 'cdktf_keypair_registry';
const TAGS = 'cdktf_keypair_tags';
const IDENTITY_ID = `\${terraform_data.${IDENTITY}.id}`;

/** The `local-exec` provisioners of a synthesized resource. */
function provisionersOf(resource: any): LocalExec[] {
  return (resource.provisioner ?? []).map((entry: any) => entry['local-exec']);
}

/** Every reference inside the `${...}` of a value: `self.input`, `data.external.x.result`, ... */
function referencesIn(value: string): string[] {
  const references: string[] = [];
  for (const [, expression] of value.matchAll(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g)) {
    // identifiers followed by an attribute (functions are followed by `(`, keys are quoted)
    for (const [reference] of expression.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(/(?<![\w.])[a-z_][\w-]*(?:\.[a-z_][\w-]*)+/gi)) references.push(reference);
  }
  return references;
}

/** A stack with one pair per cloud, one of them nested, one with the terraform_data carrier. */
function mixedStack(): { stack: TerraformStack; ali: AlicloudKeyPair; tencent: TencentcloudKeyPair; edge: UcloudKeyPair } {
  const stack = newStack();
  const ali = new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', tags: { team: 'infra' } });
  const tencent = new TencentcloudKeyPair(stack, 'ci', {
    region: 'ap-guangzhou',
    keySource: KeySource.importPublicKey(testKey('rsa').publicKeyFile),
    carrier: KeyPairCarrier.TERRAFORM_DATA,
    deleteTimeoutSeconds: 900,
  });
  const edge = new UcloudKeyPair(new Construct(stack, 'team'), 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' });
  return { stack, ali, tencent, edge };
}

describe('the deployment identity', () => {
  test('one terraform_data per stack, whatever the number of key pairs, with nothing in it that could replace it', () => {
    // GIVEN
    const { stack } = mixedStack();
    for (let index = 0; index < 5; index++) new UcloudKeyPair(stack, `more${index}`, { region: 'cn-bj2', privateKeyFile: `m${index}.pem` });
    // WHEN
    const json = synthJson(stack);
    // THEN
    expect(json.resource.terraform_data[IDENTITY]).toEqual({});
    expect(stack.node.children.filter((child) => child instanceof KeyPairDeployment)).toHaveLength(1);
    expect(Object.keys(json.resource.terraform_data).filter((name) => name.includes('identity'))).toEqual([IDENTITY]);
  });

  test('every carrier\'s owner trigger is the identity\'s id and the hash of the construct\'s path', () => {
    // GIVEN
    const { stack, ali, tencent, edge } = mixedStack();
    // WHEN
    const json = synthJson(stack);
    // THEN
    for (const keyPair of [ali, tencent, edge]) {
      const hash = createHash('sha256').update(keyPair.node.path).digest('hex').slice(0, 16);
      expect(keyPairIn(json, keyPair).triggers[TRIGGER_KEYS.owner]).toBe(`${IDENTITY_ID}/${hash}`);
      expect(keyPairIn(json, keyPair).readFields[TRIGGER_KEYS.owner]).toBe(`${IDENTITY_ID}/${hash}`);
    }
  });

  test('two stacks get two identities: each stack\'s pairs reference their own stack\'s', () => {
    // GIVEN
    const app = Testing.app();
    const staging = new TerraformStack(app, 'staging');
    const production = new TerraformStack(app, 'production');
    new AlicloudKeyPair(staging, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 's.pem' });
    new AlicloudKeyPair(production, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'p.pem' });
    // WHEN
    const [first, second] = [synthJson(staging), synthJson(production)];
    // THEN each stack (each Terraform state) has its own identity resource, and its own deployment construct
    expect(first.resource.terraform_data[IDENTITY]).toEqual({});
    expect(second.resource.terraform_data[IDENTITY]).toEqual({});
    expect(KeyPairDeployment.of(staging)).not.toBe(KeyPairDeployment.of(production));
    expect(KeyPairDeployment.of(new Construct(staging, 'nested'))).toBe(KeyPairDeployment.of(staging));
    expect(KeyPairDeployment.of(staging).deploymentId).toBeDefined();
  });
});

describe('the registry of the stack\'s key pairs', () => {
  test('one for_each entry per key pair, keyed by its construct path below the stack, holding its triggers and what its read recorded', () => {
    // GIVEN
    const { stack, ali, tencent, edge } = mixedStack();
    // WHEN
    const json = synthJson(stack);
    const registry = json.resource.terraform_data[REGISTRY];
    // THEN
    expect(Object.keys(registry.for_each).sort()).toEqual(['bastion', 'ci', 'team/edge']);
    const expected = (keyPair: AlicloudKeyPair | TencentcloudKeyPair | UcloudKeyPair, timeout: string) => {
      const carrier = `${keyPair.carrier.terraformResourceType}.${keyPair.carrier.friendlyUniqueId}`;
      return {
        // the carrier's triggers and its id: a carrier replaced by hand replaces its entry (which deletes the old pair)
        triggers: { ...keyPairIn(json, keyPair).triggers, carrier_id: `\${${carrier}.id}` },
        input: {
          [RECORD_KEYS.keyPairId]: recordedValue(keyPair, RESULT_KEYS.keyPairId),
          [RECORD_KEYS.fingerprint]: recordedValue(keyPair, RESULT_KEYS.fingerprint),
          delete_timeout_seconds: timeout,
        },
      };
    };
    // the values in a local, evaluated once; the for_each map holds only the keys (a large stack's plan would
    // otherwise evaluate every pair's references for every entry: BENCHMARKS.md)
    expect(json.locals[REGISTRY]).toEqual({
      'bastion': expected(ali, '300'),
      'ci': expected(tencent, '900'),
      'team/edge': expected(edge, '300'),
    });
    expect(registry.for_each).toEqual({ 'bastion': 'bastion', 'ci': 'ci', 'team/edge': 'team/edge' });
    expect(referencesIn(JSON.stringify(registry.for_each))).toEqual([]);
    expect(registry.triggers_replace).toBe(`\${local.${REGISTRY}[each.key].triggers}`);
    expect(registry.input).toBe(`\${local.${REGISTRY}[each.key].input}`);
    // the record is what the read saw when the entry was made: a later read never becomes proof
    expect(registry.lifecycle).toEqual({ ignore_changes: ['input'] });
  });

  test('its only provisioner is a destroy step running handler delete, whose environment references only self, each.key and literals', () => {
    // GIVEN
    const { stack, ali } = mixedStack();
    // WHEN
    const json = synthJson(stack);
    const [destroy, ...others] = provisionersOf(json.resource.terraform_data[REGISTRY]);
    // THEN
    expect(others).toEqual([]);
    expect(destroy.when).toBe('destroy');
    expect(destroy.command).toBe(keyPairIn(json, ali).destroy.command);
    expect(destroy.environment).toEqual({
      [HANDLER_ENV.triggers]: '${jsonencode(self.triggers_replace)}',
      [HANDLER_ENV.record]: '${jsonencode(self.input)}',
      // the app's current literal timeouts, by entry (the recorded input never changes); else the recorded one
      [HANDLER_ENV.deleteTimeoutSeconds]: '${lookup({"bastion" = "300", "ci" = "900", "team/edge" = "300"}, each.key, self.input.delete_timeout_seconds)}',
      // in every stack, secrets or not: an entry removed from the app may have had one (no pair here has: the default)
      [HANDLER_ENV.secretRecoveryWindowDays]: '${lookup({}, each.key, lookup(self.input, "secret_recovery_window_days", "0"))}',
      [HANDLER_ENV.baseDirectory]: process.cwd(),
    });
    // (a destroy-time provisioner may reference nothing but self: Terraform refuses anything else)
    const references = Object.values(destroy.environment).flatMap(referencesIn);
    expect(references.length).toBeGreaterThan(0);
    // a destroy step may reference only self, count.index and each.key
    expect(references.filter((reference) => !reference.startsWith('self.') && reference !== 'each.key')).toEqual([]);
  });

  test('the read\'s record is recorded for every key pair: the proof a UCloud pair is this deployment\'s', () => {
    const { stack, edge } = mixedStack();
    const entry = synthJson(stack).locals[REGISTRY]['team/edge'];
    expect(referencesIn(JSON.stringify(entry.input)).sort()).toEqual([
      `${resultAddressOf(edge)}.output.${RESULT_KEYS.fingerprint}`,
      `${resultAddressOf(edge)}.output.${RESULT_KEYS.keyPairId}`,
    ]);
  });

  test('KeyPairDeployment.of(stack) alone (a stack whose last key pair was removed): the identity and an empty registry, whose destroy steps delete the removed pairs', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    KeyPairDeployment.of(stack);
    const json = synthJson(stack);
    // THEN
    expect(Object.keys(json.resource.terraform_data).sort()).toEqual([IDENTITY, REGISTRY]);
    expect(json.resource.terraform_data[REGISTRY].for_each).toEqual({});
    expect(json.locals[REGISTRY]).toEqual({});
    expect(provisionersOf(json.resource.terraform_data[REGISTRY])[0].when).toBe('destroy');
    expect(json.resource).not.toHaveProperty('null_resource');
    expect(json.data).toBeUndefined();
  });

  test('a stack without key pairs gets nothing', () => {
    const stack = newStack();
    new Construct(stack, 'other');
    expect(synthJson(stack).resource).toBeUndefined();
  });
});

describe('the tag resource', () => {
  test('only when a key pair is on a cloud with tags', () => {
    // GIVEN
    const untagged = newStack();
    new UcloudKeyPair(untagged, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' });
    const tagged = newStack();
    new UcloudKeyPair(tagged, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' });
    new TencentcloudKeyPair(tagged, 'ci', { region: 'ap-guangzhou', privateKeyFile: 'c.pem' });
    // THEN
    expect(synthJson(untagged).resource.terraform_data).not.toHaveProperty(TAGS);
    expect(synthJson(tagged).resource.terraform_data).toHaveProperty(TAGS);
  });

  test('its triggers_replace holds each tagged pair\'s declared tags and the read\'s revision (no entry for UCloud pairs)', () => {
    // GIVEN
    const { stack, ali, tencent } = mixedStack();
    // WHEN
    const json = synthJson(stack);
    // THEN
    const revision = (keyPair: AlicloudKeyPair | TencentcloudKeyPair) => liveValue(keyPair, RESULT_KEYS.tagsRevision);
    expect(json.resource.terraform_data[TAGS].triggers_replace).toEqual({
      bastion: { [TAG_ENTRY_KEYS.tags]: '{"team":"infra"}', [TAG_ENTRY_KEYS.revision]: revision(ali) },
      ci: { [TAG_ENTRY_KEYS.tags]: '{}', [TAG_ENTRY_KEYS.revision]: revision(tencent) },
    });
  });

  test('a tag change changes the tag resource only: the carriers\' triggers and the registry stay', () => {
    // GIVEN
    const build = (tags: Record<string, string>) => {
      const stack = newStack();
      const keyPair = new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', tags });
      const json = synthJson(stack);
      return { json, keyPair: keyPairIn(json, keyPair) };
    };
    // WHEN
    const before = build({ team: 'infra' });
    const after = build({ team: 'platform' });
    // THEN
    expect(after.keyPair.triggers).toEqual(before.keyPair.triggers);
    expect(after.json.resource.terraform_data[REGISTRY]).toEqual(before.json.resource.terraform_data[REGISTRY]);
    expect(after.json.resource.terraform_data[TAGS].triggers_replace.bastion.tags).toBe('{"team":"platform"}');
    expect(before.json.resource.terraform_data[TAGS].triggers_replace.bastion.tags).toBe('{"team":"infra"}');
  });

  test('its create step runs handler tags with every tagged pair\'s triggers, id, declared tags and revision, kept in its input', () => {
    // GIVEN
    const { stack, ali, tencent } = mixedStack();
    // WHEN
    const json = synthJson(stack);
    const resource = json.resource.terraform_data[TAGS];
    const provisioners = provisionersOf(resource);
    // THEN one create-time step, reading everything from its own input
    expect(provisioners).toHaveLength(1);
    const [step] = provisioners;
    expect(step.when).toBeUndefined();
    expect(step.command).toBe(keyPairIn(json, ali).create.command.replace(/ create$/, ' tags'));
    expect(step.environment).toEqual({ [HANDLER_ENV.tagEntries]: '${jsonencode(self.input)}' });

    expect(resource.input).toEqual({
      bastion: {
        [TAG_ENTRY_KEYS.triggers]: keyPairIn(json, ali).triggers,
        [TAG_ENTRY_KEYS.keyPairId]: recordedValue(ali, RESULT_KEYS.keyPairId),
        [TAG_ENTRY_KEYS.tags]: '{"team":"infra"}',
        [TAG_ENTRY_KEYS.revision]: liveValue(ali, RESULT_KEYS.tagsRevision),
      },
      ci: {
        [TAG_ENTRY_KEYS.triggers]: keyPairIn(json, tencent).triggers,
        [TAG_ENTRY_KEYS.keyPairId]: recordedValue(tencent, RESULT_KEYS.keyPairId),
        [TAG_ENTRY_KEYS.tags]: '{}',
        [TAG_ENTRY_KEYS.revision]: liveValue(tencent, RESULT_KEYS.tagsRevision),
      },
    });
  });
});
