import { ChildProcess, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmulatorReady, spawnEmulatorBin } from './bin';
import type { EmulatorCredential } from '../../emulator/cloud-emulator';
import { RunningCloudServer, startCloudServer } from '../../emulator/cloud-server';
import { createUcloudEmulator, EMULATOR_RET_CODES, UCLOUD_DOCUMENTED_RET_CODES, UcloudEmulatorSettings } from '../../emulator/clouds/ucloud';
import { FaultQueue } from '../../emulator/faults';
import { startEmulator } from '../../emulator/index';
import { generateRsaKeyPair, md5Hex } from '../../emulator/key-material';
import { EmulatorState } from '../../emulator/key-pair-store';
import { RequestJournal } from '../../emulator/request-journal';
import type { CloudConnection } from '../../handler/clouds/cloud-connection';
import { SecretValue } from '../../handler/clouds/credentials';
import { keyPairApiFor } from '../../handler/clouds/factory';
import { createUcloudKeyPairApi, isDocumentedUcloudRetCode, signedUcloudParams, UcloudParamValue } from '../../handler/clouds/ucloud';
import { NAME_RULES } from '../../src/contract';
import { caughtCloudApiError } from '../support/cloud-api-errors';
import { INSTANT_RETRY_CLOCK } from '../support/retry-clocks';
import { sshKeygenFingerprint, sshKeygenKeyPair, sshKeygenPublicKeyOf } from '../support/ssh-keygen';

const CREDENTIAL: EmulatorCredential = { accessKeyId: 'test-public-key', accessKeySecret: 'test-private-key' };
const STS_CREDENTIAL: EmulatorCredential = { accessKeyId: 'sts-public-key', accessKeySecret: 'sts-private-key', securityToken: 'sts-token' };
// Built by `npx projen bundle` (run before jest by `npx projen test`).

interface Harness {
  readonly url: string;
  readonly state: EmulatorState;
  readonly faults: FaultQueue;
  readonly journal: RequestJournal;
  /** Moves the emulator's clock. */
  advanceClock(ms: number): void;
}

