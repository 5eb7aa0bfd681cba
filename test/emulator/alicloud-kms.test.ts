import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DAY_MS, unguessableSecretValue, useClockedEmulator } from './support';
import { startEmulator } from '../../emulator';
import { KMS_REGIONLESS_SCOPE } from '../../emulator/clouds/alicloud/kms-actions';
import {
  canonicalQueryString,
  formatAlicloudTimestamp,
  RPC_SIGNATURE_METHOD,
  RPC_SIGNATURE_VERSION,
  rpcSignature,
  rpcStringToSign,
} from '../../handler/clouds/alicloud/signer';
import { HttpResponse, sendHttpRequest, TransportFailure } from '../../handler/http/transport';
import { waitUntil } from '../support/eventually';

/*
 * KMS Secrets Manager (API 2016-01-20) in the emulator, on the Alibaba port beside ECS and routed by the
 * API version, through RPC HMAC-SHA1 requests over real HTTP: create, describe, get, delete and restore,
 * the name and size rules, duplicates, the recovery window on the emulator's clock, tags, KMS's own codes
 * and statuses, faults on every action, the journal, and no secret value in logs or journal.
 */

const REGION = 'cn-hangzhou';
const KMS_VERSION = '2016-01-20';
const SECRET_VALUE = unguessableSecretValue();

const bed = useClockedEmulator();

interface KmsAnswer {
  readonly status: number;
  readonly body: Record<string, any>;
}

/** One KMS action, RPC-signed (HMAC-SHA1) at the emulator's time by the project's signer; the region unless told otherwise. */
async function kms(action: string, params: Record<string, string>, options: { secret?: string; version?: string } = {}): Promise<KmsAnswer> {
  const response = await sendKms(action, params, options);
  return { status: response.status, body: JSON.parse(response.body) };
}

function sendKms(action: string, params: Record<string, string>, options: { secret?: string; version?: string } = {}): Promise<HttpResponse> {
  const env = bed.emulator.handlerEnvironment();
  const signed: Record<string, string> = {
    RegionId: REGION,
    ...params,
    Action: action,
    Version: options.version ?? KMS_VERSION,
    Format: 'JSON',
    AccessKeyId: env.ALICLOUD_ACCESS_KEY,
    SignatureMethod: RPC_SIGNATURE_METHOD,
    SignatureVersion: RPC_SIGNATURE_VERSION,
    SignatureNonce: randomBytes(8).toString('hex'),
    Timestamp: formatAlicloudTimestamp(bed.now()),
  };
  signed.Signature = rpcSignature(options.secret ?? env.ALICLOUD_SECRET_KEY, rpcStringToSign('POST', signed));
  // In a form body, as the RPC SDKs post: a 30 KB value does not fit in a URL.
  return sendHttpRequest({
    method: 'POST',
    url: new URL('/', env.CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT),
    headers: { 'accept': 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: canonicalQueryString(signed),
    timeoutMs: 10_000,
  });
}

function createParams(name: string, extra: Record<string, string> = {}): Record<string, string> {
  return { SecretName: name, SecretData: SECRET_VALUE, VersionId: 'v1', SecretDataType: 'text', ...extra };
}

function expectKmsError(answer: KmsAnswer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body.Code }).toEqual({ status, code });
  expect(answer.body).toEqual(expect.objectContaining({ RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/), Message: expect.any(String) }));
}

