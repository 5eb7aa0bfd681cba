import { inspect } from 'node:util';
import { SecretValue } from '../../../handler/clouds/credentials';
import { MissingCredentialsError } from '../../../handler/clouds/environment';
import {
  createKeyPair,
  deleteKeyPairs,
  describeKeyPairs,
  describeKeyPairsByName,
  findKeyPairById,
  importKeyPair,
  isUcloudKeyPairNotFound,
  resolveUcloudEndpoint,
  resolveUcloudProjectId,
  signUcloudParams,
  ucloudCredentialsFromEnv,
  UcloudClientOptions,
} from '../../../handler/clouds/ucloud';
import { RetryClock } from '../../../handler/http/retry';
import { caughtCloudApiError } from '../../support/cloud-api-errors';
import { captureLog, expectNoSecrets, RecordedRequest, ScriptedReply, useLoopbackServers } from '../../support/loopback-server';
import { INSTANT_RETRY_CLOCK } from '../../support/retry-clocks';

const PUBLIC_KEY = 'ucloud-test-public-key';
const PRIVATE_KEY = 'ucloud-test-private-key-0123456789';
const STS_TOKEN = 'ucloud-test-sts-token-abcdef';
const GENERATED_PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretmaterial\n-----END RSA PRIVATE KEY-----\n';

/** Retries without real waiting. */

const serve = useLoopbackServers();

function options(url: string, overrides: Partial<UcloudClientOptions> = {}): UcloudClientOptions {
  return {
    region: 'cn-bj2',
    projectId: 'org-test',
    credentials: { accessKeyId: PUBLIC_KEY, accessKeySecret: new SecretValue(PRIVATE_KEY) },
    endpoint: url,
    clock: INSTANT_RETRY_CLOCK,
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, requestTimeoutMs: 2000, deadlineMs: 10_000 },
    ...overrides,
  };
}

function ok(action: string, fields: Record<string, unknown> = {}, headers?: Record<string, string>): ScriptedReply {
  return { status: 200, body: JSON.stringify({ Action: `${action}Response`, RetCode: 0, ...fields }), headers };
}

function failure(action: string, retCode: number | string, message: string, status = 200): ScriptedReply {
  return {
    status,
    body: JSON.stringify({ Action: `${action}Response`, RetCode: retCode, Message: message }),
    headers: { 'X-UCLOUD-REQUEST-UUID': 'req-uuid-1234' },
  };
}

function formOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}

