/**
 * `handler lookup`: what a reference's data source (`AlicloudKeyPair.fromKeyPairName`,
 * `TencentcloudKeyPair.fromKeyPairId` / `.fromKeyPairName`, `UcloudKeyPair.fromKeyPairName`) runs on every
 * plan. Through runHandler against the emulator: it finds a pair made elsewhere by name (every cloud) or by
 * id (Tencent), reports the same attributes as a managed pair's read, never changes anything, fails naming a
 * missing or ambiguous pair, and refuses bad input before any request.
 */
import { actionsSince, apiOf, REGIONS, resultOf, runLookup, runStep } from './support';
import { RunningEmulator, startEmulator } from '../../../emulator';
import {
  CLOUD_NAMES,
  KEY_PAIR_ID_RULES,
  LOOKUP_QUERY_KEYS,
  NAME_RULES,
  READ_STATUS,
  REGION_RULE,
  RESULT_KEYS,
  SCOPE_RULES,
  TRIGGER_KEYS,
  type CloudName,
} from '../../../src/contract';
import { DESCRIBE_ACTION } from '../../support/key-pair-actions';
import { withoutComment } from '../../support/public-key-lines';
import { sshKeygenFingerprint, sshKeygenKeyPair } from '../../support/ssh-keygen';


let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

/** A reference's query, as the construct synthesizes it. */
function byName(cloud: CloudName, name: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [TRIGGER_KEYS.cloud]: cloud, [TRIGGER_KEYS.region]: REGIONS[cloud], [TRIGGER_KEYS.keyPairName]: name, ...extra };
}

let importKey: { publicKey: string } | undefined;
/** An RSA public key, as read from a .pub file (every cloud imports RSA). */
function publicKeyLine(): string {
  importKey ??= sshKeygenKeyPair('rsa', 'teammate@laptop');
  return importKey.publicKey;
}

describe.each(CLOUD_NAMES)('%s: a reference by name', (cloud) => {
  test('finds a pair made elsewhere: id, name, the cloud\'s fingerprint, and OpenSSH fingerprints where the cloud returns the public key', async () => {
    // GIVEN a pair someone imported by hand (no cdktf-keypair tag)
    const api = apiOf(emulator, cloud);
    const made = await api.importPublicKey({ name: 'legacy_ops', publicKey: publicKeyLine() });
    const [seen] = await api.findByName('legacy_ops');
    const journal = emulator.requests().length;

    // WHEN
    const outcome = await runLookup(emulator, byName(cloud, 'legacy_ops'));

    // THEN
    const result = resultOf(outcome);
    const canonical = withoutComment(publicKeyLine());
    const returnsPublicKey = cloud !== 'ucloud';
    expect(result).toEqual({
      [RESULT_KEYS.status]: READ_STATUS.present,
      [RESULT_KEYS.keyPairId]: made.id,
      [RESULT_KEYS.keyPairName]: 'legacy_ops',
      [RESULT_KEYS.fingerprint]: seen.fingerprint,
      [RESULT_KEYS.fingerprintSha256]: returnsPublicKey ? sshKeygenFingerprint(canonical, 'sha256') : '',
      [RESULT_KEYS.fingerprintMd5]: returnsPublicKey ? sshKeygenFingerprint(canonical, 'md5') : '',
      [RESULT_KEYS.publicKey]: returnsPublicKey ? canonical : '',
      [RESULT_KEYS.tagsRevision]: '',
      [RESULT_KEYS.problem]: '',
      [RESULT_KEYS.secretResourceName]: '',
    });
    expect(Object.keys(result).sort()).toEqual(Object.values(RESULT_KEYS).sort());
    // AND it only looked
    expect(actionsSince(emulator, journal)).toEqual([DESCRIBE_ACTION[cloud]]);
    expect(emulator.listKeyPairs(cloud)).toHaveLength(1);
  });

  test('a missing pair fails, naming the name and the region', async () => {
    const outcome = await runLookup(emulator, byName(cloud, 'nowhere'));
    expect({ exitCode: outcome.exitCode, stdout: outcome.stdout }).toEqual({ exitCode: 1, stdout: '' });
    expect(outcome.stderr).toContain(`error: the referenced key pair name "nowhere" does not exist in ${cloud} region ${REGIONS[cloud]}`);
    expect(outcome.stderr).toContain('Check the name (or id), region and project of the reference');
  });

  test('a pair of a cdktf-keypair deployment can be referenced too (ownership does not matter to a reference)', async () => {
    const api = apiOf(emulator, cloud);
    const made = await api.create({ name: 'managed_elsewhere', tags: cloud === 'ucloud' ? {} : { 'cdktf-keypair:owner': '6f1c1b0e-2b1a-4c53-9d55-6a0f6a7c0e11/0123456789abcdef' } });
    const result = resultOf(await runLookup(emulator, byName(cloud, 'managed_elsewhere')));
    expect(result[RESULT_KEYS.keyPairId]).toBe(made.id);
  });
});

test('ucloud: a pair in another project is not found; the error names the project', async () => {
  await apiOf(emulator, 'ucloud').create({ name: 'edge' });
  const outcome = await runLookup(emulator, byName('ucloud', 'edge', { [TRIGGER_KEYS.scope]: 'org-elsewhere' }));
  expect(outcome.exitCode).toBe(1);
  expect(outcome.stderr).toContain('the referenced key pair name "edge" does not exist in ucloud region cn-bj2 (org-elsewhere)');
});