let server: RunningCloudServer | undefined;
let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ucloud-emulator-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The UCloud module behind the emulator's own HTTP server, with an in-memory store. */
async function startUcloud(settings: Partial<UcloudEmulatorSettings> = {}, quotaPerScope = 500): Promise<Harness> {
  const state = new EmulatorState();
  const faults = new FaultQueue();
  let clockOffset = 0;
  let counter = 0;
  const journal = new RequestJournal();
  server = await startCloudServer({
    emulator: createUcloudEmulator(settings),
    state,
    faults,
    journal,
    host: '127.0.0.1',
    port: 0,
    context: {
      credentials: [CREDENTIAL, STS_CREDENTIAL],
      quotaPerScope,
      now: () => new Date(Date.now() + clockOffset),
      randomUuid: () => `${(++counter).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      newRsaKeyPair: generateRsaKeyPair,
    },
  });
  return { url: server.url, state, faults, journal, advanceClock: (ms) => void (clockOffset += ms) };
}

function connection(harness: Harness, overrides: Partial<CloudConnection> = {}): CloudConnection {
  return {
    region: 'cn-bj2',
    scope: 'org-team',
    endpoint: new URL(harness.url),
    credentials: { accessKeyId: CREDENTIAL.accessKeyId, accessKeySecret: new SecretValue(CREDENTIAL.accessKeySecret) },
    clock: INSTANT_RETRY_CLOCK,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ...overrides,
  };
}

function apiOf(harness: Harness, overrides: Partial<CloudConnection> = {}) {
  return createUcloudKeyPairApi(connection(harness, overrides));
}

/** Sends raw signed parameters, to see the exact envelope the emulator answers. */
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

/** Writes a private key where ssh-keygen can read it (0600, as ssh insists). */
function keyFile(privateKey: string): string {
  const file = path.join(scratch, `key-${fs.readdirSync(scratch).length}.pem`);
  fs.writeFileSync(file, privateKey, { mode: 0o600 });
  return file;
}

/** `ssh-keygen -l` on a private key file: its size in bits and SHA256 fingerprint. */
function sshKeygenSizeAndFingerprint(file: string): { bits: number; sha256: string; type: string } {
  const [bits, sha256, ...rest] = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' }).trim().split(' ');
  return { bits: Number(bits), sha256, type: rest[rest.length - 1] };
}

describe('UCloud emulator: round trips through the KeyPairApi', () => {
  test('create → find → describe → delete, with the documented fingerprint md5(ProjectId|KeyPairId|PublicKey)', async () => {
    // GIVEN
    const harness = await startUcloud();
    const api = apiOf(harness);

    // WHEN
    const created = await api.create({ name: 'bastion' });
    const found = await api.findByName('bastion');
    const described = await api.describeById(created.id);

    // THEN the private key holds the public key the emulator stored (as ssh-keygen reads it)
    const [stored] = harness.state.listKeyPairs('ucloud');
    expect(stored.scope).toBe('cn-bj2/org-team');
    expect(sshKeygenPublicKeyOf(keyFile(created.privateKey.reveal()))).toBe(stored.publicKey);
    expect(created.id).toMatch(/^uhostkp-[0-9a-f]{8}$/);
    expect(created.fingerprint).toBe(md5Hex(`org-team|${created.id}|${stored.publicKey}`));
    expect(found).toEqual([{ id: created.id, name: 'bastion', fingerprint: created.fingerprint, tags: {}, scope: 'org-team', requestId: expect.any(String) }]);
    expect(described).toMatchObject({ id: created.id, name: 'bastion', fingerprint: created.fingerprint });

    // WHEN deleted, and deleted again
    const first = await api.delete(created);
    const second = await api.delete(created);

    // THEN the second is "already gone", confirmed by a describe (the emulator's 8513 is never read)
    expect(first.alreadyGone).toBe(false);
    expect(second.alreadyGone).toBe(true);
    expect(harness.state.listKeyPairs('ucloud')).toEqual([]);
  });

  test('import a key made by ssh-keygen, into the default project when no ProjectId is sent', async () => {
    // GIVEN
    const harness = await startUcloud();
    const api = apiOf(harness, { scope: undefined });
    const { publicKey } = sshKeygenKeyPair('rsa', 'ci@example');

    // WHEN
    const imported = await api.importPublicKey({ name: 'ci', publicKey });

    // THEN the comment is dropped, the fingerprint is UCloud's documented one, and ssh-keygen agrees on the key
    const [stored] = harness.state.listKeyPairs('ucloud');
    expect(stored.publicKey).toBe(publicKey.trim().split(' ').slice(0, 2).join(' '));
    expect(sshKeygenFingerprint(stored.publicKey, 'sha256')).toBe(sshKeygenFingerprint(publicKey, 'sha256'));
    expect(stored.scope).toBe('cn-bj2/org-default');
    expect(imported.fingerprint).toBe(md5Hex(`org-default|${imported.id}|${stored.publicKey}`));
  });

  test('pages with Offset/Limit and TotalCount; key pairs are scoped by region and project', async () => {
    // GIVEN 25 pairs in one scope and one in another project
    const harness = await startUcloud();
    const { publicKey } = sshKeygenKeyPair('rsa');
    for (let i = 0; i < 25; i++) await apiOf(harness).importPublicKey({ name: `node-${i}`, publicKey });
    await apiOf(harness, { scope: 'org-other' }).importPublicKey({ name: 'node-0', publicKey });

    // WHEN
    const defaultPage = await rawCall(harness, { Action: 'DescribeUHostKeyPairs', Region: 'cn-bj2', ProjectId: 'org-team' });
    const lastPage = await rawCall(harness, { Action: 'DescribeUHostKeyPairs', Region: 'cn-bj2', ProjectId: 'org-team', Offset: 20, Limit: 100 });
    const otherRegion = await apiOf(harness, { region: 'cn-sh2' }).findByName('node-0');

    // THEN
    expect(defaultPage.body.KeyPairs).toHaveLength(20);
    expect(defaultPage.body.TotalCount).toBe(25);
    expect((lastPage.body.KeyPairs as Array<{ KeyPairName: string }>).map((keyPair) => keyPair.KeyPairName)).toEqual([
      'node-20',
      'node-21',
      'node-22',
      'node-23',
      'node-24',
    ]);
    expect(otherRegion).toEqual([]);
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
    const json = await fetch(harness.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...signed, Limit: 5 }) });
    const query = await fetch(`${harness.url}/?${new URLSearchParams(signed).toString()}`);

    // THEN
    expect(await json.json()).toEqual({ Action: 'DescribeUHostKeyPairsResponse', RetCode: 0, KeyPairs: [], TotalCount: 0 });
    expect(await query.json()).toEqual({ Action: 'DescribeUHostKeyPairsResponse', RetCode: 0, KeyPairs: [], TotalCount: 0 });
  });

  test('injected throttling (153) is waited out by the client beyond maxAttempts, even for a create; an injected 503 on a create is not retried', async () => {
    // GIVEN four throttled answers on create, more than the client's maxAttempts of 3
    const harness = await startUcloud();
    harness.faults.add({ cloud: 'ucloud', action: 'CreateUHostKeyPair', kind: 'throttle', count: 4 });
    const lines: string[] = [];

    // WHEN
    const created = await apiOf(harness, { log: (line) => lines.push(line) }).create({ name: 'flaky' });
    harness.faults.add({ cloud: 'ucloud', action: 'CreateUHostKeyPair', kind: 'server-error', count: 1 });
    const unsure = await caughtCloudApiError(apiOf(harness).create({ name: 'unsure' }));

    // THEN each throttle was waited out (no wait with the instant clock's zero jitter), and the create sent once more
    expect(created.name).toBe('flaky');
    expect(lines.filter((line) => / (asked to retry later|failed with) /.test(line))).toEqual(
      [2, 3, 4, 5].map((attempt) =>
        expect.stringMatching(new RegExp(`^ucloud CreateUHostKeyPair: asked to retry later \\(153\\); attempt ${attempt} in 0\\.0 s \\(\\d+ s left of the step's 300 s\\)$`)),
      ),
    );
    // AND the journal shows the four throttles, the create the cloud ran, and the one 503 (not sent again)
    const throttled = { cloud: 'ucloud', action: 'CreateUHostKeyPair', status: 200, handled: false, fault: 'throttle', keyPairNames: ['flaky'] };
    expect(harness.journal.list()).toEqual([
      ...Array(4).fill(throttled),
      { cloud: 'ucloud', action: 'CreateUHostKeyPair', status: 200, handled: true, keyPairNames: ['flaky'] },
      { cloud: 'ucloud', action: 'CreateUHostKeyPair', status: 503, handled: false, fault: 'server-error', keyPairNames: ['unsure'] },
    ]);
    expect(unsure).toMatchObject({ code: '150', httpStatus: 503, outcome: 'unknown', retryable: false });
    expect(harness.state.listKeyPairs('ucloud').map((keyPair) => keyPair.name)).toEqual(['flaky']);
  });
});

