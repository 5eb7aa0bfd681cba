import {
  alicloudCredentialsFromEnv,
  alicloudRegionFromEnv,
  defaultAlicloudEndpoint,
  resolveAlicloudEndpoint,
} from '../../../handler/clouds/alicloud';
import { MissingCredentialsError } from '../../../handler/clouds/environment';

describe('Alibaba Cloud credentials from the environment', () => {
  test('the Terraform provider\'s first names win, and the STS token is optional', () => {
    // GIVEN
    const env = {
      ALICLOUD_ACCESS_KEY: 'LTAIprimary',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIsecondary',
      ALICLOUD_SECRET_KEY: 'primary-secret',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secondary-secret',
    };

    // WHEN
    const credentials = alicloudCredentialsFromEnv(env);

    // THEN
    expect(credentials.accessKeyId).toBe('LTAIprimary');
    expect(credentials.accessKeySecret.reveal()).toBe('primary-secret');
    expect(credentials.securityToken).toBeUndefined();
    expect(JSON.stringify(credentials)).not.toContain('primary-secret');
  });

  test('the SDK-style names and the STS token are read; blank values are skipped', () => {
    // WHEN
    const credentials = alicloudCredentialsFromEnv({
      ALICLOUD_ACCESS_KEY: '  ',
      ALIBABACLOUD_ACCESS_KEY_ID: 'LTAIthird',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sdk-secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token',
    });

    // THEN
    expect(credentials.accessKeyId).toBe('LTAIthird');
    expect(credentials.accessKeySecret.reveal()).toBe('sdk-secret');
    expect(credentials.securityToken?.reveal()).toBe('sts-token');
  });

  test('a missing AccessKey ID or secret names every variable that would do', () => {
    expect(() => alicloudCredentialsFromEnv({ ALICLOUD_SECRET_KEY: 's' })).toThrow(MissingCredentialsError);
    expect(() => alicloudCredentialsFromEnv({ ALICLOUD_SECRET_KEY: 's' })).toThrow(
      'Alibaba Cloud ECS: no AccessKey ID found. Set one of ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABACLOUD_ACCESS_KEY_ID',
    );
    expect(() => alicloudCredentialsFromEnv({ ALICLOUD_ACCESS_KEY: 'id' })).toThrow(
      /no AccessKey secret found\. Set one of ALICLOUD_SECRET_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABACLOUD_ACCESS_KEY_SECRET/,
    );
  });

  test('the region variables the provider reads', () => {
    expect(alicloudRegionFromEnv({ ALIBABA_CLOUD_REGION: 'cn-beijing' })).toBe('cn-beijing');
    expect(alicloudRegionFromEnv({ ALICLOUD_REGION: 'cn-shanghai', ALIBABA_CLOUD_REGION: 'cn-beijing' })).toBe('cn-shanghai');
    expect(alicloudRegionFromEnv({})).toBeUndefined();
  });
});

describe('Alibaba Cloud ECS endpoint', () => {
  test('the default follows the SDK: regional host, except the endpoint map\'s entries', () => {
    expect(defaultAlicloudEndpoint('cn-beijing')).toBe('https://ecs.cn-beijing.aliyuncs.com');
    expect(defaultAlicloudEndpoint('ap-southeast-1')).toBe('https://ecs.ap-southeast-1.aliyuncs.com');
    expect(defaultAlicloudEndpoint('cn-hangzhou')).toBe('https://ecs-cn-hangzhou.aliyuncs.com');
    expect(defaultAlicloudEndpoint('cn-shanghai-finance-1')).toBe('https://ecs-cn-hangzhou.aliyuncs.com');
    expect(defaultAlicloudEndpoint('cn-north-2-gov-1')).toBe('https://ecs.aliyuncs.com');
  });

  test('an explicit endpoint wins over the environment, which wins over the default', () => {
    const env = { CDKTF_KEYPAIR_ALICLOUD_ENDPOINT: 'http://127.0.0.1:8301' };
    expect(resolveAlicloudEndpoint({ region: 'cn-beijing', endpoint: 'https://ecs.example.com', env }).href).toBe('https://ecs.example.com/');
    expect(resolveAlicloudEndpoint({ region: 'cn-beijing', env }).href).toBe('http://127.0.0.1:8301/');
    expect(resolveAlicloudEndpoint({ region: 'cn-beijing', env: {} }).href).toBe('https://ecs.cn-beijing.aliyuncs.com/');
  });

  test('a bare host means https, and a path on the endpoint is not used (RPC calls go to /)', () => {
    expect(resolveAlicloudEndpoint({ region: 'x', endpoint: 'ecs.example.com:8443' }).href).toBe('https://ecs.example.com:8443/');
    expect(resolveAlicloudEndpoint({ region: 'x', endpoint: 'http://localhost:9000/some/path?q=1' }).href).toBe('http://localhost:9000/');
  });

  test('endpoints that are not http(s) or that carry credentials are refused', () => {
    expect(() => resolveAlicloudEndpoint({ region: 'x', endpoint: 'ftp://ecs.example.com' })).toThrow(/must use https:\/\/ or http:\/\//);
    expect(() => resolveAlicloudEndpoint({ region: 'x', endpoint: 'https://user:pw@ecs.example.com' })).toThrow(
      'Alibaba Cloud ECS endpoint must not carry credentials in the URL',
    );
    expect(() => resolveAlicloudEndpoint({ region: 'x', endpoint: 'http://' })).toThrow(/is not a valid URL/);
  });
});
