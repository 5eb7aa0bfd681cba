import PopClient from '@alicloud/pop-core';
import { clientConnection, STORED_PRIVATE_KEY } from './support';
import { ALICLOUD_KMS_API, AlicloudClient, alicloudKmsCodeMeaning, createAlicloudKmsSecretStoreApi, describeSecret } from '../../../handler/clouds/alicloud';
import type { CloudConnection } from '../../../handler/clouds/cloud-connection';
import { SecretValue } from '../../../handler/clouds/credentials';
import type { SecretStoreApi } from '../../../handler/clouds/secret-store-api';
import type { CloudErrorOutcome } from '../../../handler/http/cloud-api-error';
import { REDACTED } from '../../../src/contract';
import { caughtCloudApiError } from '../../support/cloud-api-errors';
import { captureLog, expectNoSecrets, RecordedRequest, ScriptedReply, useLoopbackServers } from '../../support/loopback-server';

/*
 * Alibaba Cloud KMS Secrets Manager (API 2016-01-20, RPC style) over real HTTP against scripted loopback
 * servers: what each action sends, how it is signed (checked against the official @alicloud/pop-core), what
 * each documented code means, and that a stored value never reaches an error or a log line.
 */

const ACCESS_KEY_ID = 'LTAI5tKmsTestKeyId';
const ACCESS_KEY_SECRET = 'kms-test-access-key-secret-do-not-print';
const REGION = 'cn-hangzhou';
const PRIVATE_KEY = STORED_PRIVATE_KEY;

const serve = useLoopbackServers();
const logged = captureLog();
afterEach(() => {
  logged.lines.length = 0;
});

function connection(url: string, overrides: Partial<CloudConnection> = {}): CloudConnection {
  const key = { id: ACCESS_KEY_ID, secret: ACCESS_KEY_SECRET };
  return clientConnection(REGION, 'https://ecs-cn-hangzhou.aliyuncs.com/', key, { serviceEndpoints: { kms: new URL(url) }, log: logged.log, ...overrides });
}

function store(url: string, overrides: Partial<CloudConnection> = {}): SecretStoreApi {
  return createAlicloudKmsSecretStoreApi(connection(url, overrides));
}

function ok(fields: Record<string, unknown> = {}): ScriptedReply {
  return { status: 200, body: JSON.stringify({ RequestId: 'req-kms-ok', ...fields }) };
}

function failure(status: number, code: string, message = 'refused'): ScriptedReply {
  return { status, body: JSON.stringify({ RequestId: 'req-kms-err', HostId: 'kms.cn-hangzhou.aliyuncs.com', Code: code, Message: message }) };
}

/** The parameters of a recorded request: KMS's travel in the form body, never the query. */
function paramsOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}

