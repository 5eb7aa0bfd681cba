import { inspect } from 'node:util';
import { clientConnection } from './support';
import { startEmulator } from '../../../emulator';
import { generateRsaKeyPair } from '../../../emulator/key-material';
import type { CloudConnection } from '../../../handler/clouds/cloud-connection';
import { SecretValue } from '../../../handler/clouds/credentials';
import { MissingCredentialsError } from '../../../handler/clouds/environment';
import { connectionFor, keyPairApiFor } from '../../../handler/clouds/factory';
import {
  createUcloudKeyPairApi,
  signUcloudParams,
  UCLOUD_ENVIRONMENT,
  UCLOUD_MAX_PAGES,
  UCLOUD_RET_CODES,
} from '../../../handler/clouds/ucloud';
import { TUNING_ENV } from '../../../handler/tuning';
import { caughtCloudApiError } from '../../support/cloud-api-errors';
import { captureLog, expectNoSecrets, RecordedRequest, ScriptedReply, useLoopbackServers } from '../../support/loopback-server';
import { INSTANT_RETRY_CLOCK, skippingRetryClock } from '../../support/retry-clocks';

const PUBLIC_KEY = 'ucloud-test-public-key';
/** Characters that URL-encoding changes, so the raw and the encoded echo are different strings. */
const PRIVATE_KEY = 'ucloud+test/private=key&0123456789';
const STS_TOKEN = 'ucloud/sts+token=abcdef';
const GENERATED_PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEsecretmaterial\n-----END PRIVATE KEY-----\n';
const REQUEST_ID = 'req-uuid-1234';

const serve = useLoopbackServers();

function connection(url: string, overrides: Partial<CloudConnection> = {}): CloudConnection {
  return clientConnection('cn-bj2', url, { id: PUBLIC_KEY, secret: PRIVATE_KEY }, { scope: 'org-test', ...overrides });
}

function apiAt(url: string, overrides: Partial<CloudConnection> = {}) {
  return createUcloudKeyPairApi(connection(url, overrides));
}

function ok(action: string, fields: Record<string, unknown> = {}): ScriptedReply {
  return {
    status: 200,
    body: JSON.stringify({ Action: `${action}Response`, RetCode: 0, ...fields }),
    headers: { 'X-UCLOUD-REQUEST-UUID': REQUEST_ID },
  };
}

function failure(action: string, retCode: number | string, message: string, status = 200): ScriptedReply {
  return {
    status,
    body: JSON.stringify({ Action: `${action}Response`, RetCode: retCode, Message: message }),
    headers: { 'X-UCLOUD-REQUEST-UUID': REQUEST_ID },
  };
}

function formOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}

/** Answers each action with its own script: a function of the form and how many times the action was called. */
function byAction(handlers: Record<string, (form: Record<string, string>, call: number) => ScriptedReply>) {
  const calls: Record<string, number> = {};
  return (request: RecordedRequest): ScriptedReply => {
    const form = formOf(request);
    const handler = handlers[form.Action];
    if (!handler) return failure(form.Action, 161, `Action [${form.Action}] not found`);
    calls[form.Action] = (calls[form.Action] ?? 0) + 1;
    return handler(form, calls[form.Action] - 1);
  };
}

/** A Describe answer paging over `all` as UCloud does (Offset, Limit, TotalCount). */
function describePages(all: readonly Record<string, unknown>[]) {
  return (form: Record<string, string>): ScriptedReply => {
    const named = form.KeyPairName ? all.filter((keyPair) => String(keyPair.KeyPairName).includes(form.KeyPairName)) : all;
    const offset = Number(form.Offset ?? 0);
    const limit = Number(form.Limit ?? 20);
    return ok('DescribeUHostKeyPairs', { TotalCount: named.length, KeyPairs: named.slice(offset, offset + limit) });
  };
}

function actionsOf(requests: readonly RecordedRequest[]): string[] {
  return requests.map((request) => formOf(request).Action);
}

const RSA_PUBLIC_KEY = generateRsaKeyPair(2048).publicKeyOpenSsh;

