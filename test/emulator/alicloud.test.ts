import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as sshpk from 'sshpk';
import type { EmulatorCredential } from '../../emulator/cloud-emulator';
import { RunningEmulator, startEmulator } from '../../emulator/index';
import {
  AlicloudClient,
  AlicloudConnection,
  AlicloudSignatureVersion,
  buildSignedAlicloudRequest,
  canonicalQueryString,
  createAlicloudKeyPairApi,
  createKeyPair,
  deleteKeyPairs,
  describeKeyPairs,
  formatAlicloudTimestamp,
  importKeyPair,
  rpcSignature,
  rpcStringToSign,
} from '../../handler/clouds/alicloud';
import { SecretValue, CloudCredentials } from '../../handler/clouds/credentials';
import type { KeyPairApi } from '../../handler/clouds/key-pair-api';
import { CloudApiError } from '../../handler/http/cloud-api-error';
import { HttpResponse, sendHttpRequest } from '../../handler/http/transport';
import { canonicalOpenSsh, normaliseMd5Fingerprint } from '../../handler/keys/public-key';
import { NAME_RULES, ruleViolation } from '../../src/contract';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { INSTANT_RETRY_CLOCK } from '../support/retry-clocks';
import { sshKeygenFingerprint, sshKeygenPublicKeyOf } from '../support/ssh-keygen';

const LONG_TERM: EmulatorCredential = { accessKeyId: 'LTAIlongTermKey', accessKeySecret: 'long-term-secret' };
const STS: EmulatorCredential = { accessKeyId: 'STS.temporaryKey', accessKeySecret: 'sts-secret', securityToken: 'sts-token-value' };
const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

/** One RSA public key for the import tests (parsing is cheap, generating is not). */
const RSA_PUBLIC_KEY = sshpk.parseKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }), 'pem');
const RSA_PUBLIC_OPENSSH = `${canonicalOpenSsh(RSA_PUBLIC_KEY)} user@laptop`;

function asCredentials(credential: EmulatorCredential): CloudCredentials {
  return {
    accessKeyId: credential.accessKeyId,
    accessKeySecret: new SecretValue(credential.accessKeySecret),
    ...(credential.securityToken ? { securityToken: new SecretValue(credential.securityToken) } : {}),
  };
}

