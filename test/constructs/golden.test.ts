/**
 * GOLDEN VALUES: what a released version of cdktf-keypair writes to Terraform state and to the cloud.
 *
 * A failing golden test means users' key pairs would be replaced (or lose their ownership) on upgrade: a
 * changed trigger key or value replaces the carrier and so the key pair (new private key, instances cut
 * off); a changed logical id makes Terraform destroy one resource and create another; a changed identity
 * makes every ownership value differ, so every pair would be replaced and the old ones no longer proven
 * ours; a changed tag key, registry key or record key leaves pairs that nothing deletes.
 *
 * Change a value here only together with a migration (state moves, a compatibility path in the handler)
 * and a changelog entry. Every expected value is written out literally, computed once from the code and
 * checked by reading it: never derive it from the code under test.
 */
import 'cdktf/lib/testing/adapters/jest';
import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { keyPairIn, synthJson } from './helpers';
import { tagsAtCreate } from '../../handler/lifecycle/tags';
import {
  AlicloudKeyPair,
  KeyAlgorithm,
  KeyPairBase,
  KeyPairCarrier,
  KeySource,
  TencentcloudKeyPair,
  UcloudKeyPair,
} from '../../src';
import {
  HANDLER_ENV,
  INITIAL_TAGS_REVISION,
  KEY_SOURCES,
  OWNERSHIP_TAG_KEY,
  ownerValue,
  parseOwnerValue,
  READ_STATUS,
  RECORD_KEYS,
  RESERVED_TAG_KEYS,
  RESULT_KEYS,
  TAGS_REVISION_TAG_KEY,
  TRIGGER_KEYS,
} from '../../src/contract';

/** A public key as read from a .pub file: the triggers hold it without its comment. */
const RSA_PUBLIC_KEY_FILE =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC2HONC9XWVSA0mfrH6/SnrG+ajCAMHLp+2S8iYI8rKaAgCy5ayPw1hiWksSmKoN+/AZP5nx///oq3RnGyqrQAv7xk0/57xmwELXTp9z2/+QPhwhVODhCayDrzkGrMkSjke7Kxcwlv2ka88N6PkRirXrpSpSOu9gsaB/7GLwa73+ec0TL/UkD4cOwL6cwIirQmNrPLxrlU810V6QyWIV+Js0iBzaA5Ts5oxbhIRehq1SS7mSkZZpTBRAnlZsY55qyzmYzRq+xKOp2XUlLY+ggXyXEz7pclp5AEIueckOnl1fqDc+wcpMvLpVXG8Y+Ix/Dyk1pFqE28iNJItceTQ85O/ golden@example\n';
const RSA_PUBLIC_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC2HONC9XWVSA0mfrH6/SnrG+ajCAMHLp+2S8iYI8rKaAgCy5ayPw1hiWksSmKoN+/AZP5nx///oq3RnGyqrQAv7xk0/57xmwELXTp9z2/+QPhwhVODhCayDrzkGrMkSjke7Kxcwlv2ka88N6PkRirXrpSpSOu9gsaB/7GLwa73+ec0TL/UkD4cOwL6cwIirQmNrPLxrlU810V6QyWIV+Js0iBzaA5Ts5oxbhIRehq1SS7mSkZZpTBRAnlZsY55qyzmYzRq+xKOp2XUlLY+ggXyXEz7pclp5AEIueckOnl1fqDc+wcpMvLpVXG8Y+Ix/Dyk1pFqE28iNJItceTQ85O/';

/** How the owner trigger names the deployment identity: the id of the stack's `terraform_data.cdktf_keypair_identity`. */
const IDENTITY = '${terraform_data.cdktf_keypair_identity.id}';