describe('UCloud credentials and endpoint', () => {
  test('reads the Terraform provider variables and an STS token', () => {
    // GIVEN
    const env = { UCLOUD_PUBLIC_KEY: PUBLIC_KEY, UCLOUD_PRIVATE_KEY: PRIVATE_KEY, UCLOUD_SECURITY_TOKEN: STS_TOKEN };

    // WHEN
    const credentials = ucloudCredentialsFromEnv(env);

    // THEN
    expect(credentials.accessKeyId).toBe(PUBLIC_KEY);
    expect(credentials.accessKeySecret.reveal()).toBe(PRIVATE_KEY);
    expect(credentials.securityToken?.reveal()).toBe(STS_TOKEN);
    expectNoSecrets([JSON.stringify(credentials), inspect(credentials)], [PRIVATE_KEY, STS_TOKEN]);
  });

  test('names the missing variables and never prints a value', () => {
    // GIVEN / WHEN / THEN
    expect(() => ucloudCredentialsFromEnv({ UCLOUD_PRIVATE_KEY: PRIVATE_KEY })).toThrow(MissingCredentialsError);
    expect(() => ucloudCredentialsFromEnv({ UCLOUD_PRIVATE_KEY: PRIVATE_KEY })).toThrow(/UCLOUD_PUBLIC_KEY/);
    let message = '';
    try {
      ucloudCredentialsFromEnv({ UCLOUD_PUBLIC_KEY: PUBLIC_KEY, UCLOUD_PRIVATE_KEY: '  ', UCLOUD_SECURITY_TOKEN: STS_TOKEN });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/UCLOUD_PRIVATE_KEY/);
    expectNoSecrets([message], [STS_TOKEN]);
    expect(ucloudCredentialsFromEnv({ UCLOUD_PUBLIC_KEY: PUBLIC_KEY, UCLOUD_PRIVATE_KEY: PRIVATE_KEY }).securityToken).toBeUndefined();
  });

  test('resolves the endpoint: option, then CDKTF_KEYPAIR_UCLOUD_ENDPOINT, then UCLOUD_API_BASE_URL, then api.ucloud.cn', () => {
    // GIVEN
    const env = { CDKTF_KEYPAIR_UCLOUD_ENDPOINT: 'http://127.0.0.1:9000', UCLOUD_API_BASE_URL: 'https://api.example-clone.com' };

    // WHEN / THEN
    expect(resolveUcloudEndpoint('https://api.option.example', env)).toBe('https://api.option.example');
    expect(resolveUcloudEndpoint(undefined, env)).toBe('http://127.0.0.1:9000');
    expect(resolveUcloudEndpoint(undefined, { UCLOUD_API_BASE_URL: 'https://api.example-clone.com' })).toBe('https://api.example-clone.com');
    expect(resolveUcloudEndpoint('', {})).toBe('https://api.ucloud.cn');
    expect(() => resolveUcloudEndpoint(undefined, { UCLOUD_API_BASE_URL: 'ftp://api.example.com' })).toThrow(/UCLOUD_API_BASE_URL.*http/);
    expect(() => resolveUcloudEndpoint('not a url', {})).toThrow(/endpoint option is not a URL/);
  });

  test('resolves the project id: option, then UCLOUD_PROJECT_ID, else the default project', () => {
    // GIVEN / WHEN / THEN
    expect(resolveUcloudProjectId('org-explicit', { UCLOUD_PROJECT_ID: 'org-env' })).toBe('org-explicit');
    expect(resolveUcloudProjectId(undefined, { UCLOUD_PROJECT_ID: 'org-env' })).toBe('org-env');
    expect(resolveUcloudProjectId(undefined, {})).toBeUndefined();
  });
});

