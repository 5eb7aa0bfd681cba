import { alicloudServiceEndpoint } from '../../../handler/clouds/alicloud';
import type { CloudConnection } from '../../../handler/clouds/cloud-connection';
import { SecretValue } from '../../../handler/clouds/credentials';
import { MissingCredentialsError } from '../../../handler/clouds/environment';
import { connectionFor, secretStoreApiFor, SecretStoreName } from '../../../handler/clouds/factory';
import { InvalidEndpointError, tencentcloudServiceEndpoint } from '../../../handler/clouds/tencentcloud';
import { redactSecrets } from '../../../handler/http/redaction';
import { REDACTED } from '../../../src/contract';
import { useLoopbackServers } from '../../support/loopback-server';
import { skippingRetryClock } from '../../support/retry-clocks';

/*
 * The secret stores as the factory makes them: the cloud's own credentials, checked before any request;
 * each store's endpoint (its own variable, else the key pair endpoint's origin, else its default host);
 * and the redaction that keeps a stored value out of every message.
 */

const ALICLOUD_ENV = { ALICLOUD_ACCESS_KEY: 'LTAI5tFactoryKeyId', ALICLOUD_SECRET_KEY: 'alicloud-factory-secret-do-not-print' };
const TENCENTCLOUD_ENV = { TENCENTCLOUD_SECRET_ID: 'AKIDfactorySecretId', TENCENTCLOUD_SECRET_KEY: 'tencent-factory-secret-do-not-print' };
const FAST = { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, requestTimeoutMs: 2_000, deadlineMs: 5_000 }, clock: skippingRetryClock() };

const serve = useLoopbackServers();

describe('credentials: the cloud\'s own, checked before any request', () => {
  test.each<[SecretStoreName, Record<string, string>, RegExp]>([
    ['alicloud-kms', {}, /no AccessKey ID found\. Set one of ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID/],
    ['alicloud-kms', { ALICLOUD_ACCESS_KEY: 'LTAI5tOnly' }, /no AccessKey secret found\. Set one of ALICLOUD_SECRET_KEY/],
    ['tencentcloud-ssm', {}, /no SecretId found\. Set one of TENCENTCLOUD_SECRET_ID/],
    ['tencentcloud-ssm', { TENCENTCLOUD_SECRET_ID: 'AKIDonly' }, /no SecretKey found\. Set one of TENCENTCLOUD_SECRET_KEY/],
  ])('%s with %j: fails naming the variables, never a value', (store, env, message) => {
    // WHEN
    const make = () => secretStoreApiFor({ store, region: 'cn-hangzhou' }, env);

    // THEN
    expect(make).toThrow(MissingCredentialsError);
    expect(make).toThrow(message);
    expect(make).not.toThrow(/LTAI5tOnly|AKIDonly/);
  });

  test('another cloud\'s credentials do not count', () => {
    expect(() => secretStoreApiFor({ store: 'alicloud-kms', region: 'cn-hangzhou' }, TENCENTCLOUD_ENV)).toThrow(MissingCredentialsError);
    expect(() => secretStoreApiFor({ store: 'tencentcloud-ssm', region: 'ap-guangzhou' }, ALICLOUD_ENV)).toThrow(MissingCredentialsError);
  });

  test('each store says what it is and how large a value it keeps', () => {
    // WHEN
    const kms = secretStoreApiFor({ store: 'alicloud-kms', region: 'cn-shanghai' }, ALICLOUD_ENV);
    const ssm = secretStoreApiFor({ store: 'tencentcloud-ssm', region: 'ap-beijing' }, TENCENTCLOUD_ENV);

    // THEN
    expect([kms.label, kms.maxValueBytes]).toEqual(['Alibaba Cloud KMS (cn-shanghai)', 30_720]);
    expect([ssm.label, ssm.maxValueBytes]).toEqual(['Tencent Cloud SSM (ap-beijing)', 4_096]);
  });
});

