import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as sshpk from 'sshpk';
import { EmulatorCredential, RunningEmulator, startEmulator, StoredKeyPair } from '../../emulator';
import { generateRsaKeyPair } from '../../emulator/key-material';
import { keyPairApiFor } from '../../handler/clouds/factory';
import type { KeyPairApi } from '../../handler/clouds/key-pair-api';
import { signTc3 } from '../../handler/clouds/tencentcloud';
import type { CallSettings } from '../../handler/http/api-call';
import { sendHttpRequest } from '../../handler/http/transport';
import { parseOpenSshPublicKey, publicKeyWithoutComment } from '../../handler/keys';
import { IMPORTABLE_KEY_TYPES, NAME_RULES, OWNERSHIP_TAG_KEY, TAG_RULES } from '../../src/contract';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { captureLog, expectNoSecrets } from '../support/loopback-server';
import { skippingRetryClock } from '../support/retry-clocks';
import { sshKeygenFingerprint, sshKeygenKeyPair, sshKeygenPublicKeyOf } from '../support/ssh-keygen';

const PLAIN: EmulatorCredential = { accessKeyId: 'AKIDplainTestKey0001', accessKeySecret: 'plain-secret-never-printed' };
const STS: EmulatorCredential = {
  accessKeyId: 'AKIDstsTestKey000002',
  accessKeySecret: 'sts-secret-never-printed',
  securityToken: 'sts-token-never-printed',
};
/** Key pairs per account (Tencent counts its quota per account, all regions together). */
const QUOTA = 3;
const REGION = 'ap-guangzhou';
const NAME_RULE = NAME_RULES.tencentcloud.create;
const TAG_RULE = TAG_RULES.tencentcloud!;
/** How Tencent returns every public key: under its own comment (docs/cloud-behaviour.md#tencent-public-key-comment). */
const AS_TENCENT_KEEPS_IT = /^ssh-rsa AAAA[0-9A-Za-z+/=]+ skey_\d+$/;

let emulator: RunningEmulator;
let rsaPublicKeys: string[];
let keyDirectory: string;

beforeAll(async () => {
  emulator = await startEmulator({ credentials: { tencentcloud: [PLAIN, STS] }, quotaPerScope: QUOTA });
  rsaPublicKeys = Array.from({ length: 4 }, () => generateRsaKeyPair().publicKeyOpenSsh);
  keyDirectory = mkdtempSync(path.join(tmpdir(), 'tencentcloud-emulator-'));
});
afterAll(async () => {
  await emulator.stop();
  rmSync(keyDirectory, { recursive: true, force: true });
});
beforeEach(() => emulator.reset());

/**
 * The key pair API the handler uses, made by the factory from an environment that holds only the
 * emulator's handler environment (endpoint override included) with `credential`'s keys.
 */
function api(credential: EmulatorCredential = PLAIN, options: { region?: string; scope?: string; settings?: CallSettings } = {}): KeyPairApi {
  const env: Record<string, string> = {
    ...emulator.handlerEnvironment(),
    TENCENTCLOUD_SECRET_ID: credential.accessKeyId,
    TENCENTCLOUD_SECRET_KEY: credential.accessKeySecret,
  };
  if (credential.securityToken) env.TENCENTCLOUD_SECURITY_TOKEN = credential.securityToken;
  return keyPairApiFor({ cloud: 'tencentcloud', region: options.region ?? REGION, scope: options.scope }, env, {
    clock: skippingRetryClock(),
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, requestTimeoutMs: 10_000, deadlineMs: 30_000 },
    ...options.settings,
  });
}

interface RawCall {
  readonly action?: string;
  readonly body?: string;
  readonly secretId?: string;
  readonly secretKey?: string;
  readonly token?: string;
  readonly timestamp?: number;
  readonly version?: string;
  readonly region?: string;
  readonly service?: string;
  /** Changes the body after it was signed. */
  readonly tamperedBody?: string;
  /** The `host` value signed; the Host header sent is always the emulator's `host:port`. */
  readonly signedHost?: string;
}

