/**
 * The secret stores' clients through the emulated stores (the emulator's KMS and SSM products), as the
 * lifecycle will use them: create, describe, read back, delete at once or with a recovery window, and what
 * each store says about a name that is taken or pending deletion. The handler's environment points only the
 * key pair endpoints at the emulator where it can, so the stores' endpoint fallback is exercised too.
 */
import { RunningEmulator, SecretStoreCloud, startEmulator } from '../../../emulator';
import { SecretValue } from '../../../handler/clouds/credentials';
import { secretStoreApiFor, type SecretStoreName } from '../../../handler/clouds/factory';
import { CloudApiError } from '../../../handler/http/cloud-api-error';

import { fastSettings } from '../../support/emulated-clients';

const STORES: ReadonlyArray<readonly [SecretStoreName, SecretStoreCloud, string]> = [
  ['alicloud-kms', 'alicloud', 'cn-hangzhou'],
  ['tencentcloud-ssm', 'tencentcloud', 'ap-guangzhou'],
];
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIround+trip/value\n-----END PRIVATE KEY-----\n';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

describe.each(STORES)('%s through the emulated store', (store, cloud, region) => {
  const api = (env: Record<string, string> = {}) =>
    secretStoreApiFor({ store, region }, { ...emulator.handlerEnvironment(), ...env }, fastSettings());
  const create = (name: string, versionId = 'v1') =>
    api().create({ name, value: new SecretValue(PEM), versionId, tags: { 'cdktf-keypair:owner': 'deployment/construct' } });

  test('create → describe → read back → delete at once → gone', async () => {
    const created = await create('round_trip');
    expect(created).toMatchObject({ name: 'round_trip', status: 'enabled' });

    const described = await api().describe('round_trip');
    expect(described).toMatchObject({ name: 'round_trip', status: 'enabled' });
    if (described?.tags !== undefined) expect(described.tags).toMatchObject({ 'cdktf-keypair:owner': 'deployment/construct' });
    expect((await api().getValue('round_trip', 'v1'))?.reveal()).toBe(PEM);
    expect(emulator.listSecrets(cloud).map((secret) => secret.name)).toEqual(['round_trip']);

    await api().delete('round_trip', 0);
    expect(await api().describe('round_trip')).toBeUndefined();
    expect(emulator.listSecrets(cloud)).toEqual([]);
  });

  test('the same name again is name-taken, and the first value stays', async () => {
    await create('taken');
    const second = await api()
      .create({ name: 'taken', value: new SecretValue('other'), versionId: 'v1', tags: {} })
      .then(() => undefined, (err: unknown) => err);
    expect(second).toBeInstanceOf(CloudApiError);
    expect((second as CloudApiError).outcome).toBe('name-taken');
    // Named as the store, not the cloud's key pair API.
    expect((second as CloudApiError).message).toMatch(store === 'alicloud-kms' ? /^Alibaba Cloud KMS CreateSecret failed: / : /^Tencent Cloud SSM CreateSecret failed: /);
    expect(emulator.secretValue(cloud, region, 'taken', 'v1')).toBe(PEM);
  });

  test('a delete with a recovery window leaves the secret pending deletion; a create of the name is refused meanwhile', async () => {
    await create('windowed');
    await api().delete('windowed', 7);

    expect(await api().describe('windowed')).toMatchObject({ status: 'pending-delete' });
    const again = await create('windowed').then(() => undefined, (err: unknown) => err);
    expect(again).toBeInstanceOf(CloudApiError);
    expect(['name-taken', 'permanent']).toContain((again as CloudApiError).outcome);
  });

  test('an unknown version reads as undefined; no value appears in any request the journal kept', async () => {
    await create('versions');
    expect(await api().getValue('versions', 'v9')).toBeUndefined();
    expect(JSON.stringify(emulator.requests(cloud))).not.toContain('MIIround');
  });
});
