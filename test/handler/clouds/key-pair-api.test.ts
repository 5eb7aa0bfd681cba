import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunningEmulator, startEmulator } from '../../../emulator';
import { connectionFor, keyPairApiFor, KeyPairTarget } from '../../../handler/clouds/factory';
import type { KeyPairApi } from '../../../handler/clouds/key-pair-api';
import { TUNING_ENV } from '../../../handler/tuning';
import { CLOUD_NAMES, CloudName, OWNERSHIP_TAG_KEY, REDACTED } from '../../../src/contract';
import { caughtCloudApiError } from '../../support/cloud-api-errors';
import { FAST_RETRY } from '../../support/emulated-clients';
import { emulatorKeyPool } from '../../support/key-pools';
import { withoutComment } from '../../support/public-key-lines';
import { REGIONS } from '../../support/regions';
import { INSTANT_RETRY_CLOCK, skippingRetryClock } from '../../support/retry-clocks';
import { sshKeygenFingerprint, sshKeygenKeyPair, sshKeygenPublicKeyOf } from '../../support/ssh-keygen';

/**
 * One suite, every cloud: the lifecycle sees the clouds only through KeyPairApi, so each cloud must keep
 * the same promises against its emulator.
 */
const ID_FORMATS: Record<CloudName, RegExp> = {
  alicloud: /^[A-Za-z][A-Za-z0-9:_.-]+$/, // Alibaba's id is the name
  tencentcloud: /^skey-[a-z0-9]{8}$/,
  ucloud: /^uhostkp-[a-z0-9]+$/,
};

let emulator: RunningEmulator;
let keyDirectory: string;
beforeAll(async () => {
  emulator = await startEmulator({ keyPool: emulatorKeyPool() });
  keyDirectory = mkdtempSync(path.join(tmpdir(), 'key-pair-api-'));
});
afterAll(async () => {
  await emulator.stop();
  rmSync(keyDirectory, { recursive: true, force: true });
});
beforeEach(() => emulator.reset());

let nameCounter = 0;
/** A fresh name valid on every cloud (Tencent: letters, digits, underscores, ≤ 25). */
function freshName(): string {
  nameCounter += 1;
  return `conformance_${nameCounter}`;
}

