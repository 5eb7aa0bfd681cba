import { clientConnection } from './support';
import {
  AlicloudClient,
  acs3CanonicalRequest,
  ALICLOUD_MAX_DESCRIBE_PAGES,
  alicloudApiError,
  AlicloudConnection,
  AlicloudSignatureVersion,
  createAlicloudKeyPairApi,
  createKeyPair,
  deleteKeyPairs,
  describeKeyPairs,
  importKeyPair,
  parseAcs3Authorization,
  rpcSignature,
  rpcStringToSign,
  sha256Hex,
  signAcs3,
} from '../../../handler/clouds/alicloud';
import { SecretValue } from '../../../handler/clouds/credentials';
import type { KeyPairApi } from '../../../handler/clouds/key-pair-api';
import { CloudApiError } from '../../../handler/http/cloud-api-error';
import { TUNING_ENV } from '../../../handler/tuning';
import { NAME_RULES, TAG_RULES } from '../../../src/contract';
import { caughtCloudApiError } from '../../support/cloud-api-errors';
import {
  captureLog,
  expectNoSecrets,
  LoopbackServer,
  RecordedRequest,
  ScriptedReply,
  useLoopbackServers,
} from '../../support/loopback-server';
import { manualClock } from '../../support/retry-clocks';

const ACCESS_KEY_ID = 'LTAI5tTestAccessKeyId';
const ACCESS_KEY_SECRET = 'test-secret-never-printed-7f3a';
const SECURITY_TOKEN = 'CAIS-sts-token-never-printed-91bd';
const PKCS8_PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDprivate\n-----END PRIVATE KEY-----\n';
const PKCS1_PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAtpkcs1private\n-----END RSA PRIVATE KEY-----';
const SECRETS = [ACCESS_KEY_SECRET, SECURITY_TOKEN, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDprivate', 'MIIEowIBAAKCAQEAtpkcs1private'];

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
  PrivateKeyBody: PKCS8_PRIVATE_KEY,
});

function describePage(items: Array<Record<string, unknown>>, totalCount: number | undefined, pageNumber = 1, pageSize = 50): ScriptedReply {
  return ok({ RequestId: `REQ-DESCRIBE-${pageNumber}`, PageNumber: pageNumber, PageSize: pageSize, TotalCount: totalCount, KeyPairs: { KeyPair: items } });
}

function item(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { KeyPairName: name, KeyPairFingerPrint: `fp${name.length}`, CreationTime: '2023-09-04T08:33Z', ...extra };
}

function queryOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(request.url.searchParams.entries());
}

function pageNumbers(target: LoopbackServer): string[] {
  return target.requests.map((request) => request.url.searchParams.get('PageNumber') ?? '');
}

