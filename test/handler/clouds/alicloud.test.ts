import {
  acs3CanonicalRequest,
  AlicloudClientOptions,
  createKeyPair,
  deleteKeyPairs,
  describeKeyPairs,
  describeKeyPairsByName,
  importKeyPair,
  parseAcs3Authorization,
  rpcSignature,
  rpcStringToSign,
  sha256Hex,
  signAcs3,
} from '../../../handler/clouds/alicloud';
import { SecretValue } from '../../../handler/clouds/credentials';
import { CloudApiError } from '../../../handler/http/cloud-api-error';
import { RetryClock } from '../../../handler/http/retry';
import {
  captureLog,
  expectNoSecrets,
  LoopbackServer,
  RecordedRequest,
  ScriptedReply,
  useLoopbackServers,
} from '../../support/loopback-server';

const ACCESS_KEY_ID = 'LTAI5tTestAccessKeyId';
const ACCESS_KEY_SECRET = 'test-secret-never-printed-7f3a';
const SECURITY_TOKEN = 'CAIS-sts-token-never-printed-91bd';
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDprivate\n-----END PRIVATE KEY-----\n';
const SECRETS = [ACCESS_KEY_SECRET, SECURITY_TOKEN, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDprivate'];

/** Backoff without waiting: sleeps only advance a virtual clock. */
function virtualClock(): RetryClock & { elapsed(): number } {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    random: () => 0.5,
    elapsed: () => now,
  };
}

function ok(body: Record<string, unknown>): ScriptedReply {
  return { status: 200, body: JSON.stringify(body) };
}

function aliError(status: number, code: string, message: string, requestId = 'B1C2D3E4-REQ'): ScriptedReply {
  return { status, body: JSON.stringify({ RequestId: requestId, HostId: 'ecs.aliyuncs.com', Code: code, Message: message }) };
}

const CREATED = ok({
  RequestId: 'REQ-CREATE',
  KeyPairId: 'ssh-bp67acfmxazb4ph3xyz1',
  KeyPairName: 'bastion',
  KeyPairFingerPrint: '89:f0:ba:62:ac:b8:aa:e1:61:5e:fd:81:69:86:6d:6b',
  PrivateKeyBody: PRIVATE_KEY,
});

