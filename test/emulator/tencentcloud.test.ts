import { generateKeyPairSync } from 'node:crypto';
import * as sshpk from 'sshpk';
import { EmulatorCredential, RunningEmulator, startEmulator } from '../../emulator';
import { canonicalOpenSsh, generateRsaKeyPair } from '../../emulator/key-material';
import { SecretValue } from '../../handler/clouds/credentials';
import {
  createKeyPair,
  deleteKeyPairs,
  describeKeyPairs,
  describeKeyPairsByName,
  importKeyPair,
  signTc3,
  TencentcloudClientOptions,
  tencentcloudCredentialsFromEnv,
} from '../../handler/clouds/tencentcloud';
import { sendHttpRequest } from '../../handler/http/transport';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { captureLog, expectNoSecrets } from '../support/loopback-server';
import { skippingRetryClock } from '../support/retry-clocks';

const PLAIN: EmulatorCredential = { accessKeyId: 'AKIDplainTestKey0001', accessKeySecret: 'plain-secret-never-printed' };
const STS: EmulatorCredential = {
  accessKeyId: 'AKIDstsTestKey000002',
  accessKeySecret: 'sts-secret-never-printed',
  securityToken: 'sts-token-never-printed',
};
const QUOTA = 3;
const REGION = 'ap-guangzhou';

let emulator: RunningEmulator;
let rsaPublicKeys: string[];

