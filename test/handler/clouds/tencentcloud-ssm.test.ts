import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { clientConnection, STORED_PRIVATE_KEY } from './support';
import type { CloudConnection } from '../../../handler/clouds/cloud-connection';
import { SecretValue } from '../../../handler/clouds/credentials';
import type { SecretStoreApi } from '../../../handler/clouds/secret-store-api';
import {
  createTencentcloudSsmSecretStoreApi,
  describeSecret,
  parseTc3Authorization,
  signTc3,
  TENCENTCLOUD_SSM_API,
  tencentcloudCodeMeaning,
  TencentcloudClient,
  tencentcloudSecretResourceName,
} from '../../../handler/clouds/tencentcloud';
import type { CloudErrorOutcome } from '../../../handler/http/cloud-api-error';
import { REDACTED } from '../../../src/contract';
import { caughtCloudApiError } from '../../support/cloud-api-errors';
import { captureLog, expectNoSecrets, loopbackOnly, RecordedRequest, ScriptedReply, useLoopbackServers } from '../../support/loopback-server';

/*
 * Tencent Cloud SSM (API 2019-09-23, TC3 service `ssm`) over real HTTP against scripted loopback servers:
 * what each action sends, how it is signed (checked against the official SDK's common client and signer),
 * what each documented code means (Tencent answers every API error with HTTP 200), the disable-then-delete
 * order, and that a stored value never reaches an error or a log line.
 */

const SECRET_ID = 'AKIDssmTestSecretId01';
const SECRET_KEY = 'tencent-ssm-test-secret-do-not-print';
const REGION = 'ap-guangzhou';
const PRIVATE_KEY = STORED_PRIVATE_KEY;

const serve = useLoopbackServers();
const logged = captureLog();
afterEach(() => {
  logged.lines.length = 0;
});

function connection(url: string, overrides: Partial<CloudConnection> = {}): CloudConnection {
  const key = { id: SECRET_ID, secret: SECRET_KEY };
  return clientConnection(REGION, 'https://cvm.tencentcloudapi.com/', key, { serviceEndpoints: { ssm: new URL(url) }, log: logged.log, ...overrides });
}

function store(url: string, overrides: Partial<CloudConnection> = {}): SecretStoreApi {
  return createTencentcloudSsmSecretStoreApi(connection(url, overrides));
}

function ok(fields: Record<string, unknown> = {}): ScriptedReply {
  return { status: 200, body: JSON.stringify({ Response: { RequestId: 'req-ssm-ok', ...fields } }) };
}

/** Tencent answers API errors with HTTP 200 and the error in the envelope. */
function failure(code: string, message = 'refused'): ScriptedReply {
  return { status: 200, body: JSON.stringify({ Response: { RequestId: 'req-ssm-err', Error: { Code: code, Message: message } } }) };
}

function actionOf(request: RecordedRequest): string {
  return String(request.headers['x-tc-action']);
}

function bodyOf(request: RecordedRequest): Record<string, unknown> {
  return JSON.parse(request.body) as Record<string, unknown>;
}

/** Replies by action; an action without a script answers an empty success. */
function byAction(replies: Record<string, ScriptedReply[]>): (request: RecordedRequest) => ScriptedReply {
  const used: Record<string, number> = {};
  return (request) => {
    const action = actionOf(request);
    const script = replies[action] ?? [ok()];
    const index = (used[action] = (used[action] ?? -1) + 1);
    return script[Math.min(index, script.length - 1)];
  };
}

// ---------------------------------------------------------------------------------------------------
// The official SDK, loaded from the cvm devDependency (tencentcloud-sdk-nodejs-common comes with it)
// ---------------------------------------------------------------------------------------------------