describe('create, describe, get, delete, restore', () => {
  test('CreateSecret answers the ARN, name and version; GetSecretValue answers the value as ACSCurrent', async () => {
    // WHEN
    const created = await kms('CreateSecret', createParams('ssh/web-1', { EncryptionKeyId: 'key-hzz6', Description: 'web key' }));
    const value = await kms('GetSecretValue', { SecretName: 'ssh/web-1' });
    const byVersion = await kms('GetSecretValue', { SecretName: 'ssh/web-1', VersionId: 'v1' });

    // THEN
    expect(created).toEqual({
      status: 200,
      body: { RequestId: expect.any(String), Arn: 'acs:kms:cn-hangzhou:1234567890123456:secret/ssh/web-1', SecretName: 'ssh/web-1', VersionId: 'v1', SecretType: 'Generic' },
    });
    expect(value.body).toEqual(
      expect.objectContaining({ SecretName: 'ssh/web-1', VersionId: 'v1', SecretData: SECRET_VALUE, SecretDataType: 'text', VersionStages: { VersionStage: ['ACSCurrent'] } }),
    );
    expect(byVersion.body.SecretData).toBe(SECRET_VALUE);
    expect(bed.emulator.secretValue('alicloud', REGION, 'ssh/web-1')).toBe(SECRET_VALUE);
  });

  test('DescribeSecret answers the metadata, tags only with FetchTags=true, and no value', async () => {
    // GIVEN
    const tags = JSON.stringify([{ TagKey: 'team', TagValue: 'infra' }, { TagKey: 'cdktf:owner', TagValue: 'stack/one' }]);
    await kms('CreateSecret', createParams('tagged', { Tags: tags, EncryptionKeyId: 'key-1' }));

    // WHEN
    const plain = await kms('DescribeSecret', { SecretName: 'tagged' });
    const withTags = await kms('DescribeSecret', { SecretName: 'tagged', FetchTags: 'true' });

    // THEN
    expect(plain.body).toEqual(
      expect.objectContaining({ SecretName: 'tagged', Arn: expect.stringMatching(/:secret\/tagged$/), EncryptionKeyId: 'key-1', CreateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) }),
    );
    expect(plain.body.Tags).toBeUndefined();
    expect(plain.body.PlannedDeleteTime).toBeUndefined();
    expect(withTags.body.Tags).toEqual({ Tag: [{ TagKey: 'team', TagValue: 'infra' }, { TagKey: 'cdktf:owner', TagValue: 'stack/one' }] });
    expect(JSON.stringify(withTags.body)).not.toContain(SECRET_VALUE);
    expect(bed.emulator.listSecrets('alicloud')).toEqual([
      expect.objectContaining({ scope: REGION, name: 'tagged', status: 'enabled', tags: { 'team': 'infra', 'cdktf:owner': 'stack/one' }, versions: [expect.objectContaining({ versionId: 'v1' })] }),
    ]);
    expect(JSON.stringify(bed.emulator.listSecrets('alicloud'))).not.toContain(SECRET_VALUE);
  });

  test('DeleteSecret with ForceDeleteWithoutRecovery=true deletes at once (the RecoveryWindowInDays sent beside it is ignored)', async () => {
    // GIVEN
    await kms('CreateSecret', createParams('forced'));

    // WHEN
    const deleted = await kms('DeleteSecret', { SecretName: 'forced', ForceDeleteWithoutRecovery: 'true', RecoveryWindowInDays: '30' });

    // THEN
    expect(deleted.body).toEqual({ RequestId: expect.any(String), SecretName: 'forced', PlannedDeleteTime: expect.any(String) });
    expectKmsError(await kms('DescribeSecret', { SecretName: 'forced' }), 404, 'Forbidden.ResourceNotFound');
    expect((await kms('CreateSecret', createParams('forced'))).status).toBe(200);
  });

  test('deleting one of several secrets of a region deletes that one alone', async () => {
    // GIVEN
    for (const name of ['first', 'second', 'third']) await kms('CreateSecret', createParams(name));

    // WHEN
    await kms('DeleteSecret', { SecretName: 'second', ForceDeleteWithoutRecovery: 'true' });

    // THEN
    expectKmsError(await kms('DescribeSecret', { SecretName: 'second' }), 404, 'Forbidden.ResourceNotFound');
    expect(bed.emulator.listSecrets('alicloud').map((secret) => secret.name)).toEqual(['first', 'third']);
  });

  test('the recovery window counts on the emulator clock: pending deletion until then, restorable, gone after', async () => {
    // GIVEN
    await kms('CreateSecret', createParams('windowed'));
    const start = bed.now().getTime();

    // WHEN
    const deleted = await kms('DeleteSecret', { SecretName: 'windowed', RecoveryWindowInDays: '7' });
    const pending = await kms('DescribeSecret', { SecretName: 'windowed' });
    const recreated = await kms('CreateSecret', createParams('windowed'));
    const read = await kms('GetSecretValue', { SecretName: 'windowed' });
    bed.advance(7 * DAY_MS - 60_000);
    const stillThere = await kms('DescribeSecret', { SecretName: 'windowed' });
    bed.advance(2 * 60_000);
    const gone = await kms('DescribeSecret', { SecretName: 'windowed' });

    // THEN
    const planned = Date.parse(deleted.body.PlannedDeleteTime);
    expect(planned - start).toBeGreaterThan(7 * DAY_MS - 2_000);
    expect(planned - start).toBeLessThanOrEqual(7 * DAY_MS);
    expect(pending.body.PlannedDeleteTime).toBe(deleted.body.PlannedDeleteTime);
    expectKmsError(recreated, 409, 'Rejected.ResourceInDeleteWindow');
    expectKmsError(read, 409, 'Rejected.ResourceInDeleteWindow');
    expect(stillThere.status).toBe(200);
    expectKmsError(gone, 404, 'Forbidden.ResourceNotFound');
    expect(bed.emulator.listSecrets('alicloud')).toEqual([]);
    expect(bed.emulator.secretValue('alicloud', REGION, 'windowed')).toBeUndefined();
  });

  test('RecoveryWindowInDays defaults to 30; RestoreSecret cancels the deletion and the value reads again', async () => {
    // GIVEN
    await kms('CreateSecret', createParams('restored'));
    const deleted = await kms('DeleteSecret', { SecretName: 'restored', ForceDeleteWithoutRecovery: 'false' });

    // WHEN
    const again = await kms('DeleteSecret', { SecretName: 'restored' });
    const restored = await kms('RestoreSecret', { SecretName: 'restored' });
    bed.advance(31 * DAY_MS);
    const described = await kms('DescribeSecret', { SecretName: 'restored' });
    const read = await kms('GetSecretValue', { SecretName: 'restored' });

    // THEN
    expect(Date.parse(deleted.body.PlannedDeleteTime) - Date.now()).toBeGreaterThan(30 * DAY_MS - 60_000);
    expectKmsError(again, 409, 'Rejected.ResourceInDeleteWindow');
    expect(restored.body).toEqual({ RequestId: expect.any(String), SecretName: 'restored' });
    expect(described.body.PlannedDeleteTime).toBeUndefined();
    expect(read.body.SecretData).toBe(SECRET_VALUE);
  });

  test('secrets are per region: the same name in two regions, each with its own value', async () => {
    // WHEN
    await kms('CreateSecret', createParams('shared'));
    await kms('CreateSecret', { ...createParams('shared'), RegionId: 'eu-central-1', SecretData: 'other' });

    // THEN
    expect(bed.emulator.secretValue('alicloud', REGION, 'shared')).toBe(SECRET_VALUE);
    expect(bed.emulator.secretValue('alicloud', 'eu-central-1', 'shared')).toBe('other');
    expect(bed.emulator.listSecrets('alicloud').map((secret) => secret.scope).sort()).toEqual(['cn-hangzhou', 'eu-central-1']);
  });
});

