import { clientConnection } from './support';
import {
  AlicloudClient,
  ALICLOUD_MAX_TAGS_PER_CALL,
  AlicloudConnection,
  createAlicloudKeyPairApi,
  parseAcs3Authorization,
  sha256Hex,
  signAcs3,
  tagResources,
  untagResources,
} from '../../../handler/clouds/alicloud';
import type { KeyPairApi } from '../../../handler/clouds/key-pair-api';
import { caughtCloudApiError } from '../../support/cloud-api-errors';
import { captureLog, expectNoSecrets, LoopbackServer, RecordedRequest, ScriptedReply, useLoopbackServers } from '../../support/loopback-server';
import { skippingRetryClock } from '../../support/retry-clocks';

/*
 * Alibaba Cloud's in-place tag update over real HTTP against a scripted loopback server: which ECS actions
 * are sent with which parameters, how a change larger than 20 tags is split, and what each answer means.
 */

const ACCESS_KEY_ID = 'LTAI5tTagTestAccessKey';
const ACCESS_KEY_SECRET = 'tag-test-secret-never-printed';
const REGION = 'cn-hangzhou';

const serve = useLoopbackServers();
const logged = captureLog();
afterEach(() => {
  logged.lines.length = 0;
});

function connection(target: LoopbackServer, overrides: Partial<AlicloudConnection> = {}): AlicloudConnection {
  const key = { id: ACCESS_KEY_ID, secret: ACCESS_KEY_SECRET };
  // A resource group on the connection is not a parameter of the tag actions.
  return { ...clientConnection(REGION, target.url, key, { scope: 'rg-aek2z3ry2lmkgjq', log: logged.log }), ...overrides };
}

function api(target: LoopbackServer, overrides: Partial<AlicloudConnection> = {}): KeyPairApi {
  return createAlicloudKeyPairApi(connection(target, overrides));
}

const OK: ScriptedReply = { status: 200, body: JSON.stringify({ RequestId: 'REQ-TAG-OK' }) };

function aliError(status: number, code: string, message = 'the cloud says no'): ScriptedReply {
  return { status, body: JSON.stringify({ RequestId: 'REQ-TAG-ERR', HostId: 'ecs.aliyuncs.com', Code: code, Message: message }) };
}

function queryOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(request.url.searchParams.entries());
}

function actionOf(request: RecordedRequest): string | undefined {
  return request.headers['x-acs-action'] as string | undefined;
}

/** The action's own parameters: the query (ACS3 carries action, version and signature in headers). */
function tagParameters(request: RecordedRequest): Record<string, string> {
  return queryOf(request);
}