describe('Alibaba Cloud ECS client over HTTP', () => {
  const serve = useLoopbackServers();
  const logged = captureLog();

  afterEach(() => {
    logged.lines.length = 0;
  });

  function connection(target: LoopbackServer, extra: Partial<AlicloudConnection> = {}): AlicloudConnection {
    const key = { id: ACCESS_KEY_ID, secret: ACCESS_KEY_SECRET, securityToken: SECURITY_TOKEN };
    return { ...clientConnection('cn-hangzhou', target.url, key, { log: logged.log }), ...extra };
  }

  function api(target: LoopbackServer, extra: Partial<AlicloudConnection> = {}, signatureVersion?: AlicloudSignatureVersion): KeyPairApi {
    return createAlicloudKeyPairApi(connection(target, extra), { signatureVersion });
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
      const created = await createKeyPair(new AlicloudClient(connection(target)), {
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
      expect(created).toEqual({
        keyPairId: 'ssh-bp67acfmxazb4ph3xyz1',
        keyPairName: 'bastion',
        fingerprint: '89:f0:ba:62:ac:b8:aa:e1:61:5e:fd:81:69:86:6d:6b',
        privateKeyPem: PKCS8_PRIVATE_KEY,
        requestId: 'REQ-CREATE',
      });
    });

    test('requests are dated by the injected clock', async () => {
      // GIVEN
      const target = await serve([describePage([], 0)]);

      // WHEN
      await describeKeyPairs(new AlicloudClient(connection(target, { clock: manualClock(Date.UTC(2030, 0, 2, 3, 4, 5)) })));

      // THEN
      expect(target.requests[0].headers['x-acs-date']).toBe('2030-01-02T03:04:05Z');
    });

    test('ImportKeyPair sends the trimmed PublicKeyBody; the answer has no id', async () => {
      // GIVEN
      const target = await serve([ok({ RequestId: 'REQ-IMPORT', KeyPairName: 'ci', KeyPairFingerPrint: 'fp-ci' })]);
      const publicKey = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ci@runner';

      // WHEN
      const imported = await importKeyPair(new AlicloudClient(connection(target)), { keyPairName: 'ci', publicKey: `  ${publicKey}\n` });

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
        describePage(
          [
            {
              KeyPairName: 'web-1',
              KeyPairFingerPrint: 'fp-web-1',
              CreationTime: '2023-09-04T08:33Z',
              ResourceGroupId: 'rg-1',
              PublicKey: 'ssh-rsa AAAA web',
              Tags: { Tag: [{ TagKey: 'team', TagValue: 'infra' }] },
            },
          ],
          51,
          2,
        ),
      ]);

      // WHEN
      const page = await describeKeyPairs(new AlicloudClient(connection(target)), {
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
        requestId: 'REQ-DESCRIBE-2',
      });
    });

    test('DescribeKeyPairs refuses a page size over 50 before sending anything', async () => {
      // GIVEN
      const target = await serve([ok({})]);

      // WHEN / THEN
      await expect(describeKeyPairs(new AlicloudClient(connection(target)), { pageSize: 51 })).rejects.toThrow(/pageSize must be an integer from 1 to 50/);
      expect(target.requests).toHaveLength(0);
    });

    test('DeleteKeyPairs sends the names as a JSON-array string', async () => {
      // GIVEN
      const target = await serve([ok({ RequestId: 'REQ-DELETE' })]);

      // WHEN
      const deleted = await deleteKeyPairs(new AlicloudClient(connection(target)), ['k1', 'k 2']);

      // THEN
      expect(queryOf(target.requests[0])).toEqual({ RegionId: 'cn-hangzhou', KeyPairNames: '["k1","k 2"]' });
      expect(target.requests[0].url.search).toContain('KeyPairNames=%5B%22k1%22%2C%22k%202%22%5D');
      expectValidAcs3Signature(target.requests[0]);
      expect(deleted).toEqual({ requestId: 'REQ-DELETE', alreadyGone: false });
    });

    test('DeleteKeyPairs refuses more than 100 names before sending anything', async () => {
      // GIVEN
      const target = await serve([ok({})]);
      const names = Array.from({ length: 101 }, (_, index) => `k${index}`);

      // WHEN / THEN
      await expect(deleteKeyPairs(new AlicloudClient(connection(target)), names)).rejects.toThrow(/1 to 100 names, got 101/);
      expect(target.requests).toHaveLength(0);
    });

    test('without an STS token no token header is sent', async () => {
      // GIVEN
      const target = await serve([describePage([], 0)]);
      const credentials = { accessKeyId: ACCESS_KEY_ID, accessKeySecret: new SecretValue(ACCESS_KEY_SECRET) };

      // WHEN
      await describeKeyPairs(new AlicloudClient(connection(target, { credentials })), {});

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
      await api(target, {}, 'v2').importPublicKey({ name: 'ci', publicKey: 'ssh-rsa AAAA x' });

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

  describe('the neutral KeyPairApi', () => {
    test('create: id is the name, the fingerprint and the private key are exactly as the cloud gave them, tags and resource group are sent', async () => {
      // GIVEN
      const target = await serve([CREATED]);

      // WHEN
      const created = await api(target, { scope: 'rg-aek2z3ry2lmkgjq' }).create({ name: 'bastion', tags: { team: 'infra' } });

      // THEN one request: the answer was complete
      expect(target.requests).toHaveLength(1);
      expect(queryOf(target.requests[0])).toMatchObject({ 'ResourceGroupId': 'rg-aek2z3ry2lmkgjq', 'Tag.1.Key': 'team', 'Tag.1.Value': 'infra' });
      expect(created).toMatchObject({
        id: 'bastion',
        name: 'bastion',
        fingerprint: '89:f0:ba:62:ac:b8:aa:e1:61:5e:fd:81:69:86:6d:6b',
        tags: { team: 'infra' },
        requestId: 'REQ-CREATE',
      });
      expect(created.privateKey.reveal()).toBe(PKCS8_PRIVATE_KEY);
      expect(JSON.stringify(created)).not.toContain('PRIVATE KEY');
    });

    // docs/cloud-behaviour.md#alibaba-private-key-format
    test('create: a PKCS#1 private key (what the API reference\'s examples show) is handed on byte for byte, never converted', async () => {
      // GIVEN
      const target = await serve([ok({ RequestId: 'R', KeyPairName: 'bastion', KeyPairFingerPrint: 'fp', PrivateKeyBody: PKCS1_PRIVATE_KEY })]);

      // WHEN
      const created = await api(target).create({ name: 'bastion' });

      // THEN
      expect(created.privateKey.reveal()).toBe(PKCS1_PRIVATE_KEY);
    });

    test('create: an answer without KeyPairFingerPrint is completed by an exact-name describe, not failed', async () => {
      // GIVEN
      const target = await serve([
        ok({ RequestId: 'REQ-CREATE', KeyPairName: 'bastion', PrivateKeyBody: PKCS8_PRIVATE_KEY }),
        describePage([item('bastion', { KeyPairFingerPrint: '89f0ba62', PublicKey: 'ssh-rsa AAAAB3 x', Tags: { Tag: [{ TagKey: 'team', TagValue: 'infra' }] } })], 1),
      ]);

      // WHEN
      const created = await api(target).create({ name: 'bastion', tags: { team: 'infra' } });

      // THEN
      expect(target.requests.map((request) => request.headers['x-acs-action'])).toEqual(['CreateKeyPair', 'DescribeKeyPairs']);
      expect(queryOf(target.requests[1])).toMatchObject({ KeyPairName: 'bastion', IncludePublicKey: 'true' });
      expect(created).toMatchObject({ id: 'bastion', fingerprint: '89f0ba62', publicKey: 'ssh-rsa AAAAB3 x', tags: { team: 'infra' }, requestId: 'REQ-CREATE' });
      expect(created.privateKey.reveal()).toBe(PKCS8_PRIVATE_KEY);
    });

    test('create: when the completing describe fails, the created pair and its private key are still returned', async () => {
      // GIVEN
      const target = await serve([
        ok({ RequestId: 'REQ-CREATE', KeyPairName: 'bastion', PrivateKeyBody: PKCS8_PRIVATE_KEY }),
        aliError(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource.'),
      ]);

      // WHEN
      const created = await api(target).create({ name: 'bastion' });

      // THEN
      expect(created).toMatchObject({ id: 'bastion', name: 'bastion', fingerprint: '', requestId: 'REQ-CREATE' });
      expect(created.privateKey.reveal()).toBe(PKCS8_PRIVATE_KEY);
      expect(logged.lines).toContainEqual(expect.stringContaining('DescribeKeyPairs to complete it failed with Forbidden.RAM'));
    });

    test('create: an answer without the private key is an error whose outcome is unknown (the pair may exist), never resent', async () => {
      // GIVEN
      const target = await serve([ok({ RequestId: 'REQ-PARTIAL', KeyPairName: 'bastion', KeyPairFingerPrint: 'fp' }), CREATED]);

      // WHEN
      const error = await caughtCloudApiError(api(target).create({ name: 'bastion' }));

      // THEN
      expect(target.requests).toHaveLength(1);
      expect(error).toMatchObject({ code: 'MalformedResponse', outcome: 'unknown', retryable: false, requestId: 'REQ-PARTIAL' });
      expect(error.message).toContain('the answer has no PrivateKeyBody');
      expect(error.remedy).toMatch(/delete it/);
    });

    test('import: the key is trimmed; an answer without the fingerprint is completed by a describe', async () => {
      // GIVEN
      const target = await serve([
        ok({ RequestId: 'REQ-IMPORT', KeyPairName: 'ci' }),
        describePage([item('ci', { KeyPairFingerPrint: 'a1b2', PublicKey: 'ssh-rsa AAAAB3' })], 1),
      ]);

      // WHEN
      const imported = await api(target).importPublicKey({ name: 'ci', publicKey: '\n ssh-rsa AAAAB3 me@laptop \n' });

      // THEN
      expect(queryOf(target.requests[0]).PublicKeyBody).toBe('ssh-rsa AAAAB3 me@laptop');
      expect(imported).toMatchObject({ id: 'ci', name: 'ci', fingerprint: 'a1b2', publicKey: 'ssh-rsa AAAAB3', requestId: 'REQ-IMPORT' });
    });

    test('findByName: exact names only (ECS reads * as a wildcard), with public keys and tags', async () => {
      // GIVEN a gateway that matches loosely
      const target = await serve([
        describePage(
          [
            item('web', { PublicKey: 'ssh-rsa AAAA web', Tags: { Tag: [{ TagKey: 'cdktf-keypair:owner', TagValue: 'o1' }] } }),
            item('web-2'),
            item('WEB'),
          ],
          3,
        ),
      ]);

      // WHEN
      const found = await api(target).findByName('web');

      // THEN
      expect(queryOf(target.requests[0])).toEqual({ RegionId: 'cn-hangzhou', KeyPairName: 'web', PageNumber: '1', PageSize: '50', IncludePublicKey: 'true' });
      expect(found).toEqual([
        { id: 'web', name: 'web', fingerprint: 'fp3', publicKey: 'ssh-rsa AAAA web', tags: { 'cdktf-keypair:owner': 'o1' }, requestId: 'REQ-DESCRIBE-1' },
      ]);
    });

    test('findByName: searches the whole region, not only the resource group (names are unique per region)', async () => {
      // GIVEN
      const target = await serve([describePage([item('web', { ResourceGroupId: 'rg-other' })], 1)]);

      // WHEN
      const found = await api(target, { scope: 'rg-mine' }).findByName('web');

      // THEN
      expect(queryOf(target.requests[0]).ResourceGroupId).toBeUndefined();
      expect(found.map((keyPair) => keyPair.name)).toEqual(['web']);
    });

    test('findByName pages until TotalCount, past the 20 pages the old client stopped at without a word', async () => {
      // GIVEN a gateway that ignores the name filter and lists 1,030 pairs; ours is on page 21
      const names = Array.from({ length: 1_030 }, (_, index) => `k-${index}`);
      const target = await serve((request) => {
        const pageNumber = Number(request.url.searchParams.get('PageNumber'));
        return describePage(names.slice((pageNumber - 1) * 50, pageNumber * 50).map((name) => item(name)), names.length, pageNumber);
      });

      // WHEN
      const found = await api(target).findByName('k-1029');

      // THEN
      expect(found.map((keyPair) => keyPair.name)).toEqual(['k-1029']);
      expect(pageNumbers(target)).toEqual(Array.from({ length: 21 }, (_, index) => String(index + 1)));
    });

    test('findByName stops on a short page when the answer has no TotalCount', async () => {
      // GIVEN
      const target = await serve((request) => {
        const pageNumber = Number(request.url.searchParams.get('PageNumber'));
        const items = pageNumber === 1 ? Array.from({ length: 50 }, (_, index) => item(`a${index}`)) : [item('app')];
        return describePage(items, undefined, pageNumber);
      });

      // WHEN
      const found = await api(target).findByName('app');

      // THEN
      expect(pageNumbers(target)).toEqual(['1', '2']);
      expect(found.map((keyPair) => keyPair.name)).toEqual(['app']);
    });

    test('findByName throws rather than page beyond its cap', async () => {
      // GIVEN a total that would take more pages than the client follows
      const total = ALICLOUD_MAX_DESCRIBE_PAGES * 50 + 1;
      const target = await serve([describePage(Array.from({ length: 50 }, (_, index) => item(`k${index}`)), total)]);

      // WHEN
      const error = await caughtCloudApiError(api(target).findByName('k1'));

      // THEN one page read, then a clear refusal
      expect(target.requests).toHaveLength(1);
      expect(error).toMatchObject({ code: 'PagingLimitExceeded', action: 'DescribeKeyPairs', outcome: 'permanent', retryable: false });
      expect(error.message).toContain(`reports ${total} key pairs`);
    });

    test.each([
      ['an empty page', (): ScriptedReply[] => [describePage(Array.from({ length: 50 }, (_, index) => item(`k${index}`)), 60), describePage([], 60, 2)]],
      ['the same page again (PageNumber ignored)', (): ScriptedReply[] => [describePage(Array.from({ length: 50 }, (_, index) => item(`k${index}`)), 60)]],
    ])('findByName throws when %s arrives before TotalCount is reached', async (_case, replies) => {
      // GIVEN
      const target = await serve(replies());

      // WHEN
      const error = await caughtCloudApiError(api(target).findByName('k59'));

      // THEN
      expect(target.requests).toHaveLength(2);
      expect(error).toMatchObject({ code: 'PagingIncomplete', outcome: 'refused', retryable: false });
      expect(error.message).toContain('50 of 60');
    });

    test('describeById is an exact-name describe with the public key; an empty list or InvalidKeyPair.NotFound is undefined', async () => {
      // GIVEN
      const target = await serve([
        describePage([item('bastion', { PublicKey: 'ssh-rsa AAAA' })], 1),
        describePage([], 0),
        aliError(404, 'InvalidKeyPair.NotFound', 'The specified KeyPair does not exist.'),
      ]);

      // WHEN
      const present = await api(target).describeById('bastion');
      const absent = await api(target).describeById('bastion');
      const notFound = await api(target).describeById('bastion');

      // THEN
      expect(present).toMatchObject({ id: 'bastion', publicKey: 'ssh-rsa AAAA' });
      expect(queryOf(target.requests[0])).toMatchObject({ KeyPairName: 'bastion', IncludePublicKey: 'true' });
      expect(absent).toBeUndefined();
      expect(notFound).toBeUndefined();
    });

    test.each(['InvalidKeyPair.NotFound', 'InvalidKeyPairName.NotFound'])('delete: %s means already gone', async (code) => {
      // GIVEN
      const target = await serve([aliError(404, code, 'not found', 'REQ-GONE')]);

      // WHEN
      const result = await api(target).delete({ id: 'bastion', name: 'bastion' });

      // THEN
      expect(queryOf(target.requests[0])).toEqual({ RegionId: 'cn-hangzhou', KeyPairNames: '["bastion"]' });
      expect(result).toEqual({ alreadyGone: true, requestId: 'REQ-GONE' });
    });

    test('delete: an id that differs from the name is refused before anything is sent', async () => {
      // GIVEN
      const target = await serve([ok({})]);

      // WHEN / THEN
      await expect(api(target).delete({ id: 'ssh-bp67acfmxazb4p', name: 'bastion' })).rejects.toThrow(/deleted by name/);
      expect(target.requests).toHaveLength(0);
    });

    // docs/cloud-behaviour.md#bound-key-pair-delete
    test('delete of a pair still attached to an instance: outcome in-use with a remedy, one request (the lifecycle decides when to retry)', async () => {
      // GIVEN
      const target = await serve([
        aliError(400, 'InvalidParameter.KeypairAlreadyAttachedInstance', 'The specified parameter "KeyPairNames" attached to instances can not be deleted.'),
      ]);

      // WHEN
      const error = await caughtCloudApiError(api(target).delete({ id: 'bastion', name: 'bastion' }));

      // THEN
      expect(target.requests).toHaveLength(1);
      expect(error).toMatchObject({ code: 'InvalidParameter.KeypairAlreadyAttachedInstance', outcome: 'in-use', retryable: false, httpStatus: 400 });
      expect(error.remedy).toMatch(/DetachKeyPair/);
      expect(error.remedy).toMatch(/later/);
    });
  });

  // docs/cloud-behaviour.md#not-found-codes
  describe('not found means the key pair\'s own code, never a bare 404', () => {
    test.each([
      ['InvalidAccessKeyId.NotFound', 'Specified access key is not found.'],
      ['InvalidRegionId.NotFound', 'The specified RegionId does not exist.'],
      ['InvalidResourceGroup.NotFound', 'The specified resource group does not exist.'],
    ])('%s (HTTP 404) fails describe and delete: the pair is not reported gone', async (code, message) => {
      // GIVEN
      const target = await serve([aliError(404, code, message)]);

      // WHEN
      const describeError = await caughtCloudApiError(api(target).describeById('bastion'));
      const findError = await caughtCloudApiError(api(target).findByName('bastion'));
      const deleteError = await caughtCloudApiError(api(target).delete({ id: 'bastion', name: 'bastion' }));

      // THEN
      for (const error of [describeError, findError, deleteError]) {
        expect(error).toMatchObject({ code, httpStatus: 404, outcome: 'permanent', retryable: false });
        expect(error.remedy).toBeTruthy();
      }
    });

    test('a 404 without an ECS code (a proxy, a wrong path) is not "gone" either', async () => {
      // GIVEN
      const target = await serve([
        { status: 404, body: JSON.stringify({ message: 'no route' }) },
        { status: 404, body: '<html>Not Found</html>', headers: { 'content-type': 'text/html' } },
      ]);

      // WHEN
      const noCode = await caughtCloudApiError(api(target).delete({ id: 'bastion', name: 'bastion' }));
      const notJson = await caughtCloudApiError(api(target).describeById('bastion'));

      // THEN
      expect(noCode).toMatchObject({ code: 'HTTP404', outcome: 'permanent' });
      expect(notJson).toMatchObject({ code: 'MalformedResponse', outcome: 'permanent' });
    });
  });

  describe('error codes → outcome, retryable, remedy', () => {
    function errorFor(status: number, code: string, action = 'DescribeKeyPairs'): CloudApiError {
      return alicloudApiError(action, { status, headers: {}, body: '' }, { RequestId: 'R', Code: code, Message: 'm' });
    }

    // retryLater: the cloud asks to be sent again later (waited out until the step's deadline, not counted against maxAttempts)
    test.each([
      [400, 'Throttling.User', 'refused', true, true],
      [400, 'Throttling', 'refused', true, true],
      [400, 'Rejected.Throttling', 'refused', true, true],
      [503, 'ServiceUnavailable', 'unknown', true, false],
      [500, 'InternalError', 'unknown', true, false],
      [502, 'SomethingNew', 'unknown', true, false],
      [404, 'InvalidKeyPair.NotFound', 'not-found', false, false],
      [400, 'InvalidKeyPairName.NotFound', 'not-found', false, false],
      [400, 'InvalidParameter.KeypairAlreadyAttachedInstance', 'in-use', false, false],
      [404, 'InvalidAccessKeyId.NotFound', 'permanent', false, false],
      [404, 'InvalidRegionId.NotFound', 'permanent', false, false],
      [400, 'KeyPair.AlreadyExist', 'name-taken', false, false],
      [403, 'QuotaExceed.KeyPair', 'permanent', false, false],
      [400, 'SignatureDoesNotMatch', 'permanent', false, false],
      [403, 'Forbidden.RAM', 'permanent', false, false],
    ])('HTTP %i %s → %s (retryable: %s, retryLater: %s)', (status, code, outcome, retryable, retryLater) => {
      expect(errorFor(status, code)).toMatchObject({ outcome, retryable, retryLater });
    });

    test('prefix look-alikes are not mistaken for the specific codes', () => {
      expect(errorFor(404, 'InvalidKeyPair.NotFoundSomething').outcome).toBe('permanent');
      expect(errorFor(400, 'InvalidParameter').outcome).toBe('permanent');
    });

    test('the name remedy quotes the contract\'s rule of the action that failed', () => {
      expect(errorFor(400, 'InvalidKeyPairName.Malformed', 'CreateKeyPair').remedy).toBe(NAME_RULES.alicloud.create.description);
      expect(errorFor(400, 'InvalidKeyPairName.Malformed', 'ImportKeyPair').remedy).toBe(NAME_RULES.alicloud.import.description);
      expect(errorFor(400, 'InvalidTagKey.Malformed', 'CreateKeyPair').remedy).toContain(TAG_RULES.alicloud?.key.description);
    });

    test.each([
      ['KeyPair.AlreadyExist', /unique per region/],
      ['QuotaExceed.KeyPair', /maximum number of key pairs/],
      ['InvalidPublicKeyBody.Malformed', /OpenSSH public key line/],
      ['SignatureDoesNotMatch', /ALICLOUD_ACCESS_KEY.*clock/],
      ['InvalidAccessKeyId.NotFound', /ALICLOUD_ACCESS_KEY/],
      ['InvalidSecurityToken.Expired', /ALICLOUD_SECURITY_TOKEN/],
      ['Forbidden.RAM', /ecs:CreateKeyPair/],
      ['InvalidRegionId.NotFound', /region id/],
    ])('%s carries a remedy', (code, remedy) => {
      expect(errorFor(400, code).remedy).toMatch(remedy);
    });
  });

  describe('retries', () => {
    test('throttling is retried, then the create succeeds (it was refused, so resending is safe)', async () => {
      // GIVEN
      const target = await serve([
        aliError(400, 'Throttling.User', 'Request was denied due to user flow control.'),
        aliError(400, 'Throttling', 'Request was denied due to flow control.'),
        CREATED,
      ]);

      // WHEN
      const created = await api(target).create({ name: 'bastion' });

      // THEN
      expect(created.id).toBe('bastion');
      expect(target.requests).toHaveLength(3);
      // Every attempt is signed afresh: a new nonce each time.
      expect(new Set(target.requests.map((request) => request.headers['x-acs-signature-nonce'])).size).toBe(3);
      expect(logged.lines.filter((line) => line.includes('retry later'))).toEqual([
        expect.stringMatching(/^alicloud CreateKeyPair: asked to retry later \(Throttling\.User\); attempt 2 in 0\.0 s \([\d.]+ s left of the step's 10 s\)$/),
        expect.stringMatching(/^alicloud CreateKeyPair: asked to retry later \(Throttling\); attempt 3 in 0\.0 s \([\d.]+ s left of the step's 10 s\)$/),
      ]);
    });

    test('a describe is retried through a 500, a dropped connection and a 503', async () => {
      // GIVEN
      const target = await serve([
        aliError(500, 'InternalError', 'The request processing has failed due to some unknown error.'),
        { dropConnection: true },
        aliError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),
        describePage([], 0),
      ]);

      // WHEN
      const found = await api(target).findByName('x');

      // THEN
      expect(found).toEqual([]);
      expect(target.requests).toHaveLength(4);
      expect(logged.lines.some((line) => line.includes('failed with NetworkError'))).toBe(true);
    });

    test('a create answered by InternalError is not sent again: its outcome is unknown', async () => {
      // GIVEN
      const target = await serve([aliError(500, 'InternalError', 'The request processing has failed due to some unknown error.'), CREATED]);

      // WHEN
      const error = await caughtCloudApiError(api(target).create({ name: 'bastion' }));

      // THEN
      expect(target.requests).toHaveLength(1);
      expect(error).toMatchObject({ code: 'InternalError', outcome: 'unknown', retryable: false });
      expect(error.remedy).toMatch(/look the key pair up/);
    });

    test('a create that hangs times out per request and is not sent again (its outcome is unknown)', async () => {
      // GIVEN
      const target = await serve([{ hang: true }, CREATED]);

      // WHEN
      const error = await caughtCloudApiError(
        api(target, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, requestTimeoutMs: 150, deadlineMs: 5_000 } }).create({ name: 'bastion' }),
      );

      // THEN one request only: a second create could make a second key pair or lose the first one's key
      expect(target.requests).toHaveLength(1);
      expect(error).toMatchObject({ code: 'RequestTimeout', retryable: false, outcome: 'unknown' });
      expect(error.message).toContain('may have been carried out');
      expect(logged.lines.some((line) => line.includes('CreateKeyPair attempt 1: timeout'))).toBe(true);
    });

    test('throttling is waited out past maxAttempts until the step\'s deadline; then the last error is no longer retryable', async () => {
      // GIVEN endless throttling, 3 attempts for transient failures, and a clock on which each backoff costs time
      const target = await serve([aliError(400, 'Throttling.User', 'Request was denied due to user flow control.')]);
      const clock = manualClock(0);

      // WHEN
      const error = await caughtCloudApiError(
        api(target, { clock, retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 1_000, requestTimeoutMs: 1_000, deadlineMs: 5_000 } }).findByName('x'),
      );

      // THEN a request every 0.5 s (half the 1 s ceiling), the last one started at 4 s, leaving it its 1 s before the 5 s deadline
      expect(error).toMatchObject({ code: 'Throttling.User', retryable: false, outcome: 'refused' });
      expect(clock.now()).toBe(4_000);
      expect(target.requests).toHaveLength(9);
      expect(error.message).toContain("(gave up after 9 attempts, at the step's deadline of 5.0 s)");
      expect(error.remedy).toContain(TUNING_ENV.deadlineSeconds);
    });

    test('an internal error is retried only maxAttempts times, well before the deadline', async () => {
      // GIVEN endless internal errors, and a clock on which each backoff costs time
      const target = await serve([aliError(500, 'InternalError', 'The request processing has failed due to some unknown error.')]);
      const clock = manualClock(0);

      // WHEN
      const error = await caughtCloudApiError(
        api(target, { clock, retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 1_000, requestTimeoutMs: 1_000, deadlineMs: 5_000 } }).findByName('x'),
      );

      // THEN
      expect(error).toMatchObject({ code: 'InternalError', retryable: false, outcome: 'unknown' });
      expect(target.requests).toHaveLength(3);
      expect(clock.now()).toBe(1_000);
      expect(error.message).toContain('(gave up after 3 attempts)');
      expect(logged.lines.filter((line) => line.includes('alicloud DescribeKeyPairs: failed with InternalError; attempt'))).toHaveLength(2);
    });

    test('a body that is not JSON is reported as malformed without echoing it', async () => {
      // GIVEN a proxy page that happens to contain key material
      const target = await serve([{ status: 200, body: `<html>${PKCS8_PRIVATE_KEY}</html>`, headers: { 'content-type': 'text/html' } }]);

      // WHEN
      const error = await caughtCloudApiError(api(target).create({ name: 'bastion' }));

      // THEN
      expect(error).toMatchObject({ code: 'MalformedResponse', retryable: false, outcome: 'unknown' });
      expect(error.message).toMatch(/bytes of text\/html/);
      expect(target.requests).toHaveLength(1);
      expectNoSecrets([error.message, String(error.stack)], SECRETS);
    });
  });

  describe('secrets', () => {
    test.each([
      ['the AccessKey secret', ACCESS_KEY_SECRET],
      ['the AccessKey secret, percent-encoded', encodeURIComponent(`${ACCESS_KEY_SECRET}`)],
      ['the STS token', SECURITY_TOKEN],
    ])('a cloud message echoing %s is redacted', async (_what, echoed) => {
      // GIVEN
      const target = await serve([aliError(400, 'InvalidParameter', `parameter value ${echoed} is not valid`)]);

      // WHEN
      const error = await caughtCloudApiError(api(target).findByName('x'));

      // THEN
      expect(error.message).toContain('parameter value [redacted] is not valid');
      expectNoSecrets([error.message, error.cloudMessage, String(error.stack)], [ACCESS_KEY_SECRET, SECURITY_TOKEN]);
    });

    test('no secret key, STS token or private key in any error message or log line, for both signature versions', async () => {
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
        const error = await caughtCloudApiError(api(target, { retry: { maxAttempts: 1 } }, signatureVersion).importPublicKey({ name: 'ci', publicKey: 'ssh-rsa AAAA' }));
        texts.push(error.message, String(error.stack), String(error.remedy));
      }
      const created = await api(target).create({ name: 'bastion' });
      texts.push(String(created.privateKey), JSON.stringify(created), ...logged.lines);

      // THEN
      expect(texts[0]).toContain('SignatureDoesNotMatch: Specified signature is not matched with our calculation');
      expect(texts[3]).toContain('InternalError: unexpected failure for secret [redacted]');
      expect(logged.lines.length).toBeGreaterThan(0);
      expectNoSecrets(texts, SECRETS);
    });
  });
});
