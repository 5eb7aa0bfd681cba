import * as http from 'node:http';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import * as $OpenApi from '@alicloud/openapi-client';
import PopClient from '@alicloud/pop-core';
import * as sshpk from 'sshpk';
import * as tencentcloudSdk from 'tencentcloud-sdk-nodejs-cvm';
import { RunningEmulator, startEmulator } from '../../emulator';
import { generateRsaKeyPair } from '../../emulator/key-material';
import { keyPairApiFor } from '../../handler/clouds/factory';
import type { KeyPairApi } from '../../handler/clouds/key-pair-api';
import { normaliseMd5Fingerprint } from '../../handler/keys/public-key';
import { FAST_RETRY } from '../support/emulated-clients';
import { loopbackOnly } from '../support/loopback-server';

/*
 * The emulator's signature checks were written against the project's own signers. These tests send the
 * same key pair calls through each cloud's official Node SDK, an independent implementation of each
 * signature scheme: whatever the SDK signs and sends, the emulator must accept (and must reject a wrong
 * secret with the cloud's own error code). UCloud is left out: its JS SDK is not on the npm registry.
 */

const ALICLOUD_REGION = 'cn-hangzhou';
const TENCENTCLOUD_REGION = 'ap-guangzhou';
const ALICLOUD_API_VERSION = '2014-05-26';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

/** The emulator's endpoint as the SDKs take it: `host:port`, no scheme. */
function hostAndPort(endpoint: string): string {
  return new URL(endpoint).host;
}

/** What a rejected promise was rejected with (the SDKs throw their own error classes). */
async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: unknown; data?: unknown }> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error & { code?: unknown; data?: unknown };
}

// ---------------------------------------------------------------------------------------------------
// Alibaba Cloud, @alicloud/ecs20140526 (ACS3-HMAC-SHA256, the SDK's default)
// ---------------------------------------------------------------------------------------------------

function ecsClient(accessKeySecret?: string): Ecs {
  const env = emulator.handlerEnvironment();
  return new Ecs(
    new $OpenApi.Config({
      accessKeyId: env.ALICLOUD_ACCESS_KEY,
      accessKeySecret: accessKeySecret ?? env.ALICLOUD_SECRET_KEY,
      regionId: ALICLOUD_REGION,
      endpoint: hostAndPort(emulator.endpoints.alicloud),
      protocol: 'http',
    }),
  );
}

describe('Alibaba Cloud ECS through @alicloud/ecs20140526 (ACS3)', () => {
  test('create, describe, delete: the pair is listed with its fingerprint, then gone', async () => {
    // GIVEN
    const ecs = ecsClient();

    // WHEN
    const created = await ecs.createKeyPair(new $Ecs.CreateKeyPairRequest({ regionId: ALICLOUD_REGION, keyPairName: 'sdk-acs3-pair' }));
    const listed = await ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: ALICLOUD_REGION, keyPairName: 'sdk-acs3-pair' }));
    await ecs.deleteKeyPairs(new $Ecs.DeleteKeyPairsRequest({ regionId: ALICLOUD_REGION, keyPairNames: JSON.stringify(['sdk-acs3-pair']) }));
    const afterDelete = await ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: ALICLOUD_REGION, keyPairName: 'sdk-acs3-pair' }));

    // THEN
    expect(created.statusCode).toBe(200);
    expect(created.body?.keyPairName).toBe('sdk-acs3-pair');
    expect(created.body?.keyPairId).toMatch(/^ssh-/);
    // PKCS#1, as the reference's examples show (docs/cloud-behaviour.md#alibaba-private-key-format).
    expect(created.body?.privateKeyBody).toContain('-----BEGIN RSA PRIVATE KEY-----');
    expect(listed.body?.totalCount).toBe(1);
    // The same MD5, with colons from CreateKeyPair and without from DescribeKeyPairs (docs/cloud-behaviour.md#alibaba-fingerprint-colons).
    expect(listed.body?.keyPairs?.keyPair?.map((k) => [k.keyPairName, k.keyPairFingerPrint])).toEqual([
      ['sdk-acs3-pair', normaliseMd5Fingerprint(created.body?.keyPairFingerPrint ?? '')],
    ]);
    expect(afterDelete.body?.totalCount).toBe(0);
    expect(afterDelete.body?.keyPairs?.keyPair ?? []).toEqual([]);
    expect(emulator.listKeyPairs('alicloud')).toEqual([]);
  });

  test('ImportKeyPair of a real public key', async () => {
    // GIVEN
    const ecs = ecsClient();
    const { publicKeyOpenSsh } = generateRsaKeyPair();

    // WHEN
    const imported = await ecs.importKeyPair(
      new $Ecs.ImportKeyPairRequest({ regionId: ALICLOUD_REGION, keyPairName: 'sdk-imported', publicKeyBody: publicKeyOpenSsh }),
    );
    const listed = await ecs.describeKeyPairs(
      new $Ecs.DescribeKeyPairsRequest({ regionId: ALICLOUD_REGION, keyPairName: 'sdk-imported', includePublicKey: true }),
    );

    // THEN
    expect(imported.body?.keyPairName).toBe('sdk-imported');
    // ECS documents the MD5 fingerprint of the public key (RFC 4716): computed here with sshpk.
    expect(imported.body?.keyPairFingerPrint).toBe(sshpk.parseKey(publicKeyOpenSsh, 'ssh').fingerprint('md5').toString('hex'));
    const [only] = listed.body?.keyPairs?.keyPair ?? [];
    expect(only?.keyPairFingerPrint).toBe(normaliseMd5Fingerprint(imported.body?.keyPairFingerPrint ?? ''));
    expect(only?.publicKey?.split(' ').slice(0, 2)).toEqual(publicKeyOpenSsh.split(' ').slice(0, 2));
  });

  test('a wrong AccessKeySecret: the SDK raises the emulator signature error code', async () => {
    // GIVEN
    const ecs = ecsClient('not-the-emulator-secret');

    // WHEN
    const err = await rejectionOf(ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: ALICLOUD_REGION })));

    // THEN
    expect(err.code).toBe('SignatureDoesNotMatch');
  });
});