describe('refusals, with KMS codes and statuses', () => {
  test('a name taken answers Rejected.ResourceExist (409), whatever the version id', async () => {
    // GIVEN
    await kms('CreateSecret', createParams('taken'));

    // WHEN
    const sameVersion = await kms('CreateSecret', createParams('taken'));
    const otherVersion = await kms('CreateSecret', createParams('taken', { VersionId: 'v2', SecretData: 'other' }));

    // THEN
    expectKmsError(sameVersion, 409, 'Rejected.ResourceExist');
    expectKmsError(otherVersion, 409, 'Rejected.ResourceExist');
    expect(bed.emulator.secretValue('alicloud', REGION, 'taken')).toBe(SECRET_VALUE);
  });

  test.each([
    ['192 characters of every allowed kind', 200, `${'a'.repeat(181)}_/+=.-@AZ09`],
    ['193 characters', 400, 'a'.repeat(193)],
    ['a space', 400, 'my secret'],
    ['a colon', 400, 'ssh:key'],
    ['the reserved acs/ prefix', 400, 'acs/ecs/key'],
  ])('SecretName with %s: HTTP %d', async (_case, status, name) => {
    // WHEN
    const answer = await kms('CreateSecret', createParams(name));

    // THEN
    expect(answer.status).toBe(status);
    if (status !== 200) expectKmsError(answer, 400, 'InvalidParameter');
  });

  test('SecretData: 30,720 bytes fit, one more is InvalidParameter; an RSA-4096 PEM fits easily', async () => {
    // GIVEN
    const limit = 'é'.repeat(15_360); // two bytes each
    const rsa4096 = generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    // WHEN
    const fits = await kms('CreateSecret', createParams('at-limit', { SecretData: limit }));
    const tooLarge = await kms('CreateSecret', createParams('over-limit', { SecretData: `${limit}x` }));
    const pem = await kms('CreateSecret', createParams('rsa-4096', { SecretData: rsa4096 }));

    // THEN
    expect(Buffer.byteLength(limit)).toBe(30_720);
    expect(fits.status).toBe(200);
    expectKmsError(tooLarge, 400, 'InvalidParameter');
    expect(pem.status).toBe(200);
    expect(bed.emulator.secretValue('alicloud', REGION, 'rsa-4096')).toBe(rsa4096);
  });

  test.each([
    ['no VersionId', { VersionId: '' }, 'MissingParameter'],
    ['a VersionId of 65 characters', { VersionId: 'v'.repeat(65) }, 'InvalidParameter'],
    ['no SecretData', { SecretData: '' }, 'MissingParameter'],
    ['SecretDataType json', { SecretDataType: 'json' }, 'InvalidParameter'],
    ['Tags not JSON', { Tags: 'team=infra' }, 'InvalidParameter'],
    ['21 tags', { Tags: JSON.stringify(Array.from({ length: 21 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }))) }, 'InvalidParameter'],
    ['a reserved tag key', { Tags: JSON.stringify([{ TagKey: 'aliyun-team', TagValue: 'v' }]) }, 'InvalidParameter'],
    ['a tag key twice', { Tags: JSON.stringify([{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }]) }, 'InvalidParameter'],
  ])('CreateSecret with %s: %s, and nothing stored', async (_case, extra, code) => {
    // WHEN
    const answer = await kms('CreateSecret', createParams('refused', extra));

    // THEN
    expect(answer.status).toBe(400);
    expect(answer.body.Code).toBe(code);
    expect(bed.emulator.listSecrets('alicloud')).toEqual([]);
  });

  test('20 tags are accepted', async () => {
    const tags = JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ TagKey: `k${i}`, TagValue: `v${i}` })));
    expect((await kms('CreateSecret', createParams('twenty', { Tags: tags }))).status).toBe(200);
    expect(Object.keys(bed.emulator.listSecrets('alicloud')[0].tags)).toHaveLength(20);
  });

  test.each(['DescribeSecret', 'GetSecretValue', 'DeleteSecret', 'RestoreSecret'])('%s of an unknown secret: Forbidden.ResourceNotFound (404)', async (action) => {
    expectKmsError(await kms(action, { SecretName: 'nowhere' }), 404, 'Forbidden.ResourceNotFound');
  });

  test('an unknown version id or stage is Forbidden.ResourceNotFound', async () => {
    await kms('CreateSecret', createParams('versions'));
    expectKmsError(await kms('GetSecretValue', { SecretName: 'versions', VersionId: 'v9' }), 404, 'Forbidden.ResourceNotFound');
    expectKmsError(await kms('GetSecretValue', { SecretName: 'versions', VersionStage: 'ACSPrevious' }), 404, 'Forbidden.ResourceNotFound');
  });

  test.each([
    ['RecoveryWindowInDays 6', { RecoveryWindowInDays: '6' }],
    ['RecoveryWindowInDays 31', { RecoveryWindowInDays: '31' }],
    ['ForceDeleteWithoutRecovery yes', { ForceDeleteWithoutRecovery: 'yes' }],
  ])('DeleteSecret with %s: InvalidParameter, and the secret stays', async (_case, extra) => {
    await kms('CreateSecret', createParams('kept'));
    expectKmsError(await kms('DeleteSecret', { SecretName: 'kept', ...extra }), 400, 'InvalidParameter');
    expect(bed.emulator.listSecrets('alicloud')).toEqual([expect.objectContaining({ name: 'kept', status: 'enabled' })]);
  });

  test('the quota: Rejected.LimitExceeded once the region holds secretQuotaPerRegion secrets', async () => {
    // GIVEN
    const small = await startEmulator({ secretQuotaPerRegion: 1 });
    const previous = bed.emulator;
    bed.emulator = small;
    try {
      // WHEN
      const first = await kms('CreateSecret', createParams('one'));
      const second = await kms('CreateSecret', createParams('two'));

      // THEN
      expect(first.status).toBe(200);
      expectKmsError(second, 400, 'Rejected.LimitExceeded');
    } finally {
      bed.emulator = previous;
      await small.stop();
    }
  });

  test('a wrong AccessKey secret is SignatureDoesNotMatch; an unknown version InvalidVersion; ECS actions are not KMS actions', async () => {
    expect((await kms('CreateSecret', createParams('unsigned'), { secret: 'not-the-secret' })).body.Code).toBe('SignatureDoesNotMatch');
    expect((await kms('CreateSecret', createParams('old'), { version: '2016-01-19' })).body.Code).toBe('InvalidVersion');
    expect((await kms('DescribeKeyPairs', {})).body.Code).toBe('InvalidAction.NotFound');
    expect((await kms('CreateSecret', createParams('ecs'), { version: '2014-05-26' })).body.Code).toBe('InvalidAction.NotFound');
    expect(bed.emulator.listSecrets('alicloud')).toEqual([]);
  });

  test('without RegionId (KMS documents none: the region is in its host) the secret is kept for every region at once', async () => {
    const created = await kms('CreateSecret', { ...createParams('no-region'), RegionId: '' });
    const elsewhere = await kms('CreateSecret', { ...createParams('no-region'), RegionId: '' });

    expect(created.status).toBe(200);
    expect(bed.emulator.listSecrets('alicloud').map((secret) => [secret.scope, secret.name])).toEqual([[KMS_REGIONLESS_SCOPE, 'no-region']]);
    expectKmsError(elsewhere, 409, 'Rejected.ResourceExist');
  });
});

