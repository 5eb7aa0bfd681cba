import * as http from 'node:http';
import { createRequire } from 'node:module';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import * as $OpenApi from '@alicloud/openapi-client';
import PopClient from '@alicloud/pop-core';
import { RunningEmulator, startEmulator } from '../../emulator';
import { generateRsaKeyPair } from '../../emulator/key-material';
import { keyPairApiFor } from '../../handler/clouds/factory';
import { FAST_RETRY } from '../support/emulated-clients';
import { loopbackOnly } from '../support/loopback-server';

/*
 * The tag actions sent by the clouds' official Node SDKs, independent implementations of each signature
 * scheme: whatever they sign for TagResources, UntagResources (Alibaba) and ModifyResourceTags (Tencent's
 * Tag API, signed for the service `tag`), the emulator must accept, and a wrong secret must get the
 * cloud's own signature error. See official-sdks.test.ts for the key pair actions.
 */

const ALICLOUD_REGION = 'cn-hangzhou';
const TENCENTCLOUD_REGION = 'ap-guangzhou';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: unknown }> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error & { code?: unknown };
}

/** A pair made by the project's own client, to tag with an SDK. Returns its id (Tencent) or name (Alibaba). */
async function pairOn(cloud: 'alicloud' | 'tencentcloud', name: string): Promise<string> {
  const region = cloud === 'alicloud' ? ALICLOUD_REGION : TENCENTCLOUD_REGION;
  const api = keyPairApiFor({ cloud, region }, emulator.handlerEnvironment(), { retry: FAST_RETRY });
  return (await api.importPublicKey({ name, publicKey: generateRsaKeyPair().publicKeyOpenSsh, tags: { kept: 'yes' } })).id;
}

function tagsStored(cloud: 'alicloud' | 'tencentcloud', id: string): Record<string, string> | undefined {
  return emulator.listKeyPairs(cloud).find((keyPair) => keyPair.id === id || keyPair.name === id)?.tags;
}

// ---------------------------------------------------------------------------------------------------
// Alibaba Cloud: @alicloud/ecs20140526 (ACS3) and @alicloud/pop-core (RPC HMAC-SHA1)
// ---------------------------------------------------------------------------------------------------

function ecsClient(accessKeySecret?: string): Ecs {
  const env = emulator.handlerEnvironment();
  return new Ecs(
    new $OpenApi.Config({
      accessKeyId: env.ALICLOUD_ACCESS_KEY,
      accessKeySecret: accessKeySecret ?? env.ALICLOUD_SECRET_KEY,
      regionId: ALICLOUD_REGION,
      endpoint: new URL(emulator.endpoints.alicloud).host,
      protocol: 'http',
    }),
  );
}

describe('Alibaba Cloud ECS tag actions through @alicloud/ecs20140526 (ACS3)', () => {
  test('TagResources, then UntagResources, on a key pair: DescribeKeyPairs through the SDK shows the tags', async () => {
    // GIVEN
    const name = await pairOn('alicloud', 'sdk-tagged');
    const ecs = ecsClient();

    // WHEN
    const tagged = await ecs.tagResources(
      new $Ecs.TagResourcesRequest({
        regionId: ALICLOUD_REGION,
        resourceType: 'keypair',
        resourceId: [name],
        tag: [new $Ecs.TagResourcesRequestTag({ key: 'team', value: 'infra' }), new $Ecs.TagResourcesRequestTag({ key: 'env', value: 'prod' })],
      }),
    );
    await ecs.untagResources(new $Ecs.UntagResourcesRequest({ regionId: ALICLOUD_REGION, resourceType: 'keypair', resourceId: [name], tagKey: ['env'] }));
    const listed = await ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: ALICLOUD_REGION, keyPairName: name }));

    // THEN
    expect(tagged.statusCode).toBe(200);
    expect(tagged.body?.requestId).toMatch(/^[0-9A-F-]{36}$/);
    const tags = listed.body?.keyPairs?.keyPair?.[0]?.tags?.tag?.map((tag) => [tag.tagKey, tag.tagValue]);
    expect(Object.fromEntries(tags ?? [])).toEqual({ kept: 'yes', team: 'infra' });
  });

  test('a wrong AccessKeySecret: the SDK raises SignatureDoesNotMatch, and nothing changes', async () => {
    // GIVEN
    const name = await pairOn('alicloud', 'sdk-refused');

    // WHEN
    const err = await rejectionOf(
      ecsClient('not-the-secret').tagResources(
        new $Ecs.TagResourcesRequest({ regionId: ALICLOUD_REGION, resourceType: 'keypair', resourceId: [name], tag: [new $Ecs.TagResourcesRequestTag({ key: 'a', value: 'b' })] }),
      ),
    );

    // THEN
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(tagsStored('alicloud', name)).toEqual({ kept: 'yes' });
  });
});

describe.each(['GET', 'POST'])('Alibaba Cloud ECS tag actions through @alicloud/pop-core (RPC HMAC-SHA1, %s)', (method) => {
  test('TagResources and UntagResources with the RPC signature', async () => {
    // GIVEN
    const name = await pairOn('alicloud', `sdk-rpc-${method.toLowerCase()}`);
    const env = emulator.handlerEnvironment();
    const pop = new PopClient({
      endpoint: emulator.endpoints.alicloud,
      apiVersion: '2014-05-26',
      accessKeyId: env.ALICLOUD_ACCESS_KEY,
      accessKeySecret: env.ALICLOUD_SECRET_KEY,
    });
    const target = { 'RegionId': ALICLOUD_REGION, 'ResourceType': 'keypair', 'ResourceId.1': name };

    // WHEN
    await pop.request('TagResources', { ...target, 'Tag.1.Key': 'team', 'Tag.1.Value': 'infra' }, { method });
    await pop.request('UntagResources', { ...target, 'TagKey.1': 'kept' }, { method });

    // THEN
    expect(tagsStored('alicloud', name)).toEqual({ team: 'infra' });
  });
});