describe('UCloud settings: endpoint and project as data, resolved without reading the environment', () => {
  test('endpoint: explicit, then CDKTF_KEYPAIR_UCLOUD_ENDPOINT, then UCLOUD_API_BASE_URL, then api.ucloud.cn', () => {
    // GIVEN
    const both = { CDKTF_KEYPAIR_UCLOUD_ENDPOINT: 'http://127.0.0.1:9000', UCLOUD_API_BASE_URL: 'https://api.example-clone.com' };
    const resolve = (explicit: string | undefined, values: Record<string, string>) => UCLOUD_ENVIRONMENT.resolveEndpoint(explicit, values, 'cn-bj2').href;

    // WHEN / THEN
    expect(resolve('https://api.option.example', both)).toBe('https://api.option.example/');
    expect(resolve(undefined, both)).toBe('http://127.0.0.1:9000/');
    expect(resolve('  ', { UCLOUD_API_BASE_URL: 'https://api.example-clone.com' })).toBe('https://api.example-clone.com/');
    expect(resolve(undefined, {})).toBe('https://api.ucloud.cn/');
    expect(() => resolve(undefined, { UCLOUD_API_BASE_URL: 'ftp://api.example.com' })).toThrow(/UCLOUD_API_BASE_URL must be an http/);
    expect(() => resolve('not a url', {})).toThrow(/endpoint option is not a URL/);
    expect(() => resolve('https://user:pw@api.example.com', {})).toThrow(/must not carry a user name or password/);
    // AND the factory is told which variables to read for it
    expect(UCLOUD_ENVIRONMENT.names.settings).toEqual(['CDKTF_KEYPAIR_UCLOUD_ENDPOINT', 'UCLOUD_API_BASE_URL', 'UCLOUD_PROJECT_ID']);
  });

  test('project: explicit, then UCLOUD_PROJECT_ID, else the default project; a malformed id fails before any request', () => {
    // GIVEN / WHEN / THEN
    expect(UCLOUD_ENVIRONMENT.resolveScope('org-explicit', { UCLOUD_PROJECT_ID: 'org-env' })).toBe('org-explicit');
    expect(UCLOUD_ENVIRONMENT.resolveScope(undefined, { UCLOUD_PROJECT_ID: 'org-env' })).toBe('org-env');
    expect(UCLOUD_ENVIRONMENT.resolveScope(undefined, {})).toBeUndefined();
    expect(() => UCLOUD_ENVIRONMENT.resolveScope(undefined, { UCLOUD_PROJECT_ID: 'project 7' })).toThrow(/project ids look like org-abc123 \(from UCLOUD_PROJECT_ID\)/);
  });
});

