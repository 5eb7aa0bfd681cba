import { RunningEmulator, startEmulator } from '../../../emulator';
import { ALICLOUD_ENVIRONMENT, defaultAlicloudEndpoint, resolveAlicloudEndpoint } from '../../../handler/clouds/alicloud';
import { MissingCredentialsError } from '../../../handler/clouds/environment';
import { connectionFor, keyPairApiFor } from '../../../handler/clouds/factory';
import { FAST_RETRY } from '../../support/emulated-clients';
import { INSTANT_RETRY_CLOCK } from '../../support/retry-clocks';

const TARGET = { cloud: 'alicloud', region: 'cn-beijing' } as const;

describe('Alibaba Cloud credentials, through the factory', () => {
  test('the Terraform provider\'s first names win, and the STS token is optional', () => {
    // GIVEN
    const env = {
      ALICLOUD_ACCESS_KEY: 'LTAIprimary',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIsecondary',
      ALICLOUD_SECRET_KEY: 'primary-secret',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secondary-secret',
    };

    // WHEN
    const { credentials } = connectionFor(TARGET, env);

    // THEN
    expect(credentials.accessKeyId).toBe('LTAIprimary');
    expect(credentials.accessKeySecret.reveal()).toBe('primary-secret');
    expect(credentials.securityToken).toBeUndefined();
    expect(JSON.stringify(credentials)).not.toContain('primary-secret');
  });

  test('the SDK-style names and the STS token are read; blank values are skipped', () => {
    // WHEN
    const { credentials } = connectionFor(TARGET, {
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
    expect(() => keyPairApiFor(TARGET, { ALICLOUD_SECRET_KEY: 's' })).toThrow(MissingCredentialsError);
    expect(() => keyPairApiFor(TARGET, { ALICLOUD_SECRET_KEY: 's' })).toThrow(
      'Alibaba Cloud ECS: no AccessKey ID found. Set one of ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABACLOUD_ACCESS_KEY_ID',
    );
    expect(() => keyPairApiFor(TARGET, { ALICLOUD_ACCESS_KEY: 'id' })).toThrow(
      /no AccessKey secret found\. Set one of ALICLOUD_SECRET_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABACLOUD_ACCESS_KEY_SECRET/,
    );
  });

  test('the resource group is the construct\'s (no variable), trimmed; blank means the default group', () => {
    expect(ALICLOUD_ENVIRONMENT.resolveScope(' rg-aek2z3ry2lmkgjq ', {})).toBe('rg-aek2z3ry2lmkgjq');
    expect(ALICLOUD_ENVIRONMENT.resolveScope('  ', {})).toBeUndefined();
    expect(ALICLOUD_ENVIRONMENT.resolveScope(undefined, {})).toBeUndefined();
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
    const values = { CDKTF_KEYPAIR_ALICLOUD_ENDPOINT: 'http://127.0.0.1:8301' };
    expect(resolveAlicloudEndpoint('https://ecs.example.com', values, 'cn-beijing').href).toBe('https://ecs.example.com/');
    expect(resolveAlicloudEndpoint(undefined, values, 'cn-beijing').href).toBe('http://127.0.0.1:8301/');
    expect(resolveAlicloudEndpoint('  ', values, 'cn-beijing').href).toBe('http://127.0.0.1:8301/');
    expect(resolveAlicloudEndpoint(undefined, {}, 'cn-beijing').href).toBe('https://ecs.cn-beijing.aliyuncs.com/');
  });

  test('the factory reads the override from the environment it is given, and the explicit endpoint still wins', () => {
    const env = { ALICLOUD_ACCESS_KEY: 'id', ALICLOUD_SECRET_KEY: 'secret', CDKTF_KEYPAIR_ALICLOUD_ENDPOINT: 'http://127.0.0.1:8301' };
    expect(connectionFor(TARGET, env).endpoint.href).toBe('http://127.0.0.1:8301/');
    expect(connectionFor({ ...TARGET, endpoint: 'ecs.example.com' }, env).endpoint.href).toBe('https://ecs.example.com/');
    expect(connectionFor(TARGET, { ALICLOUD_ACCESS_KEY: 'id', ALICLOUD_SECRET_KEY: 'secret' }).endpoint.href).toBe('https://ecs.cn-beijing.aliyuncs.com/');
  });

  test('a bare host means https, and a path on the endpoint is not used (RPC calls go to /)', () => {
    expect(resolveAlicloudEndpoint('ecs.example.com:8443', {}, 'x').href).toBe('https://ecs.example.com:8443/');
    expect(resolveAlicloudEndpoint('http://localhost:9000/some/path?q=1', {}, 'x').href).toBe('http://localhost:9000/');
  });

  test('endpoints that are not http(s) or that carry credentials are refused', () => {
    expect(() => resolveAlicloudEndpoint('ftp://ecs.example.com', {}, 'x')).toThrow(/must use https:\/\/ or http:\/\//);
    expect(() => resolveAlicloudEndpoint('https://user:pw@ecs.example.com', {}, 'x')).toThrow(
      'Alibaba Cloud ECS endpoint must not carry credentials in the URL',
    );
    expect(() => resolveAlicloudEndpoint('http://', {}, 'x')).toThrow(/is not a valid URL/);
  });
});

describe('Alibaba Cloud: only the environment points at the emulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => emulator.stop());

  test('every action reaches the emulator; without the override the same target would go to the production host', async () => {
    // GIVEN the environment the emulator hands out, and no endpoint in the target
    const env = emulator.handlerEnvironment();
    const api = keyPairApiFor({ cloud: 'alicloud', region: 'cn-hangzhou' }, env, { retry: { ...FAST_RETRY, maxAttempts: 1 }, clock: INSTANT_RETRY_CLOCK });

    // WHEN
    const created = await api.create({ name: 'env-only' });
    expect(emulator.listKeyPairs('alicloud').map((keyPair) => keyPair.name)).toEqual(['env-only']);
    const found = await api.findByName('env-only');
    const deleted = await api.delete(created);

    // THEN the emulator saw all of it (a call to the production host would have failed here, offline)
    expect(found.map((keyPair) => keyPair.name)).toEqual(['env-only']);
    expect(deleted.alreadyGone).toBe(false);
    expect(emulator.listKeyPairs('alicloud')).toEqual([]);
    const { CDKTF_KEYPAIR_ALICLOUD_ENDPOINT: _override, ...withoutOverride } = env;
    expect(connectionFor({ cloud: 'alicloud', region: 'cn-hangzhou' }, withoutOverride).endpoint.href).toBe('https://ecs-cn-hangzhou.aliyuncs.com/');
  });
});
