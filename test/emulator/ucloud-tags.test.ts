import { RunningEmulator, startEmulator } from '../../emulator';
import { keyPairApiFor } from '../../handler/clouds/factory';
import type { KeyPairApi } from '../../handler/clouds/key-pair-api';
import { UCLOUD_TAGS_NOT_SUPPORTED_CODE } from '../../handler/clouds/ucloud';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { FAST_RETRY } from '../support/emulated-clients';

/*
 * UCloud UHost key pairs carry no tags, and UCloud has no action to set any: the client refuses a tag
 * change before any request, and the emulator refuses tags set out of band.
 */

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

function api(): KeyPairApi {
  return keyPairApiFor({ cloud: 'ucloud', region: 'cn-bj2', scope: 'org-test' }, emulator.handlerEnvironment(), { retry: FAST_RETRY });
}

describe('UCloud key pairs carry no tags', () => {
  test.each([
    ['a change', { set: { team: 'infra' }, remove: ['old'] }],
    ['an empty change', { set: {}, remove: [] }],
  ])('updateTags with %s is refused before any request: permanent, saying why, and the journal stays empty', async (_what, change) => {
    // WHEN
    const error = await caughtCloudApiError(api().updateTags({ id: 'uhostkp-abc123', name: 'edge' }, change));

    // THEN
    expect(error).toMatchObject({ cloud: 'ucloud', code: UCLOUD_TAGS_NOT_SUPPORTED_CODE, outcome: 'permanent', retryable: false });
    expect(error.message).toMatch(/UCloud key pairs carry no tags/);
    expect(error.remedy).toMatch(/Remove the tags/);
    expect(api().capabilities.tags).toBe(false);
    expect(emulator.requests('ucloud')).toEqual([]);
    expect(emulator.requests()).toEqual([]);
  });

  test('the emulator refuses tags set out of band on UCloud, programmatically and through POST /_emulator/tags', async () => {
    // GIVEN a real UCloud pair
    const created = await api().create({ name: 'edge' });

    // WHEN / THEN
    expect(() => emulator.setTags('ucloud', created.id, { team: 'infra' })).toThrow(/ucloud key pairs carry no tags/);
    const response = await fetch(`${emulator.endpoints.ucloud}/_emulator/tags`, {
      method: 'POST',
      body: JSON.stringify({ keyPair: created.id, tags: { team: 'infra' } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'ucloud key pairs carry no tags' });
    expect(emulator.listKeyPairs('ucloud')[0].tags).toEqual({});
  });
});
