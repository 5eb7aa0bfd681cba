/**
 * Private keys kept in a cloud secret store: the create stores the key in the
 * secret (before the import for a key generated here, after the create for a cloud-generated one), the read
 * reports the pair present from a machine without the key file, the delete removes the secret after the
 * pair. A secret name someone else holds, or one pending deletion, stops the create before any key pair call;
 * a leftover secret of ours without its pair is replaced; faults at every secret call end in success or in a
 * clear error, with no pair and no secret left behind. Through runHandler against the emulator, as Terraform
 * runs the handler.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { actionsSince, expectSuccess, HandlerDeployment, MAKE_ACTIONS, REGIONS, resultOf, useHandlerTestBed } from './support';
import { RunningEmulator, SecretStoreCloud, startEmulator, type FaultSpec } from '../../../emulator';
import { SecretValue } from '../../../handler/clouds/credentials';
import { secretStoreApiFor } from '../../../handler/clouds/factory';
import type { SecretStoreApi } from '../../../handler/clouds/secret-store-api';
import type { RetryPolicy } from '../../../handler/http/retry';
import { publicKeyOfPrivateKey } from '../../../handler/keys/private-key';
import { publicKeyWithoutComment } from '../../../handler/keys/public-key';
import { HandlerOutcome } from '../../../handler/run';
import {
  HANDLER_ENV,
  KEY_SOURCES,
  OWNERSHIP_TAG_KEY,
  ownerValue,
  PRIVATE_KEY_SECRET_VERSION_ID,
  READ_STATUS,
  RESULT_KEYS,
  secretDescription,
  TRIGGER_KEYS,
  type CloudName,
  type KeySource,
  type SecretStoreName,
} from '../../../src/contract';
import { fastSettings } from '../../support/emulated-clients';
import { runPairStep } from '../../support/handler-steps';
import { sshKeygenKeyPair } from '../../support/ssh-keygen';

/** Each store with its cloud (whose port serves it, and whose pairs use it) and the algorithm a key generated for that cloud uses. */
const STORES: ReadonlyArray<readonly [SecretStoreName, SecretStoreCloud]> = [
  ['alicloud-kms', 'alicloud'],
  ['tencentcloud-ssm', 'tencentcloud'],
];
const SOURCES: readonly KeySource[] = [KEY_SOURCES.cloud, KEY_SOURCES.generate];
/** A key generated here for each cloud: Alibaba imports ecdsa (fast to make); Tencent rsa only. */
const ALGORITHMS: Record<CloudName, string> = { alicloud: 'ecdsa', tencentcloud: 'rsa', ucloud: 'rsa' };

const bed = useHandlerTestBed('private-key-secret');

interface Case {
  readonly deployment: HandlerDeployment;
  readonly triggers: Record<string, string>;
  readonly secretName: string;
  readonly file?: string;
}

/** A fresh deployment and the triggers of one key pair of `cloud` whose key goes to `store` (and a file, unless `file` is false). */
function newCase(cloud: CloudName, store: SecretStoreName, source: KeySource, options: { file?: boolean; on?: () => RunningEmulator } = {}): Case {
  const { deployment, n } = bed.newDeployment(options.on);
  const secretName = `kp-secret-${n}`;
  const triggers = deployment.triggers(cloud, `secret_${n}`, {
    [TRIGGER_KEYS.keySource]: source,
    ...(source === KEY_SOURCES.generate ? { [TRIGGER_KEYS.keyAlgorithm]: ALGORITHMS[cloud] } : {}),
    ...(options.file === false ? { [TRIGGER_KEYS.privateKeyFile]: undefined } : {}),
    [TRIGGER_KEYS.secretStore]: store,
    [TRIGGER_KEYS.secretName]: secretName,
    [TRIGGER_KEYS.secretRegion]: REGIONS[storeCloud(store)],
  });
  return { deployment, triggers, secretName, file: triggers[TRIGGER_KEYS.privateKeyFile] };
}

function storeCloud(store: SecretStoreName): SecretStoreCloud {
  return store === 'alicloud-kms' ? 'alicloud' : 'tencentcloud';
}

