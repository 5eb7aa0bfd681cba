import { generateKeyPairSync } from 'node:crypto';
import { DAY_MS, unguessableSecretValue, useClockedEmulator } from './support';
import { startEmulator } from '../../emulator';
import { SSM_DELETE_ENABLED_SECRET_CODE } from '../../emulator/clouds/tencentcloud/ssm-actions';
import { signTc3 } from '../../handler/clouds/tencentcloud';
import { HttpResponse, sendHttpRequest, TransportFailure } from '../../handler/http/transport';
import { waitUntil } from '../support/eventually';

/*
 * Tencent Cloud SSM (service `ssm`, API 2019-09-23) in the emulator, on the Tencent port beside CVM and the
 * Tag API and routed by the TC3 credential scope's service, through hand-signed calls over real HTTP:
 * create, describe, get, disable, delete and restore, the name and size rules (an RSA-4096 PKCS#8 PEM fits
 * the 4,096 bytes), duplicates, version ids, the recovery window on the emulator's clock, disable before
 * delete, tags, SSM's codes in Tencent's HTTP 200 envelope, faults on every action, the journal, and no
 * secret value in logs or journal.
 */

const REGION = 'ap-guangzhou';
const SSM_VERSION = '2019-09-23';
const SECRET_VALUE = unguessableSecretValue();

const bed = useClockedEmulator();

interface CallOptions {
  /** Unset: the test region; empty: no X-TC-Region header. */
  readonly region?: string;
  readonly service?: string;
  readonly version?: string;
  readonly secretKey?: string;
}

/** One SSM action, TC3-signed at the emulator's time by the project's signer; answers `Response`. */
async function ssm(action: string, body: Record<string, unknown>, options: CallOptions = {}): Promise<any> {
  const response = await sendSsm(action, body, options);
  expect(response.status).toBe(200);
  return JSON.parse(response.body).Response;
}

function sendSsm(action: string, body: Record<string, unknown>, options: CallOptions = {}): Promise<HttpResponse> {
  const env = bed.emulator.handlerEnvironment();
  const url = new URL('/', env.CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT);
  const payload = JSON.stringify(body);
  const timestamp = Math.floor(bed.now().getTime() / 1000);
  const signedHeaders = { 'Content-Type': 'application/json; charset=utf-8', 'Host': url.host, 'X-TC-Action': action };
  const { authorization } = signTc3({
    method: 'POST',
    canonicalQueryString: '',
    signedHeaders,
    payload,
    secretId: env.TENCENTCLOUD_SECRET_ID,
    secretKey: options.secretKey ?? env.TENCENTCLOUD_SECRET_KEY,
    service: options.service ?? 'ssm',
    timestamp,
  });
  const headers: Record<string, string> = {
    ...signedHeaders,
    'X-TC-Version': options.version ?? SSM_VERSION,
    'X-TC-Timestamp': String(timestamp),
    'Authorization': authorization,
  };
  const region = options.region ?? REGION;
  if (region !== '') headers['X-TC-Region'] = region;
  return sendHttpRequest({ method: 'POST', url, headers, body: payload, timeoutMs: 10_000 });
}

function createBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { SecretName: name, VersionId: 'v1', SecretString: SECRET_VALUE, ...extra };
}