/** A hand-signed request, to see the emulator's exact HTTP status and envelope. */
async function rawCall(call: RawCall): Promise<{ status: number; envelope: any }> {
  const url = new URL(`${emulator.endpoints.tencentcloud}/`);
  const body = call.body ?? '{}';
  const timestamp = call.timestamp ?? Math.floor(Date.now() / 1000);
  const signedHeaders = { 'Content-Type': 'application/json', 'Host': url.host, 'X-TC-Action': call.action ?? 'DescribeKeyPairs' };
  const { authorization } = signTc3({
    method: 'POST',
    canonicalQueryString: '',
    signedHeaders: { ...signedHeaders, Host: call.signedHost ?? url.host },
    payload: body,
    secretId: call.secretId ?? PLAIN.accessKeyId,
    secretKey: call.secretKey ?? PLAIN.accessKeySecret,
    service: call.service ?? 'cvm',
    timestamp,
  });
  const headers: Record<string, string> = {
    ...signedHeaders,
    'X-TC-Version': call.version ?? '2017-03-12',
    'X-TC-Timestamp': String(timestamp),
    'X-TC-Region': call.region ?? REGION,
    'Authorization': authorization,
  };
  if (call.token !== undefined) headers['X-TC-Token'] = call.token;
  const response = await sendHttpRequest({ method: 'POST', url, headers, body: call.tamperedBody ?? body, timeoutMs: 10_000 });
  return { status: response.status, envelope: JSON.parse(response.body) };
}

/** Asserts Tencent's error envelope: HTTP 200, `Response.Error.{Code,Message}` and a RequestId. */
function expectTencentError(answer: { status: number; envelope: any }, code: string): void {
  expect(answer.status).toBe(200);
  expect(answer.envelope).toEqual({
    Response: { Error: { Code: code, Message: expect.any(String) }, RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
  });
}

/** A pair as `StoredKeyPair`, for state files written by hand. */
function storedKeyPair(index: number, publicKey: string): StoredKeyPair {
  return {
    id: `skey-${String(index).padStart(8, '0')}`,
    name: `stored_${index}`,
    publicKey,
    fingerprint: '',
    createdAt: '2024-05-01T10:00:00Z',
    tags: {},
    attributes: { projectId: '0', description: '' },
  };
}

async function inspection(method: 'GET' | 'POST', route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${emulator.endpoints.tencentcloud}/_emulator/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response.json();
}

describe('the KeyPairApi against the emulator over real HTTP', () => {
  test('create → find → describe → delete: a real RSA 2048 key whose public half Tencent returns under its own comment', async () => {
    // WHEN
    const created = await api().create({ name: 'ci_runner', tags: { team: 'infra', [OWNERSHIP_TAG_KEY]: 'stack/ci' } });
    const [found] = await api().findByName('ci_runner');
    const described = await api().describeById(created.id);
    const deleted = await api().delete(created);
    const afterDelete = await api().describeById(created.id);

    // THEN the id, the private key format Tencent documents (PKCS#1), and the key material per ssh-keygen
    expect(created.id).toMatch(/^skey-[0-9a-z]{8}$/);
    expect(created.privateKey.reveal()).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const privateKey = sshpk.parsePrivateKey(created.privateKey.reveal(), 'pem');
    expect([privateKey.type, privateKey.size]).toEqual(['rsa', 2048]);
    const keyFile = path.join(keyDirectory, 'ci_runner.pem');
    writeFileSync(keyFile, created.privateKey.reveal(), { mode: 0o600 });
    expect(publicKeyWithoutComment(described!.publicKey!)).toBe(sshKeygenPublicKeyOf(keyFile));

    // THEN Create and Describe both give the public key under the same `skey_<digits>` comment
    expect(created.publicKey).toMatch(AS_TENCENT_KEEPS_IT);
    expect(described!.publicKey).toBe(created.publicKey);
    expect(found).toEqual({ ...described, requestId: expect.any(String) });
    expect(described).toMatchObject({ id: created.id, name: 'ci_runner', fingerprint: '', tags: { team: 'infra', [OWNERSHIP_TAG_KEY]: 'stack/ci' } });
    expect(deleted.alreadyGone).toBe(false);
    expect(afterDelete).toBeUndefined();
    expect(emulator.listKeyPairs('tencentcloud')).toEqual([]);
  });

  test('import of a key as ssh-keygen writes it: trimmed, its comment replaced by skey_<digits>, the key and its fingerprints unchanged', async () => {
    // GIVEN a user's key with a comment and a trailing newline
    const { publicKey } = sshKeygenKeyPair('rsa', 'me@laptop');
    expect(publicKey).toMatch(/ me@laptop\n$/);

    // WHEN
    const imported = await api().importPublicKey({ name: 'laptop', publicKey });

    // THEN the emulator holds the trimmed key material, under Tencent's comment, and reports it that way
    const [stored] = emulator.listKeyPairs('tencentcloud');
    expect(stored.publicKey).toMatch(AS_TENCENT_KEEPS_IT);
    expect(publicKeyWithoutComment(stored.publicKey)).toBe(publicKeyWithoutComment(publicKey));
    expect(imported.publicKey).toBe(stored.publicKey);
    expect(imported.publicKey).not.toContain('me@laptop');
    expect(parseOpenSshPublicKey(imported.publicKey!).sha256Fingerprint).toBe(sshKeygenFingerprint(publicKey, 'sha256'));
    expect(parseOpenSshPublicKey(imported.publicKey!).md5Fingerprint).toBe(sshKeygenFingerprint(publicKey, 'md5'));
  });

  test('the store keeps public keys only, scoped by region, with no fingerprint (Tencent reports none)', async () => {
    // WHEN
    const created = await api().create({ name: 'web' });
    await api(PLAIN, { region: 'ap-shanghai' }).importPublicKey({ name: 'web', publicKey: rsaPublicKeys[1] });

    // THEN
    const stored = emulator.listKeyPairs('tencentcloud');
    expect(stored.map((keyPair) => [keyPair.scope, keyPair.name]).sort()).toEqual([
      ['ap-guangzhou', 'web'],
      ['ap-shanghai', 'web'],
    ]);
    expect(stored.every((keyPair) => keyPair.fingerprint === '')).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(stored)).not.toContain(created.privateKey.reveal().split('\n')[1]);
  });

  test('the project is the scope: created in it, found only in it', async () => {
    // WHEN
    await api(PLAIN, { scope: '1004' }).create({ name: 'in_project' });

    // THEN
    expect(emulator.listKeyPairs('tencentcloud')[0].attributes.projectId).toBe('1004');
    expect(await api(PLAIN, { scope: '1004' }).findByName('in_project')).toHaveLength(1);
    expect(await api().findByName('in_project')).toEqual([]);
  });

  test('waits out injected throttling beyond maxAttempts, then retries an internal error and a dropped connection on describe; logs hold no secret', async () => {
    // GIVEN four throttled answers (as many as the client's maxAttempts), then an internal error and a dropped connection
    emulator.injectFault({ cloud: 'tencentcloud', action: 'DescribeKeyPairs', kind: 'throttle', count: 4 });
    emulator.injectFault({ cloud: 'tencentcloud', action: 'DescribeKeyPairs', kind: 'server-error' });
    emulator.injectFault({ cloud: 'tencentcloud', action: 'DescribeKeyPairs', kind: 'drop-connection' });
    const { lines, log } = captureLog();

    // WHEN
    const found = await api(STS, { settings: { log } }).findByName('absent');

    // THEN the throttles did not count against maxAttempts: only the two transient failures did
    expect(found).toEqual([]);
    expect(emulator.pendingFaults()).toEqual([]);
    const retryLine = (why: string, attempt: number) =>
      expect.stringMatching(new RegExp(`^tencentcloud DescribeKeyPairs: ${why}; attempt ${attempt} in 0\\.0 s \\(\\d+ s left of the step's 30 s\\)$`));
    expect(lines.filter((line) => / (asked to retry later|failed with) /.test(line))).toEqual([
      ...[2, 3, 4, 5].map((attempt) => retryLine('asked to retry later \\(RequestLimitExceeded\\)', attempt)),
      retryLine('failed with InternalError', 6),
      retryLine('failed with NetworkError', 7),
    ]);
    // AND each attempt is in the journal, about the name described
    expect(emulator.requests('tencentcloud').map((entry) => [entry.fault, entry.keyPairNames])).toEqual([
      ...Array(4).fill(['throttle', ['absent']]),
      ['server-error', ['absent']],
      ['drop-connection', ['absent']],
      [undefined, ['absent']],
    ]);
    expectNoSecrets(lines, [STS.accessKeySecret, STS.securityToken!]);
  });
});