/** Numbered tags `{key-1: value-1, …}`. */
function numberedTags(count: number, prefix = 'key'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}-${index + 1}`, `value-${index + 1}`]));
}

describe('updateTags: the actions and their parameters', () => {
  test('removes with UntagResources, then sets with TagResources: region, ResourceType keypair, the name as ResourceId.1', async () => {
    // GIVEN
    const target = await serve([OK]);

    // WHEN
    await api(target).updateTags({ id: 'bastion', name: 'bastion' }, { set: { team: 'infra', env: '' }, remove: ['old', 'stale'] });

    // THEN
    expect(target.requests.map(actionOf)).toEqual(['UntagResources', 'TagResources']);
    expect(tagParameters(target.requests[0])).toEqual({
      'RegionId': REGION,
      'ResourceType': 'keypair',
      'ResourceId.1': 'bastion',
      'TagKey.1': 'old',
      'TagKey.2': 'stale',
    });
    expect(tagParameters(target.requests[1])).toEqual({
      'RegionId': REGION,
      'ResourceType': 'keypair',
      'ResourceId.1': 'bastion',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'infra',
      'Tag.2.Key': 'env',
      'Tag.2.Value': '',
    });
    // THEN the same API version and signing as the key pair actions, and no resource group
    for (const request of target.requests) {
      expect(request.method).toBe('POST');
      expect(request.url.pathname).toBe('/');
      expect(request.headers['x-acs-version']).toBe('2014-05-26');
      expect(queryOf(request).ResourceGroupId).toBeUndefined();
      const authorization = parseAcs3Authorization(request.headers.authorization);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      const expected = signAcs3(
        {
          method: request.method,
          canonicalUri: '/',
          query: queryOf(request),
          headers,
          hashedPayload: sha256Hex(request.body),
          signedHeaderNames: authorization?.signedHeaderNames,
        },
        ACCESS_KEY_ID,
        ACCESS_KEY_SECRET,
      );
      expect(authorization?.signature).toBe(expected.signature);
    }
  });

  test('only a set sends only TagResources; only a removal only UntagResources; an empty change sends nothing', async () => {
    // GIVEN
    const target = await serve([OK]);

    // WHEN
    await api(target).updateTags({ id: 'a1', name: 'a1' }, { set: { team: 'infra' }, remove: [] });
    await api(target).updateTags({ id: 'a1', name: 'a1' }, { set: {}, remove: ['team'] });
    await api(target).updateTags({ id: 'a1', name: 'a1' }, { set: {}, remove: [] });

    // THEN
    expect(target.requests.map(actionOf)).toEqual(['TagResources', 'UntagResources']);
  });

  test('a key both set and removed is only set (ECS overwrites its value); system keys and repeats are never removed', async () => {
    // GIVEN
    const target = await serve([OK]);

    // WHEN
    await api(target).updateTags({ id: 'a1', name: 'a1' }, { set: { team: 'new' }, remove: ['team', 'gone', 'gone', 'acs:rm:rgId', 'aliyun-system'] });

    // THEN
    expect(target.requests.map(actionOf)).toEqual(['UntagResources', 'TagResources']);
    expect(tagParameters(target.requests[0])).toMatchObject({ 'TagKey.1': 'gone' });
    expect(Object.keys(tagParameters(target.requests[0])).filter((name) => name.startsWith('TagKey.'))).toEqual(['TagKey.1']);
    expect(tagParameters(target.requests[1])).toMatchObject({ 'Tag.1.Key': 'team', 'Tag.1.Value': 'new' });
  });

  test(`more than ${ALICLOUD_MAX_TAGS_PER_CALL} tags are split into calls of at most ${ALICLOUD_MAX_TAGS_PER_CALL}, each numbered from 1`, async () => {
    // GIVEN
    const target = await serve([OK]);

    // WHEN 45 tags to set and 21 to remove
    await api(target).updateTags({ id: 'a1', name: 'a1' }, { set: numberedTags(45), remove: Object.keys(numberedTags(21, 'old')) });

    // THEN two UntagResources (20 + 1), then three TagResources (20 + 20 + 5), together exactly the change
    expect(target.requests.map(actionOf)).toEqual(['UntagResources', 'UntagResources', 'TagResources', 'TagResources', 'TagResources']);
    const keysOf = (request: RecordedRequest) =>
      Object.entries(tagParameters(request))
        .filter(([name]) => /^TagKey\.\d+$/.test(name))
        .sort(([a], [b]) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
        .map(([, key]) => key);
    expect(target.requests.slice(0, 2).map((request) => keysOf(request).length)).toEqual([20, 1]);
    expect(target.requests.slice(0, 2).flatMap(keysOf)).toEqual(Object.keys(numberedTags(21, 'old')));
    const tagsOf = (request: RecordedRequest) => {
      const params = tagParameters(request);
      const count = Object.keys(params).filter((name) => /^Tag\.\d+\.Key$/.test(name)).length;
      return Array.from({ length: count }, (_, index) => [params[`Tag.${index + 1}.Key`], params[`Tag.${index + 1}.Value`]] as const);
    };
    expect(target.requests.slice(2).map((request) => tagsOf(request).length)).toEqual([20, 20, 5]);
    expect(Object.fromEntries(target.requests.slice(2).flatMap(tagsOf))).toEqual(numberedTags(45));
  });

  test('the raw actions refuse, before any request, more than 20 tags or no tag at all', async () => {
    // GIVEN
    const target = await serve([OK]);
    const resource = { resourceType: 'keypair', resourceIds: ['a1'] };

    // WHEN / THEN
    await expect(tagResources(new AlicloudClient(connection(target)), { ...resource, tags: numberedTags(21) })).rejects.toThrow(RangeError);
    await expect(tagResources(new AlicloudClient(connection(target)), { ...resource, tags: {} })).rejects.toThrow(RangeError);
    const tagKeys = Object.keys(numberedTags(21));
    await expect(untagResources(new AlicloudClient(connection(target)), { ...resource, tagKeys })).rejects.toThrow(RangeError);
    await expect(untagResources(new AlicloudClient(connection(target)), { ...resource, resourceIds: [], tagKeys: ['a'] })).rejects.toThrow(RangeError);
    expect(target.requests).toHaveLength(0);
  });

  test('an id that is not the name is a caller bug: refused before any request', async () => {
    // GIVEN
    const target = await serve([OK]);

    // WHEN
    const attempt = api(target).updateTags({ id: 'ssh-bp67acfmxazb4ph3', name: 'bastion' }, { set: { a: 'b' }, remove: [] });

    // THEN
    await expect(attempt).rejects.toThrow(/tagged by name/);
    expect(target.requests).toHaveLength(0);
  });
});

describe('updateTags: what the answers mean', () => {
  test('InvalidResourceId.NotFound (HTTP 404): the pair is gone, outcome not-found, and nothing more is sent', async () => {
    // GIVEN
    const target = await serve([aliError(404, 'InvalidResourceId.NotFound', 'The specified ResourceIds are not found in our records.')]);

    // WHEN
    const error = await caughtCloudApiError(api(target).updateTags({ id: 'gone', name: 'gone' }, { set: { a: 'b' }, remove: ['c'] }));

    // THEN
    expect(error).toMatchObject({ cloud: 'alicloud', action: 'UntagResources', code: 'InvalidResourceId.NotFound', httpStatus: 404, outcome: 'not-found' });
    expect(error.remedy).toMatch(/deleted outside Terraform/);
    expect(target.requests).toHaveLength(1);
  });

  test.each([
    [400, 'OperationDenied.QuotaExceed', /at most 20 tags/],
    [403, 'QuotaExceed.Tags', /at most 20 tags per key pair/],
    [400, 'NumberExceed.Tags', /at most 20 tags/],
    [400, 'InvalidTagKey.Malformed', /tag keys are 1 to 128 characters/],
    [400, 'InvalidTagValue.Malformed', /tag values are up to 128 characters/],
    [400, 'Duplicate.TagKey', /tag keys/],
    [404, 'InvalidResourceType.NotFound', /ResourceType keypair/],
    [403, 'NoPermission.Tag', /ecs:TagResources and ecs:UntagResources/],
    [403, 'Forbidden.RAM', /ecs:TagResources and ecs:UntagResources/],
  ])('HTTP %i %s: permanent, not resent, with a remedy that names what to fix', async (status, code, remedy) => {
    // GIVEN
    const target = await serve([aliError(status, code)]);

    // WHEN
    const error = await caughtCloudApiError(api(target).updateTags({ id: 'a1', name: 'a1' }, { set: { a: 'b' }, remove: [] }));

    // THEN
    expect(error).toMatchObject({ action: 'TagResources', code, httpStatus: status, outcome: 'permanent', retryable: false });
    expect(error.remedy).toMatch(remedy);
    expect(target.requests).toHaveLength(1);
  });

  test('throttling is retried as for the key pair actions, and an internal error or a dropped connection too (the tag actions are idempotent)', async () => {
    // GIVEN
    const target = await serve([
      aliError(400, 'Throttling.User', 'Request was denied due to user flow control.'),
      aliError(500, 'InternalError'),
      { dropConnection: true },
      OK,
    ]);

    // WHEN
    await api(target).updateTags({ id: 'a1', name: 'a1' }, { set: { a: 'b' }, remove: [] });

    // THEN the same TagResources four times, each signed afresh
    expect(target.requests.map(actionOf)).toEqual(['TagResources', 'TagResources', 'TagResources', 'TagResources']);
    expect(new Set(target.requests.map((request) => request.headers['x-acs-signature-nonce'])).size).toBe(4);
    expectNoSecrets(logged.lines, [ACCESS_KEY_SECRET]);
  });

  test('throttling that outlasts the step\'s deadline: waited out past maxAttempts, then outcome refused (nothing was done)', async () => {
    // GIVEN a cloud that throttles every call, and a 3 s deadline on a clock whose waits take no real time
    const target = await serve([aliError(400, 'Throttling.User')]);
    const retry = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 400, requestTimeoutMs: 2_000, deadlineMs: 3_000 };

    // WHEN
    const error = await caughtCloudApiError(api(target, { retry, clock: skippingRetryClock() }).updateTags({ id: 'a1', name: 'a1' }, { set: {}, remove: ['a'] }));

    // THEN the same UntagResources more times than maxAttempts, until the deadline, which the error names
    expect(error).toMatchObject({ action: 'UntagResources', code: 'Throttling.User', outcome: 'refused', retryable: false });
    expect(target.requests.length).toBeGreaterThan(retry.maxAttempts);
    expect(new Set(target.requests.map(actionOf))).toEqual(new Set(['UntagResources']));
    expect(error.message).toContain(`(gave up after ${target.requests.length} attempts, at the step's deadline of 3.0 s)`);
    expect(logged.lines.filter((line) => line.includes('UntagResources: asked to retry later (Throttling.User)'))).toHaveLength(target.requests.length - 1);
  });

  test('an internal error that outlasts the retries: given up after maxAttempts', async () => {
    // GIVEN a cloud that answers every call with an internal error
    const target = await serve([aliError(500, 'InternalError')]);

    // WHEN
    const error = await caughtCloudApiError(api(target).updateTags({ id: 'a1', name: 'a1' }, { set: {}, remove: ['a'] }));

    // THEN exactly maxAttempts requests
    expect(error).toMatchObject({ action: 'UntagResources', code: 'InternalError', retryable: false });
    expect(error.message).toContain('(gave up after 4 attempts)');
    expect(target.requests).toHaveLength(4);
  });
});
