import { clientConnection } from './support';
import type { CloudConnection } from '../../../handler/clouds/cloud-connection';
import { CloudCredentials, SecretValue } from '../../../handler/clouds/credentials';
import { MissingCredentialsError } from '../../../handler/clouds/environment';
import { connectionFor, keyPairApiFor } from '../../../handler/clouds/factory';
import type { KeyPairApi } from '../../../handler/clouds/key-pair-api';
import {
  createTencentcloudKeyPairApi,
  InvalidEndpointError,
  parseTc3Authorization,
  signTc3,
  TENCENTCLOUD_ENVIRONMENT,
  TENCENTCLOUD_MAX_PAGES,
  tencentcloudCodeMeaning,
} from '../../../handler/clouds/tencentcloud';
import type { CloudErrorOutcome } from '../../../handler/http/cloud-api-error';
import { TUNING_ENV } from '../../../handler/tuning';
import { NAME_RULES, REDACTED } from '../../../src/contract';
import { caughtCloudApiError } from '../../support/cloud-api-errors';
import { captureLog, expectNoSecrets, RecordedRequest, ScriptedReply, useLoopbackServers } from '../../support/loopback-server';
import { skippingRetryClock } from '../../support/retry-clocks';

/*
 * The Tencent Cloud CVM client over real HTTP against a scripted loopback server: what it sends, and what
 * each kind of answer means for the key pair (the outcome the lifecycle acts on).
 */

const SECRET_ID = 'AKIDtestSecretId0001';
const SECRET_KEY = 'tencent-test-secret-key-do-not-print';
const STS_TOKEN = 'sts-token-that-must-stay-out-of-logs';
const PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretprivatekeymaterial\n-----END RSA PRIVATE KEY-----';
const KEY_MATERIAL = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7test';
/** How Tencent returns a public key: its own comment, whatever the user's was (docs/cloud-behaviour.md#tencent-public-key-comment). */
const PUBLIC_KEY_AS_TENCENT_KEEPS_IT = `${KEY_MATERIAL} skey_123456`;
const REGION = 'ap-guangzhou';

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

/** Tencent's error envelope, always HTTP 200 (docs/cloud-behaviour.md#tencent-errors-at-http-200). */
function tencentError(code: string, message = 'the cloud says no', requestId = 'req-err-1'): ScriptedReply {
  return { status: 200, body: JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } }) };
}

function keyPairItem(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    KeyId: 'skey-abcd1234',
    KeyName: 'ci_runner',
    ProjectId: 0,
    Description: '',
    PublicKey: PUBLIC_KEY_AS_TENCENT_KEEPS_IT,
    AssociatedInstanceIds: [],
    CreatedTime: '2024-05-01T10:00:00Z',
    Tags: [{ Key: 'team', Value: 'infra' }],
    ...fields,
  };
}

const CREATED = { KeyPair: { ...keyPairItem(), PrivateKey: PRIVATE_KEY } };

const serve = useLoopbackServers();

function connection(url: string, overrides: Partial<CloudConnection> = {}): CloudConnection {
  return clientConnection(REGION, url, { id: SECRET_ID, secret: SECRET_KEY }, overrides);
}

function api(url: string, overrides: Partial<CloudConnection> = {}): KeyPairApi {
  return createTencentcloudKeyPairApi(connection(url, overrides));
}

function actionsOf(requests: readonly RecordedRequest[]): string[] {
  return requests.map((request) => String(request.headers['x-tc-action']));
}

function bodyOf(request: RecordedRequest): any {
  return JSON.parse(request.body);
}

/** Recomputes the signature from what the server received, with the signer's own functions. */
function expectValidSignature(request: RecordedRequest): void {
  const authorization = parseTc3Authorization(String(request.headers.authorization));
  expect(authorization).toBeDefined();
  const signedHeaders = Object.fromEntries(authorization!.signedHeaderNames.map((name) => [name, String(request.headers[name])]));
  const recomputed = signTc3({
    method: 'POST',
    canonicalQueryString: '',
    signedHeaders,
    payload: request.body,
    secretId: authorization!.secretId,
    secretKey: SECRET_KEY,
    service: authorization!.service,
    timestamp: Number(request.headers['x-tc-timestamp']),
  });
  expect(request.headers.authorization).toBe(recomputed.authorization);
}