describe('requests: every parameter in a signed form body, as the official RPC SDK POSTs them', () => {
  test('CreateSecret sends the value, version, type, key, description and tags (one JSON string); nothing in the URL', async () => {
    // GIVEN
    const server = await serve([ok({ Arn: `acs:kms:${REGION}:1234:secret/web-key`, SecretName: 'web-key', VersionId: 'v1' })]);

    // WHEN
    const created = await store(server.url).create({
      name: 'web-key',
      value: new SecretValue(PRIVATE_KEY),
      versionId: 'v1',
      tags: { 'cdktf-keypair': 'stack/web', 'team': 'infra' },
      kmsKeyId: 'key-hzz6fa0b7ac7dcexample',
      description: 'private key of web',
    });

    // THEN
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/');
    expect(request.url.search).toBe('');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(paramsOf(request)).toEqual(
      expect.objectContaining({
        Action: 'CreateSecret',
        Version: '2016-01-20',
        Format: 'JSON',
        AccessKeyId: ACCESS_KEY_ID,
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        SecretName: 'web-key',
        SecretData: PRIVATE_KEY,
        SecretDataType: 'text',
        VersionId: 'v1',
        EncryptionKeyId: 'key-hzz6fa0b7ac7dcexample',
        Description: 'private key of web',
        Tags: '[{"TagKey":"cdktf-keypair","TagValue":"stack/web"},{"TagKey":"team","TagValue":"infra"}]',
      }),
    );
    expect(created).toEqual({
      name: 'web-key',
      resourceName: `acs:kms:${REGION}:1234:secret/web-key`,
      status: 'enabled',
      tags: { 'cdktf-keypair': 'stack/web', 'team': 'infra' },
      description: 'private key of web',
      requestId: 'req-kms-ok',
    });
  });

  test('CreateSecret leaves out an absent key, description and empty tags (KMS then uses its defaults)', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'bare' })]);

    // WHEN
    await store(server.url).create({ name: 'bare', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} });

    // THEN
    expect(paramsOf(server.requests[0])).not.toHaveProperty('EncryptionKeyId');
    expect(paramsOf(server.requests[0])).not.toHaveProperty('Description');
    expect(paramsOf(server.requests[0])).not.toHaveProperty('Tags');
  });

  test('the signature is the one @alicloud/pop-core computes for the same parameters, nonce and timestamp', async () => {
    // GIVEN our request, recorded
    const ours = await serve([ok({ SecretName: 'signed' })]);
    await store(ours.url).create({ name: 'signed', value: new SecretValue(PRIVATE_KEY), versionId: 'v 1+é', tags: { k: 'v*(!)' } });
    const { Signature: ourSignature, Action: action, ...unsigned } = paramsOf(ours.requests[0]);

    // WHEN the official SDK signs the very same parameters (its own Timestamp and nonce overridden by ours)
    const sdk = await serve([ok()]);
    const pop = new PopClient({ endpoint: sdk.url, apiVersion: '2016-01-20', accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET });
    await pop.request(action, unsigned, { method: 'POST', formatAction: false, formatParams: false });

    // THEN both carry the same parameters and signature
    const { Signature: sdkSignature, ...sdkParams } = paramsOf(sdk.requests[0]);
    expect(sdkParams).toEqual({ Action: action, ...unsigned });
    expect(ourSignature).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(ourSignature).toBe(sdkSignature);
  });

  test('an STS token travels as the signed SecurityToken parameter', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'x' })]);
    const credentials = { accessKeyId: ACCESS_KEY_ID, accessKeySecret: new SecretValue(ACCESS_KEY_SECRET), securityToken: new SecretValue('sts-token-value-1234') };

    // WHEN
    await store(server.url, { credentials }).describe('x');

    // THEN
    expect(paramsOf(server.requests[0]).SecurityToken).toBe('sts-token-value-1234');
  });

  test('RPC is used whatever signature version the connection asks for ECS (ACS3 is unconfirmed for KMS)', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'x' })]);

    // WHEN
    await createAlicloudKmsSecretStoreApi({ ...connection(server.url), signatureVersion: 'v3' } as CloudConnection).describe('x');

    // THEN
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(paramsOf(server.requests[0]).SignatureMethod).toBe('HMAC-SHA1');
  });
});

describe('describe', () => {
  test('asks for tags and reads them from KMS\'s nested list; the ARN is the resource name', async () => {
    // GIVEN
    const server = await serve([
      ok({ SecretName: 'web-key', Arn: 'acs:kms:cn-hangzhou:1234:secret/web-key', Tags: { Tag: [{ TagKey: 'cdktf-keypair', TagValue: 'stack/web' }] } }),
    ]);

    // WHEN
    const secret = await store(server.url).describe('web-key');

    // THEN
    expect(paramsOf(server.requests[0])).toEqual(expect.objectContaining({ Action: 'DescribeSecret', SecretName: 'web-key', FetchTags: 'true' }));
    expect(secret).toEqual({
      name: 'web-key',
      resourceName: 'acs:kms:cn-hangzhou:1234:secret/web-key',
      status: 'enabled',
      tags: { 'cdktf-keypair': 'stack/web' },
      requestId: 'req-kms-ok',
    });
  });

  test('a secret with a PlannedDeleteTime is pending deletion, with that time', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'old', PlannedDeleteTime: '2030-01-08T10:00:00Z' })]);

    // WHEN
    const secret = await store(server.url).describe('old');

    // THEN
    expect(secret).toEqual(expect.objectContaining({ status: 'pending-delete', plannedDeleteTime: '2030-01-08T10:00:00.000Z', tags: {} }));
  });

  test('Forbidden.ResourceNotFound is "no such secret"; Rejected.ResourceInDeleteWindow is pending deletion, tags unknown', async () => {
    // GIVEN
    const server = await serve([failure(404, 'Forbidden.ResourceNotFound'), failure(409, 'Rejected.ResourceInDeleteWindow')]);
    const kms = store(server.url);

    // WHEN
    const absent = await kms.describe('gone');
    const pending = await kms.describe('scheduled');

    // THEN
    expect(absent).toBeUndefined();
    expect(pending).toEqual({ name: 'scheduled', status: 'pending-delete', requestId: 'req-kms-err' });
  });

  test('another 404 (a wrong AccessKey id) is an error, never "absent"', async () => {
    // GIVEN
    const server = await serve([failure(404, 'InvalidAccessKeyId.NotFound')]);

    // WHEN
    const error = await caughtCloudApiError(store(server.url).describe('x'));

    // THEN
    expect(error.outcome).toBe('permanent');
  });

  test('the raw action can be called on its own client', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'raw' })]);

    // WHEN
    const secret = await describeSecret(new AlicloudClient(connection(server.url), ALICLOUD_KMS_API), 'raw');

    // THEN
    expect(secret).toEqual({ secretName: 'raw', tags: {}, requestId: 'req-kms-ok' });
  });
});

