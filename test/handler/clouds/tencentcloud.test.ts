import { CloudCredentials, SecretValue } from '../../../handler/clouds/credentials';
import { MissingCredentialsError } from '../../../handler/clouds/environment';
import {
  createKeyPair,
  deleteKeyPairs,
  describeKeyPairs,
  describeKeyPairsByName,
  importKeyPair,
  InvalidEndpointError,
  parseTc3Authorization,
  resolveTencentcloudEndpoint,
  signTc3,
  TencentcloudClientOptions,
  tencentcloudCredentialsFromEnv,
} from '../../../handler/clouds/tencentcloud';
import { CloudApiError } from '../../../handler/http/cloud-api-error';
import { captureLog, expectNoSecrets, RecordedRequest, ScriptedReply, useLoopbackServers } from '../../support/loopback-server';
import { skippingRetryClock } from '../../support/retry-clocks';

const SECRET_ID = 'AKIDtestSecretId0001';
const SECRET_KEY = 'tencent-test-secret-key-do-not-print';
const STS_TOKEN = 'sts-token-that-must-stay-out-of-logs';
const PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretprivatekeymaterial\n-----END RSA PRIVATE KEY-----';
const PUBLIC_KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7test';

function credentials(withToken = false): CloudCredentials {
  return {
    accessKeyId: SECRET_ID,
    accessKeySecret: new SecretValue(SECRET_KEY),
    ...(withToken ? { securityToken: new SecretValue(STS_TOKEN) } : {}),
  };
}

function ok(fields: Record<string, unknown>, requestId = 'req-ok-1'): ScriptedReply {
  return { status: 200, body: JSON.stringify({ Response: { ...fields, RequestId: requestId } }) };
}

function tencentError(code: string, message: string, requestId = 'req-err-1'): ScriptedReply {
  return { status: 200, body: JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } }) };
}

const CREATED = {
  KeyPair: {
    KeyId: 'skey-abcd1234',
    KeyName: 'ci_runner',
    ProjectId: 0,
    Description: '',
    PublicKey: PUBLIC_KEY,
    PrivateKey: PRIVATE_KEY,
    AssociatedInstanceIds: [],
    CreatedTime: '2024-05-01T10:00:00Z',
    Tags: [{ Key: 'team', Value: 'infra' }],
  },
};

const serve = useLoopbackServers();

function clientOptions(url: string, overrides: Partial<TencentcloudClientOptions> = {}): TencentcloudClientOptions {
  return {
    region: 'ap-guangzhou',
    credentials: credentials(),
    endpoint: url,
    clock: skippingRetryClock(),
    retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 2_000, deadlineMs: 10_000 },
    ...overrides,
  };
}

/** Recomputes the signature from what the server received, with the signer's own functions. */
function expectValidSignature(request: RecordedRequest, secretKey = SECRET_KEY): void {
  const authorization = parseTc3Authorization(String(request.headers.authorization));
  expect(authorization).toBeDefined();
  const signedHeaders = Object.fromEntries(authorization!.signedHeaderNames.map((name) => [name, String(request.headers[name])]));
  const recomputed = signTc3({
    method: 'POST',
    canonicalQueryString: '',
    signedHeaders,
    payload: request.body,
    secretId: authorization!.secretId,
    secretKey,
    service: authorization!.service,
    timestamp: Number(request.headers['x-tc-timestamp']),
  });
  expect(request.headers.authorization).toBe(recomputed.authorization);
}

