import { clientConnection } from './support';
import type { CloudConnection } from '../../../handler/clouds/cloud-connection';
import { connectionFor } from '../../../handler/clouds/factory';
import type { KeyPairApi } from '../../../handler/clouds/key-pair-api';
import {
  createTencentcloudKeyPairApi,
  InvalidEndpointError,
  modifyResourceTags,
  parseTc3Authorization,
  signTc3,
  TENCENTCLOUD_ENV,
  TENCENTCLOUD_ENVIRONMENT,
  TENCENTCLOUD_TAG_API,
  TencentcloudClient,
  tencentcloudCodeMeaning,
  tencentcloudKeyPairResourceName,
  tencentcloudServiceEndpoint,
} from '../../../handler/clouds/tencentcloud';
import { caughtCloudApiError } from '../../support/cloud-api-errors';
import { captureLog, expectNoSecrets, RecordedRequest, ScriptedReply, useLoopbackServers } from '../../support/loopback-server';

/*
 * Tencent Cloud's in-place tag update: one ModifyResourceTags on the Tag API (its own host, `tag` in the TC3
 * credential scope, version 2018-08-13), over real HTTP against scripted loopback servers.
 */

const SECRET_ID = 'AKIDtagTestSecretId01';
const SECRET_KEY = 'tencent-tag-test-secret-do-not-print';
const REGION = 'ap-guangzhou';
const KEY_ID = 'skey-abcd1234';
const ENV = { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY };

const serve = useLoopbackServers();
const logged = captureLog();
afterEach(() => {
  logged.lines.length = 0;
});

function connection(cvmUrl: string, overrides: Partial<CloudConnection> = {}): CloudConnection {
  return clientConnection(REGION, cvmUrl, { id: SECRET_ID, secret: SECRET_KEY }, { log: logged.log, ...overrides });
}

/** The key pair API with CVM at `cvmUrl` and the Tag API at `tagUrl` (as the factory resolves them). */
function api(cvmUrl: string, tagUrl: string): KeyPairApi {
  return createTencentcloudKeyPairApi(connection(cvmUrl, { serviceEndpoints: { tag: new URL(tagUrl) } }));
}

function ok(requestId = 'req-tag-ok'): ScriptedReply {
  return { status: 200, body: JSON.stringify({ Response: { RequestId: requestId } }) };
}

function tencentError(code: string, message = 'the cloud says no'): ScriptedReply {
  return { status: 200, body: JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: 'req-tag-err' } }) };
}

function bodyOf(request: RecordedRequest): any {
  return JSON.parse(request.body);
}