/** One stack (`golden`) with every cloud and key source and both carriers, built the same way every time. */
function goldenStack(): { stack: TerraformStack; pairs: Record<string, KeyPairBase> } {
  const stack = new TerraformStack(Testing.app(), 'golden');
  const team = new Construct(stack, 'team');
  const pairs: Record<string, KeyPairBase> = {
    'ali-cloud': new AlicloudKeyPair(stack, 'ali-cloud', {
      region: 'cn-hangzhou',
      privateKeyFile: 'keys/ali.pem',
      resourceGroupId: 'rg-aek2z3ry2lmkgjq',
      tags: { team: 'infra' },
    }),
    'ali-import': new AlicloudKeyPair(stack, 'ali-import', { region: 'cn-hangzhou', keyPairName: 'ali_import', keySource: KeySource.importPublicKey(RSA_PUBLIC_KEY_FILE) }),
    'ali-generate': new AlicloudKeyPair(stack, 'ali-generate', {
      region: 'cn-hangzhou',
      keySource: KeySource.generateLocally(KeyAlgorithm.ECDSA),
      privateKeyFile: 'keys/ali-gen.pem',
      carrier: KeyPairCarrier.TERRAFORM_DATA,
    }),
    'team/ci-runner.2': new TencentcloudKeyPair(team, 'ci-runner.2', { region: 'ap-guangzhou', privateKeyFile: 'keys/ci.pem', projectId: 7 }),
    'tc-import': new TencentcloudKeyPair(stack, 'tc-import', {
      region: 'ap-guangzhou',
      keySource: KeySource.importPublicKey(RSA_PUBLIC_KEY_FILE),
      carrier: KeyPairCarrier.TERRAFORM_DATA,
    }),
    'tc-generate': new TencentcloudKeyPair(stack, 'tc-generate', {
      region: 'ap-guangzhou',
      keySource: KeySource.generateLocally(KeyAlgorithm.RSA),
      privateKeyFile: 'keys/tc-gen.pem',
    }),
    '1st': new UcloudKeyPair(stack, '1st', { region: 'cn-bj2', privateKeyFile: 'keys/edge.pem', projectId: 'org-abc123', endpoint: 'https://api.ucloud.cn' }),
    'uc-import': new UcloudKeyPair(stack, 'uc-import', { region: 'cn-bj2', keySource: KeySource.importPublicKey(RSA_PUBLIC_KEY_FILE) }),
    '密钥': new UcloudKeyPair(stack, '密钥', { region: 'cn-bj2', keySource: KeySource.generateLocally(KeyAlgorithm.RSA), privateKeyFile: 'keys/uc-gen.pem' }),
  };
  return { stack, pairs };
}

