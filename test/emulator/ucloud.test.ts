import { generateKeyPairSync } from 'node:crypto';
import * as sshpk from 'sshpk';
import type { EmulatorCredential } from '../../emulator/cloud-emulator';
import { RunningCloudServer, startCloudServer } from '../../emulator/cloud-server';
import { ucloudEmulator } from '../../emulator/clouds/ucloud';
import { FaultQueue } from '../../emulator/faults';
import { startEmulator } from '../../emulator/index';
import { canonicalOpenSsh, md5Hex } from '../../emulator/key-material';
import { EmulatorState } from '../../emulator/key-pair-store';
import { SecretValue } from '../../handler/clouds/credentials';
import {
  createKeyPair,
  deleteKeyPairs,
  describeKeyPairs,
  describeKeyPairsByName,
  importKeyPair,
  resolveUcloudEndpoint,
  signedUcloudParams,
  ucloudCredentialsFromEnv,
  UcloudClientOptions,
  UcloudParamValue,
} from '../../handler/clouds/ucloud';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { INSTANT_RETRY_CLOCK } from '../support/retry-clocks';

const CREDENTIAL: EmulatorCredential = { accessKeyId: 'test-public-key', accessKeySecret: 'test-private-key' };
const STS_CREDENTIAL: EmulatorCredential = { accessKeyId: 'sts-public-key', accessKeySecret: 'sts-private-key', securityToken: 'sts-token' };

interface Harness {
  readonly url: string;
  readonly state: EmulatorState;
  readonly faults: FaultQueue;
  /** Moves the emulator's clock. */
  advanceClock(ms: number): void;
}