describe('getValue', () => {
  test('asks for the version and returns its value as a SecretValue', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'web-key', VersionId: 'v1', SecretData: PRIVATE_KEY, SecretDataType: 'text' })]);

    // WHEN
    const value = await store(server.url).getValue('web-key', 'v1');

    // THEN
    expect(paramsOf(server.requests[0])).toEqual(expect.objectContaining({ Action: 'GetSecretValue', SecretName: 'web-key', VersionId: 'v1' }));
    expect(value).toBeInstanceOf(SecretValue);
    expect(value?.reveal()).toBe(PRIVATE_KEY);
    expect(String(value)).toBe(REDACTED);
  });

  test('a binary secret is decoded from base64', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'web-key', VersionId: 'v1', SecretData: Buffer.from(PRIVATE_KEY).toString('base64'), SecretDataType: 'binary' })]);

    // WHEN / THEN
    expect((await store(server.url).getValue('web-key', 'v1'))?.reveal()).toBe(PRIVATE_KEY);
  });

  test('no such secret or version: undefined', async () => {
    // GIVEN
    const server = await serve([failure(404, 'Forbidden.ResourceNotFound')]);

    // WHEN / THEN
    await expect(store(server.url).getValue('web-key', 'v9')).resolves.toBeUndefined();
  });

  test('an answer without SecretData is an error, never an empty value', async () => {
    // GIVEN
    const server = await serve([ok({ SecretName: 'web-key' })]);

    // WHEN
    const error = await caughtCloudApiError(store(server.url).getValue('web-key', 'v1'));

    // THEN
    expect(error.code).toBe('MalformedResponse');
  });
});