describe('UCloud through the factory: only the environment says where to go', () => {
  test.each(['CDKTF_KEYPAIR_UCLOUD_ENDPOINT', 'UCLOUD_API_BASE_URL'])('%s alone points every call at the emulator', async (variable) => {
    // GIVEN an emulator, and an environment holding only credentials, the project and this one endpoint variable
    const emulator = await startEmulator();
    try {
      const env = {
        UCLOUD_PUBLIC_KEY: emulator.credentials.ucloud[0].accessKeyId,
        UCLOUD_PRIVATE_KEY: emulator.credentials.ucloud[0].accessKeySecret,
        UCLOUD_PROJECT_ID: 'org-fromenv',
        [variable]: emulator.endpoints.ucloud,
      };
      const target = { cloud: 'ucloud', region: 'cn-bj2' } as const;
      // Without it the same target would go to the production host, which this test must never reach
      expect(connectionFor(target, { ...env, [variable]: undefined }).endpoint.href).toBe('https://api.ucloud.cn/');

      // WHEN
      const api = keyPairApiFor(target, env, { clock: INSTANT_RETRY_CLOCK });
      const created = await api.create({ name: 'from-env' });
      const found = await api.findByName('from-env');
      const described = await api.describeById(created.id);
      const deleted = await api.delete(created);

      // THEN every call landed in the emulator, in the project from UCLOUD_PROJECT_ID
      expect(connectionFor(target, env).endpoint.href).toBe(`${emulator.endpoints.ucloud}/`);
      expect(found.map((keyPair) => keyPair.id)).toEqual([created.id]);
      expect(described).toMatchObject({ id: created.id, name: 'from-env', fingerprint: created.fingerprint });
      expect(deleted.alreadyGone).toBe(false);
      expect(emulator.listKeyPairs('ucloud')).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });

  test('the project from UCLOUD_PROJECT_ID is where the key pair lands', async () => {
    // GIVEN
    const emulator = await startEmulator();
    try {
      const env = { ...emulator.handlerEnvironment(), UCLOUD_PROJECT_ID: 'org-fromenv' };

      // WHEN
      await keyPairApiFor({ cloud: 'ucloud', region: 'cn-bj2' }, env).create({ name: 'scoped' });

      // THEN
      expect(emulator.listKeyPairs('ucloud')).toEqual([expect.objectContaining({ name: 'scoped', scope: 'cn-bj2/org-fromenv' })]);
    } finally {
      await emulator.stop();
    }
  });

  test('missing credentials fail in the factory, naming the variables and never a value', () => {
    // GIVEN / WHEN
    const missingPublic = () => connectionFor({ cloud: 'ucloud', region: 'cn-bj2' }, { UCLOUD_PRIVATE_KEY: PRIVATE_KEY });
    const blankPrivate = () =>
      connectionFor({ cloud: 'ucloud', region: 'cn-bj2' }, { UCLOUD_PUBLIC_KEY: PUBLIC_KEY, UCLOUD_PRIVATE_KEY: '  ', UCLOUD_SECURITY_TOKEN: STS_TOKEN });

    // THEN
    expect(missingPublic).toThrow(MissingCredentialsError);
    expect(missingPublic).toThrow(/UCloud UHost: no API public key found\. Set one of UCLOUD_PUBLIC_KEY/);
    expect(blankPrivate).toThrow(/no API private key found\. Set one of UCLOUD_PRIVATE_KEY/);
    const connected = connectionFor({ cloud: 'ucloud', region: 'cn-bj2' }, {
      UCLOUD_PUBLIC_KEY: PUBLIC_KEY,
      UCLOUD_PRIVATE_KEY: PRIVATE_KEY,
      UCLOUD_SECURITY_TOKEN: STS_TOKEN,
    });
    expect(connected.credentials.securityToken?.reveal()).toBe(STS_TOKEN);
    expectNoSecrets([JSON.stringify(connected), inspect(connected)], [PRIVATE_KEY, STS_TOKEN]);
  });
});

describe('UCloud KeyPairApi: what it sends and what it returns', () => {
  test('create POSTs a signed form to the base URL and keeps the private key secret', async () => {
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
    const created = await apiAt(loopback.url).create({ name: 'bastion', tags: { ignored: 'UCloud has no tags' } });

    // THEN one signed form POST to the base URL
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
    // AND the neutral result, with no public key and no tags (UCloud has neither)
    expect(created).toMatchObject({ id: 'uhostkp-abc123', name: 'bastion', fingerprint: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', tags: {}, requestId: REQUEST_ID });
    expect(created.publicKey).toBeUndefined();
    expect(created.privateKey.reveal()).toBe(GENERATED_PRIVATE_KEY);
    expectNoSecrets([JSON.stringify(created), inspect(created)], ['MIIEsecretmaterial']);
  });

  test('import trims the key, sends PublicKeyBody, and signs the STS token as SecurityToken', async () => {
    // GIVEN
    const loopback = await serve([ok('ImportUHostKeyPairs', { KeyPairId: 'uhostkp-imp001', KeyPairName: 'ci', KeyPairFingerPrint: 'aa11' })]);
    const credentials = { accessKeyId: PUBLIC_KEY, accessKeySecret: new SecretValue(PRIVATE_KEY), securityToken: new SecretValue(STS_TOKEN) };

    // WHEN
    const imported = await apiAt(loopback.url, { credentials, scope: undefined }).importPublicKey({ name: 'ci', publicKey: `  ${RSA_PUBLIC_KEY} ci@host\n` });

    // THEN
    const form = formOf(loopback.requests[0]);
    expect(form.Action).toBe('ImportUHostKeyPairs');
    expect(form.PublicKeyBody).toBe(`${RSA_PUBLIC_KEY} ci@host`);
    expect(form.SecurityToken).toBe(STS_TOKEN);
    expect(form).not.toHaveProperty('ProjectId');
    expect(form.Signature).toBe(signUcloudParams(form, PRIVATE_KEY));
    expect(imported).toEqual({ id: 'uhostkp-imp001', name: 'ci', fingerprint: 'aa11', tags: {}, requestId: REQUEST_ID });
  });

  // docs/cloud-behaviour.md#importable-key-types
  test.each([
    ['Ed25519', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci', /UCloud imports ssh-rsa keys only/],
    ['a malformed key', 'ssh-rsa not-base64!!', /one line in OpenSSH format/],
  ])('import refuses %s before sending anything (UCloud imports ssh-rsa only)', async (_label, publicKey, remedy) => {
    // GIVEN
    const loopback = await serve([ok('ImportUHostKeyPairs', { KeyPairId: 'uhostkp-x', KeyPairName: 'ci', KeyPairFingerPrint: 'f' })]);

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).importPublicKey({ name: 'ci', publicKey }));

    // THEN
    expect(loopback.requests).toHaveLength(0);
    expect(err).toMatchObject({ outcome: 'permanent', retryable: false, code: 'PublicKeyRejected' });
    expect(err.message).toMatch(remedy);
  });

  test('findByName pages 100 at a time through everything, sends the name filter, and keeps exact matches', async () => {
    // GIVEN 230 pairs whose names all contain "web" (as a fuzzy filter would answer), two named exactly "web"
    const all = Array.from({ length: 230 }, (_, index) => ({
      KeyPairId: `uhostkp-${index}`,
      KeyPairName: index === 3 || index === 201 ? 'web' : `web-${index}`,
      KeyPairFingerPrint: `fp${index}`,
      CreateTime: '1767225600',
    }));
    const loopback = await serve(byAction({ DescribeUHostKeyPairs: describePages(all) }));

    // WHEN
    const found = await apiAt(loopback.url).findByName('web');

    // THEN
    expect(loopback.requests.map((request) => [formOf(request).Offset, formOf(request).Limit, formOf(request).KeyPairName])).toEqual([
      ['0', '100', 'web'],
      ['100', '100', 'web'],
      ['200', '100', 'web'],
    ]);
    expect(found).toEqual([
      { id: 'uhostkp-3', name: 'web', fingerprint: 'fp3', tags: {}, requestId: REQUEST_ID },
      { id: 'uhostkp-201', name: 'web', fingerprint: 'fp201', tags: {}, requestId: REQUEST_ID },
    ]);
  });

  test('describeById pages without a filter: it stops at the page holding the id, and reads every page before "absent"', async () => {
    // GIVEN
    const all = Array.from({ length: 250 }, (_, index) => ({ KeyPairId: `uhostkp-${index}`, KeyPairName: `k${index}`, KeyPairFingerPrint: 'f' }));
    const loopback = await serve(byAction({ DescribeUHostKeyPairs: describePages(all) }));
    const api = apiAt(loopback.url);

    // WHEN
    const found = await api.describeById('uhostkp-120');
    const requestsForFound = loopback.requests.length;
    const missing = await api.describeById('uhostkp-999');

    // THEN
    expect(found).toMatchObject({ id: 'uhostkp-120', name: 'k120' });
    expect(requestsForFound).toBe(2);
    expect(missing).toBeUndefined();
    expect(loopback.requests).toHaveLength(2 + 3);
    expect(loopback.requests.every((request) => !('KeyPairName' in formOf(request)))).toBe(true);
  });

  test('delete numbers KeyPairIds from 0 and reports the request id', async () => {
    // GIVEN
    const loopback = await serve([ok('DeleteUHostKeyPairs')]);

    // WHEN
    const result = await apiAt(loopback.url).delete({ id: 'uhostkp-a', name: 'a' });

    // THEN
    const form = formOf(loopback.requests[0]);
    expect(form['KeyPairIds.0']).toBe('uhostkp-a');
    expect(form).not.toHaveProperty('KeyPairIds.1');
    expect(form.Signature).toBe(signUcloudParams(form, PRIVATE_KEY));
    expect(result).toEqual({ alreadyGone: false, requestId: REQUEST_ID });
  });
});

describe('UCloud outcomes: documented codes by their meaning, undocumented ones never trusted', () => {
  test.each([
    ['signature error', 171, 'permanent', 1, /UCLOUD_PRIVATE_KEY/],
    ['user does not exist', 172, 'permanent', 1, /UCLOUD_PUBLIC_KEY/],
    ['token does not exist', 174, 'permanent', 1, /UCLOUD_SECURITY_TOKEN/],
    ['project does not exist', 292, 'permanent', 1, /UCLOUD_PROJECT_ID/],
    ['IAM denied', 299, 'permanent', 1, /IAM/],
    ['UHost quota', UCLOUD_RET_CODES.quotaExceeded, 'permanent', 1, /quota/],
    ['service unavailable, until the attempts run out', 150, 'unknown', 4, undefined],
    ['an undocumented code (the emulator\'s duplicate name)', 8510, 'permanent', 1, undefined],
    ['an undocumented code the SDKs would retry (>= 2000)', 8024, 'permanent', 1, undefined],
  ])('describe answered %s (RetCode %s): outcome %s after %d request(s)', async (_label, retCode, outcome, requests, remedy) => {
    // GIVEN
    const loopback = await serve([failure('DescribeUHostKeyPairs', retCode, `failure ${retCode}`)]);

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).findByName('web'));

    // THEN
    expect(loopback.requests).toHaveLength(requests);
    expect(err).toMatchObject({ code: String(retCode), outcome, retryable: false, requestId: REQUEST_ID, httpStatus: 200 });
    expect(err.message).toContain(`DescribeUHostKeyPairs failed: ${retCode}: failure ${retCode}`);
    if (remedy) expect(err.message).toMatch(remedy);
  });

  test('a transient code is retried through, and RetCode may be a numeric string', async () => {
    // GIVEN
    const loopback = await serve([
      failure('DescribeUHostKeyPairs', '153', 'throttled'),
      { dropConnection: true },
      { status: 503, body: '<html>busy</html>', headers: { 'content-type': 'text/html' } },
      { status: 200, body: JSON.stringify({ Action: 'DescribeUHostKeyPairsResponse', RetCode: '0', TotalCount: 0, KeyPairs: [] }) },
    ]);
    const log = captureLog();

    // WHEN
    const found = await apiAt(loopback.url, { log: log.log }).findByName('web');

    // THEN the throttled answer is waited out, the dropped connection and the 503 count as transient failures
    expect(found).toEqual([]);
    const decisions = log.lines.filter((line) => line.includes('; attempt '));
    expect(decisions).toHaveLength(3);
    expect(decisions[0]).toMatch(/^ucloud DescribeUHostKeyPairs: asked to retry later \(153\); attempt 2 in [\d.]+ s \([\d.]+ s left of the step's 10 s\)$/);
    expect(decisions[1]).toMatch(/^ucloud DescribeUHostKeyPairs: failed with \S+; attempt 3 in /);
    expect(decisions[2]).toMatch(/^ucloud DescribeUHostKeyPairs: failed with \S+; attempt 4 in /);
  });

  test('a create with an undocumented code is confirmed by describing: nothing named so → permanent', async () => {
    // GIVEN
    const loopback = await serve(
      byAction({
        CreateUHostKeyPair: () => failure('CreateUHostKeyPair', 8510, 'KeyPair name invalid'),
        DescribeUHostKeyPairs: describePages([]),
      }),
    );

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).create({ name: 'bastion' }));

    // THEN
    expect(actionsOf(loopback.requests)).toEqual(['CreateUHostKeyPair', 'DescribeUHostKeyPairs']);
    expect(err).toMatchObject({ code: '8510', outcome: 'permanent', retryable: false });
    expect(err.message).toMatch(/No key pair named "bastion" exists afterwards/);
  });

  test('an import with an undocumented code while a pair has the name → name-taken, naming the pair that holds it', async () => {
    // GIVEN
    const loopback = await serve(
      byAction({
        ImportUHostKeyPairs: () => failure('ImportUHostKeyPairs', 9999, 'something'),
        DescribeUHostKeyPairs: describePages([{ KeyPairId: 'uhostkp-old', KeyPairName: 'ci', KeyPairFingerPrint: 'f' }]),
      }),
    );

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).importPublicKey({ name: 'ci', publicKey: RSA_PUBLIC_KEY }));

    // THEN
    expect(err).toMatchObject({ code: '9999', outcome: 'name-taken', retryable: false });
    expect(err.message).toMatch(/A key pair named "ci" already exists \(uhostkp-old\): pick another name/);
  });

  test('a create that meets a 5xx is neither resent nor declared failed: unknown, for the lifecycle to look up', async () => {
    // GIVEN
    const loopback = await serve([failure('CreateUHostKeyPair', 150, 'Service unavailable', 503)]);

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).create({ name: 'unsure' }));

    // THEN only the create was sent: a describe right after could miss a create still landing
    // (docs/cloud-behaviour.md#read-after-write-lag)
    expect(actionsOf(loopback.requests)).toEqual(['CreateUHostKeyPair']);
    expect(err).toMatchObject({ code: '150', outcome: 'unknown', retryable: false, httpStatus: 503 });
    expect(err.message).toContain('look the key pair up by name');
  });

  test('a throttled create is resent (refused: nothing happened)', async () => {
    // GIVEN
    const loopback = await serve([
      failure('CreateUHostKeyPair', 153, 'throttled'),
      ok('CreateUHostKeyPair', { KeyPair: { KeyPairId: 'uhostkp-1', KeyPairName: 'b', KeyPairFingerPrint: 'f', PrivateKeyBody: GENERATED_PRIVATE_KEY } }),
    ]);

    // WHEN
    const created = await apiAt(loopback.url).create({ name: 'b' });

    // THEN
    expect(created.id).toBe('uhostkp-1');
    expect(loopback.requests).toHaveLength(2);
  });

  test('an answer with no RetCode, or not JSON, is malformed; a bare 4xx is never "not found"', async () => {
    // GIVEN
    const loopback = await serve([
      { status: 200, body: '{"Action":"DescribeUHostKeyPairsResponse"}' },
      { status: 404, body: '{"Message":"no route"}' },
    ]);
    const api = apiAt(loopback.url);

    // WHEN
    const noRetCode = await caughtCloudApiError(api.findByName('x'));
    const bare404 = await caughtCloudApiError(api.findByName('x'));

    // THEN
    expect(noRetCode).toMatchObject({ code: 'MalformedResponse', retryable: false });
    expect(noRetCode.message).toMatch(/RetCode/);
    expect(bare404).toMatchObject({ code: 'HTTP404', outcome: 'permanent', httpStatus: 404 });
  });

  test('throttling (RetCode 153) is waited out past maxAttempts, until the step\'s deadline (injected clock: no real waiting)', async () => {
    // GIVEN waits of 500 ms (half the 1000 ms ceiling, with this clock's jitter) that pass at once but count toward a 3500 ms deadline; 4 attempts for transient failures
    const clock = skippingRetryClock();
    const loopback = await serve([failure('DescribeUHostKeyPairs', 153, 'request throttled')]);

    // WHEN
    const err = await caughtCloudApiError(
      apiAt(loopback.url, { clock, retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 1000, deadlineMs: 3500 } }).findByName('x'),
    );

    // THEN a request every 500 ms, the last at 2500 ms (it still has its 1000 ms before the deadline): six, more than maxAttempts
    expect(err).toMatchObject({ code: '153', outcome: 'refused', retryable: false, retryLater: true, requestId: REQUEST_ID });
    expect(err.message).toContain("request throttled (gave up after 6 attempts, at the step's deadline of 3.5 s)");
    expect(err.remedy).toContain(TUNING_ENV.deadlineSeconds);
    expect(loopback.requests).toHaveLength(6);
  });

  test('a transient RetCode stops after maxAttempts, long before the deadline', async () => {
    // GIVEN
    const clock = skippingRetryClock();
    const loopback = await serve([failure('DescribeUHostKeyPairs', 150, 'Service unavailable')]);

    // WHEN
    const err = await caughtCloudApiError(
      apiAt(loopback.url, { clock, retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 1000, deadlineMs: 3500 } }).findByName('x'),
    );

    // THEN
    expect(err).toMatchObject({ code: '150', outcome: 'unknown', retryable: false, retryLater: false });
    expect(err.message).toContain('(gave up after 4 attempts)');
    expect(loopback.requests).toHaveLength(4);
  });

  test('a hanging request times out and is retried', async () => {
    // GIVEN a server that never answers
    const loopback = await serve([{ hang: true }]);

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url, { retry: { maxAttempts: 2, baseDelayMs: 1, requestTimeoutMs: 100 } }).findByName('x'));

    // THEN
    expect(err.code).toBe('RequestTimeout');
    expect(loopback.requests).toHaveLength(2);
  });
});