describe.each(CLOUD_NAMES)('%s through the neutral key pair interface', (cloud) => {
  const target: KeyPairTarget = { cloud, region: REGIONS[cloud] };
  const api = (): KeyPairApi => keyPairApiFor(target, emulator.handlerEnvironment(), { retry: FAST_RETRY, clock: INSTANT_RETRY_CLOCK });

  test('with only the environment pointing at the emulator, calls reach the emulator', async () => {
    // GIVEN no endpoint but the environment's override WHEN creating THEN the emulator holds the pair
    expect(connectionFor(target, emulator.handlerEnvironment()).endpoint.origin).toBe(new URL(emulator.endpoints[cloud]).origin);
    const name = freshName();
    await api().create({ name });
    expect(emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name)).toEqual([name]);
  });

  test('without an override the endpoint is the cloud\'s own production host, never the emulator', () => {
    const env = { ...emulator.handlerEnvironment() };
    for (const name of Object.keys(env)) if (name.startsWith('CDKTF_KEYPAIR_')) delete env[name];
    const host = connectionFor(target, env).endpoint.host;
    expect(host).toMatch(/aliyuncs\.com|tencentcloudapi\.com|ucloud\.cn/);
  });

  test('capabilities: tags and unique names on Alibaba and Tencent; neither promised on UCloud', () => {
    // GIVEN / WHEN / THEN (a resend after a lost answer relies on uniqueNames: the cloud refuses a second pair under the name)
    expect(api().capabilities).toEqual({ tags: cloud !== 'ucloud', uniqueNames: cloud !== 'ucloud' });
  });

  test('create: the cloud generates the pair and hands out a private key that holds it', async () => {
    const name = freshName();
    const created = await api().create({ name, tags: cloud === 'ucloud' ? undefined : { team: 'infra', [OWNERSHIP_TAG_KEY]: 'owner-1' } });
    expect(created.name).toBe(name);
    expect(created.id).toMatch(ID_FORMATS[cloud]);
    const keyFile = path.join(keyDirectory, `${cloud}-${name}.pem`);
    writeFileSync(keyFile, created.privateKey.reveal());
    chmodSync(keyFile, 0o600);
    const derived = sshKeygenPublicKeyOf(keyFile);
    const [described] = await api().findByName(name);
    expect(described.id).toBe(created.id);
    if (described.publicKey) expect(withoutComment(described.publicKey)).toBe(derived);
    if (cloud === 'alicloud') {
      // Alibaba's fingerprint is the MD5 of the key blob, with or without colons (docs/cloud-behaviour.md#alibaba-fingerprint-colons).
      expect(created.fingerprint.replace(/:/g, '')).toBe(sshKeygenFingerprint(derived, 'md5').slice('MD5:'.length).replace(/:/g, ''));
    }
    if (cloud !== 'ucloud') expect(described.tags).toMatchObject({ team: 'infra', [OWNERSHIP_TAG_KEY]: 'owner-1' });
    expect(String(created.privateKey)).toBe(REDACTED);
  });

  test('import: a public key as read from a .pub file (comment, trailing newline) is registered', async () => {
    const name = freshName();
    const { publicKey } = sshKeygenKeyPair('rsa');
    const imported = await api().importPublicKey({ name, publicKey: `${publicKey}\n` });
    expect(imported.id).toMatch(ID_FORMATS[cloud]);
    const [found] = await api().findByName(name);
    expect(found.id).toBe(imported.id);
    if (found.publicKey) expect(withoutComment(found.publicKey)).toBe(withoutComment(publicKey));
  });

  test('findByName matches exactly, across pages', async () => {
    const base = freshName();
    await api().create({ name: base });
    await api().create({ name: `${base}0` });
    const found = await api().findByName(base);
    expect(found.map((keyPair) => keyPair.name)).toEqual([base]);
  });

  test('describeById: the pair by id, undefined once it is gone', async () => {
    const created = await api().create({ name: freshName() });
    expect((await api().describeById(created.id))?.name).toBe(created.name);
    await api().delete(created);
    expect(await api().describeById(created.id)).toBeUndefined();
  });

  test('delete: removes the pair; a second delete reports it already gone', async () => {
    const created = await api().create({ name: freshName() });
    expect((await api().delete(created)).alreadyGone).toBe(false);
    expect(emulator.listKeyPairs(cloud)).toEqual([]);
    expect((await api().delete(created)).alreadyGone).toBe(true);
  });

  test('throttled create: refused, nothing done, retried, created exactly once', async () => {
    emulator.injectFault({ cloud, kind: 'throttle', count: 2 });
    const name = freshName();
    await api().create({ name });
    expect(emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name)).toEqual([name]);
  });

  test('create answered by an internal error: outcome unknown, not sent again', async () => {
    emulator.injectFault({ cloud, kind: 'server-error', count: 1 });
    const error = await caughtCloudApiError(api().create({ name: freshName() }));
    expect(error.outcome).toBe('unknown');
    expect(error.retryable).toBe(false);
    expect(emulator.pendingFaults()).toEqual([]);
  });

  test('create whose answer is cut short: outcome unknown, not sent again', async () => {
    emulator.injectFault({ cloud, kind: 'malformed-body', count: 1 });
    const error = await caughtCloudApiError(api().create({ name: freshName() }));
    expect(error.outcome).toBe('unknown');
  });

  test('describe through a dropped connection and a 5xx: retried until it succeeds', async () => {
    const created = await api().create({ name: freshName() });
    emulator.injectFault({ cloud, kind: 'drop-connection', count: 1 });
    emulator.injectFault({ cloud, kind: 'server-error', count: 1 });
    expect((await api().findByName(created.name)).map((keyPair) => keyPair.id)).toEqual([created.id]);
  });

  test('throttling is waited out past maxAttempts, until the step\'s deadline; then it is not retryable', async () => {
    // GIVEN a cloud that throttles every describe, and a 3 s deadline on a clock whose waits take no real time
    emulator.injectFault({ cloud, kind: 'throttle', count: 1_000 });
    const policy = { ...FAST_RETRY, baseDelayMs: 100, maxDelayMs: 400, deadlineMs: 3_000 };
    const throttledApi = keyPairApiFor(target, emulator.handlerEnvironment(), { retry: policy, clock: skippingRetryClock() });
    // WHEN
    const error = await caughtCloudApiError(throttledApi.findByName(freshName()));
    // THEN it kept asking (more requests than maxAttempts) until the deadline, and says so
    expect(error.retryable).toBe(false);
    expect(error.outcome).toBe('refused');
    expect(error.retryLater).toBe(true);
    expect(error.message).toMatch(/gave up after \d+ attempts, at the step's deadline of 3\.0 s/);
    expect(error.remedy).toContain(TUNING_ENV.deadlineSeconds);
    const sent = emulator.requests(cloud).filter((entry) => entry.fault === 'throttle').length;
    expect(sent).toBeGreaterThan(policy.maxAttempts!);
    expect(error.message).toContain(`gave up after ${sent} attempts`);
  });

  test('transient failures (5xx) still stop after maxAttempts: not retryable, outcome unknown', async () => {
    // GIVEN a cloud that answers every describe with an internal error
    emulator.injectFault({ cloud, kind: 'server-error', count: 1_000 });
    // WHEN
    const error = await caughtCloudApiError(api().findByName(freshName()));
    // THEN exactly maxAttempts requests, and the error says so
    expect(error.retryable).toBe(false);
    expect(error.retryLater).toBe(false);
    expect(error.outcome).toBe('unknown');
    expect(error.message).toContain(`gave up after ${FAST_RETRY.maxAttempts} attempts)`);
    expect(emulator.requests(cloud)).toHaveLength(FAST_RETRY.maxAttempts!);
  });

  test('a duplicate name is refused: name-taken, not retryable, and the first pair is untouched', async () => {
    const name = freshName();
    const first = await api().create({ name });
    const error = await caughtCloudApiError(api().create({ name }));
    expect(error.outcome).toBe('name-taken');
    expect(error.retryable).toBe(false);
    expect(error.remedy).toBeTruthy();
    expect((await api().findByName(name)).map((keyPair) => keyPair.id)).toEqual([first.id]);
  });

  test('wrong credentials: permanent, with a remedy naming the variables', async () => {
    const env = { ...emulator.handlerEnvironment() };
    for (const name of Object.keys(env)) if (/SECRET_KEY|ACCESS_KEY_SECRET|PRIVATE_KEY/.test(name)) env[name] = 'wrong-secret-value';
    const wrong = keyPairApiFor(target, env, { retry: FAST_RETRY, clock: INSTANT_RETRY_CLOCK });
    const error = await caughtCloudApiError(wrong.findByName(freshName()));
    expect(error.outcome).toBe('permanent');
    expect(error.remedy).toMatch(/_(SECRET_KEY|PRIVATE_KEY)/);
    expect(error.message).not.toContain('wrong-secret-value');
  });

  test('missing credentials fail before any request, naming the variables', () => {
    const env = { ...emulator.handlerEnvironment() };
    for (const name of Object.keys(env)) if (/SECRET_KEY|ACCESS_KEY_SECRET|PRIVATE_KEY/.test(name)) delete env[name];
    expect(() => keyPairApiFor(target, env)).toThrow(/no .* found\. Set one of [A-Z_]+/);
  });
});