/** The project's own store client on the emulator: for secrets made out of band. */
function storeApi(store: SecretStoreName, on: RunningEmulator = bed.emulator): SecretStoreApi {
  const target = { store, region: REGIONS[storeCloud(store)] };
  return secretStoreApiFor(target, on.handlerEnvironment(), fastSettings());
}

/** A step through runHandler with extra environment (the recovery window, unset credentials). */
function step(
  command: 'create' | 'delete',
  triggers: Record<string, string>,
  env: Record<string, string> = {},
  on = bed.emulator,
  retry: Partial<RetryPolicy> = {},
): Promise<HandlerOutcome> {
  return runPairStep(command, { emulator: on, triggers, env, settings: fastSettings(retry) });
}

/** The public key of the private key stored in the case's secret, or undefined when there is none. */
function storedPublicKey(store: SecretStoreName, secretName: string, on = bed.emulator): string | undefined {
  const value = on.secretValue(storeCloud(store), REGIONS[storeCloud(store)], secretName, PRIVATE_KEY_SECRET_VERSION_ID);
  return value === undefined ? undefined : publicKeyOfPrivateKey(new SecretValue(value)).canonical;
}

/** Exactly one pair of `cloud` and one secret of the store, the secret holding the pair's private key, tagged and described as ours. */
function expectOnePairWithItsSecret(cloud: CloudName, store: SecretStoreName, testCase: Case, on = bed.emulator): void {
  const pairs = on.listKeyPairs(cloud);
  expect(pairs).toHaveLength(1);
  const secrets = on.listSecrets(storeCloud(store));
  expect(secrets.map((secret) => [secret.name, secret.status])).toEqual([[testCase.secretName, 'enabled']]);
  const owner = testCase.triggers[TRIGGER_KEYS.owner];
  expect(secrets[0].tags).toEqual({ [OWNERSHIP_TAG_KEY]: owner });
  expect(secrets[0].attributes.description).toBe(secretDescription(testCase.triggers[TRIGGER_KEYS.keyPairName], owner));
  expect(secrets[0].versions.map((version) => version.versionId)).toEqual([PRIVATE_KEY_SECRET_VERSION_ID]);
  expect(storedPublicKey(store, testCase.secretName, on)).toBe(publicKeyWithoutComment(pairs[0].publicKey));
}

function expectNothingLeft(cloud: CloudName, store: SecretStoreName, testCase: Case, on = bed.emulator): void {
  expect(on.listKeyPairs(cloud)).toEqual([]);
  expect(on.listSecrets(storeCloud(store))).toEqual([]);
  if (testCase.file) expect(existsSync(testCase.file)).toBe(false);
}

/** The private key never reaches a message. */
function expectNoKeyIn(outcome: HandlerOutcome): void {
  expect(outcome.stderr + outcome.stdout).not.toMatch(/PRIVATE KEY|MII[A-Za-z0-9+/]{20}/);
}

