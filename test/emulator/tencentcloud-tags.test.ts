import { RunningEmulator, startEmulator } from '../../emulator';
import { generateRsaKeyPair } from '../../emulator/key-material';
import { keyPairApiFor } from '../../handler/clouds/factory';
import type { KeyPairApi } from '../../handler/clouds/key-pair-api';
import { signTc3 } from '../../handler/clouds/tencentcloud';
import { sendHttpRequest } from '../../handler/http/transport';
import { OWNERSHIP_TAG_KEY } from '../../src/contract';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { skippingRetryClock } from '../support/retry-clocks';

/*
 * The Tag API's ModifyResourceTags in the emulator, on the Tencent port beside CVM and routed by the TC3
 * credential scope's service, through the project's own client over real HTTP: tags set, changed and removed
 * in place and described back through CVM, every refusal with its code in Tencent's envelope, faults, and
 * tags changed out of band.
 */

const REGION = 'ap-guangzhou';
const TAG_VERSION = '2018-08-13';
const CVM_VERSION = '2017-03-12';

let emulator: RunningEmulator;
let publicKeys: string[];
beforeAll(async () => {
  emulator = await startEmulator();
  publicKeys = Array.from({ length: 2 }, () => generateRsaKeyPair().publicKeyOpenSsh);
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

function api(region = REGION): KeyPairApi {
  return keyPairApiFor({ cloud: 'tencentcloud', region }, emulator.handlerEnvironment(), {
    clock: skippingRetryClock(),
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, requestTimeoutMs: 10_000, deadlineMs: 30_000 },
  });
}

/** Imports a pair (Tencent refuses one public key twice, so each test has two to use). */
async function importPair(name: string, tags: Record<string, string> = {}, keyIndex = 0): Promise<string> {
  return (await api().importPublicKey({ name, publicKey: publicKeys[keyIndex], tags })).id;
}

function resourceOf(keyId: string, region = REGION, uin = ''): string {
  return `qcs::cvm:${region}:uin/${uin}:keypair/${keyId}`;
}

interface RawCall {
  readonly action?: string;
  readonly body?: unknown;
  readonly service?: string;
  readonly version?: string;
  /** Unset: no X-TC-Region header (the Tag API needs none). */
  readonly region?: string;
  readonly secretKey?: string;
}

/** A hand-signed call, to see the exact envelope (Tencent answers every API error with HTTP 200). */
async function rawCall(call: RawCall): Promise<any> {
  const env = emulator.handlerEnvironment();
  const url = new URL(`${emulator.endpoints.tencentcloud}/`);
  const body = JSON.stringify(call.body ?? {});
  const timestamp = Math.floor(Date.now() / 1000);
  const signedHeaders = { 'Content-Type': 'application/json', 'Host': url.host, 'X-TC-Action': call.action ?? 'ModifyResourceTags' };
  const { authorization } = signTc3({
    method: 'POST',
    canonicalQueryString: '',
    signedHeaders,
    payload: body,
    secretId: env.TENCENTCLOUD_SECRET_ID,
    secretKey: call.secretKey ?? env.TENCENTCLOUD_SECRET_KEY,
    service: call.service ?? 'tag',
    timestamp,
  });
  const headers: Record<string, string> = {
    ...signedHeaders,
    'X-TC-Version': call.version ?? TAG_VERSION,
    'X-TC-Timestamp': String(timestamp),
    'Authorization': authorization,
  };
  if (call.region !== undefined) headers['X-TC-Region'] = call.region;
  const response = await sendHttpRequest({ method: 'POST', url, headers, body, timeoutMs: 10_000 });
  expect(response.status).toBe(200);
  return JSON.parse(response.body).Response;
}

function expectCode(response: any, code: string): void {
  expect(response).toEqual({ Error: { Code: code, Message: expect.any(String) }, RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
}

function storedTags(keyId: string): Record<string, string> | undefined {
  return emulator.listKeyPairs('tencentcloud').find((keyPair) => keyPair.id === keyId)?.tags;
}

function numberedTags(count: number, prefix = 'key'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}-${index + 1}`, `value-${index + 1}`]));
}

describe('tags changed in place through the Tag API, then described back through CVM', () => {
  test('set, change, remove: DescribeKeyPairs (findByName, describeById) returns each change as KeyPair.Tags', async () => {
    // GIVEN a pair made with the ownership tag (TagSpecification) and one of the user's
    const keyId = await importPair('ci_runner', { [OWNERSHIP_TAG_KEY]: 'deployment/app/ci', team: 'infra' });

    // WHEN
    await api().updateTags({ id: keyId, name: 'ci_runner' }, { set: { team: 'platform', env: 'prod', empty: '' }, remove: [] });
    // THEN
    const afterSet = { [OWNERSHIP_TAG_KEY]: 'deployment/app/ci', team: 'platform', env: 'prod', empty: '' };
    expect((await api().describeById(keyId))?.tags).toEqual(afterSet);
    expect((await api().findByName('ci_runner'))[0].tags).toEqual(afterSet);
    expect(storedTags(keyId)).toEqual(afterSet);

    // WHEN removing (one key never set: no error) and changing in the same call
    await api().updateTags({ id: keyId, name: 'ci_runner' }, { set: { env: 'staging' }, remove: ['team', 'empty', 'never-set'] });
    // THEN
    expect((await api().describeById(keyId))?.tags).toEqual({ [OWNERSHIP_TAG_KEY]: 'deployment/app/ci', env: 'staging' });
    // THEN the journal shows one ModifyResourceTags per change, on the Tencent port (naming no key pair: the
    // journal reads names from the key pair actions' parameters, not from a tag request's resource)
    expect(emulator.requests('tencentcloud').filter((entry) => entry.action === 'ModifyResourceTags')).toEqual([
      { cloud: 'tencentcloud', action: 'ModifyResourceTags', status: 200, handled: true, keyPairNames: [] },
      { cloud: 'tencentcloud', action: 'ModifyResourceTags', status: 200, handled: true, keyPairNames: [] },
    ]);
  });

  test('an empty change sends nothing', async () => {
    // GIVEN
    const keyId = await importPair('quiet');
    const before = emulator.requests('tencentcloud').length;

    // WHEN
    await api().updateTags({ id: keyId, name: 'quiet' }, { set: {}, remove: [] });

    // THEN
    expect(emulator.requests('tencentcloud')).toHaveLength(before);
  });

  test('the resource name carries the region: no X-TC-Region is needed, another one is harmless, a numeric account is accepted', async () => {
    // GIVEN
    const keyId = await importPair('regional');

    // WHEN a raw call without any X-TC-Region, and one with a numeric account in the resource name
    const withoutRegion = await rawCall({ body: { Resource: resourceOf(keyId), ReplaceTags: [{ TagKey: 'a', TagValue: '1' }] } });
    const withUin = await rawCall({ body: { Resource: resourceOf(keyId, REGION, '100012345678'), DeleteTags: [{ TagKey: 'a' }] }, region: 'ap-shanghai' });

    // THEN
    expect(withoutRegion).toEqual({ RequestId: expect.any(String) });
    expect(withUin).toEqual({ RequestId: expect.any(String) });
    expect(storedTags(keyId)).toEqual({});
  });
});

describe('one port, two products: routed by the service the request was signed for', () => {
  test('ModifyResourceTags signed for cvm → InvalidAction of module cvm; a CVM action signed for tag → InvalidAction of module tag', async () => {
    // GIVEN
    const keyId = await importPair('routed');
    const body = { Resource: resourceOf(keyId), ReplaceTags: [{ TagKey: 'a', TagValue: '1' }] };

    // WHEN
    const tagAsCvm = await rawCall({ service: 'cvm', version: CVM_VERSION, region: REGION, body });
    const tagAsCvmWithTagVersion = await rawCall({ service: 'cvm', region: REGION, body });
    const cvmAsTag = await rawCall({ action: 'DescribeKeyPairs', region: REGION, version: CVM_VERSION });

    // THEN
    expectCode(tagAsCvm, 'InvalidAction');
    expect(tagAsCvm.Error.Message).toContain('`ModifyResourceTags` of module `cvm` does not exist');
    expectCode(tagAsCvmWithTagVersion, 'InvalidAction');
    expectCode(cvmAsTag, 'InvalidAction');
    expect(cvmAsTag.Error.Message).toContain('`DescribeKeyPairs` of module `tag` does not exist');
    expect(storedTags(keyId)).toEqual({});
  });

  test('a scope naming no served product, or a wrong secret → AuthFailure.SignatureFailure; another Tag API version → NoSuchVersion', async () => {
    // GIVEN
    const keyId = await importPair('guarded');
    const body = { Resource: resourceOf(keyId), ReplaceTags: [{ TagKey: 'a', TagValue: '1' }] };

    // WHEN / THEN
    const otherService = await rawCall({ service: 'cam', body });
    expectCode(otherService, 'AuthFailure.SignatureFailure');
    expect(otherService.Error.Message).toContain('/tag/tc3_request');
    expectCode(await rawCall({ secretKey: 'not-the-secret', body }), 'AuthFailure.SignatureFailure');
    expectCode(await rawCall({ version: CVM_VERSION, body }), 'NoSuchVersion');
    expectCode(await rawCall({ action: 'TagResources', body }), 'InvalidAction');
    expect(storedTags(keyId)).toEqual({});
  });
});

describe('the refusals, each with the Tag API\'s code in Tencent\'s envelope at HTTP 200', () => {
  let keyId: string;
  beforeEach(async () => {
    keyId = await importPair('target', { existing: 'x' });
  });

  const cases: Array<[string, (id: string) => unknown, string]> = [
    ['no Resource', () => ({ ReplaceTags: [{ TagKey: 'a', TagValue: '1' }] }), 'MissingParameter'],
    ['a parameter the action does not define', (id) => ({ Resource: resourceOf(id), AddTags: [{ TagKey: 'a', TagValue: '1' }] }), 'UnknownParameter'],
    ['neither list', (id) => ({ Resource: resourceOf(id) }), 'MissingParameter'],
    ['an empty ReplaceTags array', (id) => ({ Resource: resourceOf(id), ReplaceTags: [] }), 'InvalidParameter'],
    ['an empty DeleteTags array beside a full ReplaceTags', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'a', TagValue: '1' }], DeleteTags: [] }), 'InvalidParameter'],
    ['another product in the resource name', (id) => ({ Resource: `qcs::cbs:${REGION}:uin/:keypair/${id}`, DeleteTags: [{ TagKey: 'a' }] }), 'InvalidParameterValue.ResourceDescriptionError'],
    ['another resource prefix', (id) => ({ Resource: `qcs::cvm:${REGION}:uin/:instance/${id}`, DeleteTags: [{ TagKey: 'a' }] }), 'InvalidParameterValue.ResourceDescriptionError'],
    ['a non-numeric account', (id) => ({ Resource: `qcs::cvm:${REGION}:uin/abc:keypair/${id}`, DeleteTags: [{ TagKey: 'a' }] }), 'InvalidParameterValue.ResourceDescriptionError'],
    ['a five-segment name', (id) => ({ Resource: `qcs::cvm:${REGION}:keypair/${id}`, DeleteTags: [{ TagKey: 'a' }] }), 'InvalidParameterValue.ResourceDescriptionError'],
    ['an unknown key id', () => ({ Resource: resourceOf('skey-zzzzzzzz'), ReplaceTags: [{ TagKey: 'a', TagValue: '1' }] }), 'InvalidParameterValue.ResourceIdInvalid'],
    ['the pair named in another region', (id) => ({ Resource: resourceOf(id, 'ap-shanghai'), ReplaceTags: [{ TagKey: 'a', TagValue: '1' }] }), 'InvalidParameterValue.ResourceIdInvalid'],
    ['a key both replaced and deleted', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'a', TagValue: '1' }], DeleteTags: [{ TagKey: 'a' }] }), 'InvalidParameterValue.DeleteTagsParamError'],
    ['a key starting with qcloud', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'qcloud:team', TagValue: '1' }] }), 'InvalidParameter.ReservedTagKey'],
    ['a key starting with tencent', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'Tencent-x', TagValue: '1' }] }), 'InvalidParameter.ReservedTagKey'],
    ['a key starting with project', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'project', TagValue: '1' }] }), 'InvalidParameter.ReservedTagKey'],
    ['a key of 128 characters', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'k'.repeat(128), TagValue: '1' }] }), 'InvalidParameterValue.TagKeyLengthExceeded'],
    ['a value of 256 characters', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'a', TagValue: 'v'.repeat(256) }] }), 'InvalidParameterValue.TagValueLengthExceeded'],
    ['an empty key', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: '', TagValue: '1' }] }), 'InvalidParameterValue.TagKeyEmpty'],
    ['an illegal character in a key', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'a#b', TagValue: '1' }] }), 'InvalidParameterValue.TagKeyCharacterIllegal'],
    ['an illegal character in a value', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'a', TagValue: 'x;y' }] }), 'InvalidParameterValue.TagValueCharacterIllegal'],
    ['a tag without its value', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'a' }] }), 'InvalidParameter.Tag'],
    ['a key given twice', (id) => ({ Resource: resourceOf(id), ReplaceTags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] }), 'InvalidParameter.Tag'],
    ['a tag that is not an object', (id) => ({ Resource: resourceOf(id), DeleteTags: ['a'] }), 'InvalidParameter'],
  ];

  test.each(cases.map(([what, body, code]) => ({ what, body, code })))('$what → $code', async ({ body, code }) => {
    // WHEN
    const response = await rawCall({ body: body(keyId) });

    // THEN the code, and nothing changed
    expectCode(response, code);
    expect(storedTags(keyId)).toEqual({ existing: 'x' });
  });

  test('a pair that would end with more than 50 tags → LimitExceeded.ResourceAttachedTags; exactly 50, or 50 after deletes, pass', async () => {
    // WHEN 49 more (50 in all), then a 51st, then one replaced by another in the same call
    const fortyNine = Object.entries(numberedTags(49)).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
    const fifty = await rawCall({ body: { Resource: resourceOf(keyId), ReplaceTags: fortyNine } });
    const fiftyOne = await rawCall({ body: { Resource: resourceOf(keyId), ReplaceTags: [{ TagKey: 'extra', TagValue: '1' }] } });
    const swapped = await rawCall({ body: { Resource: resourceOf(keyId), ReplaceTags: [{ TagKey: 'extra', TagValue: '1' }], DeleteTags: [{ TagKey: 'existing' }] } });

    // THEN
    expect(fifty).toEqual({ RequestId: expect.any(String) });
    expectCode(fiftyOne, 'LimitExceeded.ResourceAttachedTags');
    expect(swapped).toEqual({ RequestId: expect.any(String) });
    expect(Object.keys(storedTags(keyId)!)).toHaveLength(50);
    expect(storedTags(keyId)!.extra).toBe('1');
  });

  test('through the client: a gone pair is not-found; too many tags and a reserved key permanent, with the Tag API\'s codes', async () => {
    // WHEN
    const gone = await caughtCloudApiError(api().updateTags({ id: 'skey-zzzzzzzz', name: 'gone' }, { set: { a: '1' }, remove: [] }));
    const tooMany = await caughtCloudApiError(api().updateTags({ id: keyId, name: 'target' }, { set: numberedTags(50), remove: [] }));
    const reserved = await caughtCloudApiError(api().updateTags({ id: keyId, name: 'target' }, { set: { 'qcloud:x': '1' }, remove: [] }));

    // THEN
    expect(gone).toMatchObject({ cloud: 'tencentcloud', action: 'ModifyResourceTags', code: 'InvalidParameterValue.ResourceIdInvalid', outcome: 'not-found' });
    expect(tooMany).toMatchObject({ code: 'LimitExceeded.ResourceAttachedTags', outcome: 'permanent', httpStatus: 200 });
    expect(tooMany.remedy).toMatch(/at most 50 tags/);
    expect(reserved).toMatchObject({ code: 'InvalidParameter.ReservedTagKey', outcome: 'permanent' });
    expect(storedTags(keyId)).toEqual({ existing: 'x' });
  });
});

describe('faults on ModifyResourceTags, like the key pair actions', () => {
  test('throttling: RequestLimitExceeded at HTTP 200, waited out by the client beyond maxAttempts; the journal shows each attempt', async () => {
    // GIVEN five throttled answers, more than the client's maxAttempts of 4
    const keyId = await importPair('throttled');
    emulator.injectFault({ cloud: 'tencentcloud', action: 'ModifyResourceTags', kind: 'throttle', count: 5 });

    // WHEN
    await api().updateTags({ id: keyId, name: 'throttled' }, { set: { a: '1' }, remove: [] });

    // THEN
    const throttled = { cloud: 'tencentcloud', action: 'ModifyResourceTags', status: 200, handled: false, fault: 'throttle', keyPairNames: [] };
    expect(emulator.requests('tencentcloud').filter((entry) => entry.action === 'ModifyResourceTags')).toEqual([
      ...Array(5).fill(throttled),
      { cloud: 'tencentcloud', action: 'ModifyResourceTags', status: 200, handled: true, keyPairNames: [] },
    ]);
    expect(storedTags(keyId)).toEqual({ a: '1' });
  });

  test('an internal error after the change was made, then a dropped connection: sent again (idempotent), same end state', async () => {
    // GIVEN
    const keyId = await importPair('flaky', { a: '1' });
    emulator.injectFault({ cloud: 'tencentcloud', action: 'ModifyResourceTags', kind: 'server-error', afterAction: true });
    emulator.injectFault({ cloud: 'tencentcloud', action: 'ModifyResourceTags', kind: 'drop-connection' });

    // WHEN
    await api().updateTags({ id: keyId, name: 'flaky' }, { set: { b: '2' }, remove: ['a'] });

    // THEN
    expect(emulator.requests('tencentcloud').filter((entry) => entry.action === 'ModifyResourceTags').map((entry) => [entry.status, entry.fault])).toEqual([
      [200, 'server-error'],
      [undefined, 'drop-connection'],
      [200, undefined],
    ]);
    expect(storedTags(keyId)).toEqual({ b: '2' });
  });

  test('a fault kept for ModifyResourceTags leaves the CVM actions alone', async () => {
    // GIVEN
    emulator.injectFault({ cloud: 'tencentcloud', action: 'ModifyResourceTags', kind: 'server-error', count: 3 });

    // WHEN
    await importPair('untouched');

    // THEN
    expect(emulator.pendingFaults()).toEqual([expect.objectContaining({ action: 'ModifyResourceTags', remaining: 3 })]);
  });
});

describe('tags changed out of band', () => {
  test('setTags (by id) and POST /_emulator/tags (by name) replace the tags, which CVM\'s describe then shows', async () => {
    // GIVEN
    const keyId = await importPair('drifted', { team: 'infra' });

    // WHEN
    emulator.setTags('tencentcloud', keyId, { team: 'someone-else' });
    const afterProgrammatic = (await api().describeById(keyId))?.tags;
    const response = await fetch(`${emulator.endpoints.tencentcloud}/_emulator/tags`, {
      method: 'POST',
      body: JSON.stringify({ keyPair: 'drifted', tags: { added: 'by-console' } }),
    });

    // THEN
    expect(afterProgrammatic).toEqual({ team: 'someone-else' });
    expect(response.status).toBe(200);
    expect((await api().findByName('drifted'))[0].tags).toEqual({ added: 'by-console' });
    expect(emulator.requests('tencentcloud').filter((entry) => entry.action === 'ModifyResourceTags')).toEqual([]);
  });
});