function expectCode(response: any, code: string): void {
  expect(response).toEqual({ Error: { Code: code, Message: expect.any(String) }, RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
}

async function createDisabled(name: string): Promise<void> {
  await ssm('CreateSecret', createBody(name));
  await ssm('DisableSecret', { SecretName: name });
}

describe('create, describe, get, disable, delete, restore', () => {
  test('CreateSecret, then DescribeSecret (Enabled, DeleteTime 0, no value) and GetSecretValue by version', async () => {
    // GIVEN
    const before = Math.floor(bed.now().getTime() / 1000);

    // WHEN
    const created = await ssm('CreateSecret', createBody('web-1', { KmsKeyId: 'kms-key-1', Description: 'web key' }));
    const described = await ssm('DescribeSecret', { SecretName: 'web-1' });
    const value = await ssm('GetSecretValue', { SecretName: 'web-1', VersionId: 'v1' });

    // THEN
    expect(created).toEqual({ SecretName: 'web-1', VersionId: 'v1', RequestId: expect.any(String) });
    expect(described).toEqual(
      expect.objectContaining({ SecretName: 'web-1', Description: 'web key', KmsKeyId: 'kms-key-1', Status: 'Enabled', DeleteTime: 0, SecretType: 0, CreateUin: expect.any(Number) }),
    );
    expect(described.CreateTime).toBeGreaterThanOrEqual(before);
    expect(JSON.stringify(described)).not.toContain(SECRET_VALUE);
    expect(value).toEqual({ SecretName: 'web-1', VersionId: 'v1', SecretString: SECRET_VALUE, SecretType: 0, RequestId: expect.any(String) });
  });

  test('SecretBinary (base64) comes back as SecretBinary', async () => {
    const binary = Buffer.from('binary key').toString('base64');
    await ssm('CreateSecret', { SecretName: 'bin', VersionId: 'v1', SecretBinary: binary });
    expect(await ssm('GetSecretValue', { SecretName: 'bin', VersionId: 'v1' })).toEqual(expect.objectContaining({ SecretBinary: binary }));
  });

  test('no VersionId: the first version is SSM_Current', async () => {
    const created = await ssm('CreateSecret', { SecretName: 'defaulted', SecretString: 'x' });
    expect(created.VersionId).toBe('SSM_Current');
    expect((await ssm('GetSecretValue', { SecretName: 'defaulted', VersionId: 'SSM_Current' })).SecretString).toBe('x');
  });

  test(`an Enabled secret cannot be deleted (${SSM_DELETE_ENABLED_SECRET_CODE}, the emulator's choice); disabled, it can`, async () => {
    // GIVEN
    await ssm('CreateSecret', createBody('in-use'));

    // WHEN
    const refused = await ssm('DeleteSecret', { SecretName: 'in-use', RecoveryWindowInDays: 0 });
    const disabled = await ssm('DisableSecret', { SecretName: 'in-use' });
    const readDisabled = await ssm('GetSecretValue', { SecretName: 'in-use', VersionId: 'v1' });
    const describedDisabled = await ssm('DescribeSecret', { SecretName: 'in-use' });
    const deleted = await ssm('DeleteSecret', { SecretName: 'in-use', RecoveryWindowInDays: 0 });

    // THEN
    expectCode(refused, SSM_DELETE_ENABLED_SECRET_CODE);
    expect(disabled).toEqual({ RequestId: expect.any(String) });
    expectCode(readDisabled, 'ResourceUnavailable.ResourceDisabled');
    expect(describedDisabled.Status).toBe('Disabled');
    expect(deleted).toEqual({ SecretName: 'in-use', DeleteTime: expect.any(Number), RequestId: expect.any(String) });
    expectCode(await ssm('DescribeSecret', { SecretName: 'in-use' }), 'ResourceNotFound.SecretNotExist');
    expect(bed.emulator.listSecrets('tencentcloud')).toEqual([]);
  });

  test('the recovery window counts on the emulator clock: PendingDelete with its DeleteTime, then gone', async () => {
    // GIVEN
    await createDisabled('windowed');
    const start = Math.floor(bed.now().getTime() / 1000);

    // WHEN
    const deleted = await ssm('DeleteSecret', { SecretName: 'windowed', RecoveryWindowInDays: 3 });
    const pending = await ssm('DescribeSecret', { SecretName: 'windowed' });
    const read = await ssm('GetSecretValue', { SecretName: 'windowed', VersionId: 'v1' });
    const recreated = await ssm('CreateSecret', createBody('windowed'));
    const deletedAgain = await ssm('DeleteSecret', { SecretName: 'windowed', RecoveryWindowInDays: 0 });
    bed.advance(3 * DAY_MS - 60_000);
    const stillPending = await ssm('DescribeSecret', { SecretName: 'windowed' });
    bed.advance(2 * 60_000);
    const gone = await ssm('DescribeSecret', { SecretName: 'windowed' });

    // THEN
    expect(deleted.DeleteTime - start).toBeGreaterThanOrEqual(3 * 86_400 - 2);
    expect(deleted.DeleteTime - start).toBeLessThanOrEqual(3 * 86_400 + 2);
    expect(pending).toEqual(expect.objectContaining({ Status: 'PendingDelete', DeleteTime: deleted.DeleteTime }));
    expectCode(read, 'ResourceUnavailable.ResourcePendingDeleted');
    expectCode(recreated, 'ResourceInUse.SecretExists');
    expectCode(deletedAgain, 'ResourceUnavailable.ResourcePendingDeleted');
    expect(stillPending.Status).toBe('PendingDelete');
    expectCode(gone, 'ResourceNotFound.SecretNotExist');
    expect((await ssm('CreateSecret', createBody('windowed'))).SecretName).toBe('windowed');
  });

  test('RestoreSecret brings a pending secret back Disabled (the emulator\'s choice), and it outlives the old window', async () => {
    // GIVEN
    await createDisabled('restored');
    await ssm('DeleteSecret', { SecretName: 'restored', RecoveryWindowInDays: 30 });

    // WHEN
    const restored = await ssm('RestoreSecret', { SecretName: 'restored' });
    bed.advance(31 * DAY_MS);
    const described = await ssm('DescribeSecret', { SecretName: 'restored' });

    // THEN
    expect(restored).toEqual({ SecretName: 'restored', RequestId: expect.any(String) });
    expect(described).toEqual(expect.objectContaining({ Status: 'Disabled', DeleteTime: 0 }));
    expect(bed.emulator.secretValue('tencentcloud', REGION, 'restored', 'v1')).toBe(SECRET_VALUE);
  });

  test('tags given to CreateSecret are kept (TagCode 0); DescribeSecret answers none, as SSM\'s answer has no tag field', async () => {
    // WHEN
    const created = await ssm('CreateSecret', createBody('tagged', { Tags: [{ TagKey: 'team', TagValue: 'infra' }, { TagKey: 'cdktf:owner', TagValue: 'stack/one' }] }));
    const described = await ssm('DescribeSecret', { SecretName: 'tagged' });

    // THEN
    expect(created).toEqual(expect.objectContaining({ TagCode: 0 }));
    expect(described.Tags).toBeUndefined();
    expect(bed.emulator.listSecrets('tencentcloud')).toEqual([
      expect.objectContaining({ name: 'tagged', scope: REGION, status: 'enabled', tags: { 'team': 'infra', 'cdktf:owner': 'stack/one' } }),
    ]);
  });

  test('secrets are per region', async () => {
    await ssm('CreateSecret', createBody('shared'));
    await ssm('CreateSecret', createBody('shared', { SecretString: 'other' }), { region: 'ap-shanghai' });
    expect(bed.emulator.secretValue('tencentcloud', REGION, 'shared')).toBe(SECRET_VALUE);
    expect(bed.emulator.secretValue('tencentcloud', 'ap-shanghai', 'shared')).toBe('other');
  });
});

describe('refusals, with SSM codes at HTTP 200', () => {
  test('a name taken is ResourceInUse.SecretExists, and the first value stays', async () => {
    await ssm('CreateSecret', createBody('taken'));
    expectCode(await ssm('CreateSecret', createBody('taken', { VersionId: 'v2', SecretString: 'other' })), 'ResourceInUse.SecretExists');
    expect(bed.emulator.secretValue('tencentcloud', REGION, 'taken')).toBe(SECRET_VALUE);
  });

  test.each([
    ['128 characters', 'SecretName', `a${'b'.repeat(126)}-`, undefined],
    ['129 characters', 'SecretName', 'a'.repeat(129), 'InvalidParameterValue'],
    ['a leading underscore', 'SecretName', '_key', 'InvalidParameterValue'],
    ['a slash', 'SecretName', 'ssh/key', 'InvalidParameterValue'],
    ['a dot', 'SecretName', 'ssh.key', 'InvalidParameterValue'],
    ['64 characters', 'VersionId', `v${'1.'.repeat(31)}x`, undefined],
    ['65 characters', 'VersionId', 'v'.repeat(65), 'InvalidParameterValue'],
    ['a leading dot', 'VersionId', '.v1', 'InvalidParameterValue'],
    ['a space', 'VersionId', 'v 1', 'InvalidParameterValue'],
  ])('%s in %s', async (_case, parameter, value, code) => {
    // WHEN
    const answer = await ssm('CreateSecret', createBody('named', { [parameter]: value }));

    // THEN
    if (code === undefined) expect(answer.Error).toBeUndefined();
    else expectCode(answer, code);
  });

  test('an RSA-4096 PKCS#8 PEM fits the 4,096 bytes; 4,097 bytes do not', async () => {
    // GIVEN
    const pem = generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const limit = 'k'.repeat(4096);

    // WHEN
    const stored = await ssm('CreateSecret', createBody('rsa-4096', { SecretString: pem }));
    const atLimit = await ssm('CreateSecret', createBody('at-limit', { SecretString: limit }));
    const over = await ssm('CreateSecret', createBody('over', { SecretString: `${limit}k` }));
    const overBinary = await ssm('CreateSecret', { SecretName: 'over-binary', SecretBinary: Buffer.alloc(3075).toString('base64') });

    // THEN
    expect(Buffer.byteLength(pem)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(pem)).toBeGreaterThan(3000);
    expect(stored.Error).toBeUndefined();
    expect(bed.emulator.secretValue('tencentcloud', REGION, 'rsa-4096', 'v1')).toBe(pem);
    expect(atLimit.Error).toBeUndefined();
    expectCode(over, 'InvalidParameterValue');
    expectCode(overBinary, 'InvalidParameterValue');
  });

  test.each([
    ['both SecretString and SecretBinary', { SecretBinary: 'eA==' }, 'InvalidParameter'],
    ['neither', { SecretString: undefined }, 'InvalidParameter'],
    ['SecretBinary not base64', { SecretString: undefined, SecretBinary: 'not base64!' }, 'InvalidParameterValue'],
    ['an unknown parameter', { Name: 'x' }, 'UnknownParameter'],
    ['a tag key twice', { Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] }, 'InvalidParameterValue.TagKeysDuplicated'],
    ['a reserved tag key', { Tags: [{ TagKey: 'qcloud:x', TagValue: '1' }] }, 'InvalidParameterValue'],
    ['51 tags', { Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' })) }, 'LimitExceeded'],
  ])('CreateSecret with %s: %s, nothing stored', async (_case, extra, code) => {
    expectCode(await ssm('CreateSecret', createBody('refused', extra)), code);
    expect(bed.emulator.listSecrets('tencentcloud')).toEqual([]);
  });

  test.each([
    ['DescribeSecret', {}],
    ['GetSecretValue', { VersionId: 'v1' }],
    ['DisableSecret', {}],
    ['DeleteSecret', { RecoveryWindowInDays: 0 }],
    ['RestoreSecret', {}],
  ])('%s of an unknown secret: ResourceNotFound.SecretNotExist', async (action, extra) => {
    expectCode(await ssm(action, { SecretName: 'nowhere', ...extra }), 'ResourceNotFound.SecretNotExist');
  });

  test('GetSecretValue of an unknown version: ResourceNotFound; without VersionId: MissingParameter', async () => {
    await ssm('CreateSecret', createBody('versions'));
    expectCode(await ssm('GetSecretValue', { SecretName: 'versions', VersionId: 'v9' }), 'ResourceNotFound');
    expectCode(await ssm('GetSecretValue', { SecretName: 'versions' }), 'MissingParameter');
  });

  test.each([
    ['31 days', { RecoveryWindowInDays: 31 }, 'InvalidParameterValue'],
    ['-1 days', { RecoveryWindowInDays: -1 }, 'InvalidParameterValue'],
    ['no window', {}, 'MissingParameter'],
  ])('DeleteSecret with %s: %s, and the secret stays', async (_case, extra, code) => {
    await createDisabled('kept');
    expectCode(await ssm('DeleteSecret', { SecretName: 'kept', ...extra }), code);
    expect(bed.emulator.listSecrets('tencentcloud')).toEqual([expect.objectContaining({ name: 'kept', status: 'disabled' })]);
  });

  test('the quota: LimitExceeded once the region holds secretQuotaPerRegion secrets', async () => {
    const small = await startEmulator({ secretQuotaPerRegion: 1 });
    const previous = bed.emulator;
    bed.emulator = small;
    try {
      expect((await ssm('CreateSecret', createBody('one'))).Error).toBeUndefined();
      expectCode(await ssm('CreateSecret', createBody('two')), 'LimitExceeded');
    } finally {
      bed.emulator = previous;
      await small.stop();
    }
  });

  test('signature, region, version and product checks', async () => {
    expectCode(await ssm('CreateSecret', createBody('x'), { secretKey: 'not-the-secret' }), 'AuthFailure.SignatureFailure');
    expectCode(await ssm('CreateSecret', createBody('x'), { region: '' }), 'MissingParameter');
    expectCode(await ssm('CreateSecret', createBody('x'), { version: '2017-03-12' }), 'NoSuchVersion');
    expectCode(await ssm('CreateSecret', createBody('x'), { service: 'cvm', version: '2017-03-12' }), 'InvalidAction');
    expectCode(await ssm('DescribeKeyPairs', {}), 'InvalidAction');
    expect(bed.emulator.listSecrets('tencentcloud')).toEqual([]);
  });
});

describe('faults on SSM actions', () => {
  const ACTIONS: ReadonlyArray<[string, Record<string, unknown>]> = [
    ['CreateSecret', createBody('faulted-new')],
    ['DescribeSecret', { SecretName: 'faulted' }],
    ['GetSecretValue', { SecretName: 'faulted', VersionId: 'v1' }],
    ['DisableSecret', { SecretName: 'faulted' }],
    ['DeleteSecret', { SecretName: 'faulted', RecoveryWindowInDays: 0 }],
    ['RestoreSecret', { SecretName: 'faulted' }],
  ];

  beforeEach(async () => {
    // Left enabled: DeleteSecret then answers its refusal, which is still the action's own answer.
    await ssm('CreateSecret', createBody('faulted'));
  });

  test.each(ACTIONS)('%s: throttle is RequestLimitExceeded, server-error InternalError, both at HTTP 200, then it runs', async (action, body) => {
    // GIVEN
    bed.emulator.injectFault({ cloud: 'tencentcloud', action, kind: 'throttle' });
    bed.emulator.injectFault({ cloud: 'tencentcloud', action, kind: 'server-error' });

    // WHEN
    const throttled = await ssm(action, body);
    const failed = await ssm(action, body);
    await ssm(action, body);

    // THEN
    expectCode(throttled, 'RequestLimitExceeded');
    expectCode(failed, 'InternalError');
    expect(bed.emulator.requests('tencentcloud').slice(-3)).toEqual([
      expect.objectContaining({ action, status: 200, handled: false, fault: 'throttle' }),
      expect.objectContaining({ action, status: 200, handled: false, fault: 'server-error' }),
      expect.objectContaining({ action, status: 200, handled: true }),
    ]);
  });

  test.each(ACTIONS)('%s: denied is AuthFailure.UnauthorizedOperation at HTTP 200, naming ssm:<action>, and changes nothing', async (action, body) => {
    // GIVEN
    bed.emulator.injectFault({ cloud: 'tencentcloud', action, kind: 'denied' });
    const before = bed.emulator.listSecrets('tencentcloud');

    // WHEN
    const denied = await ssm(action, body);

    // THEN
    expectCode(denied, 'AuthFailure.UnauthorizedOperation');
    expect(denied.Error.Message).toContain(`(ssm:${action})`);
    expect(bed.emulator.listSecrets('tencentcloud')).toEqual(before);
    expect(bed.emulator.requests('tencentcloud').slice(-1)).toEqual([expect.objectContaining({ action, status: 200, handled: false, fault: 'denied' })]);
  });

  test.each(ACTIONS)('%s: drop-connection before the action changes nothing; malformed-body is a cut 200', async (action, body) => {
    // GIVEN
    bed.emulator.injectFault({ cloud: 'tencentcloud', action, kind: 'drop-connection' });
    bed.emulator.injectFault({ cloud: 'tencentcloud', action, kind: 'malformed-body' });
    const before = bed.emulator.listSecrets('tencentcloud');

    // WHEN
    const dropped = await sendSsm(action, body).then(
      () => undefined,
      (err: unknown) => err,
    );
    const malformed = await sendSsm(action, body);

    // THEN
    expect(dropped).toBeInstanceOf(TransportFailure);
    expect(() => JSON.parse(malformed.body)).toThrow();
    expect(bed.emulator.listSecrets('tencentcloud')).toEqual(before);
  });

  test('drop-connection after CreateSecret: the secret exists; the resend is ResourceInUse.SecretExists', async () => {
    bed.emulator.injectFault({ cloud: 'tencentcloud', action: 'CreateSecret', kind: 'drop-connection', afterAction: true });
    await expect(sendSsm('CreateSecret', createBody('lost'))).rejects.toBeInstanceOf(TransportFailure);
    expectCode(await ssm('CreateSecret', createBody('lost')), 'ResourceInUse.SecretExists');
    expect(bed.emulator.secretValue('tencentcloud', REGION, 'lost', 'v1')).toBe(SECRET_VALUE);
  });

  test('server-error after DisableSecret: the secret is disabled though the answer was an error', async () => {
    bed.emulator.injectFault({ cloud: 'tencentcloud', action: 'DisableSecret', kind: 'server-error', afterAction: true });
    expectCode(await ssm('DisableSecret', { SecretName: 'faulted' }), 'InternalError');
    expect((await ssm('DescribeSecret', { SecretName: 'faulted' })).Status).toBe('Disabled');
  });

  test('a held DeleteSecret lands when released, after the test acted meanwhile', async () => {
    // GIVEN
    await ssm('DisableSecret', { SecretName: 'faulted' });
    bed.emulator.injectFault({ cloud: 'tencentcloud', action: 'DeleteSecret', kind: 'latency', hold: true });

    // WHEN
    const pending = ssm('DeleteSecret', { SecretName: 'faulted', RecoveryWindowInDays: 0 });
    await waitUntil(() => bed.emulator.heldRequests('tencentcloud') === 1, 'the store holds the request', 1_000, 5);
    const meanwhile = await ssm('DescribeSecret', { SecretName: 'faulted' });
    bed.emulator.releaseHeldRequests('tencentcloud');

    // THEN
    expect(meanwhile.Status).toBe('Disabled');
    expect((await pending).SecretName).toBe('faulted');
    expect(bed.emulator.listSecrets('tencentcloud')).toEqual([]);
  });
});

describe('journal, logs and environment', () => {
  test('the journal names the secret of each SSM request, never its value; log lines hold no value', async () => {
    // WHEN
    await ssm('CreateSecret', createBody('journaled'));
    await ssm('GetSecretValue', { SecretName: 'journaled', VersionId: 'v1' });
    await ssm('DisableSecret', { SecretName: 'journaled' });

    // THEN
    expect(bed.emulator.requests('tencentcloud')).toEqual([
      { cloud: 'tencentcloud', action: 'CreateSecret', status: 200, handled: true, keyPairNames: [], secretNames: ['journaled'] },
      { cloud: 'tencentcloud', action: 'GetSecretValue', status: 200, handled: true, keyPairNames: [], secretNames: ['journaled'] },
      { cloud: 'tencentcloud', action: 'DisableSecret', status: 200, handled: true, keyPairNames: [], secretNames: ['journaled'] },
    ]);
    expect(JSON.stringify(bed.emulator.requests())).not.toContain(SECRET_VALUE);
    expect(bed.logLines).toHaveLength(3);
    expect(bed.logLines.join('\n')).not.toContain(SECRET_VALUE);
  });

  test('GET secrets on the Tencent port lists the secrets without values', async () => {
    await ssm('CreateSecret', createBody('inspected'));
    const listed = await sendHttpRequest({ method: 'GET', url: new URL('/_emulator/secrets', bed.emulator.endpoints.tencentcloud), headers: {}, timeoutMs: 5_000 });
    expect(JSON.parse(listed.body)).toEqual({ cloud: 'tencentcloud', secrets: [expect.objectContaining({ name: 'inspected', scope: REGION })] });
    expect(listed.body).not.toContain(SECRET_VALUE);
  });

  test('handlerEnvironment points CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT at the Tencent port', () => {
    expect(bed.emulator.handlerEnvironment().CDKTF_KEYPAIR_TENCENTCLOUD_SSM_ENDPOINT).toBe(bed.emulator.endpoints.tencentcloud);
  });
});