describe('UCloud create and import answers that lack a field are completed by a describe', () => {
  const privateKeyOnly = (extra: Record<string, unknown> = {}) => () =>
    ok('CreateUHostKeyPair', { KeyPair: { KeyPairName: 'bastion', PrivateKeyBody: GENERATED_PRIVATE_KEY, ...extra } });

  test('no KeyPairId: the one pair with that name is the new one', async () => {
    // GIVEN
    const loopback = await serve(
      byAction({
        CreateUHostKeyPair: privateKeyOnly(),
        DescribeUHostKeyPairs: describePages([
          { KeyPairId: 'uhostkp-new', KeyPairName: 'bastion', KeyPairFingerPrint: 'f-new' },
          { KeyPairId: 'uhostkp-other', KeyPairName: 'bastion-2', KeyPairFingerPrint: 'f-other' },
        ]),
      }),
    );

    // WHEN
    const created = await apiAt(loopback.url).create({ name: 'bastion' });

    // THEN
    expect(created).toMatchObject({ id: 'uhostkp-new', name: 'bastion', fingerprint: 'f-new' });
    expect(created.privateKey.reveal()).toBe(GENERATED_PRIVATE_KEY);
    expect(formOf(loopback.requests[1])).toMatchObject({ Action: 'DescribeUHostKeyPairs', KeyPairName: 'bastion' });
  });

  test('no KeyPairId but a fingerprint: several pairs with the name are told apart by it', async () => {
    // GIVEN
    const loopback = await serve(
      byAction({
        CreateUHostKeyPair: privateKeyOnly({ KeyPairFingerPrint: 'f-new' }),
        DescribeUHostKeyPairs: describePages([
          { KeyPairId: 'uhostkp-old', KeyPairName: 'bastion', KeyPairFingerPrint: 'f-old' },
          { KeyPairId: 'uhostkp-new', KeyPairName: 'bastion', KeyPairFingerPrint: 'f-new' },
        ]),
      }),
    );

    // WHEN / THEN
    await expect(apiAt(loopback.url).create({ name: 'bastion' })).resolves.toMatchObject({ id: 'uhostkp-new' });
  });

  test.each([
    ['two pairs with the name and nothing to tell them apart', 2, /2 key pairs are named "bastion" \(uhostkp-0, uhostkp-1\): cannot tell which/],
    ['no pair listed with the name', 0, /no key pair named "bastion" is listed/],
  ])('no KeyPairId and %s: outcome unknown, never a guess', async (_label, count, message) => {
    // GIVEN
    const listed = Array.from({ length: count }, (_, index) => ({ KeyPairId: `uhostkp-${index}`, KeyPairName: 'bastion', KeyPairFingerPrint: 'f' }));
    const loopback = await serve(byAction({ CreateUHostKeyPair: privateKeyOnly(), DescribeUHostKeyPairs: describePages(listed) }));

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).create({ name: 'bastion' }));

    // THEN
    expect(err).toMatchObject({ action: 'CreateUHostKeyPair', outcome: 'unknown', retryable: false, requestId: REQUEST_ID });
    expect(err.message).toMatch(message);
    expectNoSecrets([err.message, inspect(err)], ['MIIEsecretmaterial']);
  });

  test('an id without a fingerprint: the fingerprint comes from the describe', async () => {
    // GIVEN
    const loopback = await serve(
      byAction({
        ImportUHostKeyPairs: () => ok('ImportUHostKeyPairs', { KeyPairId: 'uhostkp-imp' }),
        DescribeUHostKeyPairs: describePages([{ KeyPairId: 'uhostkp-imp', KeyPairName: 'ci', KeyPairFingerPrint: 'f-imp' }]),
      }),
    );

    // WHEN
    const imported = await apiAt(loopback.url).importPublicKey({ name: 'ci', publicKey: RSA_PUBLIC_KEY });

    // THEN
    expect(imported).toMatchObject({ id: 'uhostkp-imp', name: 'ci', fingerprint: 'f-imp' });
  });

  test('a create answer without the private key: outcome unknown, and the remedy says the key is lost', async () => {
    // GIVEN
    const loopback = await serve([ok('CreateUHostKeyPair', { KeyPair: { KeyPairId: 'uhostkp-nokey', KeyPairName: 'bastion' } })]);

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).create({ name: 'bastion' }));

    // THEN
    expect(err).toMatchObject({ code: 'MalformedResponse', outcome: 'unknown' });
    expect(err.message).toMatch(/PrivateKeyBody is missing \(key pair uhostkp-nokey\).*cannot be fetched again/);
  });
});