// docs/cloud-behaviour.md#tencent-errors-at-http-200
describe('internal errors come with HTTP 200', () => {
  test('the server-error fault answers HTTP 200 with InternalError in the envelope', async () => {
    // GIVEN
    emulator.injectFault({ cloud: 'tencentcloud', action: 'DescribeKeyPairs', kind: 'server-error' });
    // WHEN
    const answer = await rawCall({});
    // THEN
    expectTencentError(answer, 'InternalError');
  });

  test('a create answered with InternalError: outcome unknown, not sent again (so nothing was created)', async () => {
    // GIVEN
    emulator.injectFault({ cloud: 'tencentcloud', action: 'CreateKeyPair', kind: 'server-error' });

    // WHEN
    const error = await caughtCloudApiError(api().create({ name: 'ci_runner' }));

    // THEN a retry would have created the pair on its second attempt
    expect(error).toMatchObject({ code: 'InternalError', httpStatus: 200, outcome: 'unknown', retryable: false });
    expect(emulator.listKeyPairs('tencentcloud')).toEqual([]);
  });
});

describe('authentication errors, each in Tencent’s envelope', () => {
  test('a wrong secret key → AuthFailure.SignatureFailure', async () => {
    // WHEN
    const answer = await rawCall({ secretKey: 'not-the-secret' });
    const error = await caughtCloudApiError(api({ ...PLAIN, accessKeySecret: 'not-the-secret' }).findByName('x'));

    // THEN
    expectTencentError(answer, 'AuthFailure.SignatureFailure');
    expect(error).toMatchObject({ code: 'AuthFailure.SignatureFailure', retryable: false, outcome: 'permanent' });
    expect(error.message).toContain('TENCENTCLOUD_SECRET_KEY');
    expect(error.message).not.toContain('not-the-secret');
  });

  test('a body changed after signing → AuthFailure.SignatureFailure', async () => {
    // WHEN
    const answer = await rawCall({ body: '{"Limit":1}', tamperedBody: '{"Limit":2}' });
    // THEN
    expectTencentError(answer, 'AuthFailure.SignatureFailure');
  });

  test('a timestamp more than 5 minutes off → AuthFailure.SignatureExpire (and one within it passes)', async () => {
    // GIVEN
    const now = Math.floor(Date.now() / 1000);

    // WHEN
    const stale = await rawCall({ timestamp: now - 301 });
    const fromTheFuture = await rawCall({ timestamp: now + 400 });
    const slightlyOff = await rawCall({ timestamp: now - 200 });
    const error = await caughtCloudApiError(api(PLAIN, { settings: { clock: skippingRetryClock(-10 * 60_000) } }).findByName('x'));

    // THEN
    expectTencentError(stale, 'AuthFailure.SignatureExpire');
    expectTencentError(fromTheFuture, 'AuthFailure.SignatureExpire');
    expect(slightlyOff.envelope.Response.TotalCount).toBe(0);
    expect(error.code).toBe('AuthFailure.SignatureExpire');
    expect(error.message).toMatch(/clock/);
  });

  test('a credential scope naming another service → AuthFailure.SignatureFailure', async () => {
    // WHEN
    const answer = await rawCall({ service: 'ecm' });
    // THEN
    expectTencentError(answer, 'AuthFailure.SignatureFailure');
    expect(answer.envelope.Response.Error.Message).toContain('/cvm/tc3_request');
  });

  test('the host signed without the port (as Tencent’s Node SDK signs it) passes; any other host fails', async () => {
    // GIVEN the emulator's Host header is `127.0.0.1:<port>`; the SDK signs the URL's hostname alone
    const { hostname } = new URL(emulator.endpoints.tencentcloud);

    // WHEN
    const portless = await rawCall({ signedHost: hostname });
    const otherPort = await rawCall({ signedHost: `${hostname}:1` });
    const otherHost = await rawCall({ signedHost: 'cvm.tencentcloudapi.com' });
    const portlessWrongSecret = await rawCall({ signedHost: hostname, secretKey: 'not-the-secret' });

    // THEN
    expect(portless.envelope.Response.TotalCount).toBe(0);
    expectTencentError(otherPort, 'AuthFailure.SignatureFailure');
    expectTencentError(otherHost, 'AuthFailure.SignatureFailure');
    expectTencentError(portlessWrongSecret, 'AuthFailure.SignatureFailure');
  });

  test('an unknown SecretId → AuthFailure.SecretIdNotFound', async () => {
    // WHEN
    const answer = await rawCall({ secretId: 'AKIDnobodyKnowsThis1' });
    // THEN
    expectTencentError(answer, 'AuthFailure.SecretIdNotFound');
  });

  test('an STS token is accepted with its key; a wrong or missing token → AuthFailure.TokenFailure', async () => {
    // WHEN
    const accepted = await api(STS).findByName('x');
    const wrong = await rawCall({ secretId: STS.accessKeyId, secretKey: STS.accessKeySecret, token: 'forged-token' });
    const missing = await rawCall({ secretId: STS.accessKeyId, secretKey: STS.accessKeySecret });
    const unexpected = await rawCall({ token: STS.securityToken });
    const error = await caughtCloudApiError(api({ ...STS, securityToken: 'forged-token' }).findByName('x'));

    // THEN
    expect(accepted).toEqual([]);
    expectTencentError(wrong, 'AuthFailure.TokenFailure');
    expectTencentError(missing, 'AuthFailure.TokenFailure');
    expectTencentError(unexpected, 'AuthFailure.TokenFailure');
    expect(error.message).toContain('TENCENTCLOUD_SECURITY_TOKEN');
    expectNoSecrets([error.message, String(error.stack)], ['forged-token', STS.accessKeySecret]);
  });

  test('a missing Authorization → AuthFailure.InvalidAuthorization; a missing region → MissingParameter', async () => {
    // GIVEN
    const url = new URL(`${emulator.endpoints.tencentcloud}/`);
    const headers = { 'Content-Type': 'application/json', 'X-TC-Action': 'DescribeKeyPairs', 'X-TC-Version': '2017-03-12' };

    // WHEN
    const unsigned = await sendHttpRequest({ method: 'POST', url, headers, body: '{}', timeoutMs: 10_000 });
    const noRegion = await rawCall({ region: '' });

    // THEN
    expectTencentError({ status: unsigned.status, envelope: JSON.parse(unsigned.body) }, 'AuthFailure.InvalidAuthorization');
    expectTencentError(noRegion, 'MissingParameter');
  });

  test('anything but a JSON POST to / → UnsupportedOperation, still in the envelope', async () => {
    // WHEN
    const response = await sendHttpRequest({ method: 'GET', url: new URL(`${emulator.endpoints.tencentcloud}/?Action=DescribeKeyPairs`), headers: {}, timeoutMs: 10_000 });
    // THEN
    expectTencentError({ status: response.status, envelope: JSON.parse(response.body) }, 'UnsupportedOperation');
  });

  test('an unknown action → InvalidAction; another API version → NoSuchVersion', async () => {
    // WHEN / THEN
    expectTencentError(await rawCall({ action: 'RunInstances' }), 'InvalidAction');
    expectTencentError(await rawCall({ version: '2019-07-19' }), 'NoSuchVersion');
  });
});