let server: RunningCloudServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The UCloud module behind the emulator's own HTTP server, with an in-memory store. */
async function startUcloud(quotaPerScope = 500): Promise<Harness> {
  const state = new EmulatorState();
  const faults = new FaultQueue();
  let clockOffset = 0;
  let counter = 0;
  server = await startCloudServer({
    emulator: ucloudEmulator,
    state,
    faults,
    host: '127.0.0.1',
    port: 0,
    context: {
      credentials: [CREDENTIAL, STS_CREDENTIAL],
      quotaPerScope,
      now: () => new Date(Date.now() + clockOffset),
      randomUuid: () => `${(++counter).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    },
  });
  return { url: server.url, state, faults, advanceClock: (ms) => void (clockOffset += ms) };
}

function client(harness: Harness, overrides: Partial<UcloudClientOptions> = {}): UcloudClientOptions {
  return {
    region: 'cn-bj2',
    projectId: 'org-team',
    endpoint: harness.url,
    credentials: { accessKeyId: CREDENTIAL.accessKeyId, accessKeySecret: new SecretValue(CREDENTIAL.accessKeySecret) },
    clock: INSTANT_RETRY_CLOCK,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ...overrides,
  };
}

function ed25519PublicKey(comment = 'ci@example'): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return `${canonicalOpenSsh(sshpk.parseKey(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'pem'))} ${comment}`;
}

/** Sends raw signed parameters, to see the exact envelope. */
async function rawCall(
  harness: Harness,
  params: Record<string, UcloudParamValue>,
  credential: EmulatorCredential = CREDENTIAL,
  tamper: (signed: Record<string, string>) => Record<string, string> = (signed) => signed,
): Promise<{ status: number; requestId: string | null; body: Record<string, unknown> }> {
  const signed = signedUcloudParams({
    params,
    publicKey: credential.accessKeyId,
    privateKey: credential.accessKeySecret,
    securityToken: credential.securityToken,
  });
  const response = await fetch(harness.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(tamper(signed)).toString(),
  });
  return { status: response.status, requestId: response.headers.get('x-ucloud-request-uuid'), body: (await response.json()) as Record<string, unknown> };
}

describe('UCloud emulator: the client round trip over HTTP', () => {
  test('create → describe → delete with a real RSA 2048 key', async () => {
    // GIVEN
    const harness = await startUcloud();
    const options = client(harness);

    // WHEN
    const created = await createKeyPair(options, { keyPairName: 'bastion' });
    const described = await describeKeyPairsByName(options, 'bastion');

    // THEN the private key is real, and its public half is what the emulator stored
    const privateKey = sshpk.parsePrivateKey(created.privateKey.reveal(), 'pem');
    expect(privateKey.type).toBe('rsa');
    expect(privateKey.size).toBe(2048);
    const [stored] = harness.state.listKeyPairs('ucloud');
    expect(stored.scope).toBe('cn-bj2/org-team');
    expect(canonicalOpenSsh(privateKey.toPublic())).toBe(stored.publicKey);
    // AND describe agrees with create, with the documented fingerprint md5(ProjectId|KeyPairId|PublicKey)
    expect(created.keyPairId).toMatch(/^uhostkp-[0-9a-f]{8}$/);
    expect(created.fingerprint).toBe(md5Hex(`org-team|${created.keyPairId}|${stored.publicKey}`));
    expect(described).toEqual([
      { keyPairId: created.keyPairId, keyPairName: 'bastion', fingerprint: created.fingerprint, projectId: 'org-team', createTime: created.createTime },
    ]);

    // WHEN deleted
    await deleteKeyPairs(options, { keyPairIds: [created.keyPairId] });

    // THEN
    expect(await describeKeyPairsByName(options, 'bastion')).toEqual([]);
    expect(harness.state.listKeyPairs('ucloud')).toEqual([]);
  });

  test('import → describe → delete, and the default project when no ProjectId is sent', async () => {
    // GIVEN
    const harness = await startUcloud();
    const options = client(harness, { projectId: undefined });
    const publicKey = ed25519PublicKey();

    // WHEN
    const imported = await importKeyPair(options, { keyPairName: 'ci', publicKey });
    const page = await describeKeyPairs(options, { fingerprint: imported.fingerprint });

    // THEN
    const [stored] = harness.state.listKeyPairs('ucloud');
    expect(stored.publicKey).toBe(publicKey.split(' ').slice(0, 2).join(' '));
    expect(stored.scope).toBe('cn-bj2/org-default');
    expect(imported.fingerprint).toBe(md5Hex(`org-default|${imported.keyPairId}|${stored.publicKey}`));
    expect(page.totalCount).toBe(1);
    expect(page.keyPairs[0]).toMatchObject({ keyPairId: imported.keyPairId, keyPairName: 'ci', projectId: 'org-default' });

    // WHEN
    await deleteKeyPairs(options, { keyPairIds: [imported.keyPairId] });

    // THEN
    expect((await describeKeyPairs(options)).totalCount).toBe(0);
  });

  test('pages with Offset/Limit and TotalCount; key pairs are scoped by region and project', async () => {
    // GIVEN 25 pairs in one scope and one in another project
    const harness = await startUcloud();
    const options = client(harness);
    const publicKey = ed25519PublicKey();
    for (let i = 0; i < 25; i++) await importKeyPair(options, { keyPairName: `node-${i}`, publicKey });
    await importKeyPair(client(harness, { projectId: 'org-other' }), { keyPairName: 'node-0', publicKey });

    // WHEN
    const defaultPage = await describeKeyPairs(options);
    const lastPage = await describeKeyPairs(options, { offset: 20, limit: 100 });
    const otherRegion = await describeKeyPairs(client(harness, { region: 'cn-sh2' }));

    // THEN
    expect(defaultPage.keyPairs).toHaveLength(20);
    expect(defaultPage.totalCount).toBe(25);
    expect(lastPage.keyPairs.map((keyPair) => keyPair.keyPairName)).toEqual(['node-20', 'node-21', 'node-22', 'node-23', 'node-24']);
    expect(otherRegion.totalCount).toBe(0);
  });

  test('accepts JSON bodies (as the JS SDK sends) and GET query strings', async () => {
    // GIVEN
    const harness = await startUcloud();
    const signed = signedUcloudParams({
      params: { Action: 'DescribeUHostKeyPairs', Region: 'cn-bj2', Limit: 5 },
      publicKey: CREDENTIAL.accessKeyId,
      privateKey: CREDENTIAL.accessKeySecret,
    });

    // WHEN
    const json = await fetch(harness.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...signed, Limit: 5 }),
    });
    const query = await fetch(`${harness.url}/?${new URLSearchParams(signed).toString()}`);

    // THEN
    expect(await json.json()).toEqual({ Action: 'DescribeUHostKeyPairsResponse', RetCode: 0, KeyPairs: [], TotalCount: 0 });
    expect(await query.json()).toEqual({ Action: 'DescribeUHostKeyPairsResponse', RetCode: 0, KeyPairs: [], TotalCount: 0 });
  });

  test('injected throttling (RetCode 153) is retried by the client, even for a create', async () => {
    // GIVEN
    const harness = await startUcloud();
    harness.faults.add({ cloud: 'ucloud', action: 'CreateUHostKeyPair', kind: 'throttle', count: 2 });
    const lines: string[] = [];

    // WHEN
    const created = await createKeyPair(client(harness, { log: (line) => lines.push(line) }), { keyPairName: 'flaky' });

    // THEN
    expect(created.keyPairName).toBe('flaky');
    expect(lines.filter((line) => line.includes('retrying'))).toEqual([
      expect.stringContaining('failed with 153'),
      expect.stringContaining('failed with 153'),
    ]);
    expect(harness.state.listKeyPairs('ucloud')).toHaveLength(1);
  });

  test('an injected 503 is retried for a describe, but a create is not sent again', async () => {
    // GIVEN
    const harness = await startUcloud();
    harness.faults.add({ cloud: 'ucloud', action: 'DescribeUHostKeyPairs', kind: 'server-error', count: 1 });
    harness.faults.add({ cloud: 'ucloud', action: 'CreateUHostKeyPair', kind: 'server-error', count: 1 });

    // WHEN
    const described = await describeKeyPairs(client(harness), {});
    const createError = await createKeyPair(client(harness), { keyPairName: 'unsure' }).catch((e: unknown) => e);

    // THEN
    expect(described.keyPairs).toEqual([]);
    expect(createError).toMatchObject({ code: '150', httpStatus: 503, retryable: false });
    expect((createError as Error).message).toContain('look the key pair up by name');
    expect(harness.faults.pending()).toEqual([]);
  });
});

describe('UCloud emulator: authentication', () => {
  test('a wrong signature gets RetCode 171 in the envelope, with a request id header', async () => {
    // GIVEN
    const harness = await startUcloud();

    // WHEN
    const answer = await rawCall(harness, { Action: 'CreateUHostKeyPair', Region: 'cn-bj2', KeyPairName: 'x' }, {
      ...CREDENTIAL,
      accessKeySecret: 'not-the-private-key',
    });

    // THEN
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ Action: 'CreateUHostKeyPairResponse', RetCode: 171, Message: 'Signature VerifyAC Error' });
    expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(harness.state.listKeyPairs('ucloud')).toEqual([]);
  });

  test('a tampered parameter breaks the signature (171)', async () => {
    // GIVEN
    const harness = await startUcloud();

    // WHEN
    const answer = await rawCall(harness, { Action: 'CreateUHostKeyPair', Region: 'cn-bj2', KeyPairName: 'a' }, CREDENTIAL, (signed) => ({
      ...signed,
      KeyPairName: 'b',
    }));

    // THEN
    expect(answer.body.RetCode).toBe(171);
  });

  test('an unknown public key gets 172 and a missing signature 170', async () => {
    // GIVEN
    const harness = await startUcloud();
    const params = { Action: 'DescribeUHostKeyPairs', Region: 'cn-bj2' };

    // WHEN
    const unknown = await rawCall(harness, params, { accessKeyId: 'nobody', accessKeySecret: 'whatever' });
    const unsigned = await rawCall(harness, params, CREDENTIAL, ({ Signature: _omitted, ...rest }) => rest);

    // THEN
    expect(unknown.body).toEqual({ Action: 'DescribeUHostKeyPairsResponse', RetCode: 172, Message: 'User not exist' });
    expect(unsigned.body).toEqual({ Action: 'DescribeUHostKeyPairsResponse', RetCode: 170, Message: 'Missing signature' });
  });

  test('the client gets the same codes as CloudApiErrors, not retried', async () => {
    // GIVEN
    const harness = await startUcloud();
    const wrongKey = client(harness, { credentials: { accessKeyId: CREDENTIAL.accessKeyId, accessKeySecret: new SecretValue('wrong') } });
    const lines: string[] = [];

    // WHEN
    const err = await caughtCloudApiError(describeKeyPairs({ ...wrongKey, log: (line) => lines.push(line) }));

    // THEN
    expect(err.code).toBe('171');
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toMatch(/UCLOUD_PRIVATE_KEY/);
    expect(lines).toHaveLength(1);
  });

  test('an STS token is accepted when right, and a wrong or missing token gets 174', async () => {
    // GIVEN
    const harness = await startUcloud();
    const withToken = (token?: string) =>
      client(harness, {
        credentials: {
          accessKeyId: STS_CREDENTIAL.accessKeyId,
          accessKeySecret: new SecretValue(STS_CREDENTIAL.accessKeySecret),
          ...(token ? { securityToken: new SecretValue(token) } : {}),
        },
      });

    // WHEN
    const accepted = await describeKeyPairs(withToken('sts-token'));
    const wrong = await caughtCloudApiError(describeKeyPairs(withToken('stale-token')));
    const missing = await caughtCloudApiError(describeKeyPairs(withToken(undefined)));
    const unexpected = await caughtCloudApiError(
      describeKeyPairs(client(harness, { credentials: { ...client(harness).credentials, securityToken: new SecretValue('sts-token') } })),
    );

    // THEN
    expect(accepted.totalCount).toBe(0);
    expect([wrong.code, missing.code, unexpected.code]).toEqual(['174', '174', '174']);
  });

  test('no expired-timestamp check: UCloud signs no timestamp, so a request replayed a day later is accepted', async () => {
    // GIVEN a signed request, and the emulator's clock moved a day ahead
    const harness = await startUcloud();
    const params = { Action: 'DescribeUHostKeyPairs', Region: 'cn-bj2' };
    const first = await rawCall(harness, params);
    harness.advanceClock(24 * 60 * 60 * 1000);

    // WHEN the very same parameters arrive again
    const replayed = await rawCall(harness, params);

    // THEN both succeed: UCloud's scheme has nothing that could expire (stale and fresh are the same signature)
    expect(first.body.RetCode).toBe(0);
    expect(replayed.body.RetCode).toBe(0);
  });

  test('a missing Action gets 160 and an unknown one 161', async () => {
    // GIVEN
    const harness = await startUcloud();

    // WHEN
    const missing = await rawCall(harness, { Region: 'cn-bj2' });
    const unknown = await rawCall(harness, { Action: 'CreateKeyPair', Region: 'cn-bj2' });

    // THEN
    expect(missing.body).toMatchObject({ RetCode: 160, Message: 'Missing Action' });
    expect(unknown.body).toEqual({ Action: 'CreateKeyPairResponse', RetCode: 161, Message: 'Action [CreateKeyPair] not found' });
  });
});

describe('UCloud emulator: rules and error codes', () => {
  test('names are 1–63 characters (Chinese allowed); 64 characters get 230', async () => {
    // GIVEN
    const harness = await startUcloud();
    const publicKey = ed25519PublicKey();
    const options = client(harness);

    // WHEN
    const longest = await importKeyPair(options, { keyPairName: 'k'.repeat(63), publicKey });
    const chinese = await importKeyPair(options, { keyPairName: '堡垒机密钥', publicKey });
    const tooLong = await caughtCloudApiError(importKeyPair(options, { keyPairName: 'k'.repeat(64), publicKey }));
    const empty = await rawCall(harness, { Action: 'CreateUHostKeyPair', Region: 'cn-bj2' });

    // THEN
    expect(longest.keyPairName).toHaveLength(63);
    expect(chinese.keyPairName).toBe('堡垒机密钥');
    expect(tooLong.code).toBe('230');
    expect(tooLong.cloudMessage).toBe('Params [KeyPairName] not valid: must be 1-63 characters');
    expect(empty.body).toEqual({ Action: 'CreateUHostKeyPairResponse', RetCode: 230, Message: 'Missing params [KeyPairName]' });
  });

  test('a duplicate name in the same region and project gets 8510 (emulator code)', async () => {
    // GIVEN
    const harness = await startUcloud();
    const options = client(harness);
    await importKeyPair(options, { keyPairName: 'dup', publicKey: ed25519PublicKey() });

    // WHEN
    const err = await caughtCloudApiError(createKeyPair(options, { keyPairName: 'dup' }));
    const elsewhere = await importKeyPair(client(harness, { projectId: 'org-other' }), { keyPairName: 'dup', publicKey: ed25519PublicKey() });

    // THEN
    expect(err.code).toBe('8510');
    expect(err.cloudMessage).toBe('KeyPair name [dup] already exists');
    expect(err.message).toMatch(/already exists in this region and project/);
    expect(elsewhere.keyPairName).toBe('dup');
  });

  test('the quota per region and project gets 8095', async () => {
    // GIVEN a quota of two
    const harness = await startUcloud(2);
    const options = client(harness);
    const publicKey = ed25519PublicKey();
    await importKeyPair(options, { keyPairName: 'one', publicKey });
    await importKeyPair(options, { keyPairName: 'two', publicKey });

    // WHEN
    const answer = await rawCall(harness, { Action: 'ImportUHostKeyPairs', Region: 'cn-bj2', ProjectId: 'org-team', KeyPairName: 'three', PublicKeyBody: publicKey });
    const otherProject = await importKeyPair(client(harness, { projectId: 'org-other' }), { keyPairName: 'three', publicKey });

    // THEN
    expect(answer.body).toEqual({ Action: 'ImportUHostKeyPairsResponse', RetCode: 8095, Message: 'KeyPair quota exceeded (2 per project and region)' });
    expect(otherProject.keyPairName).toBe('three');
  });

  test('a malformed public key gets 8511 and an unsupported (DSA) key 8512', async () => {
    // GIVEN
    const harness = await startUcloud();
    const options = client(harness);
    const { publicKey: dsa } = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 });
    const dsaOpenSsh = sshpk.parseKey(dsa.export({ type: 'spki', format: 'pem' }).toString(), 'pem').toString('ssh');

    // WHEN
    const malformed = await caughtCloudApiError(importKeyPair(options, { keyPairName: 'bad', publicKey: 'ssh-rsa not-base64!!' }));
    const multiLine = await caughtCloudApiError(importKeyPair(options, { keyPairName: 'bad', publicKey: `${ed25519PublicKey()}\n${ed25519PublicKey()}` }));
    const unsupported = await caughtCloudApiError(importKeyPair(options, { keyPairName: 'dsa', publicKey: dsaOpenSsh }));
    const missing = await rawCall(harness, { Action: 'ImportUHostKeyPairs', Region: 'cn-bj2', KeyPairName: 'none' });

    // THEN
    expect([malformed.code, multiLine.code, unsupported.code]).toEqual(['8511', '8511', '8512']);
    expect(unsupported.cloudMessage).toMatch(/dsa is not supported/);
    expect(missing.body.RetCode).toBe(230);
    expect(harness.state.listKeyPairs('ucloud')).toEqual([]);
  });

  test('deleting an unknown id gets 8513 and deletes nothing', async () => {
    // GIVEN
    const harness = await startUcloud();
    const options = client(harness);
    const kept = await importKeyPair(options, { keyPairName: 'kept', publicKey: ed25519PublicKey() });

    // WHEN
    const err = await caughtCloudApiError(deleteKeyPairs(options, { keyPairIds: [kept.keyPairId, 'uhostkp-00000000'] }));
    const noIds = await rawCall(harness, { Action: 'DeleteUHostKeyPairs', Region: 'cn-bj2' });

    // THEN
    expect(err.code).toBe('8513');
    expect(err.cloudMessage).toBe('KeyPair [uhostkp-00000000] not found');
    expect(noIds.body.RetCode).toBe(230);
    expect(harness.state.listKeyPairs('ucloud').map((keyPair) => keyPair.id)).toEqual([kept.keyPairId]);
  });

  test('a page size over 100 (or a negative offset) gets 230', async () => {
    // GIVEN
    const harness = await startUcloud();
    const options = client(harness);

    // WHEN
    const overLimit = await caughtCloudApiError(describeKeyPairs(options, { limit: 101 }));
    const negative = await caughtCloudApiError(describeKeyPairs(options, { offset: -1 }));
    const atLimit = await describeKeyPairs(options, { limit: 100 });

    // THEN
    expect(overLimit.code).toBe('230');
    expect(overLimit.cloudMessage).toBe('Params [Limit] not valid: must be between 1 and 100');
    expect(negative.code).toBe('230');
    expect(atLimit.totalCount).toBe(0);
  });

  test('a request without Region gets 230', async () => {
    // GIVEN
    const harness = await startUcloud();

    // WHEN
    const answer = await rawCall(harness, { Action: 'DescribeUHostKeyPairs' });

    // THEN
    expect(answer.body).toEqual({ Action: 'DescribeUHostKeyPairsResponse', RetCode: 230, Message: 'Missing params [Region]' });
  });
});

describe('UCloud emulator: through the shared server (startEmulator)', () => {
  test('the handler environment reaches it; a dropped connection is retried, a malformed body reported; reset forgets all', async () => {
    // GIVEN the three-cloud emulator, and a client configured only from the environment it hands out
    const emulator = await startEmulator();
    try {
      const env = emulator.handlerEnvironment();
      const options: UcloudClientOptions = {
        region: 'cn-bj2',
        credentials: ucloudCredentialsFromEnv(env),
        endpoint: resolveUcloudEndpoint(undefined, env),
        clock: INSTANT_RETRY_CLOCK,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, requestTimeoutMs: 5000 },
      };
      emulator.injectFault({ cloud: 'ucloud', action: 'DescribeUHostKeyPairs', kind: 'drop-connection' });
      emulator.injectFault({ cloud: 'ucloud', action: 'DescribeUHostKeyPairs', kind: 'malformed-body' });

      // WHEN
      const created = await createKeyPair(options, { keyPairName: 'shared' });
      const createdFailure = await caughtCloudApiError(createKeyPair(options, { keyPairName: 'shared' }));
      const malformed = await caughtCloudApiError(describeKeyPairsByName(options, 'shared'));
      const described = await describeKeyPairsByName(options, 'shared');

      // THEN
      expect(options.endpoint).toBe(emulator.endpoints.ucloud);
      expect(createdFailure.code).toBe('8510');
      // The drop was retried; the truncated HTTP 200 body is reported, not retried (a 200 is not transient)
      expect(malformed.code).toBe('MalformedResponse');
      expect(described.map((keyPair) => keyPair.keyPairId)).toEqual([created.keyPairId]);
      expect(emulator.listKeyPairs('ucloud')).toEqual([expect.objectContaining({ id: created.keyPairId, scope: 'cn-bj2/org-default' })]);
      expect(emulator.pendingFaults()).toEqual([]);

      // WHEN
      await deleteKeyPairs(options, { keyPairIds: [created.keyPairId] });
      await createKeyPair(options, { keyPairName: 'again' });
      emulator.reset();

      // THEN
      expect(emulator.listKeyPairs('ucloud')).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });
});