describe('settings: endpoint, project and credentials, resolved by the factory only', () => {
  const resolve = (explicit: string | undefined, values: Record<string, string>) =>
    TENCENTCLOUD_ENVIRONMENT.resolveEndpoint(explicit, values, REGION).href;

  test('an explicit endpoint wins, then CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT, then TENCENTCLOUD_PROTOCOL and TENCENTCLOUD_DOMAIN', () => {
    // GIVEN
    const values = { CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: 'http://127.0.0.1:9000', TENCENTCLOUD_DOMAIN: 'intl.tencentcloudapi.com' };

    // WHEN / THEN
    expect(resolve('https://cvm.example.test', values)).toBe('https://cvm.example.test/');
    expect(resolve(undefined, values)).toBe('http://127.0.0.1:9000/');
    expect(resolve('  ', values)).toBe('http://127.0.0.1:9000/');
    expect(resolve(undefined, { TENCENTCLOUD_DOMAIN: 'intl.tencentcloudapi.com' })).toBe('https://cvm.intl.tencentcloudapi.com/');
    expect(resolve(undefined, { TENCENTCLOUD_PROTOCOL: 'HTTP' })).toBe('http://cvm.tencentcloudapi.com/');
    expect(resolve(undefined, {})).toBe('https://cvm.tencentcloudapi.com/');
  });

  test('the factory reads those variables from the environment it is given', () => {
    // GIVEN
    const env = { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY };

    // WHEN
    const overridden = connectionFor({ cloud: 'tencentcloud', region: REGION }, { ...env, CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: ' http://127.0.0.1:9000 ' });
    const byDomain = connectionFor({ cloud: 'tencentcloud', region: REGION }, { ...env, TENCENTCLOUD_DOMAIN: 'intl.tencentcloudapi.com' });
    const explicit = connectionFor({ cloud: 'tencentcloud', region: REGION, endpoint: 'https://cvm.example.test' }, { ...env, CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: 'http://127.0.0.1:9000' });

    // THEN
    expect(overridden.endpoint.href).toBe('http://127.0.0.1:9000/');
    expect(byDomain.endpoint.href).toBe('https://cvm.intl.tencentcloudapi.com/');
    expect(explicit.endpoint.href).toBe('https://cvm.example.test/');
    expect(overridden.credentials.accessKeyId).toBe(SECRET_ID);
    expect(overridden.credentials.accessKeySecret.reveal()).toBe(SECRET_KEY);
  });

  test('rejects endpoints that cannot be signed or reached, naming where they came from', () => {
    // WHEN / THEN
    expect(() => resolve('ftp://cvm.example.test', {})).toThrow(InvalidEndpointError);
    expect(() => resolve('https://proxy.example.test/cvm', {})).toThrow(/bare origin/);
    expect(() => resolve('not a url', {})).toThrow(/the endpoint option is not a URL/);
    expect(() => resolve(undefined, { CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: 'http://127.0.0.1:9000/?x=1' })).toThrow(/CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT/);
    expect(() => resolve(undefined, { TENCENTCLOUD_PROTOCOL: 'gopher' })).toThrow(/TENCENTCLOUD_PROTOCOL/);
    expect(() => createTencentcloudKeyPairApi(connection('http://127.0.0.1:9/cvm'))).toThrow(/bare origin/);
  });

  test('the scope is a decimal project id (unset: the default project); anything else fails before any request', () => {
    // WHEN / THEN
    expect(TENCENTCLOUD_ENVIRONMENT.resolveScope('1004', {})).toBe('1004');
    expect(TENCENTCLOUD_ENVIRONMENT.resolveScope(undefined, {})).toBeUndefined();
    for (const bad of ['abc', '-1', '01', '1.5', 'rg-123']) {
      expect(() => TENCENTCLOUD_ENVIRONMENT.resolveScope(bad, {})).toThrow(/Tencent Cloud project id/);
      expect(() => createTencentcloudKeyPairApi(connection('http://127.0.0.1:9', { scope: bad }))).toThrow(/non-negative integers/);
    }
  });

  test('missing credentials name the variables, never a value', () => {
    // WHEN / THEN
    expect(() => keyPairApiFor({ cloud: 'tencentcloud', region: REGION }, { TENCENTCLOUD_SECRET_KEY: SECRET_KEY })).toThrow(MissingCredentialsError);
    expect(() => keyPairApiFor({ cloud: 'tencentcloud', region: REGION }, { TENCENTCLOUD_SECRET_KEY: SECRET_KEY })).toThrow(/TENCENTCLOUD_SECRET_ID/);
    expect(() => keyPairApiFor({ cloud: 'tencentcloud', region: REGION }, { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: ' ' })).toThrow(
      /TENCENTCLOUD_SECRET_KEY/,
    );
  });

  test('with only the environment pointing at a server, every call goes there', async () => {
    // GIVEN a loopback server named by the override variable alone, and no endpoint anywhere else
    const { url, requests } = await serve([ok({ TotalCount: 0, KeyPairSet: [] })]);
    const env = {
      TENCENTCLOUD_SECRET_ID: SECRET_ID,
      TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
      TENCENTCLOUD_SECURITY_TOKEN: STS_TOKEN,
      CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: url,
    };

    // WHEN
    const found = await keyPairApiFor({ cloud: 'tencentcloud', region: REGION, scope: '7' }, env, { clock: skippingRetryClock() }).findByName('ci_runner');

    // THEN the server got the call (a client falling back to cvm.tencentcloudapi.com would leave it at zero)
    expect(found).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(requests[0].headers.host).toBe(new URL(url).host);
    expect(requests[0].headers['x-tc-token']).toBe(STS_TOKEN);
    expect(bodyOf(requests[0]).Filters).toContainEqual({ Name: 'project-id', Values: ['7'] });
    expectValidSignature(requests[0]);
  });
});

