import * as http from 'node:http';
import { createRequire } from 'node:module';
import PopClient from '@alicloud/pop-core';
import { RunningEmulator, startEmulator } from '../../emulator';
import { SSM_DELETE_ENABLED_SECRET_CODE } from '../../emulator/clouds/tencentcloud/ssm-actions';
import { loopbackOnly } from '../support/loopback-server';

/*
 * The secret-store actions sent by the clouds' official Node SDKs, independent implementations of each
 * signature scheme: KMS through @alicloud/pop-core (RPC HMAC-SHA1, GET and POST), SSM through the official
 * Tencent SDK's common client signing for the service `ssm`. Whatever they sign, the emulator must accept,
 * and a wrong secret must get the store's own signature error. See official-sdks-tags.test.ts for tags.
 */

const ALICLOUD_REGION = 'cn-hangzhou';
const TENCENTCLOUD_REGION = 'ap-guangzhou';
const VALUE = '-----BEGIN PRIVATE KEY-----\nsdk-test-value\n-----END PRIVATE KEY-----\n';

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

// ---------------------------------------------------------------------------------------------------
// Alibaba Cloud KMS: @alicloud/pop-core (RPC HMAC-SHA1)
// ---------------------------------------------------------------------------------------------------

function kmsClient(accessKeySecret?: string): PopClient {
  const env = emulator.handlerEnvironment();
  return new PopClient({
    endpoint: env.CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT,
    apiVersion: '2016-01-20',
    accessKeyId: env.ALICLOUD_ACCESS_KEY,
    accessKeySecret: accessKeySecret ?? env.ALICLOUD_SECRET_KEY,
  });
}

describe.each(['GET', 'POST'])('Alibaba Cloud KMS through @alicloud/pop-core (RPC HMAC-SHA1, %s)', (method) => {
  test('CreateSecret, DescribeSecret, GetSecretValue, DeleteSecret and RestoreSecret', async () => {
    // GIVEN
    const kms = kmsClient();
    const name = `sdk/${method.toLowerCase()}`;
    const target = { RegionId: ALICLOUD_REGION, SecretName: name };

    // WHEN
    const created: any = await kms.request(
      'CreateSecret',
      { ...target, SecretData: VALUE, VersionId: 'v1', SecretDataType: 'text', Tags: JSON.stringify([{ TagKey: 'team', TagValue: 'infra' }]) },
      { method },
    );
    const described: any = await kms.request('DescribeSecret', { ...target, FetchTags: 'true' }, { method });
    const read: any = await kms.request('GetSecretValue', target, { method });
    const deleted: any = await kms.request('DeleteSecret', { ...target, RecoveryWindowInDays: '7' }, { method });
    const pending: any = await kms.request('DescribeSecret', target, { method });
    await kms.request('RestoreSecret', target, { method });

    // THEN
    expect(created.Arn).toBe(`acs:kms:${ALICLOUD_REGION}:1234567890123456:secret/${name}`);
    expect(described.Tags).toEqual({ Tag: [{ TagKey: 'team', TagValue: 'infra' }] });
    expect(read.SecretData).toBe(VALUE);
    expect(pending.PlannedDeleteTime).toBe(deleted.PlannedDeleteTime);
    expect(emulator.listSecrets('alicloud')).toEqual([expect.objectContaining({ name, status: 'enabled' })]);
  });

  test('a wrong AccessKeySecret: the SDK raises SignatureDoesNotMatch, and nothing is stored', async () => {
    const err = await rejectionOf(
      kmsClient('not-the-secret').request('CreateSecret', { RegionId: ALICLOUD_REGION, SecretName: 'refused', SecretData: VALUE, VersionId: 'v1' }, { method }),
    );
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(emulator.listSecrets('alicloud')).toEqual([]);
  });

  test('a KMS refusal reaches the SDK with its code: Rejected.ResourceExist', async () => {
    const kms = kmsClient();
    const params = { RegionId: ALICLOUD_REGION, SecretName: 'twice', SecretData: VALUE, VersionId: 'v1' };
    await kms.request('CreateSecret', params, { method });
    expect((await rejectionOf(kms.request('CreateSecret', params, { method }))).code).toBe('Rejected.ResourceExist');
  });
});

// ---------------------------------------------------------------------------------------------------
// Tencent Cloud SSM: the official Node SDK's common client (TC3, service `ssm`)
// ---------------------------------------------------------------------------------------------------

interface TencentcloudSdkClient {
  request(action: string, parameters: Record<string, unknown>): Promise<any>;
}