describe('faults on KMS actions', () => {
  const ACTIONS: ReadonlyArray<[string, Record<string, string>]> = [
    ['CreateSecret', createParams('faulted-new')],
    ['DescribeSecret', { SecretName: 'faulted' }],
    ['GetSecretValue', { SecretName: 'faulted' }],
    ['DeleteSecret', { SecretName: 'faulted', ForceDeleteWithoutRecovery: 'true' }],
    ['RestoreSecret', { SecretName: 'faulted' }],
  ];

  beforeEach(async () => {
    await kms('CreateSecret', createParams('faulted'));
  });

  test.each(ACTIONS)('%s: throttle answers KMS Rejected.Throttling (429), server-error InternalFailure (500), then it runs', async (action, params) => {
    // GIVEN
    bed.emulator.injectFault({ cloud: 'alicloud', action, kind: 'throttle' });
    bed.emulator.injectFault({ cloud: 'alicloud', action, kind: 'server-error' });

    // WHEN
    const throttled = await kms(action, params);
    const failed = await kms(action, params);
    const served = await kms(action, params);

    // THEN
    expectKmsError(throttled, 429, 'Rejected.Throttling');
    expect(throttled.body.Recommend).toContain('product=Kms');
    expectKmsError(failed, 500, 'InternalFailure');
    expect(served.status).toBe(200);
    expect(bed.emulator.requests('alicloud').slice(-3)).toEqual([
      expect.objectContaining({ action, status: 429, handled: false, fault: 'throttle' }),
      expect.objectContaining({ action, status: 500, handled: false, fault: 'server-error' }),
      expect.objectContaining({ action, status: 200, handled: true }),
    ]);
  });

  test.each(ACTIONS)('%s: denied answers KMS Forbidden.NoPermission (403) and changes nothing; then it runs', async (action, params) => {
    // GIVEN
    bed.emulator.injectFault({ cloud: 'alicloud', action, kind: 'denied' });
    const before = bed.emulator.listSecrets('alicloud');

    // WHEN
    const denied = await kms(action, params);

    // THEN
    expectKmsError(denied, 403, 'Forbidden.NoPermission');
    expect(denied.body.Recommend).toContain('product=Kms');
    expect(bed.emulator.listSecrets('alicloud')).toEqual(before);
    expect(bed.emulator.requests('alicloud').slice(-1)).toEqual([expect.objectContaining({ action, status: 403, handled: false, fault: 'denied' })]);
    expect((await kms(action, params)).status).toBe(200);
  });

  test.each(ACTIONS)('%s: drop-connection before the action changes nothing; malformed-body is a cut 200', async (action, params) => {
    // GIVEN
    bed.emulator.injectFault({ cloud: 'alicloud', action, kind: 'drop-connection' });
    bed.emulator.injectFault({ cloud: 'alicloud', action, kind: 'malformed-body' });
    const before = bed.emulator.listSecrets('alicloud');

    // WHEN
    const dropped = await sendKms(action, params).then(
      () => undefined,
      (err: unknown) => err,
    );
    const malformed = await sendKms(action, params);

    // THEN
    expect(dropped).toBeInstanceOf(TransportFailure);
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.body)).toThrow();
    expect(bed.emulator.listSecrets('alicloud')).toEqual(before);
  });

  test('drop-connection after CreateSecret: the secret exists though the answer was lost; the resend is Rejected.ResourceExist', async () => {
    // GIVEN
    bed.emulator.injectFault({ cloud: 'alicloud', action: 'CreateSecret', kind: 'drop-connection', afterAction: true });

    // WHEN
    const lost = await sendKms('CreateSecret', createParams('lost-answer')).then(
      () => undefined,
      (err: unknown) => err,
    );
    const resent = await kms('CreateSecret', createParams('lost-answer'));

    // THEN
    expect(lost).toBeInstanceOf(TransportFailure);
    expectKmsError(resent, 409, 'Rejected.ResourceExist');
    expect(bed.emulator.secretValue('alicloud', REGION, 'lost-answer', 'v1')).toBe(SECRET_VALUE);
  });

  test('drop-connection after DeleteSecret: the secret is gone though the answer was lost', async () => {
    bed.emulator.injectFault({ cloud: 'alicloud', action: 'DeleteSecret', kind: 'drop-connection', afterAction: true });
    await expect(sendKms('DeleteSecret', { SecretName: 'faulted', ForceDeleteWithoutRecovery: 'true' })).rejects.toBeInstanceOf(TransportFailure);
    expect(bed.emulator.listSecrets('alicloud')).toEqual([]);
  });

  test('a held GetSecretValue is answered when released', async () => {
    // GIVEN
    bed.emulator.injectFault({ cloud: 'alicloud', action: 'GetSecretValue', kind: 'latency', hold: true });

    // WHEN
    const pending = kms('GetSecretValue', { SecretName: 'faulted' });
    await waitUntil(() => bed.emulator.heldRequests('alicloud') === 1, 'the store holds the request', 1_000, 5);
    const released = bed.emulator.releaseHeldRequests('alicloud');

    // THEN
    expect(released).toBe(1);
    expect((await pending).body.SecretData).toBe(SECRET_VALUE);
  });
});