describe('UCloud key pair actions over HTTP', () => {
  test('createKeyPair POSTs a signed form to the base URL and keeps the private key secret', async () => {
    // GIVEN
    const loopback = await serve([
      ok('CreateUHostKeyPair', {
        KeyPair: {
          ProjectId: 'org-test',
          KeyPairId: 'uhostkp-abc123',
          KeyPairName: 'bastion',
          KeyPairFingerPrint: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
          PrivateKeyBody: GENERATED_PRIVATE_KEY,
          CreateTime: 1767225600,
        },
      }),
    ]);

    // WHEN
    const created = await createKeyPair(options(loopback.url), { keyPairName: 'bastion' });

    // THEN the request
    expect(loopback.requests).toHaveLength(1);
    const [request] = loopback.requests;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/');
    expect(request.url.search).toBe('');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = formOf(request);
    expect(form).toEqual({
      Action: 'CreateUHostKeyPair',
      KeyPairName: 'bastion',
      Region: 'cn-bj2',
      ProjectId: 'org-test',
      PublicKey: PUBLIC_KEY,
      Signature: signUcloudParams(form, PRIVATE_KEY),
    });
    // AND the result
    expect(created).toMatchObject({
      keyPairId: 'uhostkp-abc123',
      keyPairName: 'bastion',
      fingerprint: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      projectId: 'org-test',
      createTime: 1767225600,
    });
    expect(created.privateKey.reveal()).toBe(GENERATED_PRIVATE_KEY);
    expectNoSecrets([JSON.stringify(created), inspect(created)], [GENERATED_PRIVATE_KEY, 'MIIEsecretmaterial']);
  });

  test('importKeyPair sends PublicKeyBody and the STS token as a signed SecurityToken parameter', async () => {
    // GIVEN
    const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci';
    const loopback = await serve([
      ok('ImportUHostKeyPairs', { KeyPairId: 'uhostkp-imp001', KeyPairName: 'ci', KeyPairFingerPrint: 'aa11' }),
    ]);
    const credentials = { accessKeyId: PUBLIC_KEY, accessKeySecret: new SecretValue(PRIVATE_KEY), securityToken: new SecretValue(STS_TOKEN) };

    // WHEN
    const imported = await importKeyPair(options(loopback.url, { credentials, projectId: undefined }), { keyPairName: 'ci', publicKey: `${publicKey}\n` });

    // THEN
    const form = formOf(loopback.requests[0]);
    expect(form.Action).toBe('ImportUHostKeyPairs');
    expect(form.PublicKeyBody).toBe(publicKey);
    expect(form.SecurityToken).toBe(STS_TOKEN);
    expect(form).not.toHaveProperty('ProjectId');
    expect(form.Signature).toBe(signUcloudParams(form, PRIVATE_KEY));
    expect(imported).toEqual({ keyPairId: 'uhostkp-imp001', keyPairName: 'ci', fingerprint: 'aa11', publicKey });
  });

  test('describeKeyPairs sends Offset/Limit and accepts RetCode and CreateTime as numeric strings', async () => {
    // GIVEN
    const loopback = await serve([
      {
        status: 200,
        body: JSON.stringify({
          Action: 'DescribeUHostKeyPairsResponse',
          RetCode: '0',
          TotalCount: 7,
          KeyPairs: [{ KeyPairId: 'uhostkp-1', KeyPairName: 'web', KeyPairFingerPrint: 'f1', ProjectId: 'org-test', CreateTime: '1767225600' }],
        }),
      },
    ]);

    // WHEN
    const page = await describeKeyPairs(options(loopback.url, { zone: 'cn-bj2-04' }), { keyPairName: 'web', offset: 5, limit: 2 });

    // THEN
    const form = formOf(loopback.requests[0]);
    expect(form).toMatchObject({ Action: 'DescribeUHostKeyPairs', KeyPairName: 'web', Offset: '5', Limit: '2', Zone: 'cn-bj2-04' });
    expect(form.Signature).toBe(signUcloudParams(form, PRIVATE_KEY));
    expect(page).toEqual({
      totalCount: 7,
      keyPairs: [{ keyPairId: 'uhostkp-1', keyPairName: 'web', fingerprint: 'f1', projectId: 'org-test', createTime: 1767225600 }],
    });
  });

  test('describeKeyPairsByName pages 100 at a time through everything and keeps exact name matches', async () => {
    // GIVEN 230 pairs whose names all contain "web" (as a fuzzy filter would answer), two named exactly "web"
    const all = Array.from({ length: 230 }, (_, index) => ({
      KeyPairId: `uhostkp-${index}`,
      KeyPairName: index === 3 || index === 201 ? 'web' : `web-${index}`,
      KeyPairFingerPrint: `fp${index}`,
    }));
    const loopback = await serve((request) => {
      const form = formOf(request);
      const offset = Number(form.Offset);
      const limit = Number(form.Limit);
      return ok('DescribeUHostKeyPairs', { TotalCount: all.length, KeyPairs: all.slice(offset, offset + limit) });
    });

    // WHEN
    const found = await describeKeyPairsByName(options(loopback.url), 'web');

    // THEN
    expect(loopback.requests.map((request) => [formOf(request).Offset, formOf(request).Limit, formOf(request).KeyPairName])).toEqual([
      ['0', '100', 'web'],
      ['100', '100', 'web'],
      ['200', '100', 'web'],
    ]);
    expect(found.map((keyPair) => keyPair.keyPairId)).toEqual(['uhostkp-3', 'uhostkp-201']);
  });

  test('findKeyPairById pages without a filter until it has seen TotalCount pairs', async () => {
    // GIVEN
    const all = Array.from({ length: 150 }, (_, index) => ({ KeyPairId: `uhostkp-${index}`, KeyPairName: `k${index}`, KeyPairFingerPrint: 'f' }));
    const loopback = await serve((request) => {
      const offset = Number(formOf(request).Offset);
      return ok('DescribeUHostKeyPairs', { TotalCount: all.length, KeyPairs: all.slice(offset, offset + 100) });
    });

    // WHEN
    const found = await findKeyPairById(options(loopback.url), 'uhostkp-120');
    const missing = await findKeyPairById(options(loopback.url), 'uhostkp-999');

    // THEN
    expect(found?.keyPairName).toBe('k120');
    expect(missing).toBeUndefined();
    expect(formOf(loopback.requests[0])).not.toHaveProperty('KeyPairName');
    expect(loopback.requests).toHaveLength(4);
  });

  test('deleteKeyPairs numbers KeyPairIds from 0', async () => {
    // GIVEN
    const loopback = await serve([ok('DeleteUHostKeyPairs')]);

    // WHEN
    await deleteKeyPairs(options(loopback.url), { keyPairIds: ['uhostkp-a', 'uhostkp-b'] });

    // THEN
    const form = formOf(loopback.requests[0]);
    expect(form['KeyPairIds.0']).toBe('uhostkp-a');
    expect(form['KeyPairIds.1']).toBe('uhostkp-b');
    expect(form).not.toHaveProperty('KeyPairIds.2');
    expect(form.Signature).toBe(signUcloudParams(form, PRIVATE_KEY));
  });
});