describe('credentials and endpoint from the environment', () => {
  test('reads the Terraform provider variables, token optional', () => {
    // WHEN
    const plain = tencentcloudCredentialsFromEnv({ TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY });
    const sts = tencentcloudCredentialsFromEnv({
      TENCENTCLOUD_SECRET_ID: SECRET_ID,
      TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
      TENCENTCLOUD_SECURITY_TOKEN: STS_TOKEN,
    });

    // THEN
    expect(plain.accessKeyId).toBe(SECRET_ID);
    expect(plain.accessKeySecret.reveal()).toBe(SECRET_KEY);
    expect(plain.securityToken).toBeUndefined();
    expect(sts.securityToken?.reveal()).toBe(STS_TOKEN);
    expect(JSON.stringify(sts)).not.toContain(SECRET_KEY);
  });

  test('names the missing variables, never a value', () => {
    // WHEN / THEN
    expect(() => tencentcloudCredentialsFromEnv({ TENCENTCLOUD_SECRET_KEY: SECRET_KEY })).toThrow(MissingCredentialsError);
    expect(() => tencentcloudCredentialsFromEnv({ TENCENTCLOUD_SECRET_KEY: SECRET_KEY })).toThrow(/TENCENTCLOUD_SECRET_ID/);
    expect(() => tencentcloudCredentialsFromEnv({ TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: '  ' })).toThrow(
      /TENCENTCLOUD_SECRET_KEY/,
    );
  });

  test('an explicit endpoint wins, then CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT, then protocol and domain', () => {
    // GIVEN
    const env = {
      CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: 'http://127.0.0.1:9000',
      TENCENTCLOUD_DOMAIN: 'intl.tencentcloudapi.com',
    };

    // WHEN / THEN
    expect(resolveTencentcloudEndpoint({ endpoint: 'https://cvm.example.test', env }).href).toBe('https://cvm.example.test/');
    expect(resolveTencentcloudEndpoint({ env }).href).toBe('http://127.0.0.1:9000/');
    expect(resolveTencentcloudEndpoint({ env: { TENCENTCLOUD_DOMAIN: 'intl.tencentcloudapi.com' } }).href).toBe(
      'https://cvm.intl.tencentcloudapi.com/',
    );
    expect(resolveTencentcloudEndpoint({ env: { TENCENTCLOUD_PROTOCOL: 'HTTP' } }).href).toBe('http://cvm.tencentcloudapi.com/');
    expect(resolveTencentcloudEndpoint().href).toBe('https://cvm.tencentcloudapi.com/');
  });

  test('rejects endpoints that cannot be signed or reached', () => {
    // WHEN / THEN
    expect(() => resolveTencentcloudEndpoint({ endpoint: 'ftp://cvm.example.test' })).toThrow(InvalidEndpointError);
    expect(() => resolveTencentcloudEndpoint({ endpoint: 'https://proxy.example.test/cvm' })).toThrow(/bare origin/);
    expect(() => resolveTencentcloudEndpoint({ endpoint: 'not a url' })).toThrow(/not a URL/);
    expect(() => resolveTencentcloudEndpoint({ env: { TENCENTCLOUD_PROTOCOL: 'gopher' } })).toThrow(/TENCENTCLOUD_PROTOCOL/);
  });
});