/**
 * Alibaba and Tencent refuse to delete a bound pair; UCloud (probably) deletes it
 * (docs/cloud-behaviour.md#bound-key-pair-delete, docs/cloud-behaviour.md#ucloud-bound-key-pair-delete).
 */
const BOUND_DELETE: Record<CloudName, 'in-use' | 'deleted'> = { alicloud: 'in-use', tencentcloud: 'in-use', ucloud: 'deleted' };

describe.each(CLOUD_NAMES)('%s: deleting a key pair bound to an instance', (cloud) => {
  const api = (): KeyPairApi =>
    keyPairApiFor({ cloud, region: REGIONS[cloud] }, emulator.handlerEnvironment(), { retry: FAST_RETRY, clock: INSTANT_RETRY_CLOCK });

  test(`answers ${BOUND_DELETE[cloud]}`, async () => {
    const created = await api().create({ name: freshName() });
    emulator.bindKeyPair(cloud, created.id === created.name ? created.name : created.id);
    if (BOUND_DELETE[cloud] === 'deleted') {
      await api().delete(created);
      expect(await api().describeById(created.id)).toBeUndefined();
      return;
    }
    const error = await caughtCloudApiError(api().delete(created));
    expect(error.outcome).toBe('in-use');
    expect(error.remedy).toBeTruthy();
    emulator.releaseKeyPair(cloud, created.name);
    await api().delete(created);
    expect(await api().describeById(created.id)).toBeUndefined();
  });
});