const fromCvm = createRequire(require.resolve('tencentcloud-sdk-nodejs-cvm'));
const commonMain = fromCvm.resolve('tencentcloud-sdk-nodejs-common');
type SdkClient = { request(action: string, params: object): Promise<unknown> };
const { CommonClient } = fromCvm('tencentcloud-sdk-nodejs-common') as {
  CommonClient: new (endpoint: string, version: string, config: Record<string, unknown>) => SdkClient;
};
/** The SDK's signer (`Sign.sign3`): it signs `content-type;host` only. */
const sdkSign = (fromCvm(path.join(path.dirname(commonMain), 'common', 'sign')) as {
  default: { sign3(input: Record<string, unknown>): string };
}).default;

describe('signing: TC3 for the service ssm, as the official SDK signs it', () => {
  test('the SDK\'s common client, given ssm.<host>, signs for ssm exactly as our signer does from the same parts', async () => {
    // GIVEN the SDK talks to `ssm.localhost:<port>`: it names the TC3 service after the endpoint's first label
    const server = await serve([ok({ SecretName: 'x', Status: 'Enabled' })]);
    const endpoint = `ssm.localhost:${new URL(server.url).port}`;
    const sdk = new CommonClient(endpoint, '2019-09-23', {
      credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      region: REGION,
      profile: { httpProfile: { endpoint, protocol: 'http://', agent: new http.Agent({ lookup: loopbackOnly }) } },
    });

    // WHEN
    await sdk.request('DescribeSecret', { SecretName: 'web-key' });

    // THEN our signer, given what the SDK sent, reproduces its Authorization
    const [request] = server.requests;
    const parsed = parseTc3Authorization(String(request.headers.authorization));
    expect(parsed?.service).toBe('ssm');
    expect(request.headers['x-tc-version']).toBe('2019-09-23');
    // The SDK signs the host without its port (`URL.hostname`): real endpoints have none.
    const hostname = String(request.headers.host).replace(/:\d+$/, '');
    const signedHeaders = Object.fromEntries(
      (parsed?.signedHeaderNames ?? []).map((name) => [name, name === 'host' ? hostname : String(request.headers[name])]),
    );
    const ours = signTc3({
      method: 'POST',
      canonicalQueryString: '',
      signedHeaders,
      payload: request.body,
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: 'ssm',
      timestamp: Number(request.headers['x-tc-timestamp']),
    });
    expect(ours.authorization).toBe(request.headers.authorization);
  });

  test('our request: service ssm, version 2019-09-23, the region always, and a signature the SDK\'s signer agrees with', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'web-key', Status: 'Enabled' })]);

    // WHEN
    await store(server.url).describe('web-key');

    // THEN
    const [request] = server.requests;
    expect(request.headers).toEqual(
      expect.objectContaining({ 'x-tc-action': 'DescribeSecret', 'x-tc-version': '2019-09-23', 'x-tc-region': REGION, 'content-type': 'application/json; charset=utf-8' }),
    );
    const parsed = parseTc3Authorization(String(request.headers.authorization));
    expect(parsed?.service).toBe('ssm');
    expect(parsed?.signedHeaderNames).toEqual(['content-type', 'host', 'x-tc-action']);
    const timestamp = Number(request.headers['x-tc-timestamp']);
    const common = { method: 'POST' as const, canonicalQueryString: '', payload: request.body, secretId: SECRET_ID, secretKey: SECRET_KEY, service: 'ssm', timestamp };
    // What was sent verifies, as a server recomputes it from the parts it received...
    const recomputed = signTc3({
      ...common,
      signedHeaders: { 'content-type': String(request.headers['content-type']), 'host': String(request.headers.host), 'x-tc-action': 'DescribeSecret' },
    });
    expect(recomputed.authorization).toBe(request.headers.authorization);
    // ...and the signer agrees with the SDK's on this very body, service and time (the SDK signs two
    // headers, and the host without its port).
    const hostname = String(request.headers.host).replace(/:\d+$/, '');
    const twoHeaders = signTc3({ ...common, signedHeaders: { 'Content-Type': String(request.headers['content-type']), 'Host': hostname } });
    const bySdk = sdkSign.sign3({
      method: 'POST',
      url: `http://${String(request.headers.host)}/`,
      payload: JSON.parse(request.body),
      timestamp,
      service: 'ssm',
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      multipart: false,
      boundary: '',
      headers: { 'Content-Type': String(request.headers['content-type']) },
    });
    expect(twoHeaders.authorization).toBe(bySdk);
  });

  test('an STS token travels in X-TC-Token', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'x', Status: 'Enabled' })]);
    const credentials = { accessKeyId: SECRET_ID, accessKeySecret: new SecretValue(SECRET_KEY), securityToken: new SecretValue('sts-token-value-1234') };

    // WHEN
    await store(server.url, { credentials }).describe('x');

    // THEN
    expect(server.requests[0].headers['x-tc-token']).toBe('sts-token-value-1234');
  });
});