describe('request shape over real HTTP', () => {
  test('CreateKeyPair: signed JSON POST to / with the X-TC headers, typed camelCase result', async () => {
    // GIVEN
    const { url, requests } = await serve([ok(CREATED)]);

    // WHEN
    const created = await createKeyPair(clientOptions(url, { projectId: 7 }), { keyPairName: 'ci_runner', tags: { team: 'infra' } });

    // THEN the request
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/');
    expect(request.url.search).toBe('');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.headers.host).toBe(new URL(url).host);
    expect(request.headers['x-tc-action']).toBe('CreateKeyPair');
    expect(request.headers['x-tc-version']).toBe('2017-03-12');
    expect(request.headers['x-tc-region']).toBe('ap-guangzhou');
    expect(Math.abs(Number(request.headers['x-tc-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(request.headers['x-tc-token']).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({
      KeyName: 'ci_runner',
      ProjectId: 7,
      TagSpecification: [{ ResourceType: 'keypair', Tags: [{ Key: 'team', Value: 'infra' }] }],
    });
    expect(parseTc3Authorization(String(request.headers.authorization))).toMatchObject({
      secretId: SECRET_ID,
      service: 'cvm',
      signedHeaderNames: ['content-type', 'host', 'x-tc-action'],
    });
    expectValidSignature(request);

    // THEN the result
    expect(created).toMatchObject({
      keyPairId: 'skey-abcd1234',
      keyPairName: 'ci_runner',
      projectId: 0,
      publicKey: PUBLIC_KEY,
      createdTime: '2024-05-01T10:00:00Z',
      associatedInstanceIds: [],
      tags: { team: 'infra' },
      requestId: 'req-ok-1',
    });
    expect(created.privateKey.reveal()).toBe(PRIVATE_KEY);
    expect(String(created.privateKey)).toBe('[redacted]');
    expect(JSON.stringify(created)).not.toContain('PRIVATE KEY');
  });

  test('ImportKeyPair sends the public key; STS token goes in X-TC-Token, outside the signature', async () => {
    // GIVEN
    const { url, requests } = await serve([ok({ KeyId: 'skey-imp12345' })]);

    // WHEN
    const imported = await importKeyPair(clientOptions(url, { credentials: credentials(true) }), {
      keyPairName: 'laptop',
      publicKey: PUBLIC_KEY,
    });

    // THEN
    expect(imported).toEqual({ keyPairId: 'skey-imp12345', keyPairName: 'laptop', requestId: 'req-ok-1' });
    const [request] = requests;
    expect(request.headers['x-tc-action']).toBe('ImportKeyPair');
    expect(JSON.parse(request.body)).toEqual({ KeyName: 'laptop', ProjectId: 0, PublicKey: PUBLIC_KEY });
    expect(request.headers['x-tc-token']).toBe(STS_TOKEN);
    expect(String(request.headers.authorization)).not.toContain('x-tc-token');
    expectValidSignature(request);
  });

  test('DescribeKeyPairs: ids or filters with Offset/Limit; refuses both, and a limit over 100, before sending', async () => {
    // GIVEN
    const { url, requests } = await serve([ok({ TotalCount: 0, KeyPairSet: [] })]);
    const options = clientOptions(url);

    // WHEN
    const byId = await describeKeyPairs(options, { keyPairIds: ['skey-abcd1234'] });
    await describeKeyPairs(options, { keyPairNames: ['ci_runner'], projectIds: [0], offset: 100, limit: 100 });

    // THEN
    expect(byId).toEqual({ totalCount: 0, keyPairs: [], requestId: 'req-ok-1' });
    expect(JSON.parse(requests[0].body)).toEqual({ KeyIds: ['skey-abcd1234'] });
    expect(JSON.parse(requests[1].body)).toEqual({
      Filters: [
        { Name: 'key-name', Values: ['ci_runner'] },
        { Name: 'project-id', Values: ['0'] },
      ],
      Offset: 100,
      Limit: 100,
    });
    requests.forEach((request) => expectValidSignature(request));
    await expect(describeKeyPairs(options, { keyPairIds: ['skey-abcd1234'], keyPairNames: ['x'] })).rejects.toThrow(RangeError);
    await expect(describeKeyPairs(options, { limit: 101 })).rejects.toThrow(/1 to 100/);
    expect(requests).toHaveLength(2);
  });

  test('describeKeyPairsByName pages through everything and keeps exact name matches only', async () => {
    // GIVEN 150 pairs whose names contain "web" (a fuzzy filter), two of them named exactly "web"
    const all = Array.from({ length: 150 }, (_, i) => ({
      KeyId: `skey-${String(i).padStart(8, '0')}`,
      KeyName: i === 42 || i === 120 ? 'web' : `web_${i}`,
      PublicKey: PUBLIC_KEY,
    }));
    const { url, requests } = await serve((request) => {
      const { Offset = 0, Limit = 20 } = JSON.parse(request.body) as { Offset?: number; Limit?: number };
      return ok({ TotalCount: all.length, KeyPairSet: all.slice(Offset, Offset + Limit) });
    });

    // WHEN
    const matches = await describeKeyPairsByName(clientOptions(url), 'web');

    // THEN
    expect(matches.map((keyPair) => keyPair.keyPairId)).toEqual(['skey-00000042', 'skey-00000120']);
    expect(requests.map((request) => JSON.parse(request.body).Offset)).toEqual([0, 100]);
  });

  test('DeleteKeyPairs sends KeyIds; InvalidKeyPairId.NotFound counts as deleted', async () => {
    // GIVEN
    const { url, requests } = await serve([ok({}), tencentError('InvalidKeyPairId.NotFound', 'The key pair `skey-gone0000` does not exist.')]);
    const options = clientOptions(url);

    // WHEN
    const deleted = await deleteKeyPairs(options, { keyPairIds: ['skey-abcd1234'] });
    const gone = await deleteKeyPairs(options, { keyPairIds: ['skey-gone0000'] });

    // THEN
    expect(JSON.parse(requests[0].body)).toEqual({ KeyIds: ['skey-abcd1234'] });
    expect(deleted).toEqual({ requestId: 'req-ok-1', alreadyDeletedIds: [] });
    expect(gone.alreadyDeletedIds).toEqual(['skey-gone0000']);
    expect(requests).toHaveLength(2);
  });

  test('DeleteKeyPairs with one missing id among several deletes the others one by one', async () => {
    // GIVEN the batch fails on the missing id; single deletes succeed except for it
    const { url, requests } = await serve((request) => {
      const ids = (JSON.parse(request.body) as { KeyIds: string[] }).KeyIds;
      return ids.includes('skey-gone0000') ? tencentError('InvalidKeyPairId.NotFound', 'missing') : ok({});
    });

    // WHEN
    const result = await deleteKeyPairs(clientOptions(url), { keyPairIds: ['skey-aaaa1111', 'skey-gone0000', 'skey-bbbb2222'] });

    // THEN
    expect(result.alreadyDeletedIds).toEqual(['skey-gone0000']);
    expect(requests.map((request) => JSON.parse(request.body).KeyIds)).toEqual([
      ['skey-aaaa1111', 'skey-gone0000', 'skey-bbbb2222'],
      ['skey-aaaa1111'],
      ['skey-gone0000'],
      ['skey-bbbb2222'],
    ]);
  });
});

describe('retries', () => {
  test.each(['RequestLimitExceeded', 'RequestLimitExceeded.UinLimitExceeded', 'ResourceBusy', 'ResourceUnavailable.Maintenance'])(
    'retries %s, re-signing each attempt, then succeeds',
    async (code) => {
      // GIVEN
      const { url, requests } = await serve([tencentError(code, 'slow down'), ok(CREATED)]);
      const { lines, log } = captureLog();

      // WHEN
      const created = await createKeyPair(clientOptions(url, { log }), { keyPairName: 'ci_runner' });

      // THEN
      expect(created.keyPairId).toBe('skey-abcd1234');
      expect(requests).toHaveLength(2);
      requests.forEach((request) => expectValidSignature(request));
      expect(lines.some((line) => line.includes(code) && line.includes('retrying'))).toBe(true);
    },
  );

  test('retries HTTP 5xx and a dropped connection', async () => {
    // GIVEN
    const { url, requests } = await serve([
      { status: 502, body: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } },
      { dropConnection: true },
      { status: 503, body: JSON.stringify({ Response: { Error: { Code: 'InternalError', Message: 'x' }, RequestId: 'r' } }) },
      ok({ TotalCount: 0, KeyPairSet: [] }),
    ]);

    // WHEN
    const result = await describeKeyPairs(clientOptions(url), {});

    // THEN
    expect(result.totalCount).toBe(0);
    expect(requests).toHaveLength(4);
  });

  test('a non-200 answer without a Tencent error: 4xx fails once as HttpStatusCodeError, 429 is retried', async () => {
    // GIVEN
    const { url, requests } = await serve([{ status: 429, body: '{}' }, { status: 404, body: '{"message":"no route"}' }]);

    // WHEN
    const error = (await describeKeyPairs(clientOptions(url)).catch((err: unknown) => err)) as CloudApiError;

    // THEN
    expect(requests).toHaveLength(2);
    expect(error).toMatchObject({ code: 'HttpStatusCodeError', httpStatus: 404, retryable: false });
    expect(error.message).not.toContain('no route');
  });

  test('an internal error is retried for DescribeKeyPairs but not for CreateKeyPair', async () => {
    // GIVEN every create and the first describe fail internally
    const { url, requests } = await serve((request, index) =>
      request.headers['x-tc-action'] === 'DescribeKeyPairs' && index > 0
        ? ok({ TotalCount: 0, KeyPairSet: [] })
        : tencentError('InternalError', 'oops'),
    );

    // WHEN
    await describeKeyPairs(clientOptions(url), {});
    const createError = (await createKeyPair(clientOptions(url), { keyPairName: 'x' }).catch((err: unknown) => err)) as CloudApiError;

    // THEN two describe requests, one create request
    expect(requests.map((request) => request.headers['x-tc-action'])).toEqual(['DescribeKeyPairs', 'DescribeKeyPairs', 'CreateKeyPair']);
    expect(createError).toMatchObject({ code: 'InternalError', retryable: false });
  });

  test.each([
    ['InvalidKeyPairName.Duplicate', /already exists/],
    ['AuthFailure.SignatureFailure', /TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/],
    ['AuthFailure.SignatureExpire', /clock/],
    ['InvalidKeyPair.LimitExceeded', /quota/],
    ['InvalidPublicKey.Malformed', /OpenSSH RSA/],
  ])('never retries %s: exactly one request, code, request id and remedy in the message', async (code, remedy) => {
    // GIVEN
    const { url, requests } = await serve([tencentError(code, 'the cloud says no', 'req-4711')]);

    // WHEN
    const error = (await importKeyPair(clientOptions(url), { keyPairName: 'ci', publicKey: PUBLIC_KEY }).catch((err: unknown) => err)) as CloudApiError;

    // THEN
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(CloudApiError);
    expect(error).toMatchObject({ cloud: 'tencentcloud', action: 'ImportKeyPair', code, requestId: 'req-4711', httpStatus: 200, retryable: false });
    expect(error.message).toContain(code);
    expect(error.message).toContain('req-4711');
    expect(error.message).toContain('the cloud says no');
    expect(error.message).toMatch(remedy);
  });

  test('gives up after the per-request timeout when the server hangs', async () => {
    // GIVEN
    const { url, requests } = await serve([{ hang: true }]);
    const started = Date.now();

    // WHEN
    const error = (await describeKeyPairs(
      clientOptions(url, { retry: { maxAttempts: 1, requestTimeoutMs: 150 } }),
    ).catch((err: unknown) => err)) as CloudApiError;

    // THEN
    expect(error.code).toBe('RequestTimeout');
    expect(requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('stops at the overall deadline however many attempts are left', async () => {
    // GIVEN every attempt hangs; real clock, tiny backoff
    const { url, requests } = await serve([{ hang: true }]);
    const started = Date.now();

    // WHEN
    const error = (await describeKeyPairs(
      clientOptions(url, {
        clock: undefined,
        retry: { maxAttempts: 50, baseDelayMs: 5, maxDelayMs: 5, requestTimeoutMs: 100, deadlineMs: 350 },
      }),
    ).catch((err: unknown) => err)) as CloudApiError;

    // THEN
    const elapsed = Date.now() - started;
    expect(['RequestTimeout', 'DeadlineExceeded']).toContain(error.code);
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(1_500);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.length).toBeLessThan(50);
  });
});

describe('malformed answers and secrets', () => {
  test('a non-JSON 200 body is a malformed response, not retried, and not echoed', async () => {
    // GIVEN
    const { url, requests } = await serve([{ status: 200, body: '<html>Welcome to the hotel wifi</html>', headers: { 'content-type': 'text/html' } }]);

    // WHEN
    const error = (await describeKeyPairs(clientOptions(url)).catch((err: unknown) => err)) as CloudApiError;

    // THEN
    expect(error.code).toBe('MalformedResponse');
    expect(error.message).not.toContain('hotel wifi');
    expect(requests).toHaveLength(1);
  });

  test('a create answer missing its fields is malformed and never leaks the private key it carried', async () => {
    // GIVEN a body with the private key but no KeyId
    const { url } = await serve([ok({ KeyPair: { KeyName: 'ci', PrivateKey: PRIVATE_KEY } }, 'req-malformed')]);
    const { lines, log } = captureLog();

    // WHEN
    const error = (await createKeyPair(clientOptions(url, { log, credentials: credentials(true) }), { keyPairName: 'ci' }).catch(
      (err: unknown) => err,
    )) as CloudApiError;

    // THEN
    expect(error.code).toBe('MalformedResponse');
    expect(error.message).toContain('KeyId');
    expect(error.message).toContain('req-malformed');
    expectNoSecrets([error.message, String(error.stack), JSON.stringify(error), ...lines], [PRIVATE_KEY, 'MIIEsecret', SECRET_KEY, STS_TOKEN]);
  });

  test('no secret key, token or private key reaches an error message or log line, on success or failure', async () => {
    // GIVEN a throttled create, a successful create, then an auth failure
    const { url } = await serve([tencentError('RequestLimitExceeded', 'slow'), ok(CREATED), tencentError('AuthFailure.TokenFailure', 'bad token')]);
    const { lines, log } = captureLog();
    const options = clientOptions(url, { log, credentials: credentials(true) });

    // WHEN
    const created = await createKeyPair(options, { keyPairName: 'ci_runner' });
    const error = (await deleteKeyPairs(options, { keyPairIds: [created.keyPairId] }).catch((err: unknown) => err)) as CloudApiError;

    // THEN
    expect(error.code).toBe('AuthFailure.TokenFailure');
    expect(error.message).toContain('TENCENTCLOUD_SECURITY_TOKEN');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expectNoSecrets(
      [error.message, String(error.stack), JSON.stringify(error), JSON.stringify(created), String(created), ...lines],
      [PRIVATE_KEY, 'MIIEsecret', SECRET_KEY, STS_TOKEN],
    );
  });
});