describe('journal, logs and state', () => {
  test('the journal names the secret of each request, never its value; the log lines hold no value either', async () => {
    // WHEN
    await kms('CreateSecret', createParams('journaled'));
    await kms('GetSecretValue', { SecretName: 'journaled' });
    await kms('DeleteSecret', { SecretName: 'journaled', ForceDeleteWithoutRecovery: 'true' });

    // THEN
    expect(bed.emulator.requests('alicloud')).toEqual([
      { cloud: 'alicloud', action: 'CreateSecret', status: 200, handled: true, keyPairNames: [], secretNames: ['journaled'] },
      { cloud: 'alicloud', action: 'GetSecretValue', status: 200, handled: true, keyPairNames: [], secretNames: ['journaled'] },
      { cloud: 'alicloud', action: 'DeleteSecret', status: 200, handled: true, keyPairNames: [], secretNames: ['journaled'] },
    ]);
    expect(bed.logLines).toHaveLength(3);
    expect(bed.logLines.join('\n')).not.toContain(SECRET_VALUE);
    expect(bed.logLines.join('\n')).not.toContain('secret-');
  });

  test('the inspection route GET secrets lists the secrets without values; reset forgets them', async () => {
    // GIVEN
    await kms('CreateSecret', createParams('inspected'));

    // WHEN
    const listed = await sendHttpRequest({ method: 'GET', url: new URL('/_emulator/secrets', bed.emulator.endpoints.alicloud), headers: {}, timeoutMs: 5_000 });
    bed.emulator.reset();

    // THEN
    expect(JSON.parse(listed.body)).toEqual({ cloud: 'alicloud', secrets: [expect.objectContaining({ name: 'inspected', scope: REGION })] });
    expect(listed.body).not.toContain(SECRET_VALUE);
    expect(bed.emulator.listSecrets('alicloud')).toEqual([]);
  });

  test('secrets survive a restart on the same state file', async () => {
    // GIVEN
    const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kms-state-')), 'state.json');
    const first = await startEmulator({ stateFile });
    const previous = bed.emulator;
    try {
      bed.emulator = first;
      await kms('CreateSecret', createParams('persisted'));
      await first.stop();

      // WHEN
      const second = await startEmulator({ stateFile });
      bed.emulator = second;
      const read = await kms('GetSecretValue', { SecretName: 'persisted' });
      await second.stop();

      // THEN
      expect(read.body.SecretData).toBe(SECRET_VALUE);
    } finally {
      bed.emulator = previous;
      fs.rmSync(path.dirname(stateFile), { recursive: true, force: true });
    }
  });

  test('handlerEnvironment points CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT at the Alibaba port', () => {
    expect(bed.emulator.handlerEnvironment().CDKTF_KEYPAIR_ALICLOUD_KMS_ENDPOINT).toBe(bed.emulator.endpoints.alicloud);
  });
});