describe('create', () => {
  test('sends the name, version, value, key, description and tags in one CreateSecret', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'web_key', VersionId: 'v1', TagCode: 0, TagMsg: '' })]);

    // WHEN
    const created = await store(server.url).create({
      name: 'web_key',
      value: new SecretValue(PRIVATE_KEY),
      versionId: 'v1',
      tags: { 'cdktf-keypair': 'stack/web' },
      kmsKeyId: 'kms-key-0001',
      description: 'private key of web',
    });

    // THEN
    expect(actionOf(server.requests[0])).toBe('CreateSecret');
    expect(bodyOf(server.requests[0])).toEqual({
      SecretName: 'web_key',
      VersionId: 'v1',
      SecretString: PRIVATE_KEY,
      KmsKeyId: 'kms-key-0001',
      Description: 'private key of web',
      Tags: [{ TagKey: 'cdktf-keypair', TagValue: 'stack/web' }],
    });
    expect(created).toEqual({
      name: 'web_key',
      status: 'enabled',
      tags: { 'cdktf-keypair': 'stack/web' },
      description: 'private key of web',
      requestId: 'req-ssm-ok',
    });
  });

  test('leaves out an absent key, description and empty tags', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'bare' })]);

    // WHEN
    await store(server.url).create({ name: 'bare', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} });

    // THEN
    expect(bodyOf(server.requests[0])).toEqual({ SecretName: 'bare', VersionId: 'v1', SecretString: PRIVATE_KEY });
  });

  test('a non-zero TagCode: the secret exists, its tags are unknown', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'web_key', VersionId: 'v1', TagCode: 1, TagMsg: 'internal error' })]);

    // WHEN
    const created = await store(server.url).create({ name: 'web_key', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: { a: 'b' } });

    // THEN
    expect(created.tags).toBeUndefined();
  });

  test('a value larger than SSM keeps (4,096 bytes) is refused before any request', async () => {
    // GIVEN
    const server = await serve([ok()]);

    // WHEN
    const attempt = store(server.url).create({ name: 'x', value: new SecretValue('é'.repeat(2_049)), versionId: 'v1', tags: {} });

    // THEN
    await expect(attempt).rejects.toThrow(/at most 4096 bytes; this private key is 4098 bytes/);
    expect(server.requests).toHaveLength(0);
  });

  test('an internal error (at HTTP 200) is "outcome unknown" and not resent', async () => {
    // GIVEN
    const server = await serve([failure('InternalError')]);

    // WHEN
    const error = await caughtCloudApiError(store(server.url).create({ name: 'x', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} }));

    // THEN
    expect(error.outcome).toBe('unknown');
    expect(error.remedy).toMatch(/look the secret up by name/);
    expect(server.requests).toHaveLength(1);
  });

  test('throttling is waited out, even for a create', async () => {
    // GIVEN
    const server = await serve([failure('RequestLimitExceeded'), ok({ SecretName: 'x' })]);

    // WHEN
    await store(server.url).create({ name: 'x', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} });

    // THEN
    expect(server.requests).toHaveLength(2);
  });
});