describe('where the Tag API is', () => {
  const resolveTag = (explicit: string | undefined, values: Record<string, string>) =>
    TENCENTCLOUD_ENVIRONMENT.resolveServiceEndpoints!(explicit, values, REGION).tag.href;

  test(`${TENCENTCLOUD_ENV.tagEndpoint} wins; else an overridden CVM endpoint serves it too; else tag.<domain> by protocol`, () => {
    // WHEN / THEN the Tag API's own variable wins over everything
    expect(resolveTag('https://cvm.example.test', { CDKTF_KEYPAIR_TENCENTCLOUD_TAG_ENDPOINT: 'http://127.0.0.1:9100' })).toBe('http://127.0.0.1:9100/');
    // THEN a CVM endpoint from the construct, or from the variable, is the Tag API's origin too
    expect(resolveTag('https://gateway.example.test', { CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: 'http://127.0.0.1:9000' })).toBe('https://gateway.example.test/');
    expect(resolveTag(undefined, { CDKTF_KEYPAIR_TENCENTCLOUD_ENDPOINT: 'http://127.0.0.1:9000' })).toBe('http://127.0.0.1:9000/');
    // THEN otherwise the provider's domain and protocol, with the tag host
    expect(resolveTag(undefined, {})).toBe('https://tag.tencentcloudapi.com/');
    expect(resolveTag(' ', { TENCENTCLOUD_DOMAIN: 'intl.tencentcloudapi.com' })).toBe('https://tag.intl.tencentcloudapi.com/');
    expect(resolveTag(undefined, { TENCENTCLOUD_PROTOCOL: 'HTTP' })).toBe('http://tag.tencentcloudapi.com/');
  });

  test('the factory reads the new variable (and only the factory): connections carry the Tag API endpoint', () => {
    // WHEN
    const byDefault = connectionFor({ cloud: 'tencentcloud', region: REGION }, ENV);
    const ownVariable = connectionFor({ cloud: 'tencentcloud', region: REGION }, { ...ENV, CDKTF_KEYPAIR_TENCENTCLOUD_TAG_ENDPOINT: ' http://127.0.0.1:9100 ' });
    const cvmOverride = connectionFor({ cloud: 'tencentcloud', region: REGION, endpoint: 'http://127.0.0.1:9000' }, ENV);

    // THEN
    expect(TENCENTCLOUD_ENVIRONMENT.names.settings).toContain('CDKTF_KEYPAIR_TENCENTCLOUD_TAG_ENDPOINT');
    expect(byDefault.serviceEndpoints?.tag.href).toBe('https://tag.tencentcloudapi.com/');
    expect(byDefault.endpoint.href).toBe('https://cvm.tencentcloudapi.com/');
    expect(ownVariable.serviceEndpoints?.tag.href).toBe('http://127.0.0.1:9100/');
    expect(ownVariable.endpoint.href).toBe('https://cvm.tencentcloudapi.com/');
    expect(cvmOverride.serviceEndpoints?.tag.href).toBe('http://127.0.0.1:9000/');
  });

  test('a Tag API endpoint that cannot be signed is refused when the connection is made, naming the variable', () => {
    // WHEN / THEN
    expect(() => resolveTag(undefined, { CDKTF_KEYPAIR_TENCENTCLOUD_TAG_ENDPOINT: 'http://127.0.0.1:9100/tag' })).toThrow(InvalidEndpointError);
    expect(() => connectionFor({ cloud: 'tencentcloud', region: REGION }, { ...ENV, CDKTF_KEYPAIR_TENCENTCLOUD_TAG_ENDPOINT: 'not a url' })).toThrow(
      /CDKTF_KEYPAIR_TENCENTCLOUD_TAG_ENDPOINT is not a URL/,
    );
  });

  test('a connection built by hand: tag.<domain> beside cvm.<domain>, the same origin beside any other endpoint', () => {
    // WHEN / THEN
    expect(tencentcloudServiceEndpoint(connection('https://cvm.tencentcloudapi.com'), 'tag').href).toBe('https://tag.tencentcloudapi.com/');
    expect(tencentcloudServiceEndpoint(connection('http://cvm.intl.tencentcloudapi.com:8080'), 'tag').href).toBe('http://tag.intl.tencentcloudapi.com:8080/');
    expect(tencentcloudServiceEndpoint(connection('http://127.0.0.1:9000'), 'tag').href).toBe('http://127.0.0.1:9000/');
    expect(tencentcloudServiceEndpoint(connection('http://127.0.0.1:9000'), 'cvm').href).toBe('http://127.0.0.1:9000/');
  });
});