// docs/cloud-behaviour.md#importable-key-types, docs/cloud-behaviour.md#ucloud-generated-keys
describe('UCloud emulator: ssh-rsa imports and PKCS#8 RSA keys', () => {
  test.each(['ed25519', 'ecdsa'] as const)('an %s public key is refused (the emulator\'s 8512); the handler refuses it before sending', async (type) => {
    // GIVEN
    const harness = await startUcloud();
    const { publicKey } = sshKeygenKeyPair(type);

    // WHEN
    const raw = await rawCall(harness, { Action: 'ImportUHostKeyPairs', Region: 'cn-bj2', KeyPairName: 'ci', PublicKeyBody: publicKey });
    const fromClient = await caughtCloudApiError(apiOf(harness).importPublicKey({ name: 'ci', publicKey }));

    // THEN
    expect(raw.body).toMatchObject({ RetCode: EMULATOR_RET_CODES.publicKeyTypeUnsupported });
    expect(raw.body.Message).toMatch(/is not supported; accepted: rsa/);
    expect(fromClient).toMatchObject({ code: 'PublicKeyRejected', outcome: 'permanent' });
    expect(harness.state.listKeyPairs('ucloud')).toEqual([]);
  });

  test('a malformed key gets 8511, a missing one 230', async () => {
    // GIVEN
    const harness = await startUcloud();
    const line = (publicKey: string) => rawCall(harness, { Action: 'ImportUHostKeyPairs', Region: 'cn-bj2', KeyPairName: 'bad', PublicKeyBody: publicKey });
    const { publicKey } = sshKeygenKeyPair('rsa');

    // WHEN
    const malformed = await line('ssh-rsa not-base64!!');
    const twoLines = await line(`${publicKey.trim()}\n${publicKey.trim()}`);
    const missing = await rawCall(harness, { Action: 'ImportUHostKeyPairs', Region: 'cn-bj2', KeyPairName: 'none' });

    // THEN
    expect([malformed.body.RetCode, twoLines.body.RetCode, missing.body.RetCode]).toEqual([8511, 8511, 230]);
  });

  test('CreateUHostKeyPair hands out an unencrypted PKCS#8 PEM RSA 2048 key', async () => {
    // GIVEN
    const harness = await startUcloud();

    // WHEN
    const created = await apiOf(harness).create({ name: 'bastion' });

    // THEN
    const pem = created.privateKey.reveal();
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    expect(pem).not.toMatch(/ENCRYPTED|RSA PRIVATE KEY/);
    const [stored] = harness.state.listKeyPairs('ucloud');
    expect(sshKeygenSizeAndFingerprint(keyFile(pem))).toEqual({ bits: 2048, sha256: sshKeygenFingerprint(stored.publicKey, 'sha256'), type: '(RSA)' });
  });

  test('ucloudGeneratedKeyBits: 4096 plays the UCloud-Global white-label; other sizes are refused', async () => {
    // GIVEN
    const emulator = await startEmulator({ ucloudGeneratedKeyBits: 4096 });
    try {
      // WHEN
      const created = await keyPairApiFor({ cloud: 'ucloud', region: 'cn-bj2' }, emulator.handlerEnvironment()).create({ name: 'global' });

      // THEN
      expect(sshKeygenSizeAndFingerprint(keyFile(created.privateKey.reveal())).bits).toBe(4096);
    } finally {
      await emulator.stop();
    }
    await expect(startEmulator({ ucloudGeneratedKeyBits: 1024 })).rejects.toThrow(/2048 or 4096 bits, not 1024/);
  });
});

