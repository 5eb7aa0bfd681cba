import 'cdktf/lib/testing/adapters/jest';
import { Construct } from 'constructs';
import { keyPairIn, newStack, synthJson } from './helpers';
import { AlicloudKeyPair, KeyPairBase, TencentcloudKeyPair, UcloudKeyPair } from '../../src';
import { CLOUD_NAMES, NAME_RULES, ruleViolation, TRIGGER_KEYS } from '../../src/contract';

const AWKWARD_IDS = ['bastion', 'a-b', 'a_b', 'a.b', 'a b', '1st', '---', '密钥', 'a-very-long-construct-id-that-goes-on-and-on', 'X'];

/** The default name of each key pair, built under `ids` in a fresh stack named `stackId`. */
function defaultNames(stackId: string, ids: readonly string[], build = (scope: Construct, id: string): KeyPairBase =>
  new TencentcloudKeyPair(scope, id, { region: 'ap-guangzhou', privateKeyFile: `${id}.pem`, outputs: false })): string[] {
  const stack = newStack(stackId);
  const keyPairs = ids.map((id) => build(stack, id));
  const json = synthJson(stack);
  return keyPairs.map((keyPair) => keyPairIn(json, keyPair).triggers[TRIGGER_KEYS.keyPairName]);
}

describe('default key pair names', () => {
  test('are valid under every cloud\'s create and import rules, Tencent\'s 25 characters included', () => {
    // WHEN
    const names = defaultNames('stack', AWKWARD_IDS);
    // THEN
    for (const name of names) {
      for (const cloud of CLOUD_NAMES) {
        const violation = ruleViolation(NAME_RULES[cloud].create, name) ?? ruleViolation(NAME_RULES[cloud].import, name);
        expect({ name, violation }).toEqual({ name, violation: undefined });
      }
    }
  });

  test('start with the construct id, reduced to what every cloud accepts', () => {
    const [bastion, dashed, digit, symbols, long] = defaultNames('stack', ['bastion', 'a-b', '1st', '---', 'a-very-long-construct-id-that-goes-on']);
    expect(bastion).toMatch(/^bastion_[0-9a-f]{8}$/);
    expect(dashed).toMatch(/^a_b_[0-9a-f]{8}$/);
    expect(digit).toMatch(/^kp_1st_[0-9a-f]{8}$/);
    expect(symbols).toMatch(/^kp_[0-9a-f]{8}$/);
    expect(long).toMatch(/^a_very_long_cons_[0-9a-f]{8}$/);
  });

  test('are unique within a stack, ids that reduce alike and nested constructs included', () => {
    // GIVEN
    const stack = newStack();
    const build = (scope: Construct, id: string) => new UcloudKeyPair(scope, id, { region: 'cn-bj2', privateKeyFile: 'k.pem', outputs: false });
    const keyPairs = [
      ...AWKWARD_IDS.map((id) => build(stack, id)),
      ...AWKWARD_IDS.map((id) => build(new Construct(stack, `team-${id}`), id)),
    ];
    // WHEN
    const json = synthJson(stack);
    // THEN
    const names = keyPairs.map((keyPair) => keyPairIn(json, keyPair).triggers[TRIGGER_KEYS.keyPairName]);
    expect(new Set(names).size).toBe(names.length);
  });

  test('are stable across synths and apps, and differ between stacks (two stacks may share an account)', () => {
    const first = defaultNames('stack', AWKWARD_IDS);
    expect(defaultNames('stack', AWKWARD_IDS)).toEqual(first);
    const other = defaultNames('other-stack', AWKWARD_IDS);
    expect(other.filter((name) => first.includes(name))).toEqual([]);
  });

  test('are the same for every cloud, so a construct can move between clouds without surprise', () => {
    const build = (cloud: 'alicloud' | 'ucloud') => (scope: Construct, id: string): KeyPairBase =>
      cloud === 'alicloud'
        ? new AlicloudKeyPair(scope, id, { region: 'cn-hangzhou', privateKeyFile: 'k.pem', outputs: false })
        : new UcloudKeyPair(scope, id, { region: 'cn-bj2', privateKeyFile: 'k.pem', outputs: false });
    expect(defaultNames('stack', AWKWARD_IDS, build('alicloud'))).toEqual(defaultNames('stack', AWKWARD_IDS, build('ucloud')));
  });
});

describe('the owner', () => {
  test('is the deployment identity and the construct path\'s hash: stable, and different for every construct', () => {
    // GIVEN
    const owners = (stackId: string) => {
      const stack = newStack(stackId);
      const keyPairs = ['a', 'b'].map((id) => new AlicloudKeyPair(stack, id, { region: 'cn-hangzhou', privateKeyFile: 'k.pem' }));
      const json = synthJson(stack);
      return keyPairs.map((keyPair) => keyPairIn(json, keyPair).triggers[TRIGGER_KEYS.owner]);
    };
    // WHEN
    const [a, b] = owners('stack');
    // THEN
    expect(a).toMatch(/^\$\{terraform_data\.cdktf_keypair_identity\.id\}\/[0-9a-f]{16}$/);
    expect(b).not.toBe(a);
    expect(owners('stack')).toEqual([a, b]);
    expect(owners('other')).not.toContain(a);
  });
});