describe('name rules: the contract\'s rule, answered with Tencent\'s three codes', () => {
  test.each([
    ['CreateKeyPair', '', 'InvalidKeyPairNameEmpty'],
    ['CreateKeyPair', 'a'.repeat(NAME_RULE.maxLength + 1), 'InvalidKeyPairNameTooLong'],
    ['CreateKeyPair', 'bad-name', 'InvalidKeyPairNameIncludeIllegalChar'],
    ['CreateKeyPair', '名字', 'InvalidKeyPairNameIncludeIllegalChar'],
    ['ImportKeyPair', '', 'InvalidKeyPairNameEmpty'],
    ['ImportKeyPair', 'b'.repeat(NAME_RULES.tencentcloud.import.maxLength + 1), 'InvalidKeyPairNameTooLong'],
    ['ImportKeyPair', 'with space', 'InvalidKeyPairNameIncludeIllegalChar'],
  ])('%s with the name %j → %s, quoting the rule', async (action, name, code) => {
    // WHEN
    const body = { KeyName: name, ProjectId: 0, ...(action === 'ImportKeyPair' ? { PublicKey: rsaPublicKeys[0] } : {}) };
    const answer = await rawCall({ action, body: JSON.stringify(body) });

    // THEN
    expectTencentError(answer, code);
    expect(answer.envelope.Response.Error.Message).toContain(NAME_RULE.description);
  });

  test('the longest name the rule allows, of every allowed character, is accepted', async () => {
    // WHEN
    const name = 'A_1'.repeat(Math.floor(NAME_RULE.maxLength / 3)).padEnd(NAME_RULE.maxLength, 'z');
    const imported = await api().importPublicKey({ name, publicKey: rsaPublicKeys[0] });
    // THEN
    expect(imported.name).toBe(name);
  });

  test('a duplicate name → InvalidKeyPairName.Duplicate, name-taken, sent once', async () => {
    // GIVEN
    await api().importPublicKey({ name: 'twice', publicKey: rsaPublicKeys[0] });
    // WHEN
    const error = await caughtCloudApiError(api().importPublicKey({ name: 'twice', publicKey: rsaPublicKeys[1] }));
    // THEN
    expect(error).toMatchObject({ code: 'InvalidKeyPairName.Duplicate', outcome: 'name-taken', retryable: false });
    expect(emulator.requests('tencentcloud').filter((entry) => entry.action === 'ImportKeyPair')).toEqual([
      { cloud: 'tencentcloud', action: 'ImportKeyPair', status: 200, handled: true, keyPairNames: ['twice'] },
      { cloud: 'tencentcloud', action: 'ImportKeyPair', status: 200, handled: true, keyPairNames: ['twice'] },
    ]);
    expect(emulator.listKeyPairs('tencentcloud')).toHaveLength(1);
  });
});