describe('requests and results over real HTTP', () => {
  test('create: a signed JSON POST to / with the X-TC headers, tags in the call itself; the neutral result', async () => {
    // GIVEN
    const { url, requests } = await serve([ok(CREATED)]);

    // WHEN
    const created = await api(url, { scope: '7' }).create({ name: 'ci_runner', tags: { team: 'infra' } });

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
    expect(request.headers['x-tc-region']).toBe(REGION);
    expect(request.headers['x-tc-language']).toBe('en-US');
    expect(request.headers['x-tc-token']).toBeUndefined();
    expect(bodyOf(request)).toEqual({
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

    // THEN the result: no fingerprint (Tencent has none), the public key as Tencent gave it
    expect(created).toMatchObject({
      id: 'skey-abcd1234',
      name: 'ci_runner',
      fingerprint: '',
      publicKey: PUBLIC_KEY_AS_TENCENT_KEEPS_IT,
      tags: { team: 'infra' },
      requestId: 'req-ok-1',
    });
    expect(created.privateKey.reveal()).toBe(PRIVATE_KEY);
    expect(String(created.privateKey)).toBe(REDACTED);
    expect(JSON.stringify(created)).not.toContain('PRIVATE KEY');
  });

  test('import: the public key is trimmed; the STS token goes in X-TC-Token, outside the signature; the result is the described pair', async () => {
    // GIVEN the import answers the id only, and the describe shows the pair as Tencent keeps it
    const { url, requests } = await serve([
      ok({ KeyId: 'skey-imp12345' }, 'req-import'),
      ok({ TotalCount: 1, KeyPairSet: [keyPairItem({ KeyId: 'skey-imp12345', KeyName: 'laptop', Tags: [] })] }),
    ]);

    // WHEN a key as read from a .pub file: trailing newline, a comment
    const imported = await api(url, { credentials: credentials(true) }).importPublicKey({ name: 'laptop', publicKey: `  ${KEY_MATERIAL} me@laptop\n` });

    // THEN
    expect(actionsOf(requests)).toEqual(['ImportKeyPair', 'DescribeKeyPairs']);
    expect(bodyOf(requests[0])).toEqual({ KeyName: 'laptop', ProjectId: 0, PublicKey: `${KEY_MATERIAL} me@laptop` });
    expect(bodyOf(requests[1])).toEqual({ KeyIds: ['skey-imp12345'] });
    expect(requests[0].headers['x-tc-token']).toBe(STS_TOKEN);
    expect(String(requests[0].headers.authorization)).not.toContain('x-tc-token');
    requests.forEach(expectValidSignature);
    expect(imported).toEqual({
      id: 'skey-imp12345',
      name: 'laptop',
      fingerprint: '',
      publicKey: PUBLIC_KEY_AS_TENCENT_KEEPS_IT,
      tags: {},
      requestId: 'req-import',
    });
  });

  test('import: when the completing describe fails, what was sent stands in (the pair is not orphaned)', async () => {
    // GIVEN
    const { url } = await serve([ok({ KeyId: 'skey-imp12345' }, 'req-import'), tencentError('AuthFailure.UnauthorizedOperation')]);

    // WHEN
    const imported = await api(url).importPublicKey({ name: 'laptop', publicKey: `${KEY_MATERIAL} me@laptop\n`, tags: { team: 'infra' } });

    // THEN
    expect(imported).toEqual({
      id: 'skey-imp12345',
      name: 'laptop',
      fingerprint: '',
      publicKey: `${KEY_MATERIAL} me@laptop`,
      tags: { team: 'infra' },
      requestId: 'req-import',
    });
  });

  test('import: an answer without KeyId is completed by the name and the public key', async () => {
    // GIVEN two pairs with the name in other projects' sense (fuzzy filter), one with our key
    const { url, requests } = await serve([
      ok({}, 'req-import'),
      ok({
        TotalCount: 2,
        KeyPairSet: [
          keyPairItem({ KeyId: 'skey-other000', KeyName: 'laptop_old', PublicKey: 'ssh-rsa AAAAother skey_1' }),
          keyPairItem({ KeyId: 'skey-imp12345', KeyName: 'laptop' }),
        ],
      }),
    ]);

    // WHEN
    const imported = await api(url).importPublicKey({ name: 'laptop', publicKey: `${KEY_MATERIAL} me@laptop` });

    // THEN
    expect(actionsOf(requests)).toEqual(['ImportKeyPair', 'DescribeKeyPairs']);
    expect(imported).toMatchObject({ id: 'skey-imp12345', name: 'laptop', requestId: 'req-import' });
  });

  test('create: an answer without the public key is completed by a describe by id', async () => {
    // GIVEN
    const { url, requests } = await serve([
      ok({ KeyPair: { KeyId: 'skey-abcd1234', KeyName: 'ci_runner', PrivateKey: PRIVATE_KEY } }, 'req-create'),
      ok({ TotalCount: 1, KeyPairSet: [keyPairItem()] }),
    ]);

    // WHEN
    const created = await api(url).create({ name: 'ci_runner' });

    // THEN
    expect(actionsOf(requests)).toEqual(['CreateKeyPair', 'DescribeKeyPairs']);
    expect(bodyOf(requests[1])).toEqual({ KeyIds: ['skey-abcd1234'] });
    expect(created).toMatchObject({ id: 'skey-abcd1234', publicKey: PUBLIC_KEY_AS_TENCENT_KEEPS_IT, requestId: 'req-create' });
    expect(created.privateKey.reveal()).toBe(PRIVATE_KEY);
  });

  test('create: an answer without the id is completed by the name and the tags; a failed lookup is "outcome unknown" of the create', async () => {
    // GIVEN
    const { url } = await serve((request) =>
      request.headers['x-tc-action'] === 'CreateKeyPair'
        ? ok({ KeyPair: { PrivateKey: PRIVATE_KEY } })
        : ok({ TotalCount: 1, KeyPairSet: [keyPairItem({ Tags: [{ Key: 'owner', Value: 'me' }] })] }),
    );
    const { url: failingUrl } = await serve((request) =>
      request.headers['x-tc-action'] === 'CreateKeyPair' ? ok({ KeyPair: { PrivateKey: PRIVATE_KEY } }) : tencentError('RequestLimitExceeded'),
    );

    // WHEN
    const created = await api(url).create({ name: 'ci_runner', tags: { owner: 'me' } });
    const error = await caughtCloudApiError(api(failingUrl).create({ name: 'ci_runner', tags: { owner: 'me' } }));

    // THEN
    expect(created).toMatchObject({ id: 'skey-abcd1234', name: 'ci_runner', tags: { owner: 'me' } });
    expect(error).toMatchObject({ action: 'CreateKeyPair', outcome: 'unknown', retryable: false });
    expect(error.remedy).toMatch(/Look the key pair "ci_runner" up by name/);
  });

  test('create: an answer without the private key is "outcome unknown", and says the pair may exist without it', async () => {
    // GIVEN
    const { url } = await serve([ok({ KeyPair: keyPairItem() }, 'req-no-key')]);

    // WHEN
    const error = await caughtCloudApiError(api(url).create({ name: 'ci_runner' }));

    // THEN
    expect(error).toMatchObject({ action: 'CreateKeyPair', code: 'MalformedResponse', outcome: 'unknown', retryable: false, requestId: 'req-no-key' });
    expect(error.message).toContain('skey-abcd1234');
    expect(error.remedy).toMatch(/delete it and create it again/);
  });

  test('findByName pages through everything, filters by name and project, and keeps exact matches only', async () => {
    // GIVEN 150 pairs whose names contain "web" (a fuzzy filter), two of them named exactly "web"
    const all = Array.from({ length: 150 }, (_, i) => keyPairItem({ KeyId: `skey-${String(i).padStart(8, '0')}`, KeyName: i === 42 || i === 120 ? 'web' : `web_${i}` }));
    const { url, requests } = await serve((request) => {
      const { Offset = 0, Limit = 20 } = bodyOf(request) as { Offset?: number; Limit?: number };
      return ok({ TotalCount: all.length, KeyPairSet: all.slice(Offset, Offset + Limit) });
    });

    // WHEN
    const matches = await api(url, { scope: '3' }).findByName('web');

    // THEN
    expect(matches.map((keyPair) => keyPair.id)).toEqual(['skey-00000042', 'skey-00000120']);
    expect(requests.map(bodyOf)).toEqual([0, 100].map((Offset) => ({
      Filters: [
        { Name: 'key-name', Values: ['web'] },
        { Name: 'project-id', Values: ['3'] },
      ],
      Offset,
      Limit: 100,
    })));
  });

  test('findByName never returns a partial list: an empty page before the total, or too many pages, is an error', async () => {
    // GIVEN a listing that shrinks under the reader, and one that never ends
    const { url: shrinking } = await serve((request) =>
      bodyOf(request).Offset === 0 ? ok({ TotalCount: 150, KeyPairSet: Array.from({ length: 100 }, () => keyPairItem({ KeyName: 'web_x' })) }) : ok({ TotalCount: 150, KeyPairSet: [] }),
    );
    const { url: endless, requests } = await serve(() => ok({ TotalCount: 1_000_000, KeyPairSet: Array.from({ length: 100 }, () => keyPairItem({ KeyName: 'web_x' })) }));

    // WHEN
    const shrunk = await caughtCloudApiError(api(shrinking).findByName('web'));
    const capped = await caughtCloudApiError(api(endless).findByName('web'));

    // THEN
    expect(shrunk).toMatchObject({ code: 'IncompleteListing', outcome: 'refused', retryable: false });
    expect(shrunk.message).toMatch(/after 100 of 150/);
    expect(capped).toMatchObject({ code: 'IncompleteListing', outcome: 'permanent' });
    expect(capped.message).toContain(`more than ${TENCENTCLOUD_MAX_PAGES} pages`);
    expect(requests).toHaveLength(TENCENTCLOUD_MAX_PAGES);
  });

  // docs/cloud-behaviour.md#not-found-codes
  test('describeById: by KeyIds; an empty set means the pair is gone (no error for an unknown id)', async () => {
    // GIVEN
    const { url, requests } = await serve([ok({ TotalCount: 1, KeyPairSet: [keyPairItem()] }, 'req-d1'), ok({ TotalCount: 0, KeyPairSet: [] })]);

    // WHEN
    const found = await api(url).describeById('skey-abcd1234');
    const gone = await api(url).describeById('skey-gone0000');

    // THEN
    expect(requests.map(bodyOf)).toEqual([{ KeyIds: ['skey-abcd1234'] }, { KeyIds: ['skey-gone0000'] }]);
    expect(found).toEqual({ id: 'skey-abcd1234', name: 'ci_runner', fingerprint: '', publicKey: PUBLIC_KEY_AS_TENCENT_KEEPS_IT, tags: { team: 'infra' }, requestId: 'req-d1' });
    expect(gone).toBeUndefined();
  });

  test('delete by id; InvalidKeyPairId.NotFound means already gone', async () => {
    // GIVEN
    const { url, requests } = await serve([ok({}, 'req-del'), tencentError('InvalidKeyPairId.NotFound', 'The key pair `skey-gone0000` does not exist.', 'req-gone')]);

    // WHEN
    const deleted = await api(url).delete({ id: 'skey-abcd1234', name: 'ci_runner' });
    const gone = await api(url).delete({ id: 'skey-gone0000', name: 'old' });

    // THEN
    expect(requests.map(bodyOf)).toEqual([{ KeyIds: ['skey-abcd1234'] }, { KeyIds: ['skey-gone0000'] }]);
    expect(deleted).toEqual({ alreadyGone: false, requestId: 'req-del' });
    expect(gone).toEqual({ alreadyGone: true, requestId: 'req-gone' });
  });

  test('a bare HTTP 404 is never "gone": only Tencent\'s own code is', async () => {
    // GIVEN a proxy answering 404 without Tencent's envelope
    const { url, requests } = await serve([{ status: 404, body: '{"message":"no route"}' }]);

    // WHEN
    const error = await caughtCloudApiError(api(url).delete({ id: 'skey-abcd1234', name: 'ci_runner' }));

    // THEN
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'HttpStatusCodeError', httpStatus: 404, outcome: 'permanent', retryable: false });
    expect(error.message).not.toContain('no route');
  });

  // docs/cloud-behaviour.md#bound-key-pair-delete
  test('delete of a pair bound to an instance: in use, not retried here, with the remedy', async () => {
    // GIVEN
    const { url, requests } = await serve([tencentError('InvalidParameterValue.KeyPairNotSupported', 'The specified key pair does not support the current operation.')]);

    // WHEN
    const error = await caughtCloudApiError(api(url).delete({ id: 'skey-abcd1234', name: 'ci_runner' }));

    // THEN the lifecycle retries in-use for its own bounded time: the call layer sends it once
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'InvalidParameterValue.KeyPairNotSupported', outcome: 'in-use', retryable: false, httpStatus: 200 });
    expect(error.remedy).toMatch(/bound to an instance/);
    expect(error.message).toContain(error.remedy);
  });

  // docs/cloud-behaviour.md#tencent-image-holds-key-pair
  test('delete of a pair a custom image was made with: permanent until the image is deleted, with the remedy', async () => {
    // GIVEN
    const { url, requests } = await serve([tencentError('InvalidKeyPair.NotSupported', 'The key pair is not supported, which associastes with image `img-abc`.')]);

    // WHEN
    const error = await caughtCloudApiError(api(url).delete({ id: 'skey-abcd1234', name: 'ci_runner' }));

    // THEN
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'InvalidKeyPair.NotSupported', outcome: 'permanent', retryable: false });
    expect(error.remedy).toMatch(/custom image/);
    expect(error.remedy).toMatch(/delete those images/);
  });
});