// ---------------------------------------------------------------------------------------------------
// Tencent Cloud: the Tag API through the official Node SDK's client (TC3, service `tag`)
// ---------------------------------------------------------------------------------------------------

/** The part of the official SDK's client these tests use: `request(action, parameters)`. */
interface TencentcloudSdkClient {
  request(action: string, parameters: Record<string, unknown>): Promise<any>;
}

type TencentcloudClientConstructor = new (
  endpoint: string,
  version: string,
  config: { credential: { secretId: string; secretKey: string }; region: string; profile: Record<string, unknown> },
) => TencentcloudSdkClient;

/**
 * The official SDK's generic client. `tencentcloud-sdk-nodejs-tag` is not a dependency of this project;
 * its `Client` is a thin subclass of the same `AbstractClient` of `tencentcloud-sdk-nodejs-common`, which
 * signs every product's requests (the endpoint's first label is the TC3 service). That package comes with
 * `tencentcloud-sdk-nodejs-cvm`, a devDependency, so it is loaded from there: the tag package itself when
 * it is installed, else the common client. Undefined (and the tests skipped) only if neither is.
 */
const TencentcloudSdk: { name: string; Client: TencentcloudClientConstructor } | undefined = (() => {
  const fromCvm = createRequire(require.resolve('tencentcloud-sdk-nodejs-cvm'));
  for (const name of ['tencentcloud-sdk-nodejs-tag', 'tencentcloud-sdk-nodejs-common']) {
    try {
      const loaded = fromCvm(name);
      const Client = name.endsWith('-tag') ? loaded.tag?.v20180813?.Client : loaded.CommonClient;
      if (typeof Client === 'function') return { name, Client };
    } catch {
      // Not installed: try the next one.
    }
  }
  return undefined;
})();

/**
 * The SDK names the TC3 service after the endpoint's first label, so it is given `tag.localhost:<port>`:
 * it then signs for `tag` exactly as it would for `tag.tencentcloudapi.com`.
 */
function tagClient(secretKey?: string): TencentcloudSdkClient {
  const env = emulator.handlerEnvironment();
  const port = new URL(emulator.endpoints.tencentcloud).port;
  const endpoint = `tag.localhost:${port}`;
  const config = {
    credential: { secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: secretKey ?? env.TENCENTCLOUD_SECRET_KEY },
    region: TENCENTCLOUD_REGION,
    profile: { httpProfile: { endpoint, protocol: 'http://', agent: new http.Agent({ lookup: loopbackOnly }) } },
  };
  // The tag package's Client takes (config); the common client (endpoint, version, config).
  return TencentcloudSdk!.name.endsWith('-tag')
    ? new (TencentcloudSdk!.Client as unknown as new (c: typeof config) => TencentcloudSdkClient)(config)
    : new TencentcloudSdk!.Client(endpoint, '2018-08-13', config);
}

const describeIfSdk = TencentcloudSdk ? describe : describe.skip;

describeIfSdk(`Tencent Cloud Tag API through the official SDK's client (${TencentcloudSdk?.name ?? 'not installed: skipped'})`, () => {
  test('ModifyResourceTags signed for tag is accepted and routed to the Tag API; CVM\'s describe shows the tags', async () => {
    // GIVEN
    const keyId = await pairOn('tencentcloud', 'sdk_tagged');

    // WHEN
    const answer = await tagClient().request('ModifyResourceTags', {
      Resource: `qcs::cvm:${TENCENTCLOUD_REGION}:uin/:keypair/${keyId}`,
      ReplaceTags: [{ TagKey: 'team', TagValue: 'infra' }],
      DeleteTags: [{ TagKey: 'kept' }],
    });
    const described = await keyPairApiFor({ cloud: 'tencentcloud', region: TENCENTCLOUD_REGION }, emulator.handlerEnvironment(), {
      retry: FAST_RETRY,
    }).describeById(keyId);

    // THEN
    expect(answer.RequestId).toEqual(expect.any(String));
    expect(described?.tags).toEqual({ team: 'infra' });
    expect(emulator.requests('tencentcloud').filter((entry) => entry.action === 'ModifyResourceTags')).toEqual([
      { cloud: 'tencentcloud', action: 'ModifyResourceTags', status: 200, handled: true, keyPairNames: [] },
    ]);
  });

  test('a wrong SecretKey: the SDK raises AuthFailure.SignatureFailure, and nothing changes', async () => {
    // GIVEN
    const keyId = await pairOn('tencentcloud', 'sdk_refused');

    // WHEN
    const err = await rejectionOf(
      tagClient('not-the-secret').request('ModifyResourceTags', {
        Resource: `qcs::cvm:${TENCENTCLOUD_REGION}:uin/:keypair/${keyId}`,
        ReplaceTags: [{ TagKey: 'a', TagValue: 'b' }],
      }),
    );

    // THEN
    expect(err.code).toBe('AuthFailure.SignatureFailure');
    expect(tagsStored('tencentcloud', keyId)).toEqual({ kept: 'yes' });
  });
});