type CommonClientConstructor = new (
  endpoint: string,
  version: string,
  config: { credential: { secretId: string; secretKey: string }; region: string; profile: Record<string, unknown> },
) => TencentcloudSdkClient;

/**
 * The official SDK's generic client (`CommonClient` of `tencentcloud-sdk-nodejs-common`, which comes with the
 * devDependency `tencentcloud-sdk-nodejs-cvm`): its AbstractClient signs for the service named by the
 * endpoint's first label, here `ssm`. Undefined (and the tests skipped) if it is not installed.
 */
const CommonClient: CommonClientConstructor | undefined = (() => {
  try {
    const loaded = createRequire(require.resolve('tencentcloud-sdk-nodejs-cvm'))('tencentcloud-sdk-nodejs-common');
    return typeof loaded.CommonClient === 'function' ? loaded.CommonClient : undefined;
  } catch {
    return undefined;
  }
})();

/** `ssm.localhost:<port>`: the SDK then signs for `ssm` exactly as it would for `ssm.tencentcloudapi.com`. */
function ssmClient(secretKey?: string): TencentcloudSdkClient {
  const env = emulator.handlerEnvironment();
  const endpoint = `ssm.localhost:${new URL(env.CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT).port}`;
  return new CommonClient!(endpoint, '2019-09-23', {
    credential: { secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: secretKey ?? env.TENCENTCLOUD_SECRET_KEY },
    region: TENCENTCLOUD_REGION,
    profile: { httpProfile: { endpoint, protocol: 'http://', agent: new http.Agent({ lookup: loopbackOnly }) } },
  });
}

const describeIfSdk = CommonClient ? describe : describe.skip;

describeIfSdk('Tencent Cloud SSM through the official SDK\'s common client (service ssm)', () => {
  test('CreateSecret, GetSecretValue, DisableSecret, DeleteSecret (window 1), RestoreSecret, DescribeSecret', async () => {
    // GIVEN
    const ssm = ssmClient();

    // WHEN
    const created = await ssm.request('CreateSecret', { SecretName: 'sdk-key', VersionId: 'v1', SecretString: VALUE, Tags: [{ TagKey: 'team', TagValue: 'infra' }] });
    const read = await ssm.request('GetSecretValue', { SecretName: 'sdk-key', VersionId: 'v1' });
    await ssm.request('DisableSecret', { SecretName: 'sdk-key' });
    const deleted = await ssm.request('DeleteSecret', { SecretName: 'sdk-key', RecoveryWindowInDays: 1 });
    const pending = await ssm.request('DescribeSecret', { SecretName: 'sdk-key' });
    await ssm.request('RestoreSecret', { SecretName: 'sdk-key' });
    const restored = await ssm.request('DescribeSecret', { SecretName: 'sdk-key' });

    // THEN
    expect(created).toEqual(expect.objectContaining({ SecretName: 'sdk-key', VersionId: 'v1', RequestId: expect.any(String) }));
    expect(read.SecretString).toBe(VALUE);
    expect(pending).toEqual(expect.objectContaining({ Status: 'PendingDelete', DeleteTime: deleted.DeleteTime }));
    expect(restored.Status).toBe('Disabled');
    expect(emulator.requests('tencentcloud').map((entry) => entry.secretNames)).toEqual(Array(7).fill(['sdk-key']));
  });

  test('a wrong SecretKey: the SDK raises AuthFailure.SignatureFailure, and nothing is stored', async () => {
    const err = await rejectionOf(ssmClient('not-the-secret').request('CreateSecret', { SecretName: 'refused', VersionId: 'v1', SecretString: VALUE }));
    expect(err.code).toBe('AuthFailure.SignatureFailure');
    expect(emulator.listSecrets('tencentcloud')).toEqual([]);
  });

  test('an SSM refusal reaches the SDK with its code: the enabled secret\'s delete, then ResourceInUse.SecretExists', async () => {
    const ssm = ssmClient();
    await ssm.request('CreateSecret', { SecretName: 'twice', VersionId: 'v1', SecretString: VALUE });
    expect((await rejectionOf(ssm.request('DeleteSecret', { SecretName: 'twice', RecoveryWindowInDays: 0 }))).code).toBe(SSM_DELETE_ENABLED_SECRET_CODE);
    expect((await rejectionOf(ssm.request('CreateSecret', { SecretName: 'twice', VersionId: 'v2', SecretString: 'x' }))).code).toBe('ResourceInUse.SecretExists');
  });
});