// ---------------------------------------------------------------------------------------------------
// Alibaba Cloud, @alicloud/pop-core (legacy RPC signature, HMAC-SHA1)
// ---------------------------------------------------------------------------------------------------

/** The parts of DescribeKeyPairs' answer these tests read (pop-core returns the JSON as parsed). */
interface PopDescribeKeyPairs {
  readonly TotalCount: number;
  readonly KeyPairs: { readonly KeyPair: ReadonlyArray<{ readonly KeyPairName: string; readonly KeyPairFingerPrint: string }> };
}

interface PopCreateKeyPair {
  readonly KeyPairId: string;
  readonly KeyPairName: string;
  readonly KeyPairFingerPrint: string;
}

function popClient(accessKeySecret?: string): PopClient {
  const env = emulator.handlerEnvironment();
  return new PopClient({
    endpoint: emulator.endpoints.alicloud,
    apiVersion: ALICLOUD_API_VERSION,
    accessKeyId: env.ALICLOUD_ACCESS_KEY,
    accessKeySecret: accessKeySecret ?? env.ALICLOUD_SECRET_KEY,
  });
}

describe.each(['GET', 'POST'])('Alibaba Cloud ECS through @alicloud/pop-core (RPC HMAC-SHA1, %s)', (method) => {
  const options = { method };

  test('create, describe, delete', async () => {
    // GIVEN
    const pop = popClient();

    // WHEN
    const created = await pop.request<PopCreateKeyPair>('CreateKeyPair', { RegionId: ALICLOUD_REGION, KeyPairName: 'sdk-rpc-pair' }, options);
    const listed = await pop.request<PopDescribeKeyPairs>('DescribeKeyPairs', { RegionId: ALICLOUD_REGION, KeyPairName: 'sdk-rpc-pair' }, options);
    await pop.request('DeleteKeyPairs', { RegionId: ALICLOUD_REGION, KeyPairNames: JSON.stringify(['sdk-rpc-pair']) }, options);
    const afterDelete = await pop.request<PopDescribeKeyPairs>('DescribeKeyPairs', { RegionId: ALICLOUD_REGION, KeyPairName: 'sdk-rpc-pair' }, options);

    // THEN
    expect(created.KeyPairName).toBe('sdk-rpc-pair');
    expect(created.KeyPairId).toMatch(/^ssh-/);
    expect(listed.TotalCount).toBe(1);
    expect(listed.KeyPairs.KeyPair.map((k) => [k.KeyPairName, k.KeyPairFingerPrint])).toEqual([['sdk-rpc-pair', normaliseMd5Fingerprint(created.KeyPairFingerPrint)]]);
    expect(afterDelete.TotalCount).toBe(0);
  });

  test('ImportKeyPair of a real public key', async () => {
    // GIVEN
    const pop = popClient();
    const { publicKeyOpenSsh } = generateRsaKeyPair();

    // WHEN
    const imported = await pop.request<PopCreateKeyPair>(
      'ImportKeyPair',
      { RegionId: ALICLOUD_REGION, KeyPairName: 'sdk-rpc-imported', PublicKeyBody: publicKeyOpenSsh },
      options,
    );

    // THEN
    expect(imported.KeyPairFingerPrint).toBe(sshpk.parseKey(publicKeyOpenSsh, 'ssh').fingerprint('md5').toString('hex'));
    expect(emulator.listKeyPairs('alicloud').map((k) => k.name)).toEqual(['sdk-rpc-imported']);
  });

  test('a wrong AccessKeySecret: the SDK raises the emulator signature error code', async () => {
    // GIVEN
    const pop = popClient('not-the-emulator-secret');

    // WHEN
    const err = await rejectionOf(pop.request('DescribeKeyPairs', { RegionId: ALICLOUD_REGION }, options));

    // THEN
    expect(err.code).toBe('SignatureDoesNotMatch');
  });
});