beforeAll(async () => {
  emulator = await startEmulator({ credentials: { tencentcloud: [PLAIN, STS] }, quotaPerScope: QUOTA });
  rsaPublicKeys = Array.from({ length: 4 }, () => generateRsaKeyPair().publicKeyOpenSsh);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

function client(credential: EmulatorCredential = PLAIN, overrides: Partial<TencentcloudClientOptions> = {}): TencentcloudClientOptions {
  return {
    region: REGION,
    endpoint: emulator.endpoints.tencentcloud,
    credentials: {
      accessKeyId: credential.accessKeyId,
      accessKeySecret: new SecretValue(credential.accessKeySecret),
      ...(credential.securityToken ? { securityToken: new SecretValue(credential.securityToken) } : {}),
    },
    clock: skippingRetryClock(),
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, requestTimeoutMs: 10_000, deadlineMs: 30_000 },
    ...overrides,
  };
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

describe('the phase-1 client against the emulator over real HTTP', () => {
  test('create → describe → delete; the private key is a real RSA 2048 key matching the described public key', async () => {
    // GIVEN
    const options = client();

    // WHEN
    const created = await createKeyPair(options, { keyPairName: 'ci_runner', tags: { team: 'infra' } });
    const [described] = (await describeKeyPairs(options, { keyPairIds: [created.keyPairId] })).keyPairs;
    const byName = await describeKeyPairsByName(options, 'ci_runner');
    const deleted = await deleteKeyPairs(options, { keyPairIds: [created.keyPairId] });
    const afterDelete = await describeKeyPairs(options, { keyPairIds: [created.keyPairId] });

    // THEN the id, the private key format Tencent documents, and the key material
    expect(created.keyPairId).toMatch(/^skey-[0-9a-z]{8}$/);
    expect(created.privateKey.reveal()).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const privateKey = sshpk.parsePrivateKey(created.privateKey.reveal(), 'pem');
    expect(privateKey.type).toBe('rsa');
    expect(privateKey.size).toBe(2048);
    expect(described).toMatchObject({
      keyPairId: created.keyPairId,
      keyPairName: 'ci_runner',
      projectId: 0,
      tags: { team: 'infra' },
      associatedInstanceIds: [],
    });
    expect(described.createdTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(canonicalOpenSsh(sshpk.parseKey(described.publicKey!, 'ssh'))).toBe(canonicalOpenSsh(privateKey.toPublic()));
    expect(byName.map((keyPair) => keyPair.keyPairId)).toEqual([created.keyPairId]);
    expect(deleted.alreadyDeletedIds).toEqual([]);
    expect(afterDelete.keyPairs).toEqual([]);
    expect(emulator.listKeyPairs('tencentcloud')).toEqual([]);
  });

  test('import → describe → delete, with credentials read from the handler environment the emulator gives', async () => {
    // GIVEN
    const credentials = tencentcloudCredentialsFromEnv(emulator.handlerEnvironment());
    const options = client(PLAIN, { credentials });

    // WHEN
    const imported = await importKeyPair(options, { keyPairName: 'laptop', publicKey: `${rsaPublicKeys[0]} me@laptop` });
    const [described] = (await describeKeyPairs(options, { keyPairIds: [imported.keyPairId] })).keyPairs;
    await deleteKeyPairs(options, { keyPairIds: [imported.keyPairId] });

    // THEN
    expect(imported.keyPairId).toMatch(/^skey-[0-9a-z]{8}$/);
    expect(described.keyPairName).toBe('laptop');
    expect(described.publicKey).toBe(`${rsaPublicKeys[0]} me@laptop`);
    expect(emulator.listKeyPairs('tencentcloud')).toEqual([]);
  });

  test('the store keeps public keys only, scoped by region, with no fingerprint (Tencent reports none)', async () => {
    // WHEN
    const created = await createKeyPair(client(), { keyPairName: 'web' });
    await importKeyPair(client(PLAIN, { region: 'ap-shanghai' }), { keyPairName: 'web', publicKey: rsaPublicKeys[1] });

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

  test('retries injected throttling and 5xx, then succeeds; logs hold no secret', async () => {
    // GIVEN
    emulator.injectFault({ cloud: 'tencentcloud', action: 'DescribeKeyPairs', kind: 'throttle' });
    emulator.injectFault({ cloud: 'tencentcloud', action: 'DescribeKeyPairs', kind: 'server-error' });
    emulator.injectFault({ cloud: 'tencentcloud', action: 'DescribeKeyPairs', kind: 'drop-connection' });
    const { lines, log } = captureLog();

    // WHEN
    const result = await describeKeyPairs(client(STS, { log }), {});

    // THEN
    expect(result.totalCount).toBe(0);
    expect(emulator.pendingFaults()).toEqual([]);
    expect(lines.filter((line) => line.includes('retrying')).map((line) => line.split(' failed with ')[1].split(';')[0])).toEqual([
      'RequestLimitExceeded',
      'InternalError',
      'NetworkError',
    ]);
    expectNoSecrets(lines, [STS.accessKeySecret, STS.securityToken!]);
  });
});

describe('authentication errors, each in Tencent’s envelope', () => {
  test('a wrong secret key → AuthFailure.SignatureFailure', async () => {
    // WHEN
    const answer = await rawCall({ secretKey: 'not-the-secret' });
    const error = await caughtCloudApiError(describeKeyPairs(client({ ...PLAIN, accessKeySecret: 'not-the-secret' })));

    // THEN
    expectTencentError(answer, 'AuthFailure.SignatureFailure');
    expect(error).toMatchObject({ code: 'AuthFailure.SignatureFailure', retryable: false });
    expect(error.message).toContain('TENCENTCLOUD_SECRET_KEY');
    expect(error.message).not.toContain('not-the-secret');
  });

  test('a body changed after signing → AuthFailure.SignatureFailure', async () => {
    // WHEN
    const answer = await rawCall({ body: '{"Limit":1}', tamperedBody: '{"Limit":2}' });
    // THEN
    expectTencentError(answer, 'AuthFailure.SignatureFailure');
  });

  test('a timestamp older than 5 minutes → AuthFailure.SignatureExpire (and a fresh one within it passes)', async () => {
    // GIVEN
    const now = Math.floor(Date.now() / 1000);

    // WHEN
    const stale = await rawCall({ timestamp: now - 301 });
    const fromTheFuture = await rawCall({ timestamp: now + 400 });
    const slightlyOff = await rawCall({ timestamp: now - 200 });
    const error = await caughtCloudApiError(describeKeyPairs(client(PLAIN, { clock: skippingRetryClock(-10 * 60_000) })));

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
    const accepted = await describeKeyPairs(client(STS));
    const wrong = await rawCall({ secretId: STS.accessKeyId, secretKey: STS.accessKeySecret, token: 'forged-token' });
    const missing = await rawCall({ secretId: STS.accessKeyId, secretKey: STS.accessKeySecret });
    const unexpected = await rawCall({ token: STS.securityToken });
    const error = await caughtCloudApiError(describeKeyPairs(client({ ...STS, securityToken: 'forged-token' })));

    // THEN
    expect(accepted.totalCount).toBe(0);
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

describe('key pair rules', () => {
  test.each([
    ['', 'InvalidKeyPairNameEmpty'],
    ['a'.repeat(26), 'InvalidKeyPairNameTooLong'],
    ['bad-name', 'InvalidKeyPairNameIncludeIllegalChar'],
    ['名字', 'InvalidKeyPairNameIncludeIllegalChar'],
  ])('the name %j → %s', async (name, code) => {
    // WHEN
    const answer = await rawCall({ action: 'CreateKeyPair', body: JSON.stringify({ KeyName: name, ProjectId: 0 }) });
    // THEN
    expectTencentError(answer, code);
  });

  test('25 letters, digits and underscores are a valid name', async () => {
    // WHEN
    const imported = await importKeyPair(client(), { keyPairName: 'A_1'.repeat(8) + 'z', publicKey: rsaPublicKeys[0] });
    // THEN
    expect(imported.keyPairId).toMatch(/^skey-/);
  });

  test('a duplicate name → InvalidKeyPairName.Duplicate', async () => {
    // GIVEN
    await importKeyPair(client(), { keyPairName: 'twice', publicKey: rsaPublicKeys[0] });
    // WHEN
    const error = await caughtCloudApiError(importKeyPair(client(), { keyPairName: 'twice', publicKey: rsaPublicKeys[1] }));
    // THEN
    expect(error.code).toBe('InvalidKeyPairName.Duplicate');
    expect(emulator.listKeyPairs('tencentcloud')).toHaveLength(1);
  });

  test('the quota per region → InvalidKeyPair.LimitExceeded; another region has its own', async () => {
    // GIVEN the quota of 3 used up in one region
    for (let i = 0; i < QUOTA; i++) await importKeyPair(client(), { keyPairName: `k${i}`, publicKey: rsaPublicKeys[i] });

    // WHEN
    const answer = await rawCall({
      action: 'ImportKeyPair',
      body: JSON.stringify({ KeyName: 'one_more', ProjectId: 0, PublicKey: rsaPublicKeys[3] }),
    });
    const elsewhere = await importKeyPair(client(PLAIN, { region: 'ap-beijing' }), { keyPairName: 'one_more', publicKey: rsaPublicKeys[3] });

    // THEN
    expectTencentError(answer, 'InvalidKeyPair.LimitExceeded');
    expect(elsewhere.keyPairId).toMatch(/^skey-/);
  });

  test('a malformed public key, an unsupported key type, and a public key imported twice', async () => {
    // GIVEN an ed25519 key: valid OpenSSH, but Tencent documents RSA only
    const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ed25519OpenSsh = canonicalOpenSsh(sshpk.parseKey(ed25519, 'pem'));
    await importKeyPair(client(), { keyPairName: 'first', publicKey: rsaPublicKeys[0] });

    // WHEN
    const garbage = await caughtCloudApiError(importKeyPair(client(), { keyPairName: 'garbage', publicKey: 'ssh-rsa not-base64!!' }));
    const unsupported = await rawCall({
      action: 'ImportKeyPair',
      body: JSON.stringify({ KeyName: 'edwards', ProjectId: 0, PublicKey: ed25519OpenSsh }),
    });
    const again = await rawCall({
      action: 'ImportKeyPair',
      body: JSON.stringify({ KeyName: 'second', ProjectId: 0, PublicKey: `${rsaPublicKeys[0]} other-comment` }),
    });

    // THEN
    expect(garbage.code).toBe('InvalidPublicKey.Malformed');
    expect(garbage.message).toMatch(/OpenSSH RSA/);
    expectTencentError(unsupported, 'InvalidPublicKey.Malformed');
    expectTencentError(again, 'InvalidPublicKey.Duplicate');
  });

  test('deleting an unknown id → InvalidKeyPairId.NotFound (the client counts it as deleted); a malformed id → Malformed', async () => {
    // WHEN
    const notFound = await rawCall({ action: 'DeleteKeyPairs', body: JSON.stringify({ KeyIds: ['skey-00000000'] }) });
    const malformed = await rawCall({ action: 'DeleteKeyPairs', body: JSON.stringify({ KeyIds: ['key-1'] }) });
    const viaClient = await deleteKeyPairs(client(), { keyPairIds: ['skey-00000000'] });

    // THEN
    expectTencentError(notFound, 'InvalidKeyPairId.NotFound');
    expectTencentError(malformed, 'InvalidKeyPairId.Malformed');
    expect(viaClient.alreadyDeletedIds).toEqual(['skey-00000000']);
  });

  test('one unknown id among several deletes nothing', async () => {
    // GIVEN
    const kept = await importKeyPair(client(), { keyPairName: 'kept', publicKey: rsaPublicKeys[0] });
    // WHEN
    const answer = await rawCall({ action: 'DeleteKeyPairs', body: JSON.stringify({ KeyIds: [kept.keyPairId, 'skey-zzzzzzzz'] }) });
    // THEN
    expectTencentError(answer, 'InvalidKeyPairId.NotFound');
    expect(emulator.listKeyPairs('tencentcloud').map((keyPair) => keyPair.id)).toEqual([kept.keyPairId]);
  });
});

describe('DescribeKeyPairs paging and filters', () => {
  test('Offset/Limit page through TotalCount; Limit over 100, negative Offset, and ids with filters are refused', async () => {
    // GIVEN three pairs
    for (let i = 0; i < 3; i++) await importKeyPair(client(), { keyPairName: `page_${i}`, publicKey: rsaPublicKeys[i] });

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

  test('the key-name filter is fuzzy here, so describeKeyPairsByName must and does match exactly', async () => {
    // GIVEN
    await importKeyPair(client(), { keyPairName: 'web', publicKey: rsaPublicKeys[0] });
    await importKeyPair(client(), { keyPairName: 'web_old', publicKey: rsaPublicKeys[1] });

    // WHEN
    const filtered = await describeKeyPairs(client(), { keyPairNames: ['web'] });
    const exact = await describeKeyPairsByName(client(), 'web');

    // THEN
    expect(filtered.totalCount).toBe(2);
    expect(exact.map((keyPair) => keyPair.keyPairName)).toEqual(['web']);
  });
});