describe('tag rules: the contract\'s rule', () => {
  function createWithTags(tags: Array<{ Key: string; Value: string }>) {
    return rawCall({ action: 'CreateKeyPair', body: JSON.stringify({ KeyName: 'tagged', ProjectId: 0, TagSpecification: [{ ResourceType: 'keypair', Tags: tags }] }) });
  }

  test.each(TAG_RULE.key.forbiddenPrefixes!)('a tag key starting with %s → FailedOperation.TagKeyReserved', async (prefix) => {
    // WHEN
    const answer = await createWithTags([{ Key: `${prefix.toUpperCase()}:owner`, Value: 'x' }]);
    // THEN
    expectTencentError(answer, 'FailedOperation.TagKeyReserved');
  });

  test('characters outside the rule, or a value over its length → InvalidParameterValue', async () => {
    // WHEN
    const badKey = await createWithTags([{ Key: 'team#1', Value: 'x' }]);
    const badValue = await createWithTags([{ Key: 'team', Value: 'a;b' }]);
    const longValue = await createWithTags([{ Key: 'team', Value: 'v'.repeat(TAG_RULE.value.maxLength + 1) }]);

    // THEN
    for (const answer of [badKey, badValue, longValue]) expectTencentError(answer, 'InvalidParameterValue');
    expect(badValue.envelope.Response.Error.Message).toContain(TAG_RULE.value.description);
  });

  test('more tags than the rule allows → LimitExceeded.TagResourceQuota; as many, the ownership tag among them, are kept', async () => {
    // GIVEN
    const tags = (count: number) => [{ Key: OWNERSHIP_TAG_KEY, Value: 'stack/ci' }, ...Array.from({ length: count - 1 }, (_, i) => ({ Key: `k${i}`, Value: `v ${i}` }))];

    // WHEN
    const tooMany = await createWithTags(tags(TAG_RULE.maxTags + 1));
    const enough = await createWithTags(tags(TAG_RULE.maxTags));

    // THEN
    expectTencentError(tooMany, 'LimitExceeded.TagResourceQuota');
    expect(enough.envelope.Response.KeyPair.Tags).toHaveLength(TAG_RULE.maxTags);
    expect(emulator.listKeyPairs('tencentcloud')[0].tags[OWNERSHIP_TAG_KEY]).toBe('stack/ci');
  });
});