describe.each(STORES)('%s', (store, cloud) => {
  describe.each(SOURCES)('key source %s', (source) => {
    test('create stores the key; a machine without the key file reads the pair present; delete removes pair and secret', async () => {
      // GIVEN
      const testCase = newCase(cloud, store, source);
      // WHEN
      const created = await testCase.deployment.create(testCase.triggers);
      // THEN
      expectSuccess(created);
      expectNoKeyIn(created);
      expectOnePairWithItsSecret(cloud, store, testCase);
      expect(publicKeyOfPrivateKey(new SecretValue(readFileSync(testCase.file!, 'utf8'))).canonical).toBe(
        storedPublicKey(store, testCase.secretName),
      );
      const journal = actionsSince(bed.emulator, 0);
      // A key generated here is stored before its public half is imported; a cloud's after its create.
      const [make] = journal.filter((action) => MAKE_ACTIONS.includes(action));
      expect(journal.indexOf('CreateSecret') < journal.indexOf(make)).toBe(source === KEY_SOURCES.generate);

      // WHEN the key file is gone (a fresh CI runner)
      rmSync(testCase.file!);
      const read = resultOf(await testCase.deployment.read(testCase.triggers));
      // THEN
      expect(read[RESULT_KEYS.status]).toBe(READ_STATUS.present);
      expect(read[RESULT_KEYS.fingerprint]).toBe(bed.emulator.listKeyPairs(cloud)[0].fingerprint);

      // WHEN destroyed from that machine
      const deleted = await testCase.deployment.delete(testCase.triggers);
      // THEN
      expectSuccess(deleted);
      expectNothingLeft(cloud, store, testCase);
      expect(resultOf(await testCase.deployment.read(testCase.triggers))[RESULT_KEYS.status]).toBe(READ_STATUS.missing);
    });

    test('secret only (no key file): create, re-run adopts, read present, delete', async () => {
      const testCase = newCase(cloud, store, source, { file: false });
      expectSuccess(await testCase.deployment.create(testCase.triggers));
      expectOnePairWithItsSecret(cloud, store, testCase);
      const [first] = bed.emulator.listKeyPairs(cloud);

      // a re-run (the step failed after storing, say) adopts the pair on the stored key's evidence
      const since = bed.emulator.requests().length;
      expectSuccess(await testCase.deployment.create(testCase.triggers));
      expect(actionsSince(bed.emulator, since).filter((action) => MAKE_ACTIONS.includes(action) || action === 'CreateSecret')).toEqual([]);
      expect(bed.emulator.listKeyPairs(cloud).map((pair) => pair.id)).toEqual([first.id]);

      expect(resultOf(await testCase.deployment.read(testCase.triggers))[RESULT_KEYS.status]).toBe(READ_STATUS.present);
      expectSuccess(await testCase.deployment.delete(testCase.triggers));
      expectNothingLeft(cloud, store, testCase);
    });

    test('a secret name taken by someone else fails before any key pair call, touching nothing', async () => {
      const testCase = newCase(cloud, store, source);
      const theirs = ownerValue('11111111-2222-4333-8444-555555555555', 'fedcba9876543210');
      await storeApi(store).create({
        name: testCase.secretName,
        value: new SecretValue('their value'),
        versionId: 'theirs',
        tags: { [OWNERSHIP_TAG_KEY]: theirs },
        description: secretDescription('their_pair', theirs),
      });
      const outcome = await testCase.deployment.create(testCase.triggers);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stderr).toContain(
        `the secret name "${testCase.secretName}" is taken in ${store === 'alicloud-kms' ? 'Alibaba Cloud KMS Secrets Manager' : 'Tencent Cloud SSM'} (${REGIONS[cloud]}) ` +
          'by a secret this deployment does not own. Nothing was changed: choose another secretName or delete that secret',
      );
      expect(actionsSince(bed.emulator, 0).filter((action) => MAKE_ACTIONS.includes(action) || (action.startsWith('Describe') && action.includes('KeyPair')))).toEqual([]);
      expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
      expect(bed.emulator.secretValue(cloud, REGIONS[cloud], testCase.secretName, 'theirs')).toBe('their value');
      expect(existsSync(testCase.file!)).toBe(false);
    });

    test('a leftover secret of ours without its pair is deleted at once and replaced', async () => {
      const testCase = newCase(cloud, store, source);
      const owner = testCase.triggers[TRIGGER_KEYS.owner];
      await storeApi(store).create({
        name: testCase.secretName,
        value: new SecretValue('-----BEGIN PRIVATE KEY-----\nleft over\n-----END PRIVATE KEY-----\n'),
        versionId: PRIVATE_KEY_SECRET_VERSION_ID,
        tags: { [OWNERSHIP_TAG_KEY]: owner },
        description: secretDescription(testCase.triggers[TRIGGER_KEYS.keyPairName], owner),
      });
      const outcome = await testCase.deployment.create(testCase.triggers);
      expectSuccess(outcome);
      expect(outcome.stderr).toMatch(/deleting the secret "kp-secret-\d+" in .* at once: no key pair of ours holds the key it keeps/);
      expectOnePairWithItsSecret(cloud, store, testCase);
    });
  });

  test('delete with a recovery window schedules the secret; a create under its name is refused with the remedy', async () => {
    const testCase = newCase(cloud, store, KEY_SOURCES.cloud);
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    const window = { [HANDLER_ENV.secretRecoveryWindowDays]: '7' };
    expectSuccess(await step('delete', testCase.triggers, window));
    expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(bed.emulator.listSecrets(cloud).map((secret) => [secret.name, secret.status])).toEqual([[testCase.secretName, 'pending-delete']]);
    // a second destroy: nothing to do
    expectSuccess(await step('delete', testCase.triggers, window));

    const since = bed.emulator.requests().length;
    const again = await step('create', testCase.triggers, window);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(
      new RegExp(`the secret "${testCase.secretName}" in .* is pending deletion.*restore it with RestoreSecret \\(then apply again\\), or wait until .*, or choose another secretName`),
    );
    expect(actionsSince(bed.emulator, since).filter((action) => MAKE_ACTIONS.includes(action))).toEqual([]);
    expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
  });

  test('read reports a pair whose secret is gone missing; the next create heals it', async () => {
    const testCase = newCase(cloud, store, KEY_SOURCES.cloud, { file: false });
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    const [first] = bed.emulator.listKeyPairs(cloud);
    await storeApi(store).delete(testCase.secretName, 0);

    const read = await testCase.deployment.read(testCase.triggers);
    expect(resultOf(read)[RESULT_KEYS.status]).toBe(READ_STATUS.missing);
    expect(read.stderr).toMatch(/does not exist, so its private key is not kept there: reported missing/);

    // the cloud-generated pair's key is lost: the create replaces the pair, and stores the new key
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    expectOnePairWithItsSecret(cloud, store, testCase);
    expect(bed.emulator.listKeyPairs(cloud)[0].id).not.toBe(first.id);
  });

  test('a re-run after a cut between the key file and the secret stores the secret from the file', async () => {
    const testCase = newCase(cloud, store, KEY_SOURCES.cloud);
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    const [first] = bed.emulator.listKeyPairs(cloud);
    await storeApi(store).delete(testCase.secretName, 0);
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    expect(bed.emulator.listKeyPairs(cloud).map((pair) => pair.id)).toEqual([first.id]);
    expectOnePairWithItsSecret(cloud, store, testCase);
  });

  test('delete leaves a secret that is not ours alone, and says so', async () => {
    const testCase = newCase(cloud, store, KEY_SOURCES.cloud, { file: false });
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    // someone replaced the secret with their own
    await storeApi(store).delete(testCase.secretName, 0);
    await storeApi(store).create({ name: testCase.secretName, value: new SecretValue('theirs'), versionId: 'v1', tags: {} });
    const deleted = await testCase.deployment.delete(testCase.triggers);
    expectSuccess(deleted);
    expect(deleted.stderr).toMatch(/the secret ".*" in .* was left alone: it belongs to someone else/);
    expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(bed.emulator.listSecrets(cloud).map((secret) => secret.name)).toEqual([testCase.secretName]);
  });

  // Faults at each secret call. CreateSecret is not idempotent: a lost answer is settled by describing.
  const createFaults: ReadonlyArray<readonly [string, Omit<FaultSpec, 'cloud'>]> = [
    ['throttled', { action: 'CreateSecret', kind: 'throttle', count: 2 }],
    ['internal error before the action', { action: 'CreateSecret', kind: 'server-error' }],
    ['internal error after the action', { action: 'CreateSecret', kind: 'server-error', afterAction: true }],
    ['connection dropped before the action', { action: 'CreateSecret', kind: 'drop-connection' }],
    ['connection dropped after the action', { action: 'CreateSecret', kind: 'drop-connection', afterAction: true }],
    ['unreadable answer after the action', { action: 'CreateSecret', kind: 'malformed-body', afterAction: true }],
    ['describe throttled', { action: 'DescribeSecret', kind: 'throttle', count: 2 }],
    ['describe dropped', { action: 'DescribeSecret', kind: 'drop-connection' }],
  ];
  describe.each(SOURCES)('key source %s, a fault at a secret call', (source) => {
    test.each(createFaults)('%s: the create succeeds with one pair and one secret', async (_title, fault) => {
      const testCase = newCase(cloud, store, source);
      bed.emulator.injectFault({ cloud, ...fault });
      const outcome = await testCase.deployment.create(testCase.triggers);
      expectSuccess(outcome);
      expectNoKeyIn(outcome);
      expect(bed.emulator.pendingFaults()).toEqual([]);
      expectOnePairWithItsSecret(cloud, store, testCase);
      if (fault.action === 'CreateSecret' && fault.kind !== 'throttle') expect(outcome.stderr).toMatch(/may or may not have stored it .*; looking it up/);
    });

    test('every CreateSecret answer lost: the create fails, leaving no pair, no secret, no file', async () => {
      const testCase = newCase(cloud, store, source);
      bed.emulator.injectFault({ cloud, action: 'CreateSecret', kind: 'server-error', afterAction: false, count: 50 });
      const outcome = await testCase.deployment.create(testCase.triggers);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stderr).toMatch(/the private key could not be stored in the secret "[^"]+" in [^:]+: \d+ calls in a row were lost/);
      expectNoKeyIn(outcome);
      expectNothingLeft(cloud, store, testCase);
    });

    test('the stored secret cannot be read back after a lost answer: a clear error, nothing left', async () => {
      const testCase = newCase(cloud, store, source);
      bed.emulator.injectFault({ cloud, action: 'CreateSecret', kind: 'server-error', afterAction: true });
      bed.emulator.injectFault({ cloud, action: 'GetSecretValue', kind: 'server-error', count: 50 });
      const outcome = await testCase.deployment.create(testCase.triggers);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stderr).toMatch(/GetSecretValue failed/);
      expectNoKeyIn(outcome);
      expectNothingLeft(cloud, store, testCase);
    });
  });

  test('a secret the clean-up cannot delete is named in the error; the pair is gone, and the next create deletes the leftover', async () => {
    const testCase = newCase(cloud, store, KEY_SOURCES.cloud);
    bed.emulator.injectFault({ cloud, action: 'CreateSecret', kind: 'drop-connection', afterAction: true });
    bed.emulator.injectFault({ cloud, action: 'GetSecretValue', kind: 'server-error', count: 50 });
    bed.emulator.injectFault({ cloud, action: 'DeleteSecret', kind: 'server-error', count: 50 });
    const failed = await testCase.deployment.create(testCase.triggers);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/the key pair was deleted again, but the secret "[^"]+" in .* could not be deleted again: .*DeleteSecret failed/);
    expectNoKeyIn(failed);
    expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(existsSync(testCase.file!)).toBe(false);
    expect(bed.emulator.listSecrets(cloud).map((secret) => secret.name)).toEqual([testCase.secretName]);

    bed.emulator.clearFaults();
    const healed = await testCase.deployment.create(testCase.triggers);
    expectSuccess(healed);
    expect(healed.stderr).toMatch(/deleting the secret .* at once: no key pair of ours holds the key it keeps/);
    expectOnePairWithItsSecret(cloud, store, testCase);
  });

  test('read reports a pair whose secret is pending deletion missing', async () => {
    const testCase = newCase(cloud, store, KEY_SOURCES.cloud);
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    await storeApi(store).delete(testCase.secretName, 7);
    const read = await testCase.deployment.read(testCase.triggers);
    expect(resultOf(read)[RESULT_KEYS.status]).toBe(READ_STATUS.missing);
    expect(read.stderr).toMatch(/is pending deletion, so its private key is not kept there: reported missing/);
  });

  test.each([
    ...(store === 'tencentcloud-ssm' ? [['disable throttled', { action: 'DisableSecret', kind: 'throttle', count: 2 }] as const] : []),
    ['throttled', { action: 'DeleteSecret', kind: 'throttle', count: 2 }],
    ['connection dropped after the action', { action: 'DeleteSecret', kind: 'drop-connection', afterAction: true }],
    ['describe internal error', { action: 'DescribeSecret', kind: 'server-error' }],
  ] as const)('delete with a fault at a secret call (%s) removes pair and secret', async (_title, fault) => {
    const testCase = newCase(cloud, store, KEY_SOURCES.cloud);
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    bed.emulator.injectFault({ cloud, ...fault });
    expectSuccess(await testCase.deployment.delete(testCase.triggers));
    expectNothingLeft(cloud, store, testCase);
  });

  test('missing store credentials fail before any call, naming the variables', async () => {
    // A UCloud pair whose key goes to this store: the store's own credentials are missing.
    const testCase = newCase('ucloud', store, KEY_SOURCES.cloud);
    const unset: Record<string, string> = { [cloud === 'alicloud' ? 'ALICLOUD_SECRET_KEY' : 'TENCENTCLOUD_SECRET_KEY']: '' };
    const outcome = await step('create', testCase.triggers, unset);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(cloud === 'alicloud' ? /no AccessKey secret found\. Set one of ALICLOUD_SECRET_KEY/ : /no SecretKey found\. Set one of TENCENTCLOUD_SECRET_KEY/);
    expect(bed.emulator.requests()).toEqual([]);
  });

  test('a pair of another cloud keeps its key in this store (UCloud: the stored key proves the pair at a fresh-machine destroy)', async () => {
    const testCase = newCase('ucloud', store, KEY_SOURCES.cloud, { file: false });
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    expectOnePairWithItsSecret('ucloud', store, testCase);
    expect(resultOf(await testCase.deployment.read(testCase.triggers))[RESULT_KEYS.status]).toBe(READ_STATUS.present);
    expectSuccess(await testCase.deployment.delete(testCase.triggers));
    expect(bed.emulator.listKeyPairs('ucloud')).toEqual([]);
    expect(bed.emulator.listSecrets(cloud)).toEqual([]);
  });
});