describe('Alibaba Cloud ECS key pair client over HTTP', () => {
  const serve = useLoopbackServers();
  const logged = captureLog();

  afterEach(() => {
    logged.lines.length = 0;
  });

  function options(target: LoopbackServer, extra: Partial<AlicloudClientOptions> = {}): AlicloudClientOptions {
    return {
      region: 'cn-hangzhou',
      endpoint: target.url,
      env: {},
      credentials: {
        accessKeyId: ACCESS_KEY_ID,
        accessKeySecret: new SecretValue(ACCESS_KEY_SECRET),
        securityToken: new SecretValue(SECURITY_TOKEN),
      },
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, requestTimeoutMs: 2_000, deadlineMs: 10_000 },
      log: logged.log,
      ...extra,
    };
  }

  function queryOf(request: RecordedRequest): Record<string, string> {
    return Object.fromEntries(request.url.searchParams.entries());
  }

  /** What a server recomputes from the parts it received, with the secret it knows. */
  function expectValidAcs3Signature(request: RecordedRequest): void {
    const authorization = parseAcs3Authorization(request.headers.authorization);
    expect(authorization?.accessKeyId).toBe(ACCESS_KEY_ID);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    const parts = {
      method: request.method,
      canonicalUri: request.url.pathname,
      query: queryOf(request),
      headers,
      hashedPayload: sha256Hex(request.body),
      signedHeaderNames: authorization?.signedHeaderNames,
    };
    const expected = signAcs3(parts, ACCESS_KEY_ID, ACCESS_KEY_SECRET);
    expect(authorization?.signature).toBe(expected.signature);
    expect(acs3CanonicalRequest(parts).signedHeaders).toBe(expected.signedHeaders);
  }

  describe('request shape (ACS3-HMAC-SHA256, the default)', () => {
    test('CreateKeyPair: POST / with parameters in the query, signed x-acs- headers, STS token in a signed header', async () => {
      // GIVEN
      const target = await serve([CREATED]);

      // WHEN
      const created = await createKeyPair(options(target), {
        keyPairName: 'bastion',
        resourceGroupId: 'rg-acfmzw2jz2z****',
        tags: { team: 'infra', owner: 'platform team' },
      });

      // THEN
      const [request] = target.requests;
      expect(request.method).toBe('POST');
      expect(request.url.pathname).toBe('/');
      expect(request.body).toBe('');
      expect(queryOf(request)).toEqual({
        'RegionId': 'cn-hangzhou',
        'KeyPairName': 'bastion',
        'ResourceGroupId': 'rg-acfmzw2jz2z****',
        'Tag.1.Key': 'team',
        'Tag.1.Value': 'infra',
        'Tag.2.Key': 'owner',
        'Tag.2.Value': 'platform team',
      });
      // The wire query is the canonical one: sorted, RFC 3986 (space as %20, * as %2A).
      expect(request.url.search).toBe(
        '?KeyPairName=bastion&RegionId=cn-hangzhou&ResourceGroupId=rg-acfmzw2jz2z%2A%2A%2A%2A' +
          '&Tag.1.Key=team&Tag.1.Value=infra&Tag.2.Key=owner&Tag.2.Value=platform%20team',
      );
      expect(request.headers).toMatchObject({
        'x-acs-action': 'CreateKeyPair',
        'x-acs-version': '2014-05-26',
        'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-acs-security-token': SECURITY_TOKEN,
        'x-acs-accesskey-id': ACCESS_KEY_ID,
        'accept': 'application/json',
      });
      expect(request.headers['x-acs-date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(request.headers['x-acs-signature-nonce']).toMatch(/^[0-9a-f]{32}$/);
      expect(parseAcs3Authorization(request.headers.authorization)?.signedHeaderNames).toEqual([
        'host', 'x-acs-accesskey-id', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date',
        'x-acs-security-token', 'x-acs-signature-nonce', 'x-acs-version',
      ]);
      expectValidAcs3Signature(request);
      expect(created).toMatchObject({
        keyPairId: 'ssh-bp67acfmxazb4ph3xyz1',
        keyPairName: 'bastion',
        fingerprint: '89:f0:ba:62:ac:b8:aa:e1:61:5e:fd:81:69:86:6d:6b',
        requestId: 'REQ-CREATE',
      });
      expect(created.privateKey.reveal()).toBe(PRIVATE_KEY);
      expect(JSON.stringify(created)).not.toContain('BEGIN PRIVATE KEY');
    });

    test('ImportKeyPair sends PublicKeyBody and returns no id', async () => {
      // GIVEN
      const target = await serve([ok({ RequestId: 'REQ-IMPORT', KeyPairName: 'ci', KeyPairFingerPrint: 'fp-ci' })]);
      const publicKey = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ci@runner';

      // WHEN
      const imported = await importKeyPair(options(target), { keyPairName: 'ci', publicKey: `${publicKey}\n` });

      // THEN
      const [request] = target.requests;
      expect(request.headers['x-acs-action']).toBe('ImportKeyPair');
      expect(queryOf(request)).toEqual({ RegionId: 'cn-hangzhou', KeyPairName: 'ci', PublicKeyBody: publicKey });
      expectValidAcs3Signature(request);
      expect(imported).toEqual({ keyPairName: 'ci', fingerprint: 'fp-ci', requestId: 'REQ-IMPORT' });
    });

    test('DescribeKeyPairs sends paging, wildcard and tag filters, and reads the KeyPairs.KeyPair / Tags.Tag nesting', async () => {
      // GIVEN
      const target = await serve([
        ok({
          RequestId: 'REQ-DESCRIBE',
          PageNumber: 2,
          PageSize: 50,
          TotalCount: 51,
          KeyPairs: {
            KeyPair: [
              {
                KeyPairName: 'web-1',
                KeyPairFingerPrint: 'fp-web-1',
                CreationTime: '2023-09-04T08:33Z',
                ResourceGroupId: 'rg-1',
                PublicKey: 'ssh-rsa AAAA web',
                Tags: { Tag: [{ TagKey: 'team', TagValue: 'infra' }] },
              },
            ],
          },
        }),
      ]);

      // WHEN
      const page = await describeKeyPairs(options(target), {
        keyPairName: 'web-*',
        pageNumber: 2,
        pageSize: 50,
        includePublicKey: true,
        tags: { team: 'infra' },
      });

      // THEN
      const [request] = target.requests;
      expect(queryOf(request)).toEqual({
        'RegionId': 'cn-hangzhou',
        'KeyPairName': 'web-*',
        'PageNumber': '2',
        'PageSize': '50',
        'IncludePublicKey': 'true',
        'Tag.1.Key': 'team',
        'Tag.1.Value': 'infra',
      });
      expect(request.url.search).toContain('KeyPairName=web-%2A');
      expectValidAcs3Signature(request);
      expect(page).toEqual({
        keyPairs: [
          {
            keyPairName: 'web-1',
            fingerprint: 'fp-web-1',
            publicKey: 'ssh-rsa AAAA web',
            creationTime: '2023-09-04T08:33Z',
            resourceGroupId: 'rg-1',
            tags: { team: 'infra' },
          },
        ],
        totalCount: 51,
        pageNumber: 2,
        pageSize: 50,
        requestId: 'REQ-DESCRIBE',
      });
    });

    test('DescribeKeyPairs refuses a page size over 50 before sending anything', async () => {
      // GIVEN
      const target = await serve([ok({})]);

      // WHEN / THEN
      await expect(describeKeyPairs(options(target), { pageSize: 51 })).rejects.toThrow(/pageSize must be an integer from 1 to 50/);
      expect(target.requests).toHaveLength(0);
    });

    test('describeKeyPairsByName pages through everything and keeps exact matches only', async () => {
      // GIVEN 51 pairs named "app" on two pages (a loose gateway also returns "app-2")
      const item = (name: string) => ({ KeyPairName: name, KeyPairFingerPrint: `fp-${name}` });
      const target = await serve((request) => {
        const pageNumber = Number(request.url.searchParams.get('PageNumber'));
        const items = pageNumber === 1 ? Array.from({ length: 50 }, () => item('app')) : [item('app'), item('app-2')];
        return ok({ PageNumber: pageNumber, PageSize: 50, TotalCount: 52, KeyPairs: { KeyPair: items } });
      });

      // WHEN
      const found = await describeKeyPairsByName(options(target), 'app');

      // THEN
      expect(target.requests.map((request) => request.url.searchParams.get('PageNumber'))).toEqual(['1', '2']);
      expect(target.requests.every((request) => request.url.searchParams.get('PageSize') === '50')).toBe(true);
      expect(found).toHaveLength(51);
      expect(found.every((keyPair) => keyPair.keyPairName === 'app')).toBe(true);
    });

    test('InvalidKeyPair.NotFound from DescribeKeyPairs is an empty result', async () => {
      // GIVEN
      const target = await serve([aliError(404, 'InvalidKeyPair.NotFound', 'The specified KeyPair does not exist.')]);

      // WHEN
      const page = await describeKeyPairs(options(target), { keyPairName: 'gone' });

      // THEN
      expect(page).toMatchObject({ keyPairs: [], totalCount: 0 });
      expect(target.requests).toHaveLength(1);
    });

    test('DeleteKeyPairs sends the names as a JSON-array string; InvalidKeyPair.NotFound counts as deleted', async () => {
      // GIVEN
      const target = await serve([ok({ RequestId: 'REQ-DELETE' }), aliError(404, 'InvalidKeyPair.NotFound', 'not found', 'REQ-GONE')]);

      // WHEN
      const deleted = await deleteKeyPairs(options(target), { keyPairNames: ['k1', 'k 2'] });
      const again = await deleteKeyPairs(options(target), { keyPairNames: ['k1'] });

      // THEN
      expect(queryOf(target.requests[0])).toEqual({ RegionId: 'cn-hangzhou', KeyPairNames: '["k1","k 2"]' });
      expect(target.requests[0].url.search).toContain('KeyPairNames=%5B%22k1%22%2C%22k%202%22%5D');
      expectValidAcs3Signature(target.requests[0]);
      expect(deleted).toEqual({ requestId: 'REQ-DELETE', alreadyGone: false });
      expect(again).toEqual({ requestId: 'REQ-GONE', alreadyGone: true });
    });

    test('DeleteKeyPairs refuses more than 100 names before sending anything', async () => {
      // GIVEN
      const target = await serve([ok({})]);
      const names = Array.from({ length: 101 }, (_, index) => `k${index}`);

      // WHEN / THEN
      await expect(deleteKeyPairs(options(target), { keyPairNames: names })).rejects.toThrow(/1 to 100 names, got 101/);
      expect(target.requests).toHaveLength(0);
    });

    test('without an STS token no token header is sent', async () => {
      // GIVEN
      const target = await serve([ok({ RequestId: 'R', TotalCount: 0, KeyPairs: { KeyPair: [] } })]);
      const credentials = { accessKeyId: ACCESS_KEY_ID, accessKeySecret: new SecretValue(ACCESS_KEY_SECRET) };

      // WHEN
      await describeKeyPairs(options(target, { credentials }), {});

      // THEN
      expect(target.requests[0].headers['x-acs-security-token']).toBeUndefined();
      expectValidAcs3Signature(target.requests[0]);
    });
  });

  describe('request shape (legacy RPC HMAC-SHA1)', () => {
    test('common parameters and SecurityToken are sent in the query and signed with POST', async () => {
      // GIVEN
      const target = await serve([ok({ RequestId: 'REQ-IMPORT', KeyPairName: 'ci', KeyPairFingerPrint: 'fp' })]);

      // WHEN
      await importKeyPair(options(target, { signatureVersion: 'v2' }), { keyPairName: 'ci', publicKey: 'ssh-rsa AAAA x' });

      // THEN
      const [request] = target.requests;
      const params = queryOf(request);
      expect(request.method).toBe('POST');
      expect(request.headers.authorization).toBeUndefined();
      expect(params).toMatchObject({
        Action: 'ImportKeyPair',
        Version: '2014-05-26',
        Format: 'JSON',
        AccessKeyId: ACCESS_KEY_ID,
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        SecurityToken: SECURITY_TOKEN,
        RegionId: 'cn-hangzhou',
        KeyPairName: 'ci',
        PublicKeyBody: 'ssh-rsa AAAA x',
      });
      expect(params.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(params.SignatureNonce).toMatch(/^[0-9a-f]{32}$/);
      expect(params.Signature).toBe(rpcSignature(ACCESS_KEY_SECRET, rpcStringToSign('POST', params)));
    });
  });

  describe('errors and retries', () => {
    test('throttling is retried, then the call succeeds', async () => {
      // GIVEN
      const target = await serve([
        aliError(400, 'Throttling.User', 'Request was denied due to user flow control.'),
        aliError(400, 'Throttling', 'Request was denied due to flow control.'),
        CREATED,
      ]);

      // WHEN
      const created = await createKeyPair(options(target, { clock: virtualClock() }), { keyPairName: 'bastion' });

      // THEN
      expect(created.keyPairId).toBe('ssh-bp67acfmxazb4ph3xyz1');
      expect(target.requests).toHaveLength(3);
      // Every attempt is signed afresh: a new nonce each time.
      expect(new Set(target.requests.map((request) => request.headers['x-acs-signature-nonce'])).size).toBe(3);
      expect(logged.lines.some((line) => line.includes('failed with Throttling.User; retrying'))).toBe(true);
    });

    test('a 5xx InternalError and a dropped connection are retried', async () => {
      // GIVEN
      const target = await serve([
        aliError(500, 'InternalError', 'The request processing has failed due to some unknown error.'),
        { dropConnection: true },
        aliError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),
        ok({ RequestId: 'R', TotalCount: 0, KeyPairs: { KeyPair: [] } }),
      ]);

      // WHEN
      const page = await describeKeyPairs(options(target, { clock: virtualClock() }), { keyPairName: 'x' });

      // THEN
      expect(page.keyPairs).toEqual([]);
      expect(target.requests).toHaveLength(4);
      expect(logged.lines.some((line) => line.includes('failed with NetworkError'))).toBe(true);
    });

    test.each([
      ['KeyPair.AlreadyExist', 400, /unique per region/],
      ['QuotaExceed.KeyPair', 403, /maximum number of key pairs/],
      ['InvalidPublicKeyBody.Malformed', 400, /OpenSSH public key line/],
      ['InvalidKeyPairName.Malformed', 400, /2-128 characters/],
      ['SignatureDoesNotMatch', 400, /ALICLOUD_ACCESS_KEY.*clock/],
      ['InvalidAccessKeyId.NotFound', 404, /ALICLOUD_ACCESS_KEY/],
      ['InvalidSecurityToken.Expired', 400, /ALICLOUD_SECURITY_TOKEN/],
      ['Forbidden.RAM', 403, /ecs:CreateKeyPair/],
    ])('client error %s is not retried (exactly one request) and carries a remedy', async (code, status, remedy) => {
      // GIVEN
      const target = await serve([aliError(status, code, 'The cloud says no.', 'REQ-4XX')]);

      // WHEN
      const error = await createKeyPair(options(target, { clock: virtualClock() }), { keyPairName: 'bastion' }).catch((err: unknown) => err);

      // THEN
      expect(target.requests).toHaveLength(1);
      expect(error).toBeInstanceOf(CloudApiError);
      const apiError = error as CloudApiError;
      expect(apiError).toMatchObject({ cloud: 'alicloud', action: 'CreateKeyPair', code, requestId: 'REQ-4XX', httpStatus: status, retryable: false });
      expect(apiError.remedy).toMatch(remedy);
      expect(apiError.message).toContain(`Alibaba Cloud ECS CreateKeyPair failed: ${code}: The cloud says no.`);
      expect(apiError.message).toContain('request id REQ-4XX');
    });

    test('a create that hangs times out per request and is not sent again (its outcome is unknown)', async () => {
      // GIVEN
      const target = await serve([{ hang: true }, CREATED]);

      // WHEN
      const started = Date.now();
      const error = await createKeyPair(
        options(target, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, requestTimeoutMs: 150, deadlineMs: 5_000 } }),
        { keyPairName: 'bastion' },
      ).catch((e: unknown) => e);

      // THEN one request only: a second create could make a second key pair or lose the first one's key
      expect(target.requests).toHaveLength(1);
      expect(error).toMatchObject({ code: 'RequestTimeout', retryable: false });
      expect((error as Error).message).toContain('may have been carried out');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(logged.lines.some((line) => line.includes('CreateKeyPair attempt 1: timeout'))).toBe(true);
    });

    test('the overall deadline stops the retries', async () => {
      // GIVEN endless throttling, and a clock on which each backoff costs time
      const target = await serve([aliError(400, 'Throttling.User', 'Request was denied due to user flow control.')]);
      const clock = virtualClock();

      // WHEN
      const error = await describeKeyPairs(
        options(target, { clock, retry: { maxAttempts: 100, baseDelayMs: 1_000, maxDelayMs: 1_000, requestTimeoutMs: 1_000, deadlineMs: 5_000 } }),
        {},
      ).catch((err: unknown) => err);

      // THEN
      expect(error).toBeInstanceOf(CloudApiError);
      expect((error as CloudApiError).code).toBe('Throttling.User');
      expect((error as CloudApiError).retryable).toBe(true);
      expect(clock.elapsed()).toBeLessThan(5_000);
      expect(target.requests.length).toBeGreaterThan(1);
      expect(target.requests.length).toBeLessThan(10);
    });

    test('a body that is not JSON is reported as malformed without echoing it', async () => {
      // GIVEN a proxy page that happens to contain key material
      const target = await serve([{ status: 200, body: `<html>${PRIVATE_KEY}</html>`, headers: { 'content-type': 'text/html' } }]);

      // WHEN
      const error = (await createKeyPair(options(target), { keyPairName: 'bastion' }).catch((err: unknown) => err)) as CloudApiError;

      // THEN
      expect(error.code).toBe('MalformedResponse');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/bytes of text\/html/);
      expect(target.requests).toHaveLength(1);
      expectNoSecrets([error.message, String(error.stack)], SECRETS);
    });

    test('a create answer missing a field names the field, never the private key it carries', async () => {
      // GIVEN
      const target = await serve([ok({ RequestId: 'REQ-PARTIAL', KeyPairName: 'bastion', KeyPairFingerPrint: 'fp', PrivateKeyBody: PRIVATE_KEY })]);

      // WHEN
      const error = (await createKeyPair(options(target), { keyPairName: 'bastion' }).catch((err: unknown) => err)) as CloudApiError;

      // THEN
      expect(error.code).toBe('MalformedResponse');
      expect(error.message).toContain('the answer has no KeyPairId');
      expect(error.message).toContain('request id REQ-PARTIAL');
      expectNoSecrets([error.message, String(error.stack), ...logged.lines], SECRETS);
    });
  });

  describe('secrets', () => {
    test('no secret key, STS token or private key in any error message or log line', async () => {
      // GIVEN a gateway that echoes its string to sign (V2 puts the token in it) and otherwise answers normally
      const target = await serve([
        aliError(
          400,
          'SignatureDoesNotMatch',
          `Specified signature is not matched with our calculation. server string to sign is:POST&%2F&SecurityToken%3D${SECURITY_TOKEN}`,
        ),
        aliError(500, 'InternalError', `unexpected failure for secret ${ACCESS_KEY_SECRET}`),
        CREATED,
      ]);
      const texts: string[] = [];

      // WHEN
      for (const signatureVersion of ['v2', 'v3'] as const) {
        const error = (await importKeyPair(options(target, { signatureVersion, clock: virtualClock(), retry: { maxAttempts: 1 } }), {
          keyPairName: 'ci',
          publicKey: 'ssh-rsa AAAA',
        }).catch((err: unknown) => err)) as CloudApiError;
        texts.push(error.message, String(error.stack), String(error.remedy));
      }
      const created = await createKeyPair(options(target), { keyPairName: 'bastion' });
      texts.push(String(created.privateKey), JSON.stringify(created), ...logged.lines);

      // THEN
      expect(texts[0]).toContain('SignatureDoesNotMatch: Specified signature is not matched with our calculation');
      expect(texts[3]).toContain('InternalError: unexpected failure for secret [redacted]');
      expect(logged.lines.length).toBeGreaterThan(0);
      expectNoSecrets(texts, SECRETS);
    });
  });
});