// docs/cloud-behaviour.md#ucloud-documents-no-key-pair-codes, docs/cloud-behaviour.md#ucloud-bound-key-pair-delete
describe('UCloud delete: an answer of unknown meaning is confirmed by describing', () => {
  test('an undocumented code, and the describe shows the pair gone: alreadyGone', async () => {
    // GIVEN
    const loopback = await serve(
      byAction({
        DeleteUHostKeyPairs: () => failure('DeleteUHostKeyPairs', 8513, 'KeyPair [uhostkp-gone] not found'),
        DescribeUHostKeyPairs: describePages([{ KeyPairId: 'uhostkp-other', KeyPairName: 'other', KeyPairFingerPrint: 'f' }]),
      }),
    );

    // WHEN
    const result = await apiAt(loopback.url).delete({ id: 'uhostkp-gone', name: 'gone' });

    // THEN
    expect(result).toEqual({ alreadyGone: true, requestId: REQUEST_ID });
    expect(actionsOf(loopback.requests)).toEqual(['DeleteUHostKeyPairs', 'DescribeUHostKeyPairs']);
  });

  test('an undocumented code, and the pair is still there (e.g. still used by an instance): unknown, with the remedy', async () => {
    // GIVEN
    const loopback = await serve(
      byAction({
        DeleteUHostKeyPairs: () => failure('DeleteUHostKeyPairs', 8514, 'KeyPair [uhostkp-kept] is used by UHost [uhost-1]'),
        DescribeUHostKeyPairs: describePages([{ KeyPairId: 'uhostkp-kept', KeyPairName: 'kept', KeyPairFingerPrint: 'f' }]),
      }),
    );

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).delete({ id: 'uhostkp-kept', name: 'kept' }));

    // THEN
    expect(err).toMatchObject({ code: '8514', outcome: 'unknown', retryable: false });
    expect(err.message).toMatch(/a describe shows it still exists.*delete or reinstall that instance first/);
  });

  test('a bare HTTP 404 is never "gone": the pair is still listed, so the outcome is unknown', async () => {
    // GIVEN
    const loopback = await serve(
      byAction({
        DeleteUHostKeyPairs: () => ({ status: 404, body: '<html>not found</html>', headers: { 'content-type': 'text/html' } }),
        DescribeUHostKeyPairs: describePages([{ KeyPairId: 'uhostkp-kept', KeyPairName: 'kept', KeyPairFingerPrint: 'f' }]),
      }),
    );

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).delete({ id: 'uhostkp-kept', name: 'kept' }));

    // THEN
    expect(err).toMatchObject({ httpStatus: 404, outcome: 'unknown' });
    expect(actionsOf(loopback.requests)).toEqual(['DeleteUHostKeyPairs', 'DescribeUHostKeyPairs']);
  });

  test('when the describe fails too, the outcome stays unknown (nothing is assumed gone)', async () => {
    // GIVEN
    const loopback = await serve(
      byAction({
        DeleteUHostKeyPairs: () => failure('DeleteUHostKeyPairs', 8513, 'not found'),
        DescribeUHostKeyPairs: () => failure('DescribeUHostKeyPairs', 299, 'IAM denied'),
      }),
    );

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).delete({ id: 'uhostkp-x', name: 'x' }));

    // THEN the delete's own error, now unknown
    expect(err).toMatchObject({ code: '8513', action: 'DeleteUHostKeyPairs', outcome: 'unknown' });
    expect(err.message).toMatch(/describing it to check failed too/);
  });

  test('a documented refusal is taken at its word: no describe', async () => {
    // GIVEN
    const loopback = await serve([failure('DeleteUHostKeyPairs', 171, 'Signature VerifyAC Error')]);

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).delete({ id: 'uhostkp-x', name: 'x' }));

    // THEN
    expect(err).toMatchObject({ code: '171', outcome: 'permanent' });
    expect(loopback.requests).toHaveLength(1);
  });
});