describe('delete', () => {
  test('a window of 0 deletes at once (ForceDeleteWithoutRecovery); a window of days schedules it', async () => {
    // GIVEN
    const server = await serve([ok({ PlannedDeleteTime: '2030-01-01T00:00:00Z' })]);
    const kms = store(server.url);

    // WHEN
    await kms.delete('now', 0);
    await kms.delete('later', 7);

    // THEN
    expect(paramsOf(server.requests[0])).toEqual(expect.objectContaining({ Action: 'DeleteSecret', SecretName: 'now', ForceDeleteWithoutRecovery: 'true' }));
    expect(paramsOf(server.requests[0])).not.toHaveProperty('RecoveryWindowInDays');
    expect(paramsOf(server.requests[1])).toEqual(
      expect.objectContaining({ SecretName: 'later', ForceDeleteWithoutRecovery: 'false', RecoveryWindowInDays: '7' }),
    );
  });

  test('gone already (Forbidden.ResourceNotFound) is done; scheduled already is done for a delete with a window only', async () => {
    // GIVEN
    const server = await serve([failure(404, 'Forbidden.ResourceNotFound'), failure(409, 'Rejected.ResourceInDeleteWindow')]);
    const kms = store(server.url);

    // WHEN
    await kms.delete('gone', 0);
    await kms.delete('scheduled', 30);
    const error = await caughtCloudApiError(kms.delete('scheduled', 0));

    // THEN
    expect(error.code).toBe('Rejected.ResourceInDeleteWindow');
    expect(error.remedy).toMatch(/RestoreSecret/);
  });

  test.each([3, 31, 1.5, -1])('a window of %p days is refused before any request', async (days) => {
    // GIVEN
    const server = await serve([ok()]);

    // WHEN / THEN
    await expect(store(server.url).delete('x', days)).rejects.toThrow(/0 \(delete at once\) or 7 to 30 days/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('error codes', () => {
  test.each<[string, number, CloudErrorOutcome, boolean, RegExp | undefined]>([
    ['Rejected.ResourceExist', 409, 'name-taken', false, /already exists/],
    ['Rejected.ResourceInDeleteWindow', 409, 'permanent', false, /RestoreSecret|recovery window/],
    ['Forbidden.ResourceNotFound', 404, 'not-found', false, /does not exist/],
    ['Rejected.Throttling', 429, 'refused', true, /retry later/],
    ['InternalFailure', 500, 'unknown', true, undefined],
    ['Forbidden.NoPermission', 403, 'permanent', false, /kms:CreateSecret, kms:DescribeSecret, kms:GetSecretValue and kms:DeleteSecret/],
    ['Forbidden.KeyNotFound', 403, 'permanent', false, /encryption key exists.*kms:CreateSecret/],
    ['InvalidParameter', 400, 'permanent', false, /192/],
    ['Rejected.LimitExceeded', 400, 'permanent', false, /delete unused secrets/],
    ['SignatureDoesNotMatch', 400, 'permanent', false, /AccessKey/],
  ])('%s (HTTP %d): %s, retryable %p', (code, status, outcome, retryable, remedy) => {
    // WHEN
    const meaning = alicloudKmsCodeMeaning(code, status, 'CreateSecret');

    // THEN
    expect(meaning.outcome).toBe(outcome);
    expect(meaning.retryable).toBe(retryable);
    expect(meaning.retryLater).toBe(code === 'Rejected.Throttling');
    if (remedy) expect(meaning.remedy).toMatch(remedy);
  });

  test('a create under a taken name is name-taken, not sent twice', async () => {
    // GIVEN
    const server = await serve([failure(409, 'Rejected.ResourceExist', 'The resource already exists.')]);

    // WHEN
    const error = await caughtCloudApiError(store(server.url).create({ name: 'taken', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} }));

    // THEN
    expect(error.outcome).toBe('name-taken');
    expect(server.requests).toHaveLength(1);
  });

  test('throttling is waited out, even for a create', async () => {
    // GIVEN
    const server = await serve([failure(429, 'Rejected.Throttling'), ok({ SecretName: 'x' })]);

    // WHEN
    const created = await store(server.url).create({ name: 'x', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} });

    // THEN
    expect(created.name).toBe('x');
    expect(server.requests).toHaveLength(2);
  });

  test('an internal failure of a create is "outcome unknown" and not resent; of a describe, retried', async () => {
    // GIVEN
    let describes = 0;
    const server = await serve((request) => {
      if (paramsOf(request).Action === 'CreateSecret') return failure(500, 'InternalFailure');
      return ++describes === 1 ? failure(500, 'InternalFailure') : ok({ SecretName: 'x' });
    });

    // WHEN
    const error = await caughtCloudApiError(store(server.url).create({ name: 'x', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} }));
    const described = await store(server.url).describe('x');

    // THEN
    expect(error.outcome).toBe('unknown');
    expect(error.retryable).toBe(false);
    expect(error.remedy).toMatch(/look the secret up by name/);
    expect(server.requests.filter((r) => paramsOf(r).Action === 'CreateSecret')).toHaveLength(1);
    expect(described?.name).toBe('x');
  });
});

describe('the stored value never reaches an error or a log line', () => {
  test('echoed whole, URL-encoded, JSON-escaped or one line of it: cut from the message', async () => {
    // GIVEN a gateway that echoes the parameter in every form it might
    const line = PRIVATE_KEY.split('\n')[1];
    const echo = `bad SecretData ${PRIVATE_KEY} / ${encodeURIComponent(PRIVATE_KEY)} / ${JSON.stringify(PRIVATE_KEY)} / ...${line}...`;
    const server = await serve([failure(400, 'InvalidParameter', echo)]);

    // WHEN
    const error = await caughtCloudApiError(store(server.url).create({ name: 'x', value: new SecretValue(PRIVATE_KEY), versionId: 'v1', tags: {} }));

    // THEN
    const texts = [error.message, error.cloudMessage, String(error.stack), ...logged.lines];
    expectNoSecrets(texts, [PRIVATE_KEY, encodeURIComponent(PRIVATE_KEY), JSON.stringify(PRIVATE_KEY).slice(1, -1), line, ACCESS_KEY_SECRET]);
    expect(error.cloudMessage).toContain(REDACTED);
  });

  test('a value larger than KMS keeps is refused before any request, naming sizes only', async () => {
    // GIVEN
    const server = await serve([ok()]);
    const huge = 'A'.repeat(30_721);

    // WHEN
    const attempt = store(server.url).create({ name: 'x', value: new SecretValue(huge), versionId: 'v1', tags: {} });

    // THEN
    await expect(attempt).rejects.toThrow(/at most 30720 bytes; this private key is 30721 bytes/);
    expect(server.requests).toHaveLength(0);
  });
});