describe('UCloud retries and errors', () => {
  test.each([
    ['throttled (RetCode 153)', failure('DescribeUHostKeyPairs', 153, 'request throttled')],
    ['service unavailable (RetCode 150 as a string)', failure('DescribeUHostKeyPairs', '150', 'service unavailable')],
    ['HTTP 503 with a gateway page', { status: 503, body: '<html>busy</html>', headers: { 'content-type': 'text/html' } }],
    ['HTTP 502 with an envelope', failure('DescribeUHostKeyPairs', 0, '', 502)],
    ['a dropped connection', { dropConnection: true } as const],
  ])('retries after %s, then succeeds', async (_label, transient) => {
    // GIVEN
    const loopback = await serve([transient, transient, ok('DescribeUHostKeyPairs', { TotalCount: 0, KeyPairs: [] })]);
    const log = captureLog();

    // WHEN
    const page = await describeKeyPairs(options(loopback.url, { log: log.log }));

    // THEN
    expect(page.totalCount).toBe(0);
    expect(loopback.requests).toHaveLength(3);
    expect(log.lines.filter((line) => line.includes('retrying'))).toHaveLength(2);
  });

  test.each([
    ['signature error', 171, /UCLOUD_PRIVATE_KEY/],
    ['user does not exist', 172, /UCLOUD_PUBLIC_KEY/],
    ['token does not exist', 174, /UCLOUD_SECURITY_TOKEN/],
    ['duplicate name (emulator code)', 8510, /already exists/],
    ['quota', 8095, /quota/],
    ['malformed public key (emulator code)', 8511, /OpenSSH format/],
    ['not found (emulator code)', 8513, /-replace/],
    ['invalid parameter', 230, undefined],
    ['a product code >= 2000 the SDKs would retry', 8024, undefined],
  ])('does not retry a client error: %s', async (_label, retCode, remedy) => {
    // GIVEN
    const loopback = await serve([failure('ImportUHostKeyPairs', retCode, `failure ${retCode}`)]);

    // WHEN
    const err = await caughtCloudApiError(importKeyPair(options(loopback.url), { keyPairName: 'ci', publicKey: 'ssh-rsa AAAA' }));

    // THEN exactly one request, and the error names the code, message and request id
    expect(loopback.requests).toHaveLength(1);
    expect(err.retryable).toBe(false);
    expect(err.code).toBe(String(retCode));
    expect(err.requestId).toBe('req-uuid-1234');
    expect(err.httpStatus).toBe(200);
    expect(err.message).toContain(`ImportUHostKeyPairs failed: ${retCode}: failure ${retCode}`);
    expect(err.message).toContain('request id req-uuid-1234');
    if (remedy) expect(err.message).toMatch(remedy);
    else expect(err.remedy).toBeUndefined();
  });

  test('isUcloudKeyPairNotFound recognises the not-found code only', async () => {
    // GIVEN
    const loopback = await serve([failure('DeleteUHostKeyPairs', 8513, 'not found'), failure('DeleteUHostKeyPairs', 171, 'bad')]);

    // WHEN
    const notFound = await caughtCloudApiError(deleteKeyPairs(options(loopback.url), { keyPairIds: ['uhostkp-gone'] }));
    const other = await caughtCloudApiError(deleteKeyPairs(options(loopback.url), { keyPairIds: ['uhostkp-gone'] }));

    // THEN
    expect(isUcloudKeyPairNotFound(notFound)).toBe(true);
    expect(isUcloudKeyPairNotFound(other)).toBe(false);
  });

  test('gives up after the attempts allowed, with the last error', async () => {
    // GIVEN
    const loopback = await serve([failure('DescribeUHostKeyPairs', 153, 'request throttled')]);

    // WHEN
    const err = await caughtCloudApiError(describeKeyPairs(options(loopback.url)));

    // THEN
    expect(loopback.requests).toHaveLength(4);
    expect(err.code).toBe('153');
    expect(err.retryable).toBe(true);
  });

  test('times out a hanging request and retries it', async () => {
    // GIVEN a server that never answers
    const loopback = await serve([{ hang: true }]);
    const started = Date.now();

    // WHEN
    const err = await caughtCloudApiError(
      describeKeyPairs(options(loopback.url, { retry: { maxAttempts: 2, baseDelayMs: 1, requestTimeoutMs: 100 } })),
    );

    // THEN
    expect(err.code).toBe('RequestTimeout');
    expect(loopback.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('stops at the overall deadline even with attempts left', async () => {
    // GIVEN a clock whose waits pass instantly but count toward the deadline
    let offset = 0;
    const clock: RetryClock = { now: () => Date.now() + offset, sleep: async (ms) => void (offset += ms), random: () => 1 };
    const loopback = await serve([failure('DescribeUHostKeyPairs', 153, 'request throttled')]);

    // WHEN
    const err = await caughtCloudApiError(
      describeKeyPairs(options(loopback.url, { clock, retry: { maxAttempts: 50, baseDelayMs: 1000, maxDelayMs: 1000, deadlineMs: 3500 } })),
    );

    // THEN three waits of 1000 ms fit in 3500 ms, a fourth does not
    expect(err.code).toBe('153');
    expect(loopback.requests).toHaveLength(4);
    expect(offset).toBe(3000);
  });

  test('reports a malformed body without retrying or echoing it', async () => {
    // GIVEN
    const loopback = await serve([{ status: 200, body: `{"KeyPair":{"PrivateKeyBody":"${GENERATED_PRIVATE_KEY}` }]);

    // WHEN
    const err = await caughtCloudApiError(createKeyPair(options(loopback.url), { keyPairName: 'bastion' }));

    // THEN
    expect(err.code).toBe('MalformedResponse');
    expect(loopback.requests).toHaveLength(1);
    expectNoSecrets([err.message, err.stack ?? ''], ['MIIEsecretmaterial']);
  });

  test('reports an answer without RetCode as malformed', async () => {
    // GIVEN
    const loopback = await serve([{ status: 200, body: '{"Action":"DescribeUHostKeyPairsResponse"}' }]);

    // WHEN
    const err = await caughtCloudApiError(describeKeyPairs(options(loopback.url)));

    // THEN
    expect(err.code).toBe('MalformedResponse');
    expect(err.message).toMatch(/RetCode/);
  });

  test('no secret reaches an error message or a log line', async () => {
    // GIVEN a create whose answer holds a private key but no KeyPairId, then an auth failure and a timeout
    const loopback = await serve([
      ok('CreateUHostKeyPair', { KeyPair: { KeyPairName: 'bastion', PrivateKeyBody: GENERATED_PRIVATE_KEY } }),
      failure('CreateUHostKeyPair', 171, 'Signature VerifyAC Error'),
      { hang: true },
    ]);
    const log = captureLog();
    const credentials = { accessKeyId: PUBLIC_KEY, accessKeySecret: new SecretValue(PRIVATE_KEY), securityToken: new SecretValue(STS_TOKEN) };
    const client = options(loopback.url, { credentials, log: log.log, retry: { maxAttempts: 2, baseDelayMs: 1, requestTimeoutMs: 100 } });

    // WHEN
    const errors = [
      await caughtCloudApiError(createKeyPair(client, { keyPairName: 'bastion' })),
      await caughtCloudApiError(createKeyPair(client, { keyPairName: 'bastion' })),
      await caughtCloudApiError(createKeyPair(client, { keyPairName: 'bastion' })),
    ];

    // THEN
    expect(errors.map((err) => err.code)).toEqual(['MalformedResponse', '171', 'RequestTimeout']);
    const texts = [...log.lines, ...errors.flatMap((err) => [err.message, err.stack ?? '', inspect(err), JSON.stringify(err)])];
    expectNoSecrets(texts, [PRIVATE_KEY, STS_TOKEN, GENERATED_PRIVATE_KEY, 'MIIEsecretmaterial']);
    expect(log.lines.length).toBeGreaterThan(0);
  });
});