describe('UCloud paging never returns a partial list', () => {
  test('a list that never ends stops at the page cap with an error that says so', async () => {
    // GIVEN a server claiming a huge TotalCount and inventing 100 new pairs for every page
    const loopback = await serve(
      byAction({
        DescribeUHostKeyPairs: (form) => {
          const offset = Number(form.Offset);
          const keyPairs = Array.from({ length: 100 }, (_, index) => ({ KeyPairId: `uhostkp-${offset + index}`, KeyPairName: 'x', KeyPairFingerPrint: 'f' }));
          return ok('DescribeUHostKeyPairs', { TotalCount: 10_000_000, KeyPairs: keyPairs });
        },
      }),
    );

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).findByName('x'));

    // THEN
    expect(loopback.requests).toHaveLength(UCLOUD_MAX_PAGES);
    expect(err).toMatchObject({ code: 'MalformedResponse', retryable: false });
    expect(err.message).toMatch(/still paging after 1000 pages.*rather than return a partial list/);
  });

  test.each([
    ['an empty page before TotalCount is reached', (offset: number) => (offset === 0 ? 100 : 0), /page at offset 100 is empty but TotalCount is 150/],
    ['a server that ignores Offset', () => -1, /came back on two pages/],
  ])('%s is an error', async (_label, pageSize, message) => {
    // GIVEN
    const loopback = await serve(
      byAction({
        DescribeUHostKeyPairs: (form) => {
          const offset = Number(form.Offset);
          const size = pageSize(offset);
          const start = size < 0 ? 0 : offset;
          const keyPairs = Array.from({ length: size < 0 ? 100 : size }, (_, index) => ({
            KeyPairId: `uhostkp-${start + index}`,
            KeyPairName: `k${start + index}`,
            KeyPairFingerPrint: 'f',
          }));
          return ok('DescribeUHostKeyPairs', { TotalCount: 150, KeyPairs: keyPairs });
        },
      }),
    );

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url).describeById('uhostkp-149'));

    // THEN
    expect(err.message).toMatch(message);
  });

  test('a list that changes while it is paged is paged again; one that keeps changing is an error', async () => {
    // GIVEN 150 pairs; TotalCount moves on the second page of the first pass only
    const all = Array.from({ length: 150 }, (_, index) => ({ KeyPairId: `uhostkp-${index}`, KeyPairName: `k${index}`, KeyPairFingerPrint: 'f' }));
    const settling = await serve(
      byAction({
        DescribeUHostKeyPairs: (form, call) => {
          const offset = Number(form.Offset);
          return ok('DescribeUHostKeyPairs', { TotalCount: call === 1 ? 151 : 150, KeyPairs: all.slice(offset, offset + 100) });
        },
      }),
    );
    const churning = await serve(
      byAction({
        DescribeUHostKeyPairs: (form, call) => {
          const offset = Number(form.Offset);
          return ok('DescribeUHostKeyPairs', { TotalCount: 150 + call, KeyPairs: all.slice(offset, offset + 100) });
        },
      }),
    );

    // WHEN
    const missing = await apiAt(settling.url).describeById('uhostkp-999');
    const err = await caughtCloudApiError(apiAt(churning.url).describeById('uhostkp-999'));

    // THEN the first is read again in full (2 pages + 2 pages); the second gives up after three passes
    expect(missing).toBeUndefined();
    expect(settling.requests).toHaveLength(4);
    expect(err.message).toMatch(/changed while it was paged, 3 times/);
  });
});