/** Per key pair of the golden stack: its carrier's address and its triggers, exactly. */
const GOLDEN_CARRIERS: Readonly<Record<string, { readonly address: string; readonly triggers: Readonly<Record<string, string>> }>> = {
  'ali-cloud': {
    address: 'null_resource.ali-cloud_carrier_FC22F280',
    triggers: {
      cloud: 'alicloud',
      key_pair_name: 'ali_cloud_630b8df0',
      key_source: 'cloud',
      owner: `${IDENTITY}/630b8df080792baa`,
      private_key_file: 'keys/ali.pem',
      region: 'cn-hangzhou',
      scope: 'rg-aek2z3ry2lmkgjq',
    },
  },
  'ali-import': {
    address: 'null_resource.ali-import_carrier_AB4A4024',
    triggers: {
      cloud: 'alicloud',
      key_pair_name: 'ali_import',
      key_source: 'import',
      owner: `${IDENTITY}/8c36e508c2941b0c`,
      public_key: RSA_PUBLIC_KEY,
      region: 'cn-hangzhou',
    },
  },
  'ali-generate': {
    address: 'terraform_data.ali-generate_carrier_4D8ED3F9',
    triggers: {
      cloud: 'alicloud',
      key_algorithm: 'ecdsa',
      key_pair_name: 'ali_generate_6752f505',
      key_source: 'generate',
      owner: `${IDENTITY}/6752f50587336e89`,
      private_key_file: 'keys/ali-gen.pem',
      region: 'cn-hangzhou',
    },
  },
  'team/ci-runner.2': {
    address: 'null_resource.team_ci-runner2_carrier_9490E09B',
    triggers: {
      cloud: 'tencentcloud',
      key_pair_name: 'ci_runner_2_1508f825',
      key_source: 'cloud',
      owner: `${IDENTITY}/1508f825fa3d4c53`,
      private_key_file: 'keys/ci.pem',
      region: 'ap-guangzhou',
      scope: '7',
    },
  },
  'tc-import': {
    address: 'terraform_data.tc-import_carrier_8E87C106',
    triggers: {
      cloud: 'tencentcloud',
      key_pair_name: 'tc_import_8655a1f8',
      key_source: 'import',
      owner: `${IDENTITY}/8655a1f88e76538d`,
      public_key: RSA_PUBLIC_KEY,
      region: 'ap-guangzhou',
    },
  },
  'tc-generate': {
    address: 'null_resource.tc-generate_carrier_FA868D77',
    triggers: {
      cloud: 'tencentcloud',
      key_algorithm: 'rsa',
      key_pair_name: 'tc_generate_9e732a41',
      key_source: 'generate',
      owner: `${IDENTITY}/9e732a41626a86dc`,
      private_key_file: 'keys/tc-gen.pem',
      region: 'ap-guangzhou',
    },
  },
  '1st': {
    address: 'null_resource.1st_carrier_0AE6909E',
    triggers: {
      cloud: 'ucloud',
      endpoint: 'https://api.ucloud.cn',
      key_pair_name: 'kp_1st_f003ebf8',
      key_source: 'cloud',
      owner: `${IDENTITY}/f003ebf815a96a8c`,
      private_key_file: 'keys/edge.pem',
      region: 'cn-bj2',
      scope: 'org-abc123',
    },
  },
  'uc-import': {
    address: 'null_resource.uc-import_carrier_740F6E7C',
    triggers: {
      cloud: 'ucloud',
      key_pair_name: 'uc_import_b01ed806',
      key_source: 'import',
      owner: `${IDENTITY}/b01ed806cb174095`,
      public_key: RSA_PUBLIC_KEY,
      region: 'cn-bj2',
    },
  },
  '密钥': {
    address: 'null_resource._carrier_ED509E75',
    triggers: {
      cloud: 'ucloud',
      key_algorithm: 'rsa',
      key_pair_name: 'kp_2b06e87e',
      key_source: 'generate',
      owner: `${IDENTITY}/2b06e87ec89d417d`,
      private_key_file: 'keys/uc-gen.pem',
      region: 'cn-bj2',
    },
  },
};

describe('golden: the carriers (a change replaces users\' key pairs)', () => {
  const { stack, pairs } = goldenStack();
  const json = synthJson(stack);

  test.each(Object.keys(GOLDEN_CARRIERS))('%s: the carrier\'s address and its triggers, key for key and value for value', (path) => {
    const synthesized = keyPairIn(json, pairs[path]);
    expect(`${synthesized.carrierType}.${synthesized.carrierName}`).toBe(GOLDEN_CARRIERS[path].address);
    expect(synthesized.triggers).toEqual(GOLDEN_CARRIERS[path].triggers);
  });

  test('the trigger keys', () => {
    expect(TRIGGER_KEYS).toEqual({
      cloud: 'cloud',
      region: 'region',
      keyPairName: 'key_pair_name',
      scope: 'scope',
      endpoint: 'endpoint',
      keySource: 'key_source',
      publicKey: 'public_key',
      keyAlgorithm: 'key_algorithm',
      privateKeyFile: 'private_key_file',
      owner: 'owner',
      // Only in the triggers of a pair that sets replacementKey (added after the values above; none changed).
      replacementKey: 'replacement_key',
      // Only in the triggers of a pair that sets privateKeySecret (added after the values above; none changed).
      secretStore: 'private_key_secret_store',
      secretName: 'private_key_secret_name',
      secretRegion: 'private_key_secret_region',
      secretEncryptionKeyId: 'private_key_secret_encryption_key_id',
    });
    expect(KEY_SOURCES).toEqual({ cloud: 'cloud', import: 'import', generate: 'generate' });
  });

  test('a replacementKey adds exactly one trigger, replacement_key, to a carrier\'s golden triggers', () => {
    const rotating = new TerraformStack(Testing.app(), 'golden');
    const keyPair = new AlicloudKeyPair(rotating, 'ali-cloud', {
      region: 'cn-hangzhou',
      privateKeyFile: 'keys/ali.pem',
      resourceGroupId: 'rg-aek2z3ry2lmkgjq',
      tags: { team: 'infra' },
      replacementKey: '2026-03',
    });
    expect(keyPairIn(synthJson(rotating), keyPair).triggers).toEqual({ ...GOLDEN_CARRIERS['ali-cloud'].triggers, replacement_key: '2026-03' });
  });

  test('the stack\'s key pairs and nothing else carry these triggers: no tag, timeout, handler path or directory', () => {
    const values = JSON.stringify(Object.values(GOLDEN_CARRIERS).map((carrier) => carrier.triggers));
    expect(values).not.toMatch(/infra|assets|handler|300/);
    expect(values).not.toContain(process.cwd());
  });
});