describe('public keys', () => {
  test.each(['ecdsa', 'ed25519'] as const)('an OpenSSH %s key → InvalidPublicKey.Malformed (the contract accepts only its importable types)', async (type) => {
    // GIVEN
    expect(IMPORTABLE_KEY_TYPES.tencentcloud).not.toContain(type);
    const { publicKey } = sshKeygenKeyPair(type);

    // WHEN
    const error = await caughtCloudApiError(api().importPublicKey({ name: type, publicKey }));

    // THEN
    expect(error).toMatchObject({ code: 'InvalidPublicKey.Malformed', outcome: 'permanent' });
    expect(error.message).toMatch(/OpenSSH RSA/);
  });

  test('garbage → InvalidPublicKey.Malformed; a key imported twice, whatever its comment → InvalidPublicKey.Duplicate', async () => {
    // GIVEN
    await api().importPublicKey({ name: 'first', publicKey: rsaPublicKeys[0] });

    // WHEN
    const garbage = await caughtCloudApiError(api().importPublicKey({ name: 'garbage', publicKey: 'ssh-rsa not-base64!!' }));
    const again = await rawCall({ action: 'ImportKeyPair', body: JSON.stringify({ KeyName: 'second', ProjectId: 0, PublicKey: `${rsaPublicKeys[0]} other-comment` }) });

    // THEN
    expect(garbage.code).toBe('InvalidPublicKey.Malformed');
    expectTencentError(again, 'InvalidPublicKey.Duplicate');
  });
});