describe('tencentcloud: a reference by id', () => {
  test('finds the pair by its skey- id', async () => {
    // GIVEN
    const api = apiOf(emulator, 'tencentcloud');
    const made = await api.importPublicKey({ name: 'by_id', publicKey: publicKeyLine() });
    const journal = emulator.requests().length;

    // WHEN
    const result = resultOf(await runLookup(emulator, { cloud: 'tencentcloud', region: REGIONS.tencentcloud, [LOOKUP_QUERY_KEYS.keyPairId]: made.id }));

    // THEN
    expect(result).toMatchObject({
      [RESULT_KEYS.status]: READ_STATUS.present,
      [RESULT_KEYS.keyPairId]: made.id,
      [RESULT_KEYS.keyPairName]: 'by_id',
      [RESULT_KEYS.fingerprintSha256]: sshKeygenFingerprint(publicKeyLine(), 'sha256'),
    });
    expect(actionsSince(emulator, journal)).toEqual(['DescribeKeyPairs']);
  });

  test('a missing id fails, naming the id and the region', async () => {
    const outcome = await runLookup(emulator, { cloud: 'tencentcloud', region: REGIONS.tencentcloud, [LOOKUP_QUERY_KEYS.keyPairId]: 'skey-00000000' });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain('the referenced key pair id "skey-00000000" does not exist in tencentcloud region ap-guangzhou');
  });
});

describe('ucloud with duplicate names (a UCloud-API cloud that accepts them)', () => {
  let duplicates: RunningEmulator;
  beforeAll(async () => {
    duplicates = await startEmulator({ ucloudDuplicateNames: true });
  });
  afterAll(async () => {
    await duplicates?.stop();
  });

  test('two pairs under the name: the lookup fails naming the count; neither is touched', async () => {
    const api = apiOf(duplicates, 'ucloud');
    await api.create({ name: 'twice' });
    await api.create({ name: 'twice' });
    const outcome = await runLookup(duplicates, byName('ucloud', 'twice'));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain('the referenced key pair name "twice" matches 2 key pairs in ucloud region cn-bj2');
    expect(duplicates.listKeyPairs('ucloud')).toHaveLength(2);
  });
});

describe('bad input is refused before any request, naming the rule', () => {
  test.each([
    ['an unknown cloud', { cloud: 'aws', region: 'us-east-1', [TRIGGER_KEYS.keyPairName]: 'web' }, /invalid input: unknown cloud "aws"/],
    ['no cloud', { region: 'cn-bj2', [TRIGGER_KEYS.keyPairName]: 'web' }, /invalid input: unknown cloud ""/],
    ['a region that is no region id', byName('alicloud', 'web', { region: 'CN-Hangzhou' }), REGION_RULE.description],
    ['no region', { cloud: 'ucloud', [TRIGGER_KEYS.keyPairName]: 'web' }, REGION_RULE.description],
    ['a Tencent name breaking its rule', byName('tencentcloud', 'ci-runner'), NAME_RULES.tencentcloud.import.description],
    ['an empty name', byName('ucloud', ''), NAME_RULES.ucloud.import.description],
    ['a name holding a lone UTF-16 surrogate', byName('ucloud', 'web\ud800'), /UCloud key pair name "web\\ud800" is not valid Unicode/],
    ['an Alibaba name ImportKeyPair refuses', byName('alicloud', '-web'), NAME_RULES.alicloud.import.description],
    ['a Tencent id of the wrong shape', { cloud: 'tencentcloud', region: 'ap-guangzhou', [LOOKUP_QUERY_KEYS.keyPairId]: 'key-1' }, KEY_PAIR_ID_RULES.tencentcloud!.description],
    ['an id on a cloud referenced by name', { cloud: 'ucloud', region: 'cn-bj2', [LOOKUP_QUERY_KEYS.keyPairId]: 'uhostkp-1' }, /invalid input: ucloud key pairs are referenced by name, not by id/],
    ['a UCloud project that is no id', byName('ucloud', 'web', { [TRIGGER_KEYS.scope]: 'Default' }), SCOPE_RULES.ucloud.description],
    ['an endpoint with credentials', byName('ucloud', 'web', { [TRIGGER_KEYS.endpoint]: 'https://user:pass@api.example.com' }), /invalid input: endpoint "https:\/\/\[redacted\]@api\.example\.com" is not valid/],
  ] as const)('%s', async (_title, query, message) => {
    const journal = emulator.requests().length;
    const outcome = await runLookup(emulator, query as Record<string, string>);
    expect({ exitCode: outcome.exitCode, stdout: outcome.stdout }).toEqual({ exitCode: 1, stdout: '' });
    if (typeof message === 'string') expect(outcome.stderr).toContain(message);
    else expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr).toContain('invalid input: ');
    expect(outcome.stderr).not.toContain('pass@');
    expect(actionsSince(emulator, journal)).toEqual([]);
  });

  test('a query that is no JSON object is refused', async () => {
    const outcome = await runStep(emulator, 'read', {}, undefined, {}, '[]');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain('invalid input: the query on standard input is not a JSON object');
  });
});