// ---------------------------------------------------------------------------------------------------
// Tencent Cloud, tencentcloud-sdk-nodejs-cvm (TC3-HMAC-SHA256)
// ---------------------------------------------------------------------------------------------------

type CvmClient = InstanceType<typeof tencentcloudSdk.cvm.v20170312.Client>;

/**
 * The SDK names the service in the TC3 credential scope after the first label of its endpoint
 * (`cvm.tencentcloudapi.com` → `cvm`), so it is given `cvm.localhost:<emulator port>` rather than
 * `127.0.0.1:<port>` (which would sign for a service `127` that no Tencent endpoint serves).
 */
function cvmClient(secretKey?: string): CvmClient {
  const env = emulator.handlerEnvironment();
  const port = new URL(emulator.endpoints.tencentcloud).port;
  return new tencentcloudSdk.cvm.v20170312.Client({
    credential: { secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: secretKey ?? env.TENCENTCLOUD_SECRET_KEY },
    region: TENCENTCLOUD_REGION,
    profile: {
      httpProfile: { endpoint: `cvm.localhost:${port}`, protocol: 'http://', agent: new http.Agent({ lookup: loopbackOnly }) },
    },
  });
}

describe('Tencent Cloud CVM through tencentcloud-sdk-nodejs-cvm (TC3)', () => {
  test('create, describe by id, delete: then gone', async () => {
    // GIVEN
    const cvm = cvmClient();

    // WHEN
    const created = await cvm.CreateKeyPair({ KeyName: 'sdk_tc3_pair', ProjectId: 0 });
    const keyId = created.KeyPair?.KeyId ?? '';
    const listed = await cvm.DescribeKeyPairs({ KeyIds: [keyId] });
    await cvm.DeleteKeyPairs({ KeyIds: [keyId] });
    const afterDelete = await cvm.DescribeKeyPairs({ Filters: [{ Name: 'key-name', Values: ['sdk_tc3_pair'] }] });

    // THEN
    expect(keyId).toMatch(/^skey-[0-9a-z]{8}$/);
    expect(created.KeyPair?.PrivateKey).toContain('-----BEGIN RSA PRIVATE KEY-----');
    expect(listed.TotalCount).toBe(1);
    expect(listed.KeyPairSet?.map((k) => [k.KeyId, k.KeyName, k.PublicKey])).toEqual([[keyId, 'sdk_tc3_pair', created.KeyPair?.PublicKey]]);
    expect(afterDelete.TotalCount).toBe(0);
    expect(emulator.listKeyPairs('tencentcloud')).toEqual([]);
  });

  test('ImportKeyPair of a real public key', async () => {
    // GIVEN
    const cvm = cvmClient();
    const { publicKeyOpenSsh } = generateRsaKeyPair();

    // WHEN
    const imported = await cvm.ImportKeyPair({ KeyName: 'sdk_imported', ProjectId: 0, PublicKey: publicKeyOpenSsh });
    const listed = await cvm.DescribeKeyPairs({ KeyIds: [imported.KeyId ?? ''] });

    // THEN
    expect(imported.KeyId).toMatch(/^skey-/);
    expect(listed.KeyPairSet?.[0]?.PublicKey?.split(' ').slice(0, 2)).toEqual(publicKeyOpenSsh.split(' ').slice(0, 2));
  });

  test('a wrong SecretKey: the SDK error carries AuthFailure.SignatureFailure', async () => {
    // GIVEN
    const cvm = cvmClient('not-the-emulator-secret');

    // WHEN
    const err = await rejectionOf(cvm.DescribeKeyPairs({}));

    // THEN a signature failure, not a complaint about the credential scope
    expect(err.code).toBe('AuthFailure.SignatureFailure');
    expect(err.message).not.toContain('credential scope');
  });
});