// docs/cloud-behaviour.md#ucloud-documents-no-key-pair-codes, docs/cloud-behaviour.md#ucloud-name-uniqueness-unconfirmed
describe('UCloud emulator: the emulator\'s own codes, duplicate names, and name rules from the contract', () => {
  test('a duplicate name gets 8510 (the emulator\'s choice); the client explains it as name-taken by describing, not by the code', async () => {
    // GIVEN
    const harness = await startUcloud();
    const first = await apiOf(harness).create({ name: 'dup' });

    // WHEN
    const raw = await rawCall(harness, { Action: 'CreateUHostKeyPair', Region: 'cn-bj2', ProjectId: 'org-team', KeyPairName: 'dup' });
    const err = await caughtCloudApiError(apiOf(harness).create({ name: 'dup' }));
    const elsewhere = await apiOf(harness, { scope: 'org-other' }).create({ name: 'dup' });

    // THEN
    expect(raw.body).toEqual({ Action: 'CreateUHostKeyPairResponse', RetCode: 8510, Message: 'KeyPair name [dup] already exists' });
    expect(err).toMatchObject({ code: '8510', outcome: 'name-taken', retryable: false });
    expect(err.remedy).toContain(`A key pair named "dup" already exists (${first.id})`);
    expect(elsewhere.name).toBe('dup');
    // AND the journal shows the client's create refused, then its describe of the name that explained it
    expect(harness.journal.list().map((entry) => [entry.action, entry.keyPairNames])).toEqual([
      ['CreateUHostKeyPair', ['dup']],
      ['CreateUHostKeyPair', ['dup']],
      ['CreateUHostKeyPair', ['dup']],
      ['DescribeUHostKeyPairs', ['dup']],
      ['CreateUHostKeyPair', ['dup']],
    ]);
  });

  test('ucloudDuplicateNames: a second pair under the same name is accepted, and findByName returns both', async () => {
    // GIVEN
    const harness = await startUcloud({ duplicateNames: true });
    const api = apiOf(harness);

    // WHEN
    const first = await api.create({ name: 'twin' });
    const second = await api.create({ name: 'twin' });

    // THEN
    expect(first.id).not.toBe(second.id);
    expect((await api.findByName('twin')).map((keyPair) => keyPair.id).sort()).toEqual([first.id, second.id].sort());
  });

  test('the handler reads none of the emulator\'s invented codes: they appear nowhere under handler/', () => {
    // GIVEN every handler source file
    const handlerRoot = path.join(__dirname, '..', '..', 'handler');
    const files = (fs.readdirSync(handlerRoot, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));
    const invented = Object.entries(EMULATOR_RET_CODES)
      .filter(([name]) => ['invalidParameter', 'keyPairNameDuplicate', 'publicKeyMalformed', 'publicKeyTypeUnsupported', 'keyPairNotFound', 'keyPairInUse'].includes(name))
      .map(([, code]) => String(code));

    // WHEN / THEN
    expect(invented).toEqual(['230', '8510', '8511', '8512', '8513', '8514']);
    for (const file of files) {
      const source = fs.readFileSync(path.join(handlerRoot, file), 'utf8');
      for (const code of invented) expect({ file, uses: new RegExp(`\\b${code}\\b`).test(source) }).toEqual({ file, uses: false });
    }
  });

  test('every documented RetCode the emulator answers is one the client knows as documented (each side read UCloud\'s pages itself)', () => {
    // GIVEN / WHEN
    const answered = Object.entries(UCLOUD_DOCUMENTED_RET_CODES).map(([name, code]) => ({
      name,
      code,
      known: isDocumentedUcloudRetCode(String(code)),
    }));

    // THEN
    expect(answered.filter((entry) => !entry.known)).toEqual([]);
    expect(answered.length).toBeGreaterThan(0);
  });

  test('names follow NAME_RULES.ucloud: 1–63 characters, Chinese allowed, no surrounding spaces', async () => {
    // GIVEN
    const harness = await startUcloud();
    const api = apiOf(harness);
    const create = (name: string) => rawCall(harness, { Action: 'CreateUHostKeyPair', Region: 'cn-bj2', KeyPairName: name });

    // WHEN
    const longest = await api.create({ name: 'k'.repeat(63) });
    const chinese = await api.create({ name: '堡垒机密钥' });
    const tooLong = await create('k'.repeat(64));
    const spaced = await create(' padded ');
    const empty = await rawCall(harness, { Action: 'CreateUHostKeyPair', Region: 'cn-bj2' });

    // THEN
    expect(longest.name).toHaveLength(63);
    expect(chinese.name).toBe('堡垒机密钥');
    expect(tooLong.body).toEqual({
      Action: 'CreateUHostKeyPairResponse',
      RetCode: 230,
      Message: `Params [KeyPairName] not valid: ${NAME_RULES.ucloud.create.description}`,
    });
    expect(spaced.body.RetCode).toBe(230);
    expect(empty.body).toEqual({ Action: 'CreateUHostKeyPairResponse', RetCode: 230, Message: 'Missing params [KeyPairName]' });
  });

  test('the quota per region and project gets UHost\'s documented 8095', async () => {
    // GIVEN a quota of two
    const harness = await startUcloud({}, 2);
    await apiOf(harness).create({ name: 'one' });
    await apiOf(harness).create({ name: 'two' });

    // WHEN
    const err = await caughtCloudApiError(apiOf(harness).create({ name: 'three' }));
    const otherProject = await apiOf(harness, { scope: 'org-other' }).create({ name: 'three' });

    // THEN
    expect(err).toMatchObject({ code: '8095', outcome: 'permanent', cloudMessage: 'KeyPair quota exceeded (2 per project and region)' });
    expect(err.remedy).toMatch(/quota/);
    expect(otherProject.name).toBe('three');
  });

  test('a page size over 100, a negative offset or a missing Region gets 230', async () => {
    // GIVEN
    const harness = await startUcloud();
    const describe = (params: Record<string, UcloudParamValue>) => rawCall(harness, { Action: 'DescribeUHostKeyPairs', ...params });

    // WHEN
    const overLimit = await describe({ Region: 'cn-bj2', Limit: 101 });
    const negative = await describe({ Region: 'cn-bj2', Offset: -1 });
    const noRegion = await describe({});
    const atLimit = await describe({ Region: 'cn-bj2', Limit: 100 });

    // THEN
    expect(overLimit.body).toMatchObject({ RetCode: 230, Message: 'Params [Limit] not valid: must be between 1 and 100' });
    expect(negative.body.RetCode).toBe(230);
    expect(noRegion.body).toEqual({ Action: 'DescribeUHostKeyPairsResponse', RetCode: 230, Message: 'Missing params [Region]' });
    expect(atLimit.body.RetCode).toBe(0);
  });
});