describe('golden: default key pair names (a change renames, so replaces, every pair without keyPairName)', () => {
  test.each([
    ['golden/ali-cloud', 'ali_cloud_630b8df0'],
    ['golden/team/ci-runner.2', 'ci_runner_2_1508f825'],
    ['golden/1st', 'kp_1st_f003ebf8'],
    ['golden/密钥', 'kp_2b06e87e'],
    ['golden/a-very-long-construct-id-that-goes-on', 'a_very_long_cons_2bc1e473'],
  ])('%s → %s', (constructPath, name) => {
    // GIVEN the construct at that path
    const [stackId, ...scopes] = constructPath.split('/');
    const stack = new TerraformStack(Testing.app(), stackId);
    let scope: Construct = stack;
    for (const id of scopes.slice(0, -1)) scope = new Construct(scope, id);
    const keyPair = new UcloudKeyPair(scope, scopes[scopes.length - 1], { region: 'cn-bj2', privateKeyFile: 'k.pem' });
    // THEN
    expect(keyPairIn(synthJson(stack), keyPair).triggers[TRIGGER_KEYS.keyPairName]).toBe(name);
  });
});

describe('golden: ownership (a change makes every pair another\'s)', () => {
  test('the owner trigger of golden/bastion: the identity\'s id, "/", 16 hex digits of the SHA-256 of the construct path', () => {
    const stack = new TerraformStack(Testing.app(), 'golden');
    const keyPair = new AlicloudKeyPair(stack, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem' });
    expect(keyPairIn(synthJson(stack), keyPair).triggers[TRIGGER_KEYS.owner]).toBe('${terraform_data.cdktf_keypair_identity.id}/3f853cb3fd3a18b6');
  });

  test('the ownership value as it reaches the cloud: <deployment uuid>/<hex>', () => {
    expect(ownerValue('6f1c1b0e-2b1a-4c53-9d55-6a0f6a7c0e11', '3f853cb3fd3a18b6')).toBe('6f1c1b0e-2b1a-4c53-9d55-6a0f6a7c0e11/3f853cb3fd3a18b6');
    expect(parseOwnerValue('6f1c1b0e-2b1a-4c53-9d55-6a0f6a7c0e11/3f853cb3fd3a18b6')).toEqual({
      deployment: '6f1c1b0e-2b1a-4c53-9d55-6a0f6a7c0e11',
      construct: '3f853cb3fd3a18b6',
    });
  });

  test('the reserved tag keys and the first revision, and the tags of the create call', () => {
    expect(OWNERSHIP_TAG_KEY).toBe('cdktf-keypair:owner');
    expect(TAGS_REVISION_TAG_KEY).toBe('cdktf-keypair:tags-revision');
    expect(RESERVED_TAG_KEYS).toEqual(['cdktf-keypair:owner', 'cdktf-keypair:tags-revision']);
    expect(INITIAL_TAGS_REVISION).toBe('0');
    expect(tagsAtCreate('tencentcloud', { team: 'infra' }, '6f1c1b0e-2b1a-4c53-9d55-6a0f6a7c0e11/3f853cb3fd3a18b6')).toEqual({
      'team': 'infra',
      'cdktf-keypair:owner': '6f1c1b0e-2b1a-4c53-9d55-6a0f6a7c0e11/3f853cb3fd3a18b6',
      'cdktf-keypair:tags-revision': '0',
    });
  });
});

describe('golden: the per-stack resources (a change replaces the identity, or forgets what the registry records)', () => {
  const { stack } = goldenStack();
  const json = synthJson(stack);

  test('their logical ids, and an identity with no attribute that could ever replace it', () => {
    expect(Object.keys(json.resource.terraform_data).filter((name) => name.startsWith('cdktf_keypair_')).sort()).toEqual([
      'cdktf_keypair_identity',
      'cdktf_keypair_registry',
      'cdktf_keypair_tags',
    ]);
    expect(json.resource.terraform_data.cdktf_keypair_identity).toEqual({});
  });

  test('the registry\'s keys: each construct\'s path below the stack', () => {
    expect(Object.keys(json.resource.terraform_data.cdktf_keypair_registry.for_each).sort()).toEqual([
      '1st',
      'ali-cloud',
      'ali-generate',
      'ali-import',
      'tc-generate',
      'tc-import',
      'team/ci-runner.2',
      'uc-import',
      '密钥',
    ]);
  });

  test('what a registry entry keeps in state: the triggers and the record, under these keys', () => {
    const entry = json.locals.cdktf_keypair_registry['team/ci-runner.2'];
    expect(Object.keys(entry).sort()).toEqual(['input', 'triggers']);
    expect(entry.triggers).toEqual({ ...GOLDEN_CARRIERS['team/ci-runner.2'].triggers, carrier_id: '${null_resource.team_ci-runner2_carrier_9490E09B.id}' });
    expect(Object.keys(entry.input).sort()).toEqual(['delete_timeout_seconds', 'recorded_fingerprint', 'recorded_key_pair_id']);
    expect(RECORD_KEYS).toEqual({ keyPairId: 'recorded_key_pair_id', fingerprint: 'recorded_fingerprint' });
    expect(HANDLER_ENV.record).toBe('CDKTF_KEYPAIR_RECORD');
  });
});

describe('golden: the read\'s result keys (state holds them; outputs and users\' resources reference them)', () => {
  test('the keys and the statuses', () => {
    expect(RESULT_KEYS).toEqual({
      status: 'status',
      keyPairId: 'key_pair_id',
      keyPairName: 'key_pair_name',
      fingerprint: 'fingerprint',
      fingerprintSha256: 'fingerprint_sha256',
      fingerprintMd5: 'fingerprint_md5',
      publicKey: 'public_key',
      tagsRevision: 'tags_revision',
      problem: 'problem',
      secretResourceName: 'private_key_secret_resource_name',
    });
    expect(READ_STATUS).toEqual({ present: 'present', missing: 'missing', taken: 'taken' });
  });

  test('the outputs of the golden stack', () => {
    const { stack } = goldenStack();
    expect(Object.keys(synthJson(stack).output).sort()).toEqual([
      '_1st_fingerprint',
      '_1st_key_pair_id',
      '___fingerprint',
      '___key_pair_id',
      'ali-cloud_fingerprint',
      'ali-cloud_key_pair_id',
      'ali-generate_fingerprint',
      'ali-generate_key_pair_id',
      'ali-import_fingerprint',
      'ali-import_key_pair_id',
      'tc-generate_fingerprint',
      'tc-generate_key_pair_id',
      'tc-import_fingerprint',
      'tc-import_key_pair_id',
      'team_ci-runner_2_fingerprint',
      'team_ci-runner_2_key_pair_id',
      'uc-import_fingerprint',
      'uc-import_key_pair_id',
    ]);
  });
});