describe('Alibaba KMS endpoint', () => {
  const kmsOf = (endpoint: string | undefined, env: Record<string, string>) =>
    connectionFor({ cloud: 'alicloud', region: 'cn-shanghai', ...(endpoint ? { endpoint } : {}) }, { ...ALICLOUD_ENV, ...env }).serviceEndpoints?.kms.href;

  test('the regional default, HTTPS: kms.<region>.aliyuncs.com', () => {
    expect(kmsOf(undefined, {})).toBe('https://kms.cn-shanghai.aliyuncs.com/');
  });

  test('an overridden ECS endpoint (prop or variable) serves KMS too, by its origin', () => {
    expect(kmsOf('http://127.0.0.1:9000/some/path', {})).toBe('http://127.0.0.1:9000/');
    expect(kmsOf(undefined, { CDKTF_KEYPAIR_ALICLOUD_ENDPOINT: 'http://127.0.0.1:9001' })).toBe('http://127.0.0.1:9001/');
  });

  test('CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT wins over everything; a bare host means HTTPS', () => {
    expect(kmsOf('http://127.0.0.1:9000', { CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT: ' kms-vpc.cn-shanghai.aliyuncs.com ' })).toBe(
      'https://kms-vpc.cn-shanghai.aliyuncs.com/',
    );
  });

  test('a bad override is refused while the store is made, naming KMS', () => {
    expect(() => kmsOf(undefined, { CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT: 'ftp://x' })).toThrow(/Alibaba Cloud KMS endpoint "ftp:\/\/x" must use https:\/\/ or http:\/\//);
  });

  test('a connection built by hand: KMS beside a default ECS endpoint, else the endpoint\'s own origin', () => {
    // GIVEN
    const byHand = (endpoint: string): CloudConnection => ({
      region: 'cn-hangzhou',
      endpoint: new URL(endpoint),
      credentials: { accessKeyId: 'x', accessKeySecret: new SecretValue('y') },
    });

    // THEN
    expect(alicloudServiceEndpoint(byHand('https://ecs-cn-hangzhou.aliyuncs.com/'), 'kms').href).toBe('https://kms.cn-hangzhou.aliyuncs.com/');
    expect(alicloudServiceEndpoint(byHand('http://127.0.0.1:9000/'), 'kms').href).toBe('http://127.0.0.1:9000/');
  });

  test('the store sends to the resolved endpoint', async () => {
    // GIVEN
    const server = await serve([{ status: 200, body: JSON.stringify({ RequestId: 'r', SecretName: 'k' }) }]);

    // WHEN
    await secretStoreApiFor({ store: 'alicloud-kms', region: 'cn-hangzhou' }, { ...ALICLOUD_ENV, CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT: server.url }, FAST).describe('k');

    // THEN
    expect(new URLSearchParams(server.requests[0].body).get('Action')).toBe('DescribeSecret');
  });
});

describe('Tencent SSM endpoint', () => {
  const ssmOf = (endpoint: string | undefined, env: Record<string, string>) =>
    connectionFor({ cloud: 'tencentcloud', region: 'ap-guangzhou', ...(endpoint ? { endpoint } : {}) }, { ...TENCENTCLOUD_ENV, ...env }).serviceEndpoints?.ssm.href;

  test('the default host, following TENCENTCLOUD_DOMAIN and TENCENTCLOUD_PROTOCOL as the provider does', () => {
    expect(ssmOf(undefined, {})).toBe('https://ssm.tencentcloudapi.com/');
    expect(ssmOf(undefined, { TENCENTCLOUD_DOMAIN: 'intl.tencentcloudapi.com', TENCENTCLOUD_PROTOCOL: 'HTTP' })).toBe('http://ssm.intl.tencentcloudapi.com/');
  });

  test('an overridden CVM endpoint (prop or variable) serves SSM too', () => {
    expect(ssmOf('http://127.0.0.1:9000', {})).toBe('http://127.0.0.1:9000/');
    expect(ssmOf(undefined, { CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: 'http://127.0.0.1:9001' })).toBe('http://127.0.0.1:9001/');
  });

  test('CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT wins over everything, and does not move the Tag API', () => {
    // WHEN
    const resolved = connectionFor(
      { cloud: 'tencentcloud', region: 'ap-guangzhou', endpoint: 'http://127.0.0.1:9000' },
      { ...TENCENTCLOUD_ENV, CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT: 'http://127.0.0.1:9200' },
    );

    // THEN
    expect(resolved.serviceEndpoints?.ssm.href).toBe('http://127.0.0.1:9200/');
    expect(resolved.serviceEndpoints?.tag.href).toBe('http://127.0.0.1:9000/');
  });

  test('an override with a path is refused, naming the variable', () => {
    expect(() => ssmOf(undefined, { CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT: 'http://127.0.0.1:9200/ssm' })).toThrow(InvalidEndpointError);
    expect(() => ssmOf(undefined, { CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT: 'http://127.0.0.1:9200/ssm' })).toThrow(/CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT/);
  });

  test('a connection built by hand: ssm.<domain> beside a default cvm.<domain>, else the endpoint itself', () => {
    // GIVEN
    const byHand = (endpoint: string): CloudConnection => ({
      region: 'ap-guangzhou',
      endpoint: new URL(endpoint),
      credentials: { accessKeyId: 'x', accessKeySecret: new SecretValue('y') },
    });

    // THEN
    expect(tencentcloudServiceEndpoint(byHand('https://cvm.tencentcloudapi.com/'), 'ssm').href).toBe('https://ssm.tencentcloudapi.com/');
    expect(tencentcloudServiceEndpoint(byHand('http://127.0.0.1:9000/'), 'ssm').href).toBe('http://127.0.0.1:9000/');
  });

  test('the store sends to the resolved endpoint', async () => {
    // GIVEN
    const server = await serve([{ status: 200, body: JSON.stringify({ Response: { RequestId: 'r', SecretName: 'k', Status: 'Enabled' } }) }]);

    // WHEN
    await secretStoreApiFor({ store: 'tencentcloud-ssm', region: 'ap-guangzhou', endpoint: server.url }, TENCENTCLOUD_ENV, FAST).describe('k');

    // THEN
    expect(server.requests[0].headers['x-tc-action']).toBe('DescribeSecret');
  });
});

describe('redaction of a stored value', () => {
  const pem = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', 'short', '-----END RSA PRIVATE KEY-----'].join(
    '\n',
  );

  test.each([
    ['as is', pem],
    ['JSON-escaped', JSON.stringify(pem).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(pem)],
    ['form-encoded', new URLSearchParams({ v: pem }).toString().slice(2)],
    ['base64', Buffer.from(pem).toString('base64')],
    ['one line of it', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun'],
  ])('%s: masked', (_form, echoed) => {
    // WHEN
    const text = redactSecrets(`InvalidParameter: ${echoed} is not valid`, [new SecretValue(pem)]);

    // THEN
    expect(text).toBe(`InvalidParameter: ${REDACTED} is not valid`);
  });

  test('short lines of a value are not masked on their own: ordinary words stay readable', () => {
    expect(redactSecrets('the value is too short', [new SecretValue(pem)])).toBe('the value is too short');
  });
});
