import { generateKeyPairSync } from 'node:crypto';
import * as sshpk from 'sshpk';
import { RunningEmulator, startEmulator } from '../../emulator';
import { buildSignedAlicloudRequest, AlicloudSignatureVersion } from '../../handler/clouds/alicloud';
import { SecretValue } from '../../handler/clouds/credentials';
import { keyPairApiFor } from '../../handler/clouds/factory';
import type { KeyPairApi } from '../../handler/clouds/key-pair-api';
import { HttpResponse, sendHttpRequest } from '../../handler/http/transport';
import { canonicalOpenSsh } from '../../handler/keys/public-key';
import { OWNERSHIP_TAG_KEY } from '../../src/contract';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { skippingRetryClock } from '../support/retry-clocks';

/*
 * ECS TagResources and UntagResources in the emulator, through the project's own client over real HTTP:
 * tags set, changed and removed in place and described back, every documented refusal with its code and
 * HTTP status, the client's 20-tags-per-call split, faults, and tags changed out of band.
 */

const REGION = 'cn-hangzhou';
const PUBLIC_KEY = canonicalOpenSsh(
  sshpk.parseKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }), 'pem'),
);

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

/** The key pair API the handler uses, made by the factory from the emulator's handler environment. */
function api(options: { region?: string; scope?: string } = {}): KeyPairApi {
  return keyPairApiFor({ cloud: 'alicloud', region: options.region ?? REGION, scope: options.scope }, emulator.handlerEnvironment(), {
    clock: skippingRetryClock(),
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, requestTimeoutMs: 10_000, deadlineMs: 30_000 },
  });
}

async function importPair(name: string, tags: Record<string, string> = {}, options: { region?: string; scope?: string } = {}): Promise<void> {
  await api(options).importPublicKey({ name, publicKey: PUBLIC_KEY, tags });
}

async function tagsOf(name: string, region = REGION): Promise<Record<string, string> | undefined> {
  return (await api({ region }).describeById(name))?.tags;
}

/** A request signed by the project's signer, to see the emulator's exact status and envelope. */
async function rawCall(action: string, params: Record<string, string>, signatureVersion: AlicloudSignatureVersion = 'v3'): Promise<HttpResponse> {
  const env = emulator.handlerEnvironment();
  return sendHttpRequest(
    buildSignedAlicloudRequest({
      endpoint: new URL(emulator.endpoints.alicloud),
      action,
      params,
      credentials: { accessKeyId: env.ALICLOUD_ACCESS_KEY, accessKeySecret: new SecretValue(env.ALICLOUD_SECRET_KEY) },
      signatureVersion,
      time: new Date(),
      nonce: `nonce-${Math.random()}`,
      timeoutMs: 5_000,
    }),
  );
}

/** A keypair TagResources/UntagResources call on `names` in the default region, with more parameters. */
function onPairs(names: readonly string[], params: Record<string, string> = {}): Record<string, string> {
  return {
    RegionId: REGION,
    ResourceType: 'keypair',
    ...Object.fromEntries(names.map((name, index) => [`ResourceId.${index + 1}`, name])),
    ...params,
  };
}

function tagParams(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).flatMap(([key, value], index) => [[`Tag.${index + 1}.Key`, key], [`Tag.${index + 1}.Value`, value]]));
}