describe('outcomes', () => {
  test.each<[string, CloudErrorOutcome, boolean]>([
    ['RequestLimitExceeded', 'refused', true],
    ['RequestLimitExceeded.UinLimitExceeded', 'refused', true],
    ['ResourceBusy', 'refused', true],
    ['ResourceUnavailable.Maintenance', 'refused', true],
    ['InternalError', 'unknown', true],
    ['InternalServerError', 'unknown', true],
    ['InternalError.DbError', 'unknown', true],
    ['InvalidKeyPairId.NotFound', 'not-found', false],
    ['InvalidParameterValue.KeyPairNotSupported', 'in-use', false],
    ['InvalidKeyPair.NotSupported', 'permanent', false],
    ['InvalidKeyPairName.Duplicate', 'name-taken', false],
    ['InvalidKeyPair.LimitExceeded', 'permanent', false],
    ['AuthFailure.SignatureFailure', 'permanent', false],
    ['InvalidParameterValue', 'permanent', false],
    // Prefixes that only look like a family are not one.
    ['RequestLimitExceededNot', 'permanent', false],
    ['InternalErrorLike', 'permanent', false],
    ['ResourceNotFound', 'permanent', false],
  ])('%s → %s (retryable: %s)', (code, outcome, retryable) => {
    // WHEN / THEN
    expect(tencentcloudCodeMeaning(code)).toMatchObject({ outcome, retryable });
  });

  test.each(['RequestLimitExceeded', 'RequestLimitExceeded.UinLimitExceeded', 'ResourceBusy', 'ResourceUnavailable.Maintenance'])(
    'a create refused with %s is sent again, re-signed, then succeeds',
    async (code) => {
      // GIVEN
      const { url, requests } = await serve([tencentError(code, 'slow down'), ok(CREATED)]);
      const { lines, log } = captureLog();

      // WHEN
      const created = await api(url, { log }).create({ name: 'ci_runner' });

      // THEN
      expect(created.id).toBe('skey-abcd1234');
      expect(requests).toHaveLength(2);
      requests.forEach(expectValidSignature);
      expect(lines.filter((line) => line.includes('retry later'))).toEqual([
        expect.stringMatching(new RegExp(`^tencentcloud CreateKeyPair: asked to retry later \\(${code.replace(/\./g, '\\.')}\\); attempt 2 in [\\d.]+ s \\([\\d.]+ s left of the step's 10 s\\)$`)),
      ]);
    },
  );

  // docs/cloud-behaviour.md#tencent-errors-at-http-200, docs/cloud-behaviour.md#no-idempotency-token
  test.each(['InternalError', 'InternalServerError'])(
    '%s at HTTP 200: a create or import is "outcome unknown" and not sent again; describe and delete are retried',
    async (code) => {
      // GIVEN every create and import fails internally; the first describe and the first delete too
      const { url, requests } = await serve((request, index) => {
        const action = request.headers['x-tc-action'];
        if (action === 'CreateKeyPair' || action === 'ImportKeyPair' || index === 2 || index === 4) return tencentError(code, 'oops');
        return action === 'DescribeKeyPairs' ? ok({ TotalCount: 0, KeyPairSet: [] }) : ok({});
      });

      // WHEN
      const createError = await caughtCloudApiError(api(url).create({ name: 'ci_runner' }));
      const importError = await caughtCloudApiError(api(url).importPublicKey({ name: 'laptop', publicKey: KEY_MATERIAL }));
      const described = await api(url).describeById('skey-abcd1234');
      const deleted = await api(url).delete({ id: 'skey-abcd1234', name: 'ci_runner' });

      // THEN one request each for create and import, two for describe and delete
      expect(actionsOf(requests)).toEqual(['CreateKeyPair', 'ImportKeyPair', 'DescribeKeyPairs', 'DescribeKeyPairs', 'DeleteKeyPairs', 'DeleteKeyPairs']);
      for (const error of [createError, importError]) {
        expect(error).toMatchObject({ code, outcome: 'unknown', retryable: false, httpStatus: 200 });
        expect(error.remedy).toMatch(/look the key pair up by name/);
      }
      expect(described).toBeUndefined();
      expect(deleted.alreadyGone).toBe(false);
    },
  );

  test('gateway answers: a 5xx page and a dropped connection are retried; an envelope-less 429 is refused and retried', async () => {
    // GIVEN
    const { url, requests } = await serve([
      { status: 502, body: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } },
      { dropConnection: true },
      { status: 429, body: '{}' },
      ok({ TotalCount: 0, KeyPairSet: [] }),
    ]);
    const { lines, log } = captureLog();

    // WHEN
    const found = await api(url, { log }).findByName('absent');

    // THEN the 5xx and the dropped connection count as transient failures, the 429 as a request to retry later
    expect(found).toEqual([]);
    expect(requests).toHaveLength(4);
    const decisions = lines.filter((line) => line.includes('; attempt '));
    expect(decisions).toHaveLength(3);
    expect(decisions[0]).toMatch(/^tencentcloud DescribeKeyPairs: failed with \S+; attempt 2 in/);
    expect(decisions[1]).toMatch(/^tencentcloud DescribeKeyPairs: failed with \S+; attempt 3 in/);
    expect(decisions[2]).toContain('tencentcloud DescribeKeyPairs: asked to retry later (HttpStatusCodeError); attempt 4 in');
  });

  test('an envelope-less 429 is waited out past maxAttempts, until the deadline', async () => {
    // GIVEN a gateway that answers every call with 429; 2 attempts for transient failures; a 5 s deadline
    const { url, requests } = await serve([{ status: 429, body: '{}' }]);

    // WHEN
    const error = await caughtCloudApiError(
      api(url, { retry: { maxAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 1_000, requestTimeoutMs: 1_000, deadlineMs: 5_000 } }).findByName('x'),
    );

    // THEN
    expect(error).toMatchObject({ code: 'HttpStatusCodeError', httpStatus: 429, outcome: 'refused', retryable: false, retryLater: true });
    expect(requests.length).toBeGreaterThan(2);
    expect(error.message).toContain(`(gave up after ${requests.length} attempts, at the step's deadline of 5.0 s)`);
  });

  test('a create meeting a gateway 5xx is "outcome unknown" and not sent again', async () => {
    // GIVEN
    const { url, requests } = await serve([{ status: 503, body: '{}' }, ok(CREATED)]);

    // WHEN
    const error = await caughtCloudApiError(api(url).create({ name: 'ci_runner' }));

    // THEN
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'HttpStatusCodeError', httpStatus: 503, outcome: 'unknown', retryable: false });
  });

  test.each([
    ['AuthFailure.SignatureFailure', /TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/],
    ['AuthFailure.SignatureExpire', /clock/],
    ['AuthFailure.TokenFailure', /TENCENTCLOUD_SECURITY_TOKEN/],
    ['InvalidKeyPair.LimitExceeded', /quota \(100 per account/],
    ['InvalidPublicKey.Malformed', /OpenSSH RSA/],
    ['InvalidKeyPairNameIncludeIllegalChar', new RegExp(NAME_RULES.tencentcloud.import.description.replace(/[()]/g, '\\$&'))],
  ])('%s: permanent, sent once; code, request id and remedy in the message', async (code, remedy) => {
    // GIVEN
    const { url, requests } = await serve([tencentError(code, 'the cloud says no', 'req-4711')]);

    // WHEN
    const error = await caughtCloudApiError(api(url).importPublicKey({ name: 'ci', publicKey: KEY_MATERIAL }));

    // THEN
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ cloud: 'tencentcloud', action: 'ImportKeyPair', code, requestId: 'req-4711', httpStatus: 200, retryable: false, outcome: 'permanent' });
    expect(error.message).toContain(code);
    expect(error.message).toContain('req-4711');
    expect(error.message).toContain('the cloud says no');
    expect(error.message).toMatch(remedy);
  });

  test('InvalidKeyPairName.Duplicate: name-taken, sent once; code, request id and remedy in the message', async () => {
    // GIVEN
    const { url, requests } = await serve([tencentError('InvalidKeyPairName.Duplicate', 'the cloud says no', 'req-4711')]);

    // WHEN
    const error = await caughtCloudApiError(api(url).importPublicKey({ name: 'ci', publicKey: KEY_MATERIAL }));

    // THEN
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({
      cloud: 'tencentcloud',
      action: 'ImportKeyPair',
      code: 'InvalidKeyPairName.Duplicate',
      requestId: 'req-4711',
      httpStatus: 200,
      retryable: false,
      outcome: 'name-taken',
    });
    expect(error.message).toContain('req-4711');
    expect(error.message).toContain('the cloud says no');
    expect(error.message).toMatch(/already exists/);
  });

  test('a hanging server: each attempt ends at the per-request timeout, and the retries stop', async () => {
    // GIVEN
    const { url, requests } = await serve([{ hang: true }]);

    // WHEN
    const error = await caughtCloudApiError(api(url, { retry: { maxAttempts: 2, requestTimeoutMs: 100, baseDelayMs: 1 } }).findByName('x'));

    // THEN
    expect(error).toMatchObject({ code: 'RequestTimeout', retryable: false });
    expect(error.message).toMatch(/gave up after 2 attempts/);
    expect(requests).toHaveLength(2);
  });

  test('throttling is waited out past maxAttempts, until the step\'s deadline (measured on the injected clock)', async () => {
    // GIVEN always throttled; 3 attempts for transient failures; waits of up to 1 to 4 s on a clock that skips them; a 10 s deadline
    const { url, requests } = await serve([tencentError('RequestLimitExceeded')]);
    const clock = skippingRetryClock();
    const started = clock.now();

    // WHEN
    const error = await caughtCloudApiError(
      api(url, { clock, retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 4_000, requestTimeoutMs: 1_000, deadlineMs: 10_000 } }).findByName('x'),
    );

    // THEN more requests than maxAttempts, the last one started with room for its 1 s before the deadline
    expect(error).toMatchObject({ code: 'RequestLimitExceeded', outcome: 'refused', retryable: false, retryLater: true });
    expect(requests.length).toBeGreaterThan(3);
    expect(error.message).toContain(`(gave up after ${requests.length} attempts, at the step's deadline of 10 s)`);
    expect(error.remedy).toContain(TUNING_ENV.deadlineSeconds);
    expect(clock.now() - started).toBeGreaterThan(8_000);
    expect(clock.now() - started).toBeLessThanOrEqual(10_000);
  });

  test('an internal error on a describe stops after maxAttempts, long before the deadline', async () => {
    // GIVEN always an internal error; 3 attempts
    const { url, requests } = await serve([tencentError('InternalError', 'oops')]);

    // WHEN
    const error = await caughtCloudApiError(
      api(url, { retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 4_000, requestTimeoutMs: 1_000, deadlineMs: 10_000 } }).findByName('x'),
    );

    // THEN
    expect(error).toMatchObject({ code: 'InternalError', outcome: 'unknown', retryable: false, retryLater: false });
    expect(requests).toHaveLength(3);
    expect(error.message).toContain('(gave up after 3 attempts)');
  });
});