// ---------------------------------------------------------------------------------------------------
// The same emulator, seen through an official SDK and through the project's own clients
// ---------------------------------------------------------------------------------------------------

function ourAlicloudClient(): KeyPairApi {
  return keyPairApiFor({ cloud: 'alicloud', region: ALICLOUD_REGION }, emulator.handlerEnvironment(), { retry: FAST_RETRY });
}

function ourTencentcloudClient(): KeyPairApi {
  return keyPairApiFor({ cloud: 'tencentcloud', region: TENCENTCLOUD_REGION }, emulator.handlerEnvironment(), { retry: FAST_RETRY });
}

describe('official SDKs and the project clients share one emulator', () => {
  test('Alibaba: a pair created by the SDK is found by findByName, and the reverse', async () => {
    // GIVEN
    const ecs = ecsClient();
    const ours = ourAlicloudClient();

    // WHEN
    const bySdk = await ecs.createKeyPair(new $Ecs.CreateKeyPairRequest({ regionId: ALICLOUD_REGION, keyPairName: 'made-by-sdk' }));
    const byUs = await ours.create({ name: 'made-by-us' });
    const weSee = await ours.findByName('made-by-sdk');
    const sdkSees = await ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: ALICLOUD_REGION, keyPairName: 'made-by-us' }));

    // THEN (fingerprints: with colons from CreateKeyPair, without from DescribeKeyPairs: docs/cloud-behaviour.md#alibaba-fingerprint-colons)
    expect(weSee.map((k) => [k.name, k.fingerprint])).toEqual([['made-by-sdk', normaliseMd5Fingerprint(bySdk.body?.keyPairFingerPrint ?? '')]]);
    expect(sdkSees.body?.keyPairs?.keyPair?.map((k) => [k.keyPairName, k.keyPairFingerPrint])).toEqual([['made-by-us', normaliseMd5Fingerprint(byUs.fingerprint)]]);
  });

  test('Alibaba (RPC): a pair created by pop-core is found by our client', async () => {
    // GIVEN
    const ours = ourAlicloudClient();

    // WHEN
    const bySdk = await popClient().request<PopCreateKeyPair>('CreateKeyPair', { RegionId: ALICLOUD_REGION, KeyPairName: 'made-by-pop' }, { method: 'POST' });
    const weSee = await ours.findByName('made-by-pop');

    // THEN
    expect(weSee.map((k) => [k.name, k.fingerprint])).toEqual([['made-by-pop', normaliseMd5Fingerprint(bySdk.KeyPairFingerPrint)]]);
  });

  test('Tencent: a pair created by the SDK is found by findByName, and the reverse', async () => {
    // GIVEN
    const cvm = cvmClient();
    const ours = ourTencentcloudClient();

    // WHEN
    const bySdk = await cvm.CreateKeyPair({ KeyName: 'made_by_sdk', ProjectId: 0 });
    const byUs = await ours.create({ name: 'made_by_us' });
    const weSee = await ours.findByName('made_by_sdk');
    const sdkSees = await cvm.DescribeKeyPairs({ KeyIds: [byUs.id] });

    // THEN (public keys under Tencent's own `skey_<digits>` comment on both sides: docs/cloud-behaviour.md#tencent-public-key-comment)
    expect(weSee.map((k) => [k.id, k.name, k.publicKey])).toEqual([[bySdk.KeyPair?.KeyId, 'made_by_sdk', bySdk.KeyPair?.PublicKey]]);
    expect(sdkSees.KeyPairSet?.map((k) => [k.KeyId, k.KeyName, k.PublicKey])).toEqual([[byUs.id, 'made_by_us', byUs.publicKey]]);
    expect(byUs.publicKey).toMatch(/ skey_\d+$/);
  });
});