// docs/cloud-behaviour.md#key-pair-quotas
describe('the quota is the account\'s, all regions together', () => {
  test('pairs in other regions count: the next one anywhere → InvalidKeyPair.LimitExceeded', async () => {
    // GIVEN the quota of 3 used up across three regions
    const regions = ['ap-guangzhou', 'ap-shanghai', 'ap-beijing'];
    for (const [index, region] of regions.entries()) {
      await api(PLAIN, { region }).importPublicKey({ name: `k${index}`, publicKey: rsaPublicKeys[index] });
    }

    // WHEN
    const answer = await rawCall({ region: 'ap-chengdu', action: 'ImportKeyPair', body: JSON.stringify({ KeyName: 'one_more', ProjectId: 0, PublicKey: rsaPublicKeys[3] }) });
    const error = await caughtCloudApiError(api(PLAIN, { region: 'ap-chengdu' }).create({ name: 'one_more' }));

    // THEN
    expectTencentError(answer, 'InvalidKeyPair.LimitExceeded');
    expect(error).toMatchObject({ code: 'InvalidKeyPair.LimitExceeded', outcome: 'permanent' });
    expect(error.remedy).toMatch(/per account/);
  });

  test('without a quota option the emulator allows Tencent\'s documented 100 per account', async () => {
    // GIVEN a state file with 100 pairs spread over four regions
    const directory = mkdtempSync(path.join(tmpdir(), 'tencentcloud-quota-'));
    const stateFile = path.join(directory, 'state.json');
    const keyPairs = Array.from({ length: 100 }, (_, index) => storedKeyPair(index, `${rsaPublicKeys[0].split(' ').slice(0, 2).join(' ')}${index} skey_1`));
    const regions = ['ap-guangzhou', 'ap-shanghai', 'ap-beijing', 'ap-chengdu'];
    const clouds = {
      alicloud: {},
      tencentcloud: Object.fromEntries(regions.map((region, r) => [region, keyPairs.filter((_, index) => index % regions.length === r)])),
      ucloud: {},
    };
    writeFileSync(stateFile, JSON.stringify({ version: 1, clouds }));
    const full = await startEmulator({ stateFile });
    try {
      const env = { ...full.handlerEnvironment() };
      const other = keyPairApiFor({ cloud: 'tencentcloud', region: 'ap-nanjing' }, env, { clock: skippingRetryClock() });

      // WHEN
      const refused = await caughtCloudApiError(other.create({ name: 'the_101st' }));
      await keyPairApiFor({ cloud: 'tencentcloud', region: 'ap-guangzhou' }, env).delete({ id: 'skey-00000000', name: 'stored_0' });
      const accepted = await other.create({ name: 'the_101st' });

      // THEN
      expect(refused.code).toBe('InvalidKeyPair.LimitExceeded');
      expect(accepted.name).toBe('the_101st');
    } finally {
      await full.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

// docs/cloud-behaviour.md#not-found-codes
describe('not found', () => {
  test('delete of an unknown id → InvalidKeyPairId.NotFound, already gone for the client; describe by it → an empty set, no error', async () => {
    // WHEN
    const notFound = await rawCall({ action: 'DeleteKeyPairs', body: JSON.stringify({ KeyIds: ['skey-00000000'] }) });
    const described = await rawCall({ action: 'DescribeKeyPairs', body: JSON.stringify({ KeyIds: ['skey-00000000'] }) });
    const viaApi = await api().delete({ id: 'skey-00000000', name: 'never_existed' });

    // THEN
    expectTencentError(notFound, 'InvalidKeyPairId.NotFound');
    expect(described.envelope.Response).toEqual({ TotalCount: 0, KeyPairSet: [], RequestId: expect.any(String) });
    expect(viaApi.alreadyGone).toBe(true);
    expect(await api().describeById('skey-00000000')).toBeUndefined();
  });

  test('a malformed id → InvalidKeyPairId.Malformed, permanent (never "gone")', async () => {
    // WHEN
    const malformed = await rawCall({ action: 'DeleteKeyPairs', body: JSON.stringify({ KeyIds: ['key-1'] }) });
    const error = await caughtCloudApiError(api().delete({ id: 'key-1', name: 'x' }));
    // THEN
    expectTencentError(malformed, 'InvalidKeyPairId.Malformed');
    expect(error.outcome).toBe('permanent');
  });

  test('one unknown id among several deletes nothing', async () => {
    // GIVEN
    const kept = await api().importPublicKey({ name: 'kept', publicKey: rsaPublicKeys[0] });
    // WHEN
    const answer = await rawCall({ action: 'DeleteKeyPairs', body: JSON.stringify({ KeyIds: [kept.id, 'skey-zzzzzzzz'] }) });
    // THEN
    expectTencentError(answer, 'InvalidKeyPairId.NotFound');
    expect(emulator.listKeyPairs('tencentcloud').map((keyPair) => keyPair.id)).toEqual([kept.id]);
  });
});

describe('deleting a key pair still in use', () => {
  // docs/cloud-behaviour.md#bound-key-pair-delete
  test('bound to an instance: InvalidParameterValue.KeyPairNotSupported at HTTP 200, in use, until the binding runs out', async () => {
    // GIVEN a pair bound for two deletes, as right after its instance was deleted
    const created = await api().create({ name: 'bound' });
    emulator.bindKeyPair('tencentcloud', created.id, { instanceId: 'ins-abcdefgh', deleteAttempts: 2 });

    // WHEN
    const raw = await rawCall({ action: 'DeleteKeyPairs', body: JSON.stringify({ KeyIds: [created.id] }) });
    const error = await caughtCloudApiError(api().delete(created));
    const third = await api().delete(created);

    // THEN
    expectTencentError(raw, 'InvalidParameterValue.KeyPairNotSupported');
    expect(raw.envelope.Response.Error.Message).toContain('ins-abcdefgh');
    expect(error).toMatchObject({ code: 'InvalidParameterValue.KeyPairNotSupported', outcome: 'in-use', retryable: false });
    expect(error.remedy).toMatch(/bound to an instance/);
    expect(third.alreadyGone).toBe(false);
    expect(emulator.listKeyPairs('tencentcloud')).toEqual([]);
  });

  // docs/cloud-behaviour.md#tencent-image-holds-key-pair
  test('held by a custom image (an img- binding through the inspection API): InvalidKeyPair.NotSupported, permanent, until released', async () => {
    // GIVEN
    const created = await api().create({ name: 'imaged' });
    await inspection('POST', 'bindings', { keyPair: 'imaged', instanceId: 'img-m4q2x8mh' });

    // WHEN
    const raw = await rawCall({ action: 'DeleteKeyPairs', body: JSON.stringify({ KeyIds: [created.id] }) });
    const first = await caughtCloudApiError(api().delete(created));
    const second = await caughtCloudApiError(api().delete(created));
    await inspection('POST', 'bindings/release', { keyPair: created.id });
    const released = await api().delete(created);

    // THEN
    expectTencentError(raw, 'InvalidKeyPair.NotSupported');
    expect(raw.envelope.Response.Error.Message).toMatch(/associastes with image `img-m4q2x8mh`/);
    for (const error of [first, second]) {
      expect(error).toMatchObject({ code: 'InvalidKeyPair.NotSupported', outcome: 'permanent', retryable: false });
      expect(error.remedy).toMatch(/custom image/);
    }
    expect(released.alreadyGone).toBe(false);
    expect(await api().describeById(created.id)).toBeUndefined();
  });
});

describe('DescribeKeyPairs paging and filters', () => {
  test('Offset/Limit page through TotalCount; Limit over 100, negative Offset, and ids with filters are refused', async () => {
    // GIVEN three pairs
    for (let i = 0; i < 3; i++) await api().importPublicKey({ name: `page_${i}`, publicKey: rsaPublicKeys[i] });

    // WHEN
    const first = await rawCall({ body: JSON.stringify({ Offset: 0, Limit: 2 }) });
    const second = await rawCall({ body: JSON.stringify({ Offset: 2, Limit: 2 }) });
    const overLimit = await rawCall({ body: JSON.stringify({ Limit: 101 }) });
    const negativeOffset = await rawCall({ body: JSON.stringify({ Offset: -1 }) });
    const both = await rawCall({ body: JSON.stringify({ KeyIds: ['skey-00000000'], Filters: [{ Name: 'key-name', Values: ['x'] }] }) });
    const badFilter = await rawCall({ body: JSON.stringify({ Filters: [{ Name: 'fingerprint', Values: ['x'] }] }) });
    const unknownParameter = await rawCall({ body: JSON.stringify({ PageSize: 10 }) });

    // THEN
    expect(first.envelope.Response.TotalCount).toBe(3);
    expect(first.envelope.Response.KeyPairSet.map((item: any) => item.KeyName)).toEqual(['page_0', 'page_1']);
    expect(second.envelope.Response.KeyPairSet.map((item: any) => item.KeyName)).toEqual(['page_2']);
    expect(first.envelope.Response.KeyPairSet[0]).not.toHaveProperty('PrivateKey');
    expectTencentError(overLimit, 'InvalidParameterValueLimit');
    expectTencentError(negativeOffset, 'InvalidParameterValueOffset');
    expectTencentError(both, 'InvalidParameter');
    expectTencentError(badFilter, 'InvalidFilter');
    expectTencentError(unknownParameter, 'UnknownParameter');
  });

  test('the key-name filter is fuzzy here, so findByName must and does match exactly', async () => {
    // GIVEN
    await api().importPublicKey({ name: 'web', publicKey: rsaPublicKeys[0] });
    await api().importPublicKey({ name: 'web_old', publicKey: rsaPublicKeys[1] });

    // WHEN
    const filtered = await rawCall({ body: JSON.stringify({ Filters: [{ Name: 'key-name', Values: ['web'] }] }) });
    const exact = await api().findByName('web');

    // THEN
    expect(filtered.envelope.Response.TotalCount).toBe(2);
    expect(exact.map((keyPair) => keyPair.name)).toEqual(['web']);
  });
});