describe('malformed answers and secrets', () => {
  test('a non-JSON 200 body is malformed and never echoed; on a create it is "outcome unknown"', async () => {
    // GIVEN
    const { url, requests } = await serve([{ status: 200, body: '<html>Welcome to the hotel wifi</html>', headers: { 'content-type': 'text/html' } }]);

    // WHEN
    const error = await caughtCloudApiError(api(url).create({ name: 'ci_runner' }));

    // THEN
    expect(error).toMatchObject({ code: 'MalformedResponse', outcome: 'unknown', retryable: false });
    expect(error.message).not.toContain('hotel wifi');
    expect(requests).toHaveLength(1);
  });

  test('a describe answer without KeyPairSet is malformed, and never leaks what it carried', async () => {
    // GIVEN
    const { url } = await serve([ok({ KeyPairs: [{ PrivateKey: PRIVATE_KEY }] }, 'req-malformed')]);
    const { lines, log } = captureLog();

    // WHEN
    const error = await caughtCloudApiError(api(url, { log, credentials: credentials(true) }).findByName('ci'));

    // THEN
    expect(error).toMatchObject({ code: 'MalformedResponse', requestId: 'req-malformed' });
    expect(error.message).toContain('KeyPairSet');
    expectNoSecrets([error.message, String(error.stack), JSON.stringify(error), ...lines], [PRIVATE_KEY, 'MIIEsecret', SECRET_KEY, STS_TOKEN]);
  });

  test('a cloud message echoing the SecretKey or the STS token is redacted, in every form it may be echoed', async () => {
    // GIVEN a server that echoes the secrets it could have seen (as is, URL-encoded, base64) and the string it signed
    const secretKey = 'tencent/secret+key=with?symbols';
    const token = 'sts-token/with+symbols=';
    const echo = [
      `key ${secretKey}`,
      `encoded ${encodeURIComponent(secretKey)}`,
      `base64 ${Buffer.from(token).toString('base64')}`,
      `token ${token}`,
      `string to sign: TC3-HMAC-SHA256 ${token}`,
    ].join('; ');
    const { url } = await serve([tencentError('AuthFailure.SignatureFailure', echo, 'req-echo')]);
    const echoing: CloudCredentials = { accessKeyId: SECRET_ID, accessKeySecret: new SecretValue(secretKey), securityToken: new SecretValue(token) };

    // WHEN
    const error = await caughtCloudApiError(api(url, { credentials: echoing }).findByName('ci'));

    // THEN
    expect(error.cloudMessage).toContain('key [redacted]');
    expect(error.cloudMessage).toContain('token [redacted]');
    expectNoSecrets(
      [error.message, error.cloudMessage, String(error.stack), JSON.stringify(error.details)],
      [secretKey, encodeURIComponent(secretKey), token, Buffer.from(token).toString('base64'), 'TC3-HMAC-SHA256'],
    );
  });

  test('no secret key, token or private key reaches an error message or log line, on success or failure', async () => {
    // GIVEN a throttled create, a successful create, then an auth failure
    const { url } = await serve([tencentError('RequestLimitExceeded', 'slow'), ok(CREATED), tencentError('AuthFailure.TokenFailure', 'bad token')]);
    const { lines, log } = captureLog();
    const keyPairs = api(url, { log, credentials: credentials(true) });

    // WHEN
    const created = await keyPairs.create({ name: 'ci_runner' });
    const error = await caughtCloudApiError(keyPairs.delete(created));

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