describe('updateTags: one ModifyResourceTags, signed for the Tag API', () => {
  test('goes to the Tag API endpoint (not CVM), signed with service tag, version 2018-08-13, both lists in the body', async () => {
    // GIVEN two servers: CVM's must see nothing
    const cvm = await serve([tencentError('InvalidAction')]);
    const tag = await serve([ok()]);

    // WHEN
    await api(cvm.url, tag.url).updateTags({ id: KEY_ID, name: 'ci_runner' }, { set: { team: 'infra', env: '' }, remove: ['old'] });

    // THEN
    expect(cvm.requests).toHaveLength(0);
    expect(tag.requests).toHaveLength(1);
    const [request] = tag.requests;
    expect(request.headers['x-tc-action']).toBe('ModifyResourceTags');
    expect(request.headers['x-tc-version']).toBe('2018-08-13');
    expect(request.headers.host).toBe(new URL(tag.url).host);
    expect(bodyOf(request)).toEqual({
      Resource: `qcs::cvm:${REGION}:uin/:keypair/${KEY_ID}`,
      ReplaceTags: [
        { TagKey: 'team', TagValue: 'infra' },
        { TagKey: 'env', TagValue: '' },
      ],
      DeleteTags: [{ TagKey: 'old' }],
    });
    // THEN the credential scope names the Tag API, and the signature is right for it
    const authorization = parseTc3Authorization(String(request.headers.authorization));
    expect(authorization?.service).toBe('tag');
    const signedHeaders = Object.fromEntries(authorization!.signedHeaderNames.map((name) => [name, String(request.headers[name])]));
    expect(signedHeaders).toMatchObject({ 'host': new URL(tag.url).host, 'x-tc-action': 'ModifyResourceTags' });
    const recomputed = signTc3({
      method: 'POST',
      canonicalQueryString: '',
      signedHeaders,
      payload: request.body,
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: 'tag',
      timestamp: Number(request.headers['x-tc-timestamp']),
    });
    expect(request.headers.authorization).toBe(recomputed.authorization);
  });

  test('an empty list is left out (the Tag API refuses an empty array); an empty change sends nothing', async () => {
    // GIVEN
    const tag = await serve([ok()]);
    const tags = api(tag.url, tag.url);

    // WHEN
    await tags.updateTags({ id: KEY_ID, name: 'n' }, { set: { team: 'infra' }, remove: [] });
    await tags.updateTags({ id: KEY_ID, name: 'n' }, { set: {}, remove: ['team', 'team'] });
    await tags.updateTags({ id: KEY_ID, name: 'n' }, { set: {}, remove: [] });

    // THEN
    expect(tag.requests.map(bodyOf)).toEqual([
      { Resource: `qcs::cvm:${REGION}:uin/:keypair/${KEY_ID}`, ReplaceTags: [{ TagKey: 'team', TagValue: 'infra' }] },
      { Resource: `qcs::cvm:${REGION}:uin/:keypair/${KEY_ID}`, DeleteTags: [{ TagKey: 'team' }] },
    ]);
  });

  test('a key both set and removed is only replaced: the Tag API refuses the overlap', async () => {
    // GIVEN
    const tag = await serve([ok()]);

    // WHEN
    await api(tag.url, tag.url).updateTags({ id: KEY_ID, name: 'n' }, { set: { team: 'new' }, remove: ['team'] });

    // THEN
    expect(bodyOf(tag.requests[0])).toEqual({ Resource: expect.any(String), ReplaceTags: [{ TagKey: 'team', TagValue: 'new' }] });
  });

  test('the raw action refuses an empty or overlapping change before any request', async () => {
    // GIVEN
    const tag = await serve([ok()]);
    const client = new TencentcloudClient(connection(tag.url), TENCENTCLOUD_TAG_API);
    const resource = tencentcloudKeyPairResourceName(REGION, KEY_ID);

    // WHEN / THEN
    expect(() => modifyResourceTags(client, { resource })).toThrow(RangeError);
    expect(() => modifyResourceTags(client, { resource, replaceTags: { a: '1' }, deleteTags: ['a'] })).toThrow(/both replace and delete/);
    expect(tag.requests).toHaveLength(0);
  });

  test('throttling, an internal error and a dropped connection are retried (ModifyResourceTags is idempotent)', async () => {
    // GIVEN
    const tag = await serve([tencentError('RequestLimitExceeded'), tencentError('InternalError'), { dropConnection: true }, ok()]);

    // WHEN
    await api(tag.url, tag.url).updateTags({ id: KEY_ID, name: 'n' }, { set: { a: 'b' }, remove: [] });

    // THEN
    expect(tag.requests).toHaveLength(4);
    expect(new Set(tag.requests.map((request) => request.body)).size).toBe(1);
    expectNoSecrets(logged.lines, [SECRET_KEY]);
  });
});