describe('describe', () => {
  test.each([
    ['Enabled', 'enabled'],
    ['Disabled', 'disabled'],
  ])('status %s is %s; the resource name is built from CreateUin; no Tags in the answer: tags unknown', async (status, expected) => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'web_key', Status: status, CreateUin: 100012345678, DeleteTime: 0 })]);

    // WHEN
    const secret = await store(server.url).describe('web_key');

    // THEN
    expect(bodyOf(server.requests[0])).toEqual({ SecretName: 'web_key' });
    expect(secret).toEqual({
      name: 'web_key',
      status: expected,
      resourceName: `qcs::ssm:${REGION}:uin/:secret/creatorUin/100012345678/web_key`,
      requestId: 'req-ssm-ok',
    });
    expect(secret).not.toHaveProperty('tags');
  });

  test('pending deletion, with the time it becomes final; Tags in the answer are read in either shape', async () => {
    // GIVEN
    const server = await serve([
      ok({ SecretName: 'old', Status: 'PendingDelete', DeleteTime: 1_893_456_000, Tags: [{ TagKey: 'a', TagValue: '1' }, { Key: 'b', Value: '2' }] }),
    ]);

    // WHEN
    const secret = await store(server.url).describe('old');

    // THEN
    expect(secret).toEqual(expect.objectContaining({ status: 'pending-delete', plannedDeleteTime: '2030-01-01T00:00:00.000Z', tags: { a: '1', b: '2' } }));
  });

  test.each(['ResourceNotFound', 'ResourceNotFound.SecretNotExist'])('%s: no such secret', async (code) => {
    // GIVEN
    const server = await serve([failure(code)]);

    // WHEN / THEN
    await expect(store(server.url).describe('gone')).resolves.toBeUndefined();
  });

  test('a status a custom secret never has is an error, not a guess', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'x', Status: 'Creating' })]);

    // WHEN
    const error = await caughtCloudApiError(store(server.url).describe('x'));

    // THEN
    expect(error.code).toBe('MalformedResponse');
  });

  test('the raw action can be called on a client bound to SSM', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'raw', Status: 'Enabled', CreateUin: '7' })]);
    const client = new TencentcloudClient(connection(server.url), TENCENTCLOUD_SSM_API);

    // WHEN
    const secret = await describeSecret(client, 'raw');

    // THEN
    expect(secret).toEqual({ secretName: 'raw', status: 'Enabled', createUin: '7', requestId: 'req-ssm-ok' });
    expect(tencentcloudSecretResourceName('ap-beijing', '7', 'raw')).toBe('qcs::ssm:ap-beijing:uin/:secret/creatorUin/7/raw');
  });
});

describe('getValue', () => {
  test('asks for the version and returns SecretString as a SecretValue', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'web_key', VersionId: 'v1', SecretString: PRIVATE_KEY })]);

    // WHEN
    const value = await store(server.url).getValue('web_key', 'v1');

    // THEN
    expect(actionOf(server.requests[0])).toBe('GetSecretValue');
    expect(bodyOf(server.requests[0])).toEqual({ SecretName: 'web_key', VersionId: 'v1' });
    expect(value?.reveal()).toBe(PRIVATE_KEY);
    expect(String(value)).toBe(REDACTED);
  });

  test('a SecretBinary is decoded from base64', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'web_key', VersionId: 'v1', SecretBinary: Buffer.from(PRIVATE_KEY).toString('base64') })]);

    // WHEN / THEN
    expect((await store(server.url).getValue('web_key', 'v1'))?.reveal()).toBe(PRIVATE_KEY);
  });

  test('no such secret or version: undefined; a disabled secret: an error with the remedy', async () => {
    // GIVEN
    const server = await serve([failure('ResourceNotFound'), failure('ResourceUnavailable.ResourceDisabled')]);
    const ssm = store(server.url);

    // WHEN
    const absent = await ssm.getValue('web_key', 'v9');
    const error = await caughtCloudApiError(ssm.getValue('web_key', 'v1'));

    // THEN
    expect(absent).toBeUndefined();
    expect(error.outcome).toBe('permanent');
    expect(error.remedy).toMatch(/EnableSecret/);
    expect(server.requests).toHaveLength(2);
  });
});