// docs/cloud-behaviour.md#ucloud-bound-key-pair-delete, docs/cloud-behaviour.md#not-found-codes
describe('UCloud emulator: deleting bound and unknown key pairs', () => {
  test('by default a pair bound to an instance is deleted, like any other (UCloud very likely does)', async () => {
    // GIVEN
    const harness = await startUcloud();
    const created = await apiOf(harness).create({ name: 'bound' });
    harness.state.bind('ucloud', created.id, 'uhost-web1');

    // WHEN
    const result = await apiOf(harness).delete(created);

    // THEN
    expect(result.alreadyGone).toBe(false);
    expect(harness.state.listKeyPairs('ucloud')).toEqual([]);
    expect(harness.state.listBindings('ucloud')).toEqual({});
  });

  test('ucloudRefuseBoundDeletes: refused with the emulator\'s 8514; the client reports unknown, then deletes once released', async () => {
    // GIVEN
    const harness = await startUcloud({ refuseBoundDeletes: true });
    const api = apiOf(harness);
    const created = await api.create({ name: 'bound' });
    harness.state.bind('ucloud', created.id, 'uhost-web1', 1);

    // WHEN
    const raw = await rawCall(harness, { Action: 'DeleteUHostKeyPairs', Region: 'cn-bj2', ProjectId: 'org-team', KeyPairIds: [created.id] });
    const afterOneRefusal = await api.delete(created);

    // THEN the refusal counted against the binding, which then went away by itself
    expect(raw.body).toEqual({ Action: 'DeleteUHostKeyPairsResponse', RetCode: 8514, Message: `KeyPair [${created.id}] is used by UHost [uhost-web1]` });
    expect(afterOneRefusal.alreadyGone).toBe(false);

    // WHEN bound until released
    const again = await api.create({ name: 'bound-again' });
    harness.state.bind('ucloud', again.id, 'uhost-web2');
    const err = await caughtCloudApiError(api.delete(again));

    // THEN the client does not read 8514: it describes, sees the pair still there, and says so
    expect(err).toMatchObject({ code: '8514', outcome: 'unknown', retryable: false });
    expect(err.remedy).toMatch(/still exists.*delete or reinstall that instance first/);
    harness.state.release('ucloud', again.id);
    expect((await api.delete(again)).alreadyGone).toBe(false);
  });

  test('an unknown id gets 8513 and deletes nothing; the client confirms absence by describing', async () => {
    // GIVEN
    const harness = await startUcloud();
    const kept = await apiOf(harness).create({ name: 'kept' });

    // WHEN
    const raw = await rawCall(harness, { Action: 'DeleteUHostKeyPairs', Region: 'cn-bj2', ProjectId: 'org-team', KeyPairIds: [kept.id, 'uhostkp-00000000'] });
    const noIds = await rawCall(harness, { Action: 'DeleteUHostKeyPairs', Region: 'cn-bj2' });
    const viaClient = await apiOf(harness).delete({ id: 'uhostkp-00000000', name: 'never-existed' });

    // THEN
    expect(raw.body).toMatchObject({ RetCode: 8513, Message: 'KeyPair [uhostkp-00000000] not found' });
    expect(noIds.body.RetCode).toBe(230);
    expect(viaClient.alreadyGone).toBe(true);
    expect(harness.state.listKeyPairs('ucloud').map((keyPair) => keyPair.id)).toEqual([kept.id]);
  });
});