describe('updateTags: what the Tag API answers mean', () => {
  test('InvalidParameterValue.ResourceIdInvalid: the key pair is gone, outcome not-found', async () => {
    // GIVEN
    const tag = await serve([tencentError('InvalidParameterValue.ResourceIdInvalid')]);

    // WHEN
    const error = await caughtCloudApiError(api(tag.url, tag.url).updateTags({ id: KEY_ID, name: 'n' }, { set: { a: 'b' }, remove: [] }));

    // THEN
    expect(error).toMatchObject({ cloud: 'tencentcloud', action: 'ModifyResourceTags', code: 'InvalidParameterValue.ResourceIdInvalid', outcome: 'not-found' });
    expect(error.remedy).toMatch(/deleted outside Terraform/);
    expect(tag.requests).toHaveLength(1);
  });

  test.each([
    ['LimitExceeded.ResourceAttachedTags', /at most 50 tags/],
    ['InvalidParameter.ReservedTagKey', /do not start with qcloud, tencent or project/],
    ['InvalidParameterValue.ReservedTagKey', /do not start with qcloud, tencent or project/],
    ['InvalidParameterValue.TagKeyLengthExceeded', /1 to 127 characters/],
    ['InvalidParameterValue.TagValueLengthExceeded', /up to 255 characters/],
    ['InvalidParameterValue.TagKeyCharacterIllegal', /letters, digits, spaces/],
    ['InvalidParameterValue.ResourceDescriptionError', /qcs::cvm:<region>:uin\/:keypair/],
    ['InvalidParameterValue.DeleteTagsParamError', /both set and removed/],
    ['AuthFailure.SignatureFailure', /Tag API endpoint/],
    ['UnauthorizedOperation', /tag:ModifyResourceTags/],
    ['ResourceNotFound.AttachedTagKeyNotFound', /reads the tags afresh/],
  ])('%s: permanent, not resent, with a remedy that names what to fix', async (code, remedy) => {
    // GIVEN
    const tag = await serve([tencentError(code)]);

    // WHEN
    const error = await caughtCloudApiError(api(tag.url, tag.url).updateTags({ id: KEY_ID, name: 'n' }, { set: { a: 'b' }, remove: [] }));

    // THEN
    expect(error).toMatchObject({ action: 'ModifyResourceTags', code, httpStatus: 200, outcome: 'permanent', retryable: false });
    expect(error.remedy).toMatch(remedy);
    expect(tag.requests).toHaveLength(1);
  });

  test('a tag change still being processed is refused (nothing done) and retried', async () => {
    // GIVEN
    const tag = await serve([tencentError('FailedOperation.ResourceTagProcessing'), ok()]);

    // WHEN
    await api(tag.url, tag.url).updateTags({ id: KEY_ID, name: 'n' }, { set: { a: 'b' }, remove: [] });

    // THEN
    expect(tag.requests).toHaveLength(2);
    expect(tencentcloudCodeMeaning('FailedOperation.ResourceTagProcessing', 'tag')).toEqual({ outcome: 'refused', retryable: true, retryLater: true });
  });

  test('the Tag API codes do not change what CVM codes mean: a ResourceNotFound is never "the pair is gone"', () => {
    // WHEN / THEN
    expect(tencentcloudCodeMeaning('InvalidParameterValue.ResourceIdInvalid').outcome).toBe('permanent');
    expect(tencentcloudCodeMeaning('InvalidParameterValue.ResourceIdInvalid', 'tag').outcome).toBe('not-found');
    expect(tencentcloudCodeMeaning('ResourceNotFound.TagNonExist', 'tag').outcome).toBe('permanent');
    expect(tencentcloudCodeMeaning('AuthFailure.SignatureFailure').remedy).toMatch(/CVM API/);
    expect(tencentcloudCodeMeaning('AuthFailure.SignatureFailure', 'tag').remedy).toMatch(/Tag API/);
  });

  test('a non-Tencent answer names the Tag API in its remedy', async () => {
    // GIVEN
    const tag = await serve([{ status: 404, body: '{}' }]);

    // WHEN
    const error = await caughtCloudApiError(api(tag.url, tag.url).updateTags({ id: KEY_ID, name: 'n' }, { set: { a: 'b' }, remove: [] }));

    // THEN
    expect(error).toMatchObject({ code: 'HttpStatusCodeError', outcome: 'permanent' });
    expect(error.remedy).toMatch(/Tag API/);
  });
});