function numberedTags(count: number, prefix = 'key'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}-${index + 1}`, `value-${index + 1}`]));
}

function expectError(response: HttpResponse, status: number, code: string): void {
  const body = JSON.parse(response.body);
  expect({ status: response.status, code: body.Code }).toEqual({ status, code });
  expect(body).toEqual({
    RequestId: expect.any(String),
    HostId: expect.any(String),
    Code: code,
    Message: expect.any(String),
    Recommend: expect.any(String),
  });
}

function tagActionsInJournal(): Array<[string | undefined, number | undefined]> {
  return emulator
    .requests('alicloud')
    .filter((entry) => entry.action === 'TagResources' || entry.action === 'UntagResources')
    .map((entry) => [entry.action, entry.status]);
}

describe('tags changed in place, then described back', () => {
  test('set, change, remove: each change shows in DescribeKeyPairs (findByName, describeById) and in the emulator\'s listing', async () => {
    // GIVEN a pair made with the ownership tag and one of the user's
    await importPair('bastion', { [OWNERSHIP_TAG_KEY]: 'deployment/app/bastion', team: 'infra' });

    // WHEN tags are added and a value changed
    await api().updateTags({ id: 'bastion', name: 'bastion' }, { set: { team: 'platform', env: 'prod', empty: '' }, remove: [] });
    // THEN
    const afterSet = { [OWNERSHIP_TAG_KEY]: 'deployment/app/bastion', team: 'platform', env: 'prod', empty: '' };
    expect(await tagsOf('bastion')).toEqual(afterSet);
    expect((await api().findByName('bastion'))[0].tags).toEqual(afterSet);
    expect(emulator.listKeyPairs('alicloud')[0].tags).toEqual(afterSet);

    // WHEN tags are removed (one of them not there: no error) and another changed
    await api().updateTags({ id: 'bastion', name: 'bastion' }, { set: { env: 'staging' }, remove: ['team', 'empty', 'never-set'] });
    // THEN
    expect(await tagsOf('bastion')).toEqual({ [OWNERSHIP_TAG_KEY]: 'deployment/app/bastion', env: 'staging' });
    expect(tagActionsInJournal()).toEqual([
      ['TagResources', 200],
      ['UntagResources', 200],
      ['TagResources', 200],
    ]);
  });

  test('an empty change sends nothing', async () => {
    // GIVEN
    await importPair('quiet', { a: '1' });
    const before = emulator.requests('alicloud').length;

    // WHEN
    await api().updateTags({ id: 'quiet', name: 'quiet' }, { set: {}, remove: [] });

    // THEN
    expect(emulator.requests('alicloud')).toHaveLength(before);
  });

  test('a pair in a resource group is tagged by name alone, from a connection with or without that group', async () => {
    // GIVEN
    await importPair('grouped', {}, { scope: 'rg-aek2z3ry2lmkgjq' });

    // WHEN
    await api({ scope: 'rg-aek2z3ry2lmkgjq' }).updateTags({ id: 'grouped', name: 'grouped' }, { set: { a: '1' }, remove: [] });
    await api().updateTags({ id: 'grouped', name: 'grouped' }, { set: { b: '2' }, remove: [] });

    // THEN
    expect(await tagsOf('grouped')).toEqual({ a: '1', b: '2' });
  });

  test('the legacy RPC signature (HMAC-SHA1) is accepted for the tag actions too', async () => {
    // GIVEN
    await importPair('legacy');

    // WHEN
    const tagged = await rawCall('TagResources', onPairs(['legacy'], tagParams({ a: '1', b: '2' })), 'v2');
    const untagged = await rawCall('UntagResources', onPairs(['legacy'], { 'TagKey.1': 'a' }), 'v2');

    // THEN
    expect([tagged.status, untagged.status]).toEqual([200, 200]);
    expect(JSON.parse(tagged.body)).toEqual({ RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
    expect(await tagsOf('legacy')).toEqual({ b: '2' });
  });

  test('several ResourceId.N are tagged together; one unknown among them changes none', async () => {
    // GIVEN
    await importPair('one');
    await importPair('two');

    // WHEN
    const both = await rawCall('TagResources', onPairs(['one', 'two'], tagParams({ a: '1' })));
    const withUnknown = await rawCall('TagResources', onPairs(['one', 'nope'], tagParams({ b: '2' })));

    // THEN
    expect(both.status).toBe(200);
    expectError(withUnknown, 404, 'InvalidResourceId.NotFound');
    expect(await tagsOf('one')).toEqual({ a: '1' });
    expect(await tagsOf('two')).toEqual({ a: '1' });
  });

  test('UntagResources All=true without TagKey.N removes every tag but the system ones; without either it is refused', async () => {
    // GIVEN a pair with a system tag the cloud set (out of band: no API lets a user set one)
    await importPair('all');
    emulator.setTags('alicloud', 'all', { 'acs:rm:rgId': 'rg-1', 'a': '1', 'b': '2' });

    // WHEN
    const neither = await rawCall('UntagResources', onPairs(['all']));
    const all = await rawCall('UntagResources', onPairs(['all'], { All: 'true' }));

    // THEN
    expectError(neither, 404, 'MissingParameter.Tags');
    expect(all.status).toBe(200);
    expect(await tagsOf('all')).toEqual({ 'acs:rm:rgId': 'rg-1' });
  });
});

describe('the documented refusals, with their codes and HTTP statuses', () => {
  beforeEach(async () => {
    await importPair('target', { existing: 'x' });
  });

  test.each<[string, string, Record<string, string>, number, string]>([
    ['no RegionId', 'TagResources', { ...onPairs(['target'], tagParams({ a: '1' })), RegionId: '' }, 404, 'MissingParameter.RegionId'],
    ['an unknown region', 'TagResources', { ...onPairs(['target'], tagParams({ a: '1' })), RegionId: 'cn-nowhere' }, 404, 'InvalidRegionId.NotFound'],
    ['no ResourceType', 'UntagResources', { ...onPairs(['target'], { 'TagKey.1': 'a' }), ResourceType: '' }, 404, 'MissingParameter.ResourceType'],
    ['an unknown ResourceType', 'TagResources', { ...onPairs(['target'], tagParams({ a: '1' })), ResourceType: 'bogus' }, 404, 'InvalidResourceType.NotFound'],
    ['a ResourceType other than keypair (its resources are not there)', 'TagResources', { ...onPairs(['target'], tagParams({ a: '1' })), ResourceType: 'instance' }, 404, 'InvalidResourceId.NotFound'],
    ['an unknown key pair name', 'TagResources', onPairs(['absent'], tagParams({ a: '1' })), 404, 'InvalidResourceId.NotFound'],
    ['an unknown key pair name (untag)', 'UntagResources', onPairs(['absent'], { 'TagKey.1': 'a' }), 404, 'InvalidResourceId.NotFound'],
    ['a pair of another region', 'TagResources', { ...onPairs(['target'], tagParams({ a: '1' })), RegionId: 'cn-beijing' }, 404, 'InvalidResourceId.NotFound'],
    ['more than 50 ResourceId.N', 'TagResources', onPairs(Array.from({ length: 51 }, () => 'target'), tagParams({ a: '1' })), 400, 'NumberExceed.ResourceIds'],
    ['no Tag.N', 'TagResources', onPairs(['target']), 404, 'MissingParameter.Tags'],
    ['21 tags in one request', 'TagResources', onPairs(['target'], tagParams(numberedTags(21))), 400, 'NumberExceed.Tags'],
    ['Tag.21', 'TagResources', onPairs(['target'], { 'Tag.21.Key': 'a', 'Tag.21.Value': '1' }), 400, 'NumberExceed.Tags'],
    ['TagKey.21', 'UntagResources', onPairs(['target'], { 'TagKey.21': 'a' }), 400, 'NumberExceed.Tags'],
    ['a key starting with aliyun', 'TagResources', onPairs(['target'], tagParams({ aliyunTeam: '1' })), 400, 'InvalidTagKey.Malformed'],
    ['a key starting with acs:', 'TagResources', onPairs(['target'], tagParams({ 'acs:team': '1' })), 400, 'InvalidTagKey.Malformed'],
    ['a key containing http://', 'TagResources', onPairs(['target'], tagParams({ 'see-http://x': '1' })), 400, 'InvalidTagKey.Malformed'],
    ['a key containing https://', 'TagResources', onPairs(['target'], tagParams({ 'https://x': '1' })), 400, 'InvalidTagKey.Malformed'],
    ['an empty key', 'TagResources', onPairs(['target'], { 'Tag.1.Key': '', 'Tag.1.Value': '1' }), 400, 'InvalidTagKey.Malformed'],
    ['a key of 129 characters', 'TagResources', onPairs(['target'], tagParams({ ['k'.repeat(129)]: '1' })), 400, 'InvalidTagKey.Malformed'],
    ['a value of 129 characters', 'TagResources', onPairs(['target'], tagParams({ a: 'v'.repeat(129) })), 400, 'InvalidTagValue.Malformed'],
    ['a value containing https://', 'TagResources', onPairs(['target'], tagParams({ a: 'https://example.com' })), 400, 'InvalidTagValue.Malformed'],
    ['a value without its key', 'TagResources', onPairs(['target'], { 'Tag.1.Value': '1' }), 400, 'InvalidTag.Mismatch'],
    ['a key given twice', 'TagResources', onPairs(['target'], { 'Tag.1.Key': 'a', 'Tag.1.Value': '1', 'Tag.2.Key': 'a', 'Tag.2.Value': '2' }), 400, 'Duplicate.TagKey'],
    ['an empty TagKey.N', 'UntagResources', onPairs(['target'], { 'TagKey.1': '' }), 400, 'InvalidTagKey.Malformed'],
  ])('%s → %s refused', async (_what, action, params, status, code) => {
    // WHEN
    const response = await rawCall(action, params);

    // THEN the code and status, and nothing changed
    expectError(response, status, code);
    expect(emulator.listKeyPairs('alicloud')[0].tags).toEqual({ existing: 'x' });
  });

  test('a pair that would end with more than 20 tags → OperationDenied.QuotaExceed (HTTP 400); exactly 20 is fine, values may change', async () => {
    // WHEN 19 more (20 in all), then one more, then a changed value
    const twenty = await rawCall('TagResources', onPairs(['target'], tagParams(numberedTags(19))));
    const twentyOne = await rawCall('TagResources', onPairs(['target'], tagParams({ extra: '1' })));
    const changed = await rawCall('TagResources', onPairs(['target'], tagParams({ existing: 'y' })));

    // THEN
    expect(twenty.status).toBe(200);
    expectError(twentyOne, 400, 'OperationDenied.QuotaExceed');
    expect(changed.status).toBe(200);
    expect(Object.keys(emulator.listKeyPairs('alicloud')[0].tags)).toHaveLength(20);
    expect(emulator.listKeyPairs('alicloud')[0].tags.existing).toBe('y');
  });

  test('through the client: a gone pair is not-found, the quota and a malformed key permanent, each with the cloud\'s code', async () => {
    // WHEN
    const gone = await caughtCloudApiError(api().updateTags({ id: 'absent', name: 'absent' }, { set: { a: '1' }, remove: [] }));
    const quota = await caughtCloudApiError(api().updateTags({ id: 'target', name: 'target' }, { set: numberedTags(20), remove: [] }));
    const malformed = await caughtCloudApiError(api().updateTags({ id: 'target', name: 'target' }, { set: { 'aliyun:x': '1' }, remove: [] }));

    // THEN
    expect(gone).toMatchObject({ action: 'TagResources', code: 'InvalidResourceId.NotFound', httpStatus: 404, outcome: 'not-found' });
    expect(quota).toMatchObject({ action: 'TagResources', code: 'OperationDenied.QuotaExceed', httpStatus: 400, outcome: 'permanent' });
    expect(quota.remedy).toMatch(/at most 20 tags/);
    expect(malformed).toMatchObject({ code: 'InvalidTagKey.Malformed', httpStatus: 400, outcome: 'permanent' });
    expect(malformed.remedy).toMatch(/do not start with aliyun or acs:/);
  });
});

describe('the client splits changes into calls of at most 20 tags', () => {
  test('25 keys to remove: two UntagResources (20 + 5), both accepted; keys not there are no error', async () => {
    // GIVEN a pair with 20 tags
    await importPair('many');
    emulator.setTags('alicloud', 'many', numberedTags(20));

    // WHEN 25 keys are removed: the 20 it has and 5 it never had
    await api().updateTags({ id: 'many', name: 'many' }, { set: {}, remove: Object.keys(numberedTags(25)) });

    // THEN
    expect(tagActionsInJournal()).toEqual([
      ['UntagResources', 200],
      ['UntagResources', 200],
    ]);
    expect(await tagsOf('many')).toEqual({});
  });

  test('25 keys to set: TagResources of 20 is accepted, the next of 5 meets the 20-tag quota', async () => {
    // GIVEN
    await importPair('crowded');

    // WHEN
    const error = await caughtCloudApiError(api().updateTags({ id: 'crowded', name: 'crowded' }, { set: numberedTags(25), remove: [] }));

    // THEN the split is visible in the journal, and the first 20 stay
    expect(tagActionsInJournal()).toEqual([
      ['TagResources', 200],
      ['TagResources', 400],
    ]);
    expect(error).toMatchObject({ code: 'OperationDenied.QuotaExceed', outcome: 'permanent' });
    expect(await tagsOf('crowded')).toEqual(numberedTags(20));
  });

  test('remove first, then set: 20 tags replaced by 20 others fit, whatever the order of the change', async () => {
    // GIVEN
    await importPair('swap');
    emulator.setTags('alicloud', 'swap', numberedTags(20, 'old'));

    // WHEN
    await api().updateTags({ id: 'swap', name: 'swap' }, { set: numberedTags(20, 'new'), remove: Object.keys(numberedTags(20, 'old')) });

    // THEN
    expect(tagActionsInJournal()).toEqual([
      ['UntagResources', 200],
      ['TagResources', 200],
    ]);
    expect(await tagsOf('swap')).toEqual(numberedTags(20, 'new'));
  });
});

describe('faults on the tag actions, like the key pair actions', () => {
  test('throttling on TagResources: the cloud\'s code, waited out by the client beyond maxAttempts, the journal shows each attempt', async () => {
    // GIVEN five throttled answers, more than the client's maxAttempts of 4
    await importPair('throttled');
    emulator.injectFault({ cloud: 'alicloud', action: 'TagResources', kind: 'throttle', count: 5 });

    // WHEN
    await api().updateTags({ id: 'throttled', name: 'throttled' }, { set: { a: '1' }, remove: [] });

    // THEN each attempt is journaled (naming no key pair: the journal reads names from the key pair actions'
    // parameters, not from a tag request's ResourceId.N)
    const throttled = { cloud: 'alicloud', action: 'TagResources', status: 400, handled: false, fault: 'throttle', keyPairNames: [] };
    expect(emulator.requests('alicloud').filter((entry) => entry.action === 'TagResources')).toEqual([
      ...Array(5).fill(throttled),
      { cloud: 'alicloud', action: 'TagResources', status: 200, handled: true, keyPairNames: [] },
    ]);
    expect(await tagsOf('throttled')).toEqual({ a: '1' });
  });

  test('an internal error after the action ran, and a dropped connection: sent again (idempotent), same end state', async () => {
    // GIVEN
    await importPair('flaky', { a: '1', b: '2' });
    emulator.injectFault({ cloud: 'alicloud', action: 'UntagResources', kind: 'server-error', afterAction: true });
    emulator.injectFault({ cloud: 'alicloud', action: 'TagResources', kind: 'drop-connection' });

    // WHEN
    await api().updateTags({ id: 'flaky', name: 'flaky' }, { set: { c: '3' }, remove: ['a'] });

    // THEN
    expect(tagActionsInJournal()).toEqual([
      ['UntagResources', 500],
      ['UntagResources', 200],
      ['TagResources', undefined],
      ['TagResources', 200],
    ]);
    expect(await tagsOf('flaky')).toEqual({ b: '2', c: '3' });
  });

  test('a fault kept for the tag actions leaves the key pair actions alone', async () => {
    // GIVEN
    emulator.injectFault({ cloud: 'alicloud', action: 'UntagResources', kind: 'throttle', count: 5 });

    // WHEN
    await importPair('untouched');

    // THEN
    expect(emulator.pendingFaults()).toEqual([expect.objectContaining({ action: 'UntagResources', remaining: 5 })]);
  });
});

describe('tags changed out of band', () => {
  test('setTags (programmatic) and POST /_emulator/tags replace the tags, which the next describe shows', async () => {
    // GIVEN
    await importPair('drifted', { team: 'infra' });

    // WHEN changed in code, then through the inspection route by name
    const stored = emulator.setTags('alicloud', 'drifted', { team: 'someone-else' });
    const afterProgrammatic = await tagsOf('drifted');
    const response = await fetch(`${emulator.endpoints.alicloud}/_emulator/tags`, {
      method: 'POST',
      body: JSON.stringify({ keyPair: 'drifted', tags: { added: 'by-console' } }),
    });

    // THEN
    expect(stored).toMatchObject({ name: 'drifted', scope: REGION, tags: { team: 'someone-else' } });
    expect(afterProgrammatic).toEqual({ team: 'someone-else' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ cloud: 'alicloud', keyPair: { name: 'drifted', tags: { added: 'by-console' } } });
    expect(await tagsOf('drifted')).toEqual({ added: 'by-console' });
    // THEN no API request was made by either
    expect(tagActionsInJournal()).toEqual([]);
  });

  test('an unknown pair, or a body without tags, is refused', async () => {
    // WHEN / THEN
    expect(() => emulator.setTags('alicloud', 'nobody', {})).toThrow(/no alicloud key pair/);
    const response = await fetch(`${emulator.endpoints.alicloud}/_emulator/tags`, { method: 'POST', body: JSON.stringify({ keyPair: 'nobody' }) });
    expect(response.status).toBe(400);
  });
});