describe('UCloud emulator: authentication', () => {
  test('a wrong signature gets RetCode 171 in the envelope, with a request id header', async () => {
    // GIVEN
    const harness = await startUcloud();

    // WHEN
    const answer = await rawCall(harness, { Action: 'CreateUHostKeyPair', Region: 'cn-bj2', KeyPairName: 'x' }, { ...CREDENTIAL, accessKeySecret: 'not-the-private-key' });

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
    const answer = await rawCall(harness, { Action: 'CreateUHostKeyPair', Region: 'cn-bj2', KeyPairName: 'a' }, CREDENTIAL, (signed) => ({ ...signed, KeyPairName: 'b' }));

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

  test('the client gets the same codes as permanent CloudApiErrors, not retried', async () => {
    // GIVEN
    const harness = await startUcloud();
    const lines: string[] = [];
    const wrongKey = apiOf(harness, {
      credentials: { accessKeyId: CREDENTIAL.accessKeyId, accessKeySecret: new SecretValue('wrong') },
      log: (line) => lines.push(line),
    });

    // WHEN
    const err = await caughtCloudApiError(wrongKey.findByName('x'));

    // THEN
    expect(err).toMatchObject({ code: '171', outcome: 'permanent', retryable: false });
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toMatch(/UCLOUD_PRIVATE_KEY/);
    expect(lines).toHaveLength(1);
  });

  test('an STS token is accepted when right, and a wrong, missing or unexpected token gets 174', async () => {
    // GIVEN
    const harness = await startUcloud();
    const withToken = (token?: string) =>
      apiOf(harness, {
        credentials: {
          accessKeyId: STS_CREDENTIAL.accessKeyId,
          accessKeySecret: new SecretValue(STS_CREDENTIAL.accessKeySecret),
          ...(token ? { securityToken: new SecretValue(token) } : {}),
        },
      });

    // WHEN
    const accepted = await withToken('sts-token').findByName('x');
    const wrong = await caughtCloudApiError(withToken('stale-token').findByName('x'));
    const missing = await caughtCloudApiError(withToken(undefined).findByName('x'));
    const unexpected = await caughtCloudApiError(
      apiOf(harness, { credentials: { ...connection(harness).credentials, securityToken: new SecretValue('sts-token') } }).findByName('x'),
    );

    // THEN
    expect(accepted).toEqual([]);
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

    // THEN both succeed: UCloud's scheme has nothing that could expire
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

describe('UCloud emulator: the bin\'s UCloud switches', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  async function startBin(args: string[]): Promise<EmulatorReady> {
    const bin = spawnEmulatorBin(args);
    child = bin.child;
    return bin.ready;
  }

  test('--ucloud-key-bits 4096 --ucloud-duplicate-names --ucloud-refuse-bound-deletes', async () => {
    // GIVEN the bin with every UCloud switch
    const ready = await startBin(['--ucloud-key-bits', '4096', '--ucloud-duplicate-names', '--ucloud-refuse-bound-deletes']);
    const api = keyPairApiFor({ cloud: 'ucloud', region: 'cn-bj2' }, ready.environment, { clock: INSTANT_RETRY_CLOCK });

    // WHEN
    const first = await api.create({ name: 'twin' });
    const second = await api.create({ name: 'twin' });
    await fetch(`${ready.endpoints.ucloud}/_emulator/bindings`, { method: 'POST', body: JSON.stringify({ keyPair: first.id }) });
    const refused = await caughtCloudApiError(api.delete(first));

    // THEN
    expect(sshKeygenSizeAndFingerprint(keyFile(second.privateKey.reveal())).bits).toBe(4096);
    expect(second.name).toBe(first.name);
    expect(refused).toMatchObject({ code: '8514', outcome: 'unknown' });
  });

  test('--ucloud-key-bits takes only the sizes UCloud-API clouds generate', async () => {
    // GIVEN / WHEN
    const bin = spawnEmulatorBin(['--ucloud-key-bits', '1024']);
    child = bin.child;

    // THEN
    expect(await bin.exited).toBe(1);
    expect(bin.stderr()).toContain('2048 or 4096 bits, not 1024');
  });
});