describe('Alibaba Cloud ECS emulator', () => {
  let emulator: RunningEmulator;
  let clockOffsetMs = 0;

  beforeAll(async () => {
    emulator = await startEmulator({
      credentials: { alicloud: [LONG_TERM, STS] },
      quotaPerScope: 3,
      now: () => new Date(Date.now() + clockOffsetMs),
    });
  });
  afterAll(async () => emulator.stop());
  afterEach(() => {
    emulator.reset();
    clockOffsetMs = 0;
  });

  function client(extra: Partial<AlicloudConnection> = {}): AlicloudConnection {
    return {
      region: 'cn-hangzhou',
      endpoint: new URL(emulator.endpoints.alicloud),
      credentials: asCredentials(LONG_TERM),
      clock: INSTANT_RETRY_CLOCK,
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1 },
      ...extra,
    };
  }

  /** The neutral interface over the same connection. */
  function api(extra: Partial<AlicloudConnection> = {}): KeyPairApi {
    return createAlicloudKeyPairApi(client(extra));
  }

  interface RawCall {
    readonly credentials?: CloudCredentials;
    readonly signatureVersion?: AlicloudSignatureVersion;
    readonly time?: Date;
  }

  /** A request signed by the project's signer, with whatever credentials and time a test wants. */
  async function rawCall(action: string, params: Record<string, string>, options: RawCall = {}): Promise<HttpResponse> {
    return sendHttpRequest(
      buildSignedAlicloudRequest({
        endpoint: new URL(emulator.endpoints.alicloud),
        action,
        params: { RegionId: 'cn-hangzhou', ...params },
        credentials: options.credentials ?? asCredentials(LONG_TERM),
        signatureVersion: options.signatureVersion ?? 'v3',
        time: options.time ?? new Date(),
        nonce: `nonce-${Math.random()}`,
        timeoutMs: 5_000,
      }),
    );
  }

  function expectErrorEnvelope(response: HttpResponse, status: number, code: string): Record<string, string> {
    const body = JSON.parse(response.body) as Record<string, string>;
    expect(response.status).toBe(status);
    expect(Object.keys(body).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    expect(body.Code).toBe(code);
    expect(body.RequestId).toMatch(REQUEST_ID);
    expect(body.HostId).toBe(new URL(emulator.endpoints.alicloud).host);
    expect(body.Message.length).toBeGreaterThan(0);
    return body;
  }

  async function expectCloudError(promise: Promise<unknown>, code: string, httpStatus: number): Promise<CloudApiError> {
    const error = await caughtCloudApiError(promise);
    expect(error).toMatchObject({ cloud: 'alicloud', code, httpStatus });
    expect(error.requestId).toMatch(REQUEST_ID);
    return error;
  }

  describe('round trips through the project\'s client', () => {
    let keyDirectory: string;
    beforeAll(() => {
      keyDirectory = mkdtempSync(path.join(tmpdir(), 'alicloud-emulator-'));
    });
    afterAll(() => rmSync(keyDirectory, { recursive: true, force: true }));

    test('create → describe → delete: a real RSA 2048 key whose public half is what describe returns', async () => {
      // WHEN
      const created = await api({ scope: 'rg-demo' }).create({ name: 'bastion', tags: { team: 'infra' } });
      const [described] = await api().findByName('bastion');

      // THEN
      const privateKey = sshpk.parsePrivateKey(created.privateKey.reveal(), 'pem');
      expect(privateKey.type).toBe('rsa');
      expect(privateKey.size).toBe(2048);
      expect(described).toMatchObject({ id: 'bastion', name: 'bastion', publicKey: canonicalOpenSsh(privateKey.toPublic()), tags: { team: 'infra' } });
      expect(emulator.listKeyPairs('alicloud')).toMatchObject([{ scope: 'cn-hangzhou', name: 'bastion', attributes: { resourceGroupId: 'rg-demo' } }]);
      expect((await describeKeyPairs(new AlicloudClient(client()), { keyPairName: 'bastion' })).keyPairs[0].creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
      // The private key is handed out once and kept nowhere.
      expect(JSON.stringify(emulator.listKeyPairs('alicloud'))).not.toContain('PRIVATE KEY');

      // WHEN
      const deleted = await api().delete(created);

      // THEN
      expect(deleted.alreadyGone).toBe(false);
      expect(await api().describeById('bastion')).toBeUndefined();
      expect(emulator.listKeyPairs('alicloud')).toEqual([]);
    });

    // docs/cloud-behaviour.md#alibaba-private-key-format
    test('the private key comes as PKCS#1 (what the reference\'s examples show), handed on unchanged, and ssh reads it', async () => {
      // WHEN
      const raw = await createKeyPair(new AlicloudClient(client()), { keyPairName: 'raw' });
      const created = await api().create({ name: 'through-api' });

      // THEN
      for (const pem of [raw.privateKeyPem, created.privateKey.reveal()]) {
        expect(pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n?$/);
      }
      const keyFile = path.join(keyDirectory, 'through-api.pem');
      writeFileSync(keyFile, created.privateKey.reveal());
      chmodSync(keyFile, 0o600);
      expect(sshKeygenPublicKeyOf(keyFile)).toBe((await api().describeById('through-api'))?.publicKey);
    });

    // docs/cloud-behaviour.md#alibaba-fingerprint-colons
    test('create and import answer the MD5 fingerprint with colons, describe without; both are ssh-keygen\'s MD5 of the key', async () => {
      // GIVEN
      const imported = await api().importPublicKey({ name: 'imported', publicKey: RSA_PUBLIC_OPENSSH });
      const created = await api().create({ name: 'created' });
      const keyFile = path.join(keyDirectory, 'created.pem');
      writeFileSync(keyFile, created.privateKey.reveal());
      chmodSync(keyFile, 0o600);

      // WHEN
      const [importedDescribed] = await api().findByName('imported');
      const [createdDescribed] = await api().findByName('created');

      // THEN the cloud's values stay as given …
      expect(imported.fingerprint).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){15}$/);
      expect(created.fingerprint).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){15}$/);
      expect(importedDescribed.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect(createdDescribed.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      // … and agree with ssh-keygen once normalised
      const importedMd5 = normaliseMd5Fingerprint(sshKeygenFingerprint(RSA_PUBLIC_OPENSSH, 'md5').slice('MD5:'.length));
      const createdMd5 = normaliseMd5Fingerprint(sshKeygenFingerprint(sshKeygenPublicKeyOf(keyFile), 'md5').slice('MD5:'.length));
      expect([imported.fingerprint, importedDescribed.fingerprint].map(normaliseMd5Fingerprint)).toEqual([importedMd5, importedMd5]);
      expect([created.fingerprint, createdDescribed.fingerprint].map(normaliseMd5Fingerprint)).toEqual([createdMd5, createdMd5]);
    });

    test('import → describe → delete with the legacy RPC signature and an STS token; the key is trimmed and its comment dropped', async () => {
      // GIVEN
      const options = client({ signatureVersion: 'v2', credentials: asCredentials(STS) });

      // WHEN
      const imported = await importKeyPair(new AlicloudClient(options), { keyPairName: 'ci.runner', publicKey: `\n${RSA_PUBLIC_OPENSSH}\n` });
      const page = await describeKeyPairs(new AlicloudClient(options), { keyPairName: 'ci.runner', includePublicKey: true });
      const deleted = await deleteKeyPairs(new AlicloudClient(options), ['ci.runner']);

      // THEN
      expect(imported).toEqual({ keyPairName: 'ci.runner', fingerprint: RSA_PUBLIC_KEY.fingerprint('md5').toString('hex'), requestId: expect.stringMatching(REQUEST_ID) });
      expect(page.keyPairs).toEqual([
        expect.objectContaining({ keyPairName: 'ci.runner', publicKey: RSA_PUBLIC_OPENSSH.split(' ').slice(0, 2).join(' ') }),
      ]);
      expect(deleted.alreadyGone).toBe(false);
      expect(emulator.listKeyPairs('alicloud')).toEqual([]);
    });

    test('ACS3 with an STS token is accepted; ECDSA and DSA keys import', async () => {
      // GIVEN
      const ecdsa = sshpk.parseKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }), 'pem');
      const dsa = sshpk.parseKey(
        generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey.export({ type: 'spki', format: 'pem' }),
        'pem',
      );
      const sts = api({ credentials: asCredentials(STS) });

      // WHEN
      await sts.importPublicKey({ name: 'ecdsa-key', publicKey: ecdsa.toString('ssh') });
      await sts.importPublicKey({ name: 'dsa-key', publicKey: dsa.toString('ssh') });

      // THEN
      expect((await sts.findByName('ecdsa-key'))[0].fingerprint).toBe(ecdsa.fingerprint('md5').toString('hex').replace(/:/g, ''));
      expect((await sts.findByName('dsa-key'))[0].fingerprint).toBe(dsa.fingerprint('md5').toString('hex').replace(/:/g, ''));
    });

    test('the legacy RPC parameters are also accepted as a form body', async () => {
      // GIVEN
      const params: Record<string, string> = {
        Action: 'DescribeKeyPairs',
        Version: '2014-05-26',
        Format: 'JSON',
        AccessKeyId: LONG_TERM.accessKeyId,
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        SignatureNonce: 'form-body-nonce',
        Timestamp: formatAlicloudTimestamp(new Date()),
        RegionId: 'cn-hangzhou',
      };
      params.Signature = rpcSignature(LONG_TERM.accessKeySecret, rpcStringToSign('POST', params));

      // WHEN
      const response = await sendHttpRequest({
        method: 'POST',
        url: new URL('/', emulator.endpoints.alicloud),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: canonicalQueryString(params),
        timeoutMs: 5_000,
      });

      // THEN
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ TotalCount: 0, PageNumber: 1, PageSize: 10, KeyPairs: { KeyPair: [] } });
    });

    test('injected throttling answers Throttling.User, which the client waits out beyond maxAttempts (it counts only transient failures)', async () => {
      // GIVEN five throttled answers on CreateKeyPair, one more than the client's maxAttempts of 4
      emulator.injectFault({ cloud: 'alicloud', action: 'CreateKeyPair', kind: 'throttle', count: 5 });
      const lines: string[] = [];

      // WHEN the client creates a key pair
      const created = await api({ log: (line) => lines.push(line) }).create({ name: 'throttled' });

      // THEN it waited out each throttle (no wait with the instant clock's zero jitter) and made the pair once
      expect(created.name).toBe('throttled');
      expect(lines.filter((line) => / (asked to retry later|failed with) /.test(line))).toEqual(
        [2, 3, 4, 5, 6].map((attempt) =>
          expect.stringMatching(
            new RegExp(`^alicloud CreateKeyPair: asked to retry later \\(Throttling\\.User\\); attempt ${attempt} in 0\\.0 s \\(\\d+ s left of the step's 300 s\\)$`),
          ),
        ),
      );
      // AND the journal shows five throttled requests, then the one the cloud ran, each about the pair's name
      const throttled = { cloud: 'alicloud', action: 'CreateKeyPair', status: 400, handled: false, fault: 'throttle', keyPairNames: ['throttled'] };
      expect(emulator.requests('alicloud')).toEqual([
        ...Array(5).fill(throttled),
        { cloud: 'alicloud', action: 'CreateKeyPair', status: 200, handled: true, keyPairNames: ['throttled'] },
      ]);
      expect(emulator.listKeyPairs('alicloud')).toHaveLength(1);
    });
  });

  // docs/cloud-behaviour.md#bound-key-pair-delete
  describe('a key pair bound to an instance', () => {
    test('DeleteKeyPairs answers HTTP 400 InvalidParameter.KeypairAlreadyAttachedInstance and deletes nothing, until released', async () => {
      // GIVEN two pairs, one bound
      await importKeyPair(new AlicloudClient(client()), { keyPairName: 'bound', publicKey: RSA_PUBLIC_OPENSSH });
      await importKeyPair(new AlicloudClient(client()), { keyPairName: 'free', publicKey: RSA_PUBLIC_OPENSSH });
      emulator.bindKeyPair('alicloud', 'bound', { instanceId: 'i-bp1abcdefg' });

      // WHEN
      const refused = await rawCall('DeleteKeyPairs', { KeyPairNames: '["free","bound"]' });
      const error = await caughtCloudApiError(api().delete({ id: 'bound', name: 'bound' }));

      // THEN the whole call is refused
      const body = expectErrorEnvelope(refused, 400, 'InvalidParameter.KeypairAlreadyAttachedInstance');
      expect(body.Message).toContain('attached to instances can not be deleted');
      expect(error).toMatchObject({ outcome: 'in-use', retryable: false, httpStatus: 400 });
      expect(emulator.listKeyPairs('alicloud').map((keyPair) => keyPair.name).sort()).toEqual(['bound', 'free']);

      // WHEN released
      expect(emulator.releaseKeyPair('alicloud', 'bound')).toBe(true);

      // THEN
      expect((await api().delete({ id: 'bound', name: 'bound' })).alreadyGone).toBe(false);
      expect(emulator.listKeyPairs('alicloud').map((keyPair) => keyPair.name)).toEqual(['free']);
    });

    test('a binding for N deletes (an instance being torn down) refuses exactly N, set through the inspection API', async () => {
      // GIVEN
      await importKeyPair(new AlicloudClient(client()), { keyPairName: 'leaving', publicKey: RSA_PUBLIC_OPENSSH });
      const bound = await fetch(new URL('/_emulator/bindings', emulator.endpoints.alicloud), {
        method: 'POST',
        body: JSON.stringify({ keyPair: 'leaving', instanceId: 'i-going', deleteAttempts: 2 }),
      });
      expect(bound.status).toBe(200);

      // WHEN
      const outcomes: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        outcomes.push(await api().delete({ id: 'leaving', name: 'leaving' }).then(() => 'deleted', (err: CloudApiError) => err.outcome));
      }

      // THEN
      expect(outcomes).toEqual(['in-use', 'in-use', 'deleted']);
      expect(emulator.listKeyPairs('alicloud')).toEqual([]);
    });
  });

  // docs/cloud-behaviour.md#not-found-codes
  describe('region and credential 404s are not "not found"', () => {
    test('an unknown RegionId is HTTP 404 InvalidRegionId.NotFound; the client reports it, never "gone"', async () => {
      // GIVEN a pair in a real region
      await importKeyPair(new AlicloudClient(client()), { keyPairName: 'kept', publicKey: RSA_PUBLIC_OPENSSH });
      const nowhere = api({ region: 'cn-atlantis' });

      // WHEN
      const response = await rawCall('DescribeKeyPairs', { RegionId: 'cn-atlantis' });
      const describeError = await caughtCloudApiError(nowhere.describeById('kept'));
      const deleteError = await caughtCloudApiError(nowhere.delete({ id: 'kept', name: 'kept' }));

      // THEN
      expectErrorEnvelope(response, 404, 'InvalidRegionId.NotFound');
      for (const error of [describeError, deleteError]) expect(error).toMatchObject({ code: 'InvalidRegionId.NotFound', httpStatus: 404, outcome: 'permanent' });
      expect(emulator.listKeyPairs('alicloud').map((keyPair) => keyPair.name)).toEqual(['kept']);
    });

    test('an unknown AccessKey (HTTP 404 InvalidAccessKeyId.NotFound) is not "gone" either', async () => {
      // GIVEN
      const stranger = api({ credentials: { accessKeyId: 'LTAIunknown', accessKeySecret: new SecretValue('whatever-secret') } });

      // WHEN
      const describeError = await caughtCloudApiError(stranger.describeById('anything'));
      const deleteError = await caughtCloudApiError(stranger.delete({ id: 'anything', name: 'anything' }));

      // THEN
      for (const error of [describeError, deleteError]) {
        expect(error).toMatchObject({ code: 'InvalidAccessKeyId.NotFound', httpStatus: 404, outcome: 'permanent' });
        expect(error.remedy).toMatch(/ALICLOUD_ACCESS_KEY/);
      }
    });
  });

  describe('authentication errors', () => {
    test.each(['v3', 'v2'] as const)('%s: a wrong signature is SignatureDoesNotMatch', async (signatureVersion) => {
      // WHEN
      const response = await rawCall('DescribeKeyPairs', {}, {
        signatureVersion,
        credentials: { accessKeyId: LONG_TERM.accessKeyId, accessKeySecret: new SecretValue('not-the-secret') },
      });

      // THEN
      expectErrorEnvelope(response, 400, 'SignatureDoesNotMatch');
    });

    test.each(['v3', 'v2'] as const)('%s: an unknown AccessKey is InvalidAccessKeyId.NotFound', async (signatureVersion) => {
      // WHEN
      const response = await rawCall('DescribeKeyPairs', {}, {
        signatureVersion,
        credentials: { accessKeyId: 'LTAIunknown', accessKeySecret: new SecretValue('whatever') },
      });

      // THEN
      expectErrorEnvelope(response, 404, 'InvalidAccessKeyId.NotFound');
    });

    test('a timestamp 16 minutes old is InvalidTimeStamp.Expired for ACS3; RPC allows 31 minutes', async () => {
      // GIVEN
      const sixteenMinutesAgo = new Date(Date.now() - 16 * 60_000);
      const thirtyTwoMinutesAgo = new Date(Date.now() - 32 * 60_000);

      // WHEN
      const acs3 = await rawCall('DescribeKeyPairs', {}, { time: sixteenMinutesAgo });
      const rpcFresh = await rawCall('DescribeKeyPairs', {}, { time: sixteenMinutesAgo, signatureVersion: 'v2' });
      const rpcStale = await rawCall('DescribeKeyPairs', {}, { time: thirtyTwoMinutesAgo, signatureVersion: 'v2' });

      // THEN
      expectErrorEnvelope(acs3, 400, 'InvalidTimeStamp.Expired');
      expect(rpcFresh.status).toBe(200);
      expectErrorEnvelope(rpcStale, 400, 'InvalidTimeStamp.Expired');
    });

    test('the emulator\'s own clock decides what is stale', async () => {
      // GIVEN the emulator runs 20 minutes ahead
      clockOffsetMs = 20 * 60_000;

      // WHEN
      const error = await expectCloudError(describeKeyPairs(new AlicloudClient(client()), {}), 'InvalidTimeStamp.Expired', 400);

      // THEN
      expect(error.remedy).toMatch(/clock/);
    });

    test.each(['v3', 'v2'] as const)('%s: an STS credential without its token, or with a wrong one, is refused', async (signatureVersion) => {
      // WHEN
      const missing = await rawCall('DescribeKeyPairs', {}, {
        signatureVersion,
        credentials: { accessKeyId: STS.accessKeyId, accessKeySecret: new SecretValue(STS.accessKeySecret) },
      });
      const wrong = await rawCall('DescribeKeyPairs', {}, {
        signatureVersion,
        credentials: { ...asCredentials(STS), securityToken: new SecretValue('stolen-or-stale-token') },
      });

      // THEN
      expectErrorEnvelope(missing, 400, 'InvalidSecurityToken.Malformed');
      expectErrorEnvelope(wrong, 400, 'InvalidSecurityToken.MismatchWithAccessKey');
    });

    test('an unsigned request, and an ACS3 request that leaves an x-acs- header unsigned, are IncompleteSignature', async () => {
      // GIVEN
      const signed = buildSignedAlicloudRequest({
        endpoint: new URL(emulator.endpoints.alicloud),
        action: 'DescribeKeyPairs',
        params: { RegionId: 'cn-hangzhou' },
        credentials: asCredentials(LONG_TERM),
        signatureVersion: 'v3',
        time: new Date(),
        nonce: 'unsigned-header-nonce',
        timeoutMs: 5_000,
      });

      // WHEN
      const unsigned = await sendHttpRequest({ method: 'POST', url: new URL('/?RegionId=cn-hangzhou', emulator.endpoints.alicloud), headers: {}, body: '', timeoutMs: 5_000 });
      const smuggled = await sendHttpRequest({ ...signed, headers: { ...signed.headers, 'x-acs-extra': 'added later' } });

      // THEN
      expectErrorEnvelope(unsigned, 400, 'IncompleteSignature');
      expectErrorEnvelope(smuggled, 400, 'IncompleteSignature');
    });

    test('a parameter changed after signing is SignatureDoesNotMatch', async () => {
      // GIVEN
      const signed = buildSignedAlicloudRequest({
        endpoint: new URL(emulator.endpoints.alicloud),
        action: 'DeleteKeyPairs',
        params: { RegionId: 'cn-hangzhou', KeyPairNames: '["a"]' },
        credentials: asCredentials(LONG_TERM),
        signatureVersion: 'v3',
        time: new Date(),
        nonce: 'tamper-nonce',
        timeoutMs: 5_000,
      });
      const tampered = new URL(signed.url);
      tampered.searchParams.set('KeyPairNames', '["b"]');

      // WHEN
      const response = await sendHttpRequest({ ...signed, url: tampered });

      // THEN
      expectErrorEnvelope(response, 400, 'SignatureDoesNotMatch');
    });
  });

  describe('key pair rules', () => {
    test('a duplicate name is KeyPair.AlreadyExist, for create and import alike: name-taken, sent once', async () => {
      // GIVEN
      await importKeyPair(new AlicloudClient(client()), { keyPairName: 'taken', publicKey: RSA_PUBLIC_OPENSSH });

      // WHEN
      const created = await expectCloudError(createKeyPair(new AlicloudClient(client()), { keyPairName: 'taken' }), 'KeyPair.AlreadyExist', 400);
      const imported = await expectCloudError(importKeyPair(new AlicloudClient(client()), { keyPairName: 'taken', publicKey: RSA_PUBLIC_OPENSSH }), 'KeyPair.AlreadyExist', 400);

      // THEN
      for (const error of [created, imported]) expect(error).toMatchObject({ outcome: 'name-taken', retryable: false });
      expect(emulator.requests('alicloud').map((entry) => [entry.action, entry.status, entry.keyPairNames])).toEqual([
        ['ImportKeyPair', 200, ['taken']],
        ['CreateKeyPair', 400, ['taken']],
        ['ImportKeyPair', 400, ['taken']],
      ]);
      expect(emulator.listKeyPairs('alicloud')).toHaveLength(1);
    });

    test('the quota counts per region: QuotaExceed.KeyPair once a region is full', async () => {
      // GIVEN the emulator's quota of 3 per region, filled in cn-hangzhou
      for (const name of ['k1', 'k2', 'k3']) await importKeyPair(new AlicloudClient(client()), { keyPairName: name, publicKey: RSA_PUBLIC_OPENSSH });

      // THEN
      const error = await expectCloudError(importKeyPair(new AlicloudClient(client()), { keyPairName: 'k4', publicKey: RSA_PUBLIC_OPENSSH }), 'QuotaExceed.KeyPair', 403);
      expect(error.retryable).toBe(false);
      await importKeyPair(new AlicloudClient(client({ region: 'cn-beijing' })), { keyPairName: 'k4', publicKey: RSA_PUBLIC_OPENSSH });
      expect(emulator.listKeyPairs('alicloud').map((keyPair) => keyPair.scope).sort()).toEqual(['cn-beijing', 'cn-hangzhou', 'cn-hangzhou', 'cn-hangzhou']);
    });

    test('malformed public keys and unsupported key types are InvalidPublicKeyBody.Malformed', async () => {
      // GIVEN
      const ed25519 = sshpk.parseKey(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }), 'pem').toString('ssh');

      // THEN
      for (const publicKey of ['ssh-rsa not-base64!', 'hello world', `${RSA_PUBLIC_OPENSSH}\n${RSA_PUBLIC_OPENSSH}`, ed25519]) {
        await expectCloudError(importKeyPair(new AlicloudClient(client()), { keyPairName: 'bad-key', publicKey }), 'InvalidPublicKeyBody.Malformed', 400);
      }
      expect(emulator.listKeyPairs('alicloud')).toEqual([]);
    });

    test('a missing PublicKeyBody is MissingParameter naming it', async () => {
      // WHEN
      const response = await rawCall('ImportKeyPair', { KeyPairName: 'no-key' });

      // THEN
      const body = expectErrorEnvelope(response, 400, 'MissingParameter');
      expect(body.Message).toContain('"PublicKeyBody"');
    });

    test('CreateKeyPair and ImportKeyPair name rules differ', async () => {
      // THEN create: a letter first, letters, digits, ":", "_", "-"; 2-128 characters
      for (const name of ['1abc', 'a', 'web.1', 'https://x', 'a'.repeat(129), '密钥']) {
        await expectCloudError(createKeyPair(new AlicloudClient(client()), { keyPairName: name }), 'InvalidKeyPairName.Malformed', 400);
      }
      // import also allows "." and Unicode letters such as Chinese
      await importKeyPair(new AlicloudClient(client()), { keyPairName: 'web.1', publicKey: RSA_PUBLIC_OPENSSH });
      await importKeyPair(new AlicloudClient(client()), { keyPairName: '密钥-prod', publicKey: RSA_PUBLIC_OPENSSH });
      await expectCloudError(importKeyPair(new AlicloudClient(client()), { keyPairName: '.hidden', publicKey: RSA_PUBLIC_OPENSSH }), 'InvalidKeyPairName.Malformed', 400);
      expect(await api().findByName('密钥-prod')).toHaveLength(1);
    });

    test('the emulator accepts exactly the names the contract\'s rules accept, per action', async () => {
      // GIVEN names at the edges of both rules
      const names = ['ab', 'a', 'Zz:_-9', 'web.1', '密钥', '密', '1abc', '_x', 'http://x', 'HTTPS://x', 'httpx', 'a b', 'a'.repeat(128), 'a'.repeat(129), 'ÄÖ'];

      // WHEN / THEN
      for (const action of ['create', 'import'] as const) {
        for (const name of names) {
          const accepted = await (action === 'create'
            ? createKeyPair(new AlicloudClient(client()), { keyPairName: name })
            : importKeyPair(new AlicloudClient(client()), { keyPairName: name, publicKey: RSA_PUBLIC_OPENSSH })
          ).then(
            () => true,
            (err: CloudApiError) => (err.code === 'InvalidKeyPairName.Malformed' ? false : err.code),
          );
          expect([action, name, accepted]).toEqual([action, name, ruleViolation(NAME_RULES.alicloud[action], name) === undefined]);
          emulator.reset();
        }
      }
    });

    test('tags are validated on create and filter on describe', async () => {
      // GIVEN
      await importKeyPair(new AlicloudClient(client()), { keyPairName: 'tagged', publicKey: RSA_PUBLIC_OPENSSH, tags: { team: 'infra', env: 'prod' } });
      await importKeyPair(new AlicloudClient(client()), { keyPairName: 'other', publicKey: RSA_PUBLIC_OPENSSH, tags: { team: 'web' } });

      // THEN
      expect((await describeKeyPairs(new AlicloudClient(client()), { tags: { team: 'infra' } })).keyPairs.map((keyPair) => keyPair.keyPairName)).toEqual(['tagged']);
      expect((await describeKeyPairs(new AlicloudClient(client()), { tags: { team: '' } })).totalCount).toBe(2);
      await expectCloudError(importKeyPair(new AlicloudClient(client()), { keyPairName: 'bad-tag', publicKey: RSA_PUBLIC_OPENSSH, tags: { 'aliyun:x': 'y' } }), 'InvalidTagKey.Malformed', 400);
      await expectCloudError(importKeyPair(new AlicloudClient(client()), { keyPairName: 'bad-tag', publicKey: RSA_PUBLIC_OPENSSH, tags: { k: 'acs:y' } }), 'InvalidTagValue.Malformed', 400);
    });
  });

  describe('describe, paging and not found', () => {
    test('exact and * wildcard names, pages of at most 50', async () => {
      // GIVEN a roomier emulator with 55 pairs
      const roomy = await startEmulator({ credentials: { alicloud: [LONG_TERM] }, quotaPerScope: 500 });
      try {
        const options = client({ endpoint: new URL(roomy.endpoints.alicloud) });
        const roomyApi = createAlicloudKeyPairApi(options);
        for (let index = 1; index <= 53; index++) await importKeyPair(new AlicloudClient(options), { keyPairName: `web-${index}`, publicKey: RSA_PUBLIC_OPENSSH });
        await importKeyPair(new AlicloudClient(options), { keyPairName: 'web', publicKey: RSA_PUBLIC_OPENSSH });
        await importKeyPair(new AlicloudClient(options), { keyPairName: 'db-web-1', publicKey: RSA_PUBLIC_OPENSSH });

        // WHEN
        const firstPage = await describeKeyPairs(new AlicloudClient(options), { keyPairName: 'web-*', pageSize: 50 });
        const secondPage = await describeKeyPairs(new AlicloudClient(options), { keyPairName: 'web-*', pageSize: 50, pageNumber: 2 });
        const defaultPage = await describeKeyPairs(new AlicloudClient(options), {});

        // THEN
        expect(firstPage).toMatchObject({ totalCount: 53, pageNumber: 1, pageSize: 50 });
        expect(firstPage.keyPairs).toHaveLength(50);
        expect(secondPage.keyPairs.map((keyPair) => keyPair.keyPairName)).toEqual(['web-51', 'web-52', 'web-53']);
        expect(firstPage.keyPairs[0].publicKey).toBeUndefined();
        expect((await describeKeyPairs(new AlicloudClient(options), { keyPairName: '*web-1*' })).keyPairs.map((keyPair) => keyPair.keyPairName).sort()).toEqual(
          ['db-web-1', 'web-1', 'web-10', 'web-11', 'web-12', 'web-13', 'web-14', 'web-15', 'web-16', 'web-17', 'web-18', 'web-19'],
        );
        // findByName takes names literally: a * in it matches no other name.
        expect(await roomyApi.findByName('web-*')).toEqual([]);
        expect((await roomyApi.findByName('web')).map((keyPair) => keyPair.name)).toEqual(['web']);
        // The client asks for full pages of 50 unless told otherwise.
        expect(defaultPage).toMatchObject({ totalCount: 55, pageSize: 50 });
      } finally {
        await roomy.stop();
      }
    });

    test('a page size over 50 (or a page number under 1) is InvalidParameter', async () => {
      // WHEN
      const tooBig = await rawCall('DescribeKeyPairs', { PageSize: '51' });
      const zeroPage = await rawCall('DescribeKeyPairs', { PageNumber: '0' });

      // THEN
      expect(expectErrorEnvelope(tooBig, 400, 'InvalidParameter').Message).toContain('"PageSize"');
      expect(expectErrorEnvelope(zeroPage, 400, 'InvalidParameter').Message).toContain('"PageNumber"');
    });

    test('an exact name that does not exist describes as empty; deleting it is InvalidKeyPair.NotFound, which the client counts as deleted', async () => {
      // WHEN
      const page = await describeKeyPairs(new AlicloudClient(client()), { keyPairName: 'ghost' });
      const response = await rawCall('DeleteKeyPairs', { KeyPairNames: '["ghost"]' });
      const deleted = await api().delete({ id: 'ghost', name: 'ghost' });

      // THEN
      expect(page).toMatchObject({ keyPairs: [], totalCount: 0 });
      expect(await api().describeById('ghost')).toBeUndefined();
      expectErrorEnvelope(response, 404, 'InvalidKeyPair.NotFound');
      expect(deleted.alreadyGone).toBe(true);
    });

    test('KeyPairNames that is not a JSON array of 1-100 names is InvalidKeyPairNames.ValueNotSupported', async () => {
      // GIVEN
      const tooMany = JSON.stringify(Array.from({ length: 101 }, (_, index) => `k${index}`));

      // THEN
      for (const value of ['ghost', '[]', '[1]', tooMany]) {
        expectErrorEnvelope(await rawCall('DeleteKeyPairs', { KeyPairNames: value }), 400, 'InvalidKeyPairNames.ValueNotSupported');
      }
      expectErrorEnvelope(await rawCall('DeleteKeyPairs', {}), 400, 'MissingParameter');
    });

    test('a missing RegionId, an unknown action and a wrong API version get the gateway\'s codes', async () => {
      // GIVEN
      const withoutRegion = buildSignedAlicloudRequest({
        endpoint: new URL(emulator.endpoints.alicloud),
        action: 'DescribeKeyPairs',
        params: {},
        credentials: asCredentials(LONG_TERM),
        signatureVersion: 'v2',
        time: new Date(),
        nonce: 'region-nonce',
        timeoutMs: 5_000,
      });

      const wrongVersion = new URL(withoutRegion.url);
      const params = Object.fromEntries(wrongVersion.searchParams.entries());
      params.Version = '2016-03-14';
      params.RegionId = 'cn-hangzhou';
      params.Signature = rpcSignature(LONG_TERM.accessKeySecret, rpcStringToSign('POST', params));
      wrongVersion.search = canonicalQueryString(params);

      // THEN
      expectErrorEnvelope(await sendHttpRequest(withoutRegion), 400, 'MissingRegionId');
      expectErrorEnvelope(await sendHttpRequest({ ...withoutRegion, url: wrongVersion }), 400, 'InvalidVersion');
      expectErrorEnvelope(await rawCall('RunInstances', {}), 404, 'InvalidAction.NotFound');
      expectErrorEnvelope(await rawCall('toString', {}), 404, 'InvalidAction.NotFound');
    });
  });
});