describe('a private key larger than the store keeps', () => {
  let large: RunningEmulator;
  beforeAll(async () => {
    // 6144-bit RSA: its PEM is more than Tencent SSM's 4,096 bytes.
    large = await startEmulator({ generatedKeyBits: 6144 });
  }, 120_000);
  afterAll(async () => large?.stop());

  test('a cloud-generated key too large for SSM: the pair is deleted again, no secret, no file, no CreateSecret', async () => {
    const testCase = newCase('tencentcloud', 'tencentcloud-ssm', KEY_SOURCES.cloud, { on: () => large });
    // The emulator makes a 6144-bit key in this process: seconds on a loaded machine (16 s seen), not a lost
    // answer. (The test's retry settings, not the tuning variables: the step's settings win over the environment.)
    const patient: Partial<RetryPolicy> = { requestTimeoutMs: 100_000, deadlineMs: 110_000 };
    const outcome = await step('create', testCase.triggers, {}, large, patient);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/Tencent Cloud SSM \(ap-guangzhou\) keeps values of at most 4096 bytes; this private key is \d+ bytes/);
    expectNoKeyIn(outcome);
    expect(large.requests().map((entry) => entry.action)).not.toContain('CreateSecret');
    expect(large.requests().map((entry) => entry.action)).toContain('DeleteKeyPairs');
    expectNothingLeft('tencentcloud', 'tencentcloud-ssm', testCase, large);
  }, 150_000);
});

describe('inputs', () => {
  test('an import refuses a secret; a generated key needs a file or a secret', async () => {
    const importing = newCase('alicloud', 'alicloud-kms', KEY_SOURCES.import);
    const outcome = await step('create', {
      ...importing.triggers,
      [TRIGGER_KEYS.publicKey]: sshKeygenKeyPair('rsa').publicKey,
    });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/invalid input: an imported key pair has no private key to keep/);

    const nowhere = newCase('alicloud', 'alicloud-kms', KEY_SOURCES.cloud, { file: false });
    const withoutSecret = { ...nowhere.triggers };
    for (const key of [TRIGGER_KEYS.secretStore, TRIGGER_KEYS.secretName, TRIGGER_KEYS.secretRegion]) delete withoutSecret[key];
    const refused = await step('create', withoutSecret);
    expect(refused.stderr).toMatch(/needs "private_key_file" or "private_key_secret_store" \(or both\): the private key has to go somewhere/);
    expect(bed.emulator.requests()).toEqual([]);
  });
});