describe('delete: DisableSecret first when the secret is enabled, then DeleteSecret', () => {
  test('enabled: describe, disable, delete with the window', async () => {
    // GIVEN
    const server = await serve(byAction({ DescribeSecret: [ok({ SecretName: 'k', Status: 'Enabled' })], DeleteSecret: [ok({ SecretName: 'k', DeleteTime: 0 })] }));

    // WHEN
    await store(server.url).delete('k', 0);

    // THEN
    expect(server.requests.map(actionOf)).toEqual(['DescribeSecret', 'DisableSecret', 'DeleteSecret']);
    expect(bodyOf(server.requests[1])).toEqual({ SecretName: 'k' });
    expect(bodyOf(server.requests[2])).toEqual({ SecretName: 'k', RecoveryWindowInDays: 0 });
  });

  test('disabled already: no DisableSecret', async () => {
    // GIVEN
    const server = await serve(byAction({ DescribeSecret: [ok({ SecretName: 'k', Status: 'Disabled' })] }));

    // WHEN
    await store(server.url).delete('k', 7);

    // THEN
    expect(server.requests.map(actionOf)).toEqual(['DescribeSecret', 'DeleteSecret']);
    expect(bodyOf(server.requests[1])).toEqual({ SecretName: 'k', RecoveryWindowInDays: 7 });
  });

  test('gone already: only the describe; gone between the steps: done', async () => {
    // GIVEN
    const gone = await serve(byAction({ DescribeSecret: [failure('ResourceNotFound.SecretNotExist')] }));
    const vanishing = await serve(byAction({ DescribeSecret: [ok({ SecretName: 'k', Status: 'Enabled' })], DisableSecret: [failure('ResourceNotFound')] }));

    // WHEN
    await store(gone.url).delete('k', 0);
    await store(vanishing.url).delete('k', 0);

    // THEN
    expect(gone.requests.map(actionOf)).toEqual(['DescribeSecret']);
    expect(vanishing.requests.map(actionOf)).toEqual(['DescribeSecret', 'DisableSecret']);
  });

  test('disabled by someone else meanwhile: the delete goes on', async () => {
    // GIVEN
    const server = await serve(byAction({ DescribeSecret: [ok({ SecretName: 'k', Status: 'Enabled' })], DisableSecret: [failure('ResourceUnavailable.ResourceDisabled')] }));

    // WHEN
    await store(server.url).delete('k', 0);

    // THEN
    expect(server.requests.map(actionOf)).toEqual(['DescribeSecret', 'DisableSecret', 'DeleteSecret']);
  });

  test('pending deletion already: done for a delete with a window; a delete at once is left to SSM, whose refusal names RestoreSecret', async () => {
    // GIVEN
    const server = await serve(
      byAction({ DescribeSecret: [ok({ SecretName: 'k', Status: 'PendingDelete', DeleteTime: 1_893_456_000 })], DeleteSecret: [failure('ResourceUnavailable.ResourcePendingDeleted')] }),
    );
    const ssm = store(server.url);

    // WHEN
    await ssm.delete('k', 7);
    const error = await caughtCloudApiError(ssm.delete('k', 0));

    // THEN
    expect(server.requests.map(actionOf)).toEqual(['DescribeSecret', 'DescribeSecret', 'DeleteSecret']);
    expect(error.outcome).toBe('permanent');
    expect(error.remedy).toMatch(/RestoreSecret/);
  });

  test.each([31, -1, 2.5])('a window of %p days is refused before any request', async (days) => {
    // GIVEN
    const server = await serve([ok()]);

    // WHEN / THEN
    await expect(store(server.url).delete('k', days)).rejects.toThrow(/0 \(delete at once\) or 1 to 30 days/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('error codes (the ssm table first, then what the code means across Tencent Cloud)', () => {
  test.each<[string, CloudErrorOutcome, boolean, boolean, RegExp | undefined]>([
    ['ResourceInUse.SecretExists', 'name-taken', false, false, /already exists/],
    ['ResourceInUse.VersionIdExists', 'name-taken', false, false, /version of this id/],
    ['ResourceNotFound', 'not-found', false, false, /does not exist/],
    ['ResourceNotFound.SecretNotExist', 'not-found', false, false, /does not exist/],
    ['ResourceUnavailable.ResourcePendingDeleted', 'permanent', false, false, /RestoreSecret/],
    ['ResourceUnavailable.ResourceDisabled', 'permanent', false, false, /EnableSecret/],
    ['ResourceUnavailable.NotPurchased', 'permanent', false, false, /activate it/],
    ['LimitExceeded', 'permanent', false, false, /1,000/],
    ['UnauthorizedOperation', 'permanent', false, false, /ssm:CreateSecret, ssm:DescribeSecret, ssm:GetSecretValue, ssm:DisableSecret and ssm:DeleteSecret/],
    ['UnauthorizedOperation.AccessKmsError', 'permanent', false, false, /KMS key/],
    ['AuthFailure.UnauthorizedOperation', 'permanent', false, false, /ssm:CreateSecret/],
    ['AuthFailure.SignatureFailure', 'permanent', false, false, /TENCENTCLOUD_SECRET_ID/],
    ['AuthFailure.SignatureExpire', 'permanent', false, false, /clock/],
    ['RequestLimitExceeded', 'refused', true, true, undefined],
    ['InternalError', 'unknown', true, false, undefined],
  ])('%s: %s, retryable %p, later %p', (code, outcome, retryable, retryLater, remedy) => {
    // WHEN
    const meaning = tencentcloudCodeMeaning(code, 'ssm');

    // THEN
    expect(meaning.outcome).toBe(outcome);
    expect(meaning.retryable).toBe(retryable);
    expect(meaning.retryLater).toBe(retryLater);
    if (remedy) expect(meaning.remedy).toMatch(remedy);
  });

  test('the ssm table changes nothing for CVM: ResourceUnavailable stays "busy" there', () => {
    expect(tencentcloudCodeMeaning('ResourceUnavailable.ResourceDisabled').outcome).toBe('refused');
  });

  test('a create under a taken name is name-taken, sent once', async () => {
    // GIVEN
    const server = await serve([failure('ResourceInUse.SecretExists')]);

    // WHEN
    const error = await caughtCloudApiError(store(server.url).create({ name: 'taken', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} }));

    // THEN
    expect(error.outcome).toBe('name-taken');
    expect(error.httpStatus).toBe(200);
    expect(server.requests).toHaveLength(1);
  });
});

describe('the stored value never reaches an error or a log line', () => {
  test('echoed whole, JSON-escaped, URL-encoded or one line of it: cut from the message', async () => {
    // GIVEN
    const line = PRIVATE_KEY.split('\n')[2];
    const echo = `SecretString ${PRIVATE_KEY} ${JSON.stringify(PRIVATE_KEY)} ${encodeURIComponent(PRIVATE_KEY)} (line ${line})`;
    const server = await serve([failure('InvalidParameterValue', echo)]);

    // WHEN
    const error = await caughtCloudApiError(store(server.url).create({ name: 'x', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} }));

    // THEN
    const texts = [error.message, error.cloudMessage, String(error.stack), ...logged.lines];
    expectNoSecrets(texts, [PRIVATE_KEY, JSON.stringify(PRIVATE_KEY).slice(1, -1), encodeURIComponent(PRIVATE_KEY), line, SECRET_KEY]);
    expect(error.cloudMessage).toContain(REDACTED);
    expect(logged.lines.length).toBeGreaterThan(0);
  });
});