describe('UCloud redaction: a clone echoing what it signed leaks no secret', () => {
  const credentials = { accessKeyId: PUBLIC_KEY, accessKeySecret: new SecretValue(PRIVATE_KEY), securityToken: new SecretValue(STS_TOKEN) };
  const secretForms = [PRIVATE_KEY, encodeURIComponent(PRIVATE_KEY), STS_TOKEN, encodeURIComponent(STS_TOKEN)];

  test.each([
    ['the private key as is', `Signature VerifyAC Error: PrivateKey ${PRIVATE_KEY} does not match`],
    ['the private key URL-encoded', `Signature VerifyAC Error for PublicKey=${PUBLIC_KEY}&PrivateKey=${encodeURIComponent(PRIVATE_KEY)}`],
    ['the STS token, as is and URL-encoded', `Token not exist: SecurityToken=${STS_TOKEN} (${encodeURIComponent(STS_TOKEN)})`],
    ['the string it signed (every parameter, then the private key)', `Signature VerifyAC Error, string to sign: ActionDescribeUHostKeyPairsSecurityToken${STS_TOKEN}${PRIVATE_KEY}`],
    // The old parser cut messages at 300 characters before redaction, leaving the key's first 8 characters.
    ['the private key across the 300th character (no cut may leave part of it)', `${'x'.repeat(291)} ${PRIVATE_KEY} ${'y'.repeat(50)}`],
  ])('a message echoing %s is redacted', async (_label, message) => {
    // GIVEN
    const loopback = await serve([failure('DescribeUHostKeyPairs', 171, message)]);
    const log = captureLog();

    // WHEN
    const err = await caughtCloudApiError(apiAt(loopback.url, { credentials, log: log.log }).findByName('x'));

    // THEN
    expect(err.code).toBe('171');
    const texts = [err.message, err.cloudMessage, err.stack ?? '', inspect(err), JSON.stringify(err), ...log.lines];
    expectNoSecrets(texts, [...secretForms, PRIVATE_KEY.slice(0, 8), PRIVATE_KEY.slice(-8)]);
    expect(err.cloudMessage).not.toBe(message);
  });
});
