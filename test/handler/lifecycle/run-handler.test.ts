import { createPrivateKey, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunningEmulator, startEmulator } from '../../../emulator';
import { keyPairApiFor } from '../../../handler/clouds/factory';
import { HandlerOutcome, runHandler } from '../../../handler/run';
import { TUNING_ENV } from '../../../handler/tuning';
import {
  CLOUD_NAMES,
  CloudName,
  HANDLER_ENV,
  INITIAL_TAGS_REVISION,
  KEY_SOURCES,
  OWNERSHIP_TAG_KEY,
  ownerValue,
  READ_STATUS,
  RESULT_KEYS,
  TAGS_REVISION_TAG_KEY,
  TRIGGER_KEYS,
} from '../../../src/contract';
import { FAST_RETRY, fastSettings } from '../../support/emulated-clients';
import { runPairStep } from '../../support/handler-steps';
import { CREATE_ACTION, DELETE_ACTION, DESCRIBE_ACTION, IMPORT_ACTION } from '../../support/key-pair-actions';
import { emulatorKeyPool } from '../../support/key-pools';
import { withoutComment } from '../../support/public-key-lines';
import { REGIONS } from '../../support/regions';
import { sshKeygenFingerprint, sshKeygenKeyPair, sshKeygenPublicKeyOf } from '../../support/ssh-keygen';
import { pairResultText, stackReadQuery } from '../../support/stack-read';
import { keyPairTriggers } from '../../support/triggers';

/** The lifecycle through runHandler, as Terraform drives it, against the emulator: no terraform needed. */
/** This file's deployment identity (the id of `terraform_data.cdktf_keypair_identity` in a real state). */
const DEPLOYMENT = randomUUID();

let emulator: RunningEmulator;
let directory: string;
beforeAll(async () => {
  emulator = await startEmulator({ keyPool: emulatorKeyPool() });
  directory = mkdtempSync(path.join(tmpdir(), 'run-handler-'));
});
afterAll(async () => {
  await emulator.stop();
  rmSync(directory, { recursive: true, force: true });
});
beforeEach(() => emulator.reset());

let counter = 0;
function triggersFor(cloud: CloudName, extra: Record<string, string> = {}): Record<string, string> {
  counter += 1;
  return keyPairTriggers({
    cloud,
    name: `lifecycle_${counter}`,
    privateKeyFile: path.join(directory, `${cloud}-${counter}.pem`),
    owner: ownerValue(DEPLOYMENT, counter.toString(16).padStart(16, '0')),
  }, extra);
}

/** One handler step; a read runs as the stack's read of this one pair, and prints the pair's own result. */
function run(command: 'create' | 'read' | 'delete', triggers: Record<string, string>, env: Record<string, string> = {}): Promise<HandlerOutcome> {
  return runPairStep(command, { emulator, triggers, env, settings: fastSettings() });
}

/** The modulus size of the RSA private key in `file`. */
function rsaBitsOf(file: string): number | undefined {
  return createPrivateKey(readFileSync(file)).asymmetricKeyDetails?.modulusLength;
}

/** `text` as a literal in a regular expression. */
function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function read(triggers: Record<string, string>): Promise<Record<string, string>> {
  const outcome = await run('read', triggers);
  expect(outcome.exitCode).toBe(0);
  return JSON.parse(outcome.stdout);
}

describe.each(CLOUD_NAMES)('%s lifecycle', (cloud) => {
  test('create → read → delete for a cloud-generated pair; the key file is 0600 and holds the pair', async () => {
    // GIVEN
    const triggers = triggersFor(cloud);
    const file = triggers[TRIGGER_KEYS.privateKeyFile];
    // WHEN
    const created = await run('create', triggers, { [HANDLER_ENV.tags]: cloud === 'ucloud' ? '{}' : '{"team":"infra"}' });
    // THEN
    expect(created).toMatchObject({ exitCode: 0, stdout: '' });
    expect((statSync(file).mode % 0o1000).toString(8)).toBe('600');
    const publicKey = sshKeygenPublicKeyOf(file);
    const result = await read(triggers);
    expect(result[RESULT_KEYS.status]).toBe(READ_STATUS.present);
    expect(result[RESULT_KEYS.publicKey]).toBe(publicKey);
    expect(result[RESULT_KEYS.fingerprintSha256]).toBe(sshKeygenFingerprint(publicKey, 'sha256'));
    expect(result[RESULT_KEYS.fingerprintMd5]).toBe(sshKeygenFingerprint(publicKey, 'md5'));
    const [stored] = emulator.listKeyPairs(cloud);
    expect(result[RESULT_KEYS.fingerprint]).toBe(stored.fingerprint);
    if (cloud !== 'ucloud') {
      expect(stored.tags).toEqual({ team: 'infra', [OWNERSHIP_TAG_KEY]: triggers[TRIGGER_KEYS.owner], [TAGS_REVISION_TAG_KEY]: INITIAL_TAGS_REVISION });
    }
    expect(created.stderr + result.stderr).not.toMatch(/PRIVATE KEY|emulator-.*-(secret|private-key)/);

    const deleted = await run('delete', triggers);
    expect(deleted.exitCode).toBe(0);
    expect(emulator.listKeyPairs(cloud)).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect((await read(triggers))[RESULT_KEYS.status]).toBe(READ_STATUS.missing);
    // a second delete passes: the pair is confirmed gone
    expect((await run('delete', triggers)).exitCode).toBe(0);
  });

  test('import a public key as read from a .pub file; a re-run adopts it', async () => {
    const { publicKey } = sshKeygenKeyPair('rsa');
    const triggers = triggersFor(cloud, { [TRIGGER_KEYS.keySource]: KEY_SOURCES.import, [TRIGGER_KEYS.publicKey]: publicKey });
    delete triggers[TRIGGER_KEYS.privateKeyFile];
    expect((await run('create', triggers)).exitCode).toBe(0);
    const rerun = await run('create', triggers);
    if (cloud === 'ucloud') {
      // Nothing on a UCloud pair proves who made it (an imported public key proves nothing: every deployment
      // of the app imports the same one), so a re-run refuses rather than adopt, naming the taken name.
      expect(rerun.exitCode).toBe(1);
      expect(rerun.stderr).toContain(`the key pair name "${triggers[TRIGGER_KEYS.keyPairName]}" is taken`);
      expect(rerun.stderr).toContain('cannot prove its own');
    } else {
      expect(rerun.exitCode).toBe(0);
      expect(rerun.stderr).toContain('adopting');
    }
    expect(emulator.listKeyPairs(cloud)).toHaveLength(1);
    expect((await read(triggers))[RESULT_KEYS.fingerprintSha256]).toBe(sshKeygenFingerprint(publicKey, 'sha256'));
  });

  test(`generate locally: the private key is written first, only the public half is imported; ${TUNING_ENV.generatedRsaBits}=2048 sizes it`, async () => {
    const triggers = triggersFor(cloud, { [TRIGGER_KEYS.keySource]: KEY_SOURCES.generate, [TRIGGER_KEYS.keyAlgorithm]: 'rsa' });
    expect((await run('create', triggers, { [TUNING_ENV.generatedRsaBits]: '2048' })).exitCode).toBe(0);
    const publicKey = sshKeygenPublicKeyOf(triggers[TRIGGER_KEYS.privateKeyFile]);
    expect(withoutComment(emulator.listKeyPairs(cloud)[0].publicKey)).toBe(publicKey);
    expect(rsaBitsOf(triggers[TRIGGER_KEYS.privateKeyFile])).toBe(2048);
  });

  test('an existing private key file is never overwritten, and nothing is created', async () => {
    const triggers = triggersFor(cloud);
    writeFileSync(triggers[TRIGGER_KEYS.privateKeyFile], 'someone else\'s file');
    const outcome = await run('create', triggers);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain('never overwrites a private key');
    expect(emulator.listKeyPairs(cloud)).toEqual([]);
  });

  test.each([
    ['the answer to the create is lost after the cloud made the pair', 'drop-connection'],
    ['the create is answered by an internal error after the cloud made the pair', 'server-error'],
    ['the answer to the create is cut short after the cloud made the pair', 'malformed-body'],
  ] as const)('outcome unknown (%s): settled within the step; the pair whose private key was lost is deleted and made again, one pair with its key file', async (_case, kind) => {
    // GIVEN the cloud creates the pair but its answer (and with it the private key) never arrives
    const triggers = triggersFor(cloud);
    const name = triggers[TRIGGER_KEYS.keyPairName];
    const file = triggers[TRIGGER_KEYS.privateKeyFile];
    emulator.injectFault({ cloud, action: CREATE_ACTION[cloud], kind, afterAction: true });
    // WHEN
    const created = await run('create', triggers);
    // THEN the step succeeds: it looked the name up, deleted what the lost call made, and sent the create again
    expect({ exitCode: created.exitCode, stdout: created.stdout }).toEqual({ exitCode: 0, stdout: '' });
    const target = `${cloud} key pair "${name}" (${REGIONS[cloud]})`;
    expect(created.stderr).toMatch(/the cloud may or may not have created it \([^)]+\); looking it up/);
    expect(created.stderr).toMatch(
      new RegExp(`deleting ${escaped(target)} \\(id \\S+\\): the call whose answer was lost made it, and its private key was lost with the answer`),
    );
    expect(created.stderr).toContain(`sending the create of ${target} again: the key pair the lost call made was deleted`);
    // AND the journal: the lost create, a describe that found its pair, its deletion, and only then the second create
    const journal = emulator.requests(cloud);
    expect(journal.slice(0, 5).map((entry) => entry.action)).toEqual([
      DESCRIBE_ACTION[cloud],
      CREATE_ACTION[cloud],
      DESCRIBE_ACTION[cloud],
      DELETE_ACTION[cloud],
      CREATE_ACTION[cloud],
    ]);
    expect(journal[1]).toMatchObject({ fault: kind, handled: true });
    expect(journal[3]).toMatchObject({ status: 200, handled: true });
    expect(journal[4]).toMatchObject({ status: 200, handled: true });
    expect(journal[4].fault).toBeUndefined();
    expect(journal.filter((entry) => entry.action === CREATE_ACTION[cloud])).toHaveLength(2);
    // AND exactly one pair, whose private key is in the file
    const pairs = emulator.listKeyPairs(cloud);
    expect(pairs).toHaveLength(1);
    const publicKey = sshKeygenPublicKeyOf(file);
    expect(withoutComment(pairs[0].publicKey)).toBe(publicKey);
    const result = await read(triggers);
    expect(result[RESULT_KEYS.status]).toBe(READ_STATUS.present);
    expect(result[RESULT_KEYS.publicKey]).toBe(publicKey);
  });

  test.each([
    ['an import', KEY_SOURCES.import],
    ['a key generated here', KEY_SOURCES.generate],
  ] as const)('outcome unknown of %s: the pair the lost call made is adopted, never imported twice', async (_case, keySource) => {
    // GIVEN the cloud imports the public key but its answer never arrives
    const { publicKey: importedKey } = sshKeygenKeyPair('rsa');
    const triggers = triggersFor(
      cloud,
      keySource === KEY_SOURCES.import
        ? { [TRIGGER_KEYS.keySource]: keySource, [TRIGGER_KEYS.publicKey]: importedKey }
        : { [TRIGGER_KEYS.keySource]: keySource, [TRIGGER_KEYS.keyAlgorithm]: 'rsa' },
    );
    if (keySource === KEY_SOURCES.import) delete triggers[TRIGGER_KEYS.privateKeyFile];
    const name = triggers[TRIGGER_KEYS.keyPairName];
    emulator.injectFault({ cloud, action: IMPORT_ACTION[cloud], kind: 'server-error', afterAction: true });
    // WHEN
    const created = await run('create', triggers);
    // THEN the step succeeds with the pair the lost call made
    expect(created.exitCode).toBe(0);
    expect(created.stderr).toMatch(new RegExp(`adopting ${escaped(`${cloud} key pair "${name}" (${REGIONS[cloud]})`)} \\(id \\S+\\): the call whose answer was lost made it`));
    // AND it was imported once, looked up, and nothing was deleted
    expect(emulator.requests(cloud).map((entry) => entry.action)).toEqual([DESCRIBE_ACTION[cloud], IMPORT_ACTION[cloud], DESCRIBE_ACTION[cloud]]);
    const pairs = emulator.listKeyPairs(cloud);
    expect(pairs).toHaveLength(1);
    const expectedKey = keySource === KEY_SOURCES.import ? withoutComment(importedKey) : sshKeygenPublicKeyOf(triggers[TRIGGER_KEYS.privateKeyFile]);
    expect(withoutComment(pairs[0].publicKey)).toBe(expectedKey);
    expect((await read(triggers))[RESULT_KEYS.fingerprintSha256]).toBe(sshKeygenFingerprint(expectedKey, 'sha256'));
  });

  test('a pair deleted out of band: delete passes and removes its key file, so a re-create is not blocked', async () => {
    const triggers = triggersFor(cloud);
    expect((await run('create', triggers)).exitCode).toBe(0);
    emulator.reset();
    expect((await run('delete', triggers)).exitCode).toBe(0);
    expect(existsSync(triggers[TRIGGER_KEYS.privateKeyFile])).toBe(false);
    expect((await run('create', triggers)).exitCode).toBe(0);
  });

  test('a relative private key path is resolved against the synth directory the provisioners pass', async () => {
    const triggers = triggersFor(cloud);
    const relative = `relative/${cloud}-${counter}.pem`;
    triggers[TRIGGER_KEYS.privateKeyFile] = relative;
    const env = { [HANDLER_ENV.baseDirectory]: directory };
    expect((await run('create', triggers, env)).exitCode).toBe(0);
    const file = path.join(directory, relative);
    expect(statSync(file).isFile()).toBe(true);
    const outcome = await runHandler({
      argv: ['read'],
      env: emulator.handlerEnvironment(),
      stdin: async () => stackReadQuery(triggers, {}, directory),
      settings: { retry: FAST_RETRY },
    });
    const result = JSON.parse(pairResultText(outcome.stdout));
    expect(result[RESULT_KEYS.publicKey]).toBe(sshKeygenPublicKeyOf(file));
    expect((await run('delete', triggers, env)).exitCode).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  test('invalid input fails before any cloud call, naming the rule', async () => {
    const triggers = triggersFor(cloud, { [TRIGGER_KEYS.keyPairName]: ' bad name with spaces and far too long for any of the three clouds to take it at all '.repeat(3) });
    const outcome = await run('create', triggers);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/invalid input: .*key pair name .* is not valid: /);
    expect(emulator.listKeyPairs(cloud)).toEqual([]);
  });

  test('missing credentials fail before any cloud call, naming the variables and never a value', async () => {
    const env = Object.fromEntries(Object.keys(emulator.handlerEnvironment()).filter((name) => /SECRET_KEY|PRIVATE_KEY|ACCESS_KEY_SECRET/.test(name)).map((name) => [name, '']));
    const outcome = await run('create', triggersFor(cloud), env);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/no .* found\. Set one of/);
  });
});

// The default size is the handler's, not a cloud's: one cloud shows it (a 4096-bit key costs about a second of CPU).
describe('the size of a key generated here', () => {
  test('without the tuning variable: RSA of 4096 bits', async () => {
    const triggers = triggersFor('alicloud', { [TRIGGER_KEYS.keySource]: KEY_SOURCES.generate, [TRIGGER_KEYS.keyAlgorithm]: 'rsa' });
    // (an empty variable is an unset one: the default size, not the tests' own)
    expect((await run('create', triggers, { [TUNING_ENV.generatedRsaBits]: '' })).exitCode).toBe(0);
    expect(rsaBitsOf(triggers[TRIGGER_KEYS.privateKeyFile])).toBe(4096);
  });
});

describe.each(['alicloud', 'tencentcloud'] as const)('%s ownership', (cloud) => {
  test.each([
    ['made outside cdktf-keypair (no ownership tag)', {}, 'a key pair cdktf-keypair did not create (it has no ownership tag)'],
    ['of another cdktf-keypair construct', { [OWNERSHIP_TAG_KEY]: ownerValue(DEPLOYMENT, 'fedcba9876543210') }, 'another cdktf-keypair key pair (ownership tag '],
  ])('a pair %s under our name is neither adopted, reported nor deleted', async (_title, tags, holder) => {
    const api = keyPairApiFor({ cloud, region: REGIONS[cloud] }, emulator.handlerEnvironment());
    const triggers = triggersFor(cloud);
    const name = triggers[TRIGGER_KEYS.keyPairName];
    await api.create({ name, tags });
    const create = await run('create', triggers);
    expect(create.exitCode).toBe(1);
    expect(create.stderr).toContain(`the key pair name "${name}" is taken: ${cloud} key pair "${name}" (${REGIONS[cloud]}) already exists and belongs to ${holder}`);
    expect(create.stderr).toContain('Nothing was changed');
    const deleted = await run('delete', triggers);
    expect(deleted.exitCode).toBe(0);
    expect(deleted.stderr).toContain(`was left alone: it belongs to ${holder}`);
    expect(emulator.listKeyPairs(cloud)).toHaveLength(1);
    // the read never reports the stranger's id as ours: the name is reported taken (the plan fails on it)
    const result = await read(triggers);
    expect(result[RESULT_KEYS.status]).toBe(READ_STATUS.taken);
    expect(result[RESULT_KEYS.keyPairId]).toBe('');
    expect(result[RESULT_KEYS.problem]).toContain(`the key pair name "${name}" is taken`);
    expect(result[RESULT_KEYS.problem]).toContain(holder);
  });

  test('ours deleted out of band and a stranger\'s under the name: delete removes our key file only', async () => {
    const api = keyPairApiFor({ cloud, region: REGIONS[cloud] }, emulator.handlerEnvironment());
    const triggers = triggersFor(cloud);
    expect((await run('create', triggers)).exitCode).toBe(0);
    emulator.reset();
    await api.create({ name: triggers[TRIGGER_KEYS.keyPairName], tags: {} });
    expect((await run('delete', triggers)).exitCode).toBe(0);
    expect(existsSync(triggers[TRIGGER_KEYS.privateKeyFile])).toBe(false);
    expect(emulator.listKeyPairs(cloud)).toHaveLength(1);
  });

  test('a pair bound to an instance: delete retries until it is released, then succeeds', async () => {
    const triggers = triggersFor(cloud);
    expect((await run('create', triggers)).exitCode).toBe(0);
    emulator.bindKeyPair(cloud, triggers[TRIGGER_KEYS.keyPairName], { deleteAttempts: 2 });
    const deleted = await run('delete', triggers);
    expect(deleted.exitCode).toBe(0);
    expect(deleted.stderr).toMatch(/still in use .*retrying/);
    expect(emulator.listKeyPairs(cloud)).toEqual([]);
  });

  test('a pair that stays bound: delete gives up after the timeout, with the remedy', async () => {
    const triggers = triggersFor(cloud);
    expect((await run('create', triggers)).exitCode).toBe(0);
    emulator.bindKeyPair(cloud, triggers[TRIGGER_KEYS.keyPairName]);
    const deleted = await run('delete', triggers, { [HANDLER_ENV.deleteTimeoutSeconds]: '20' });
    expect(deleted.exitCode).toBe(1);
    expect(deleted.stderr).toMatch(/could still not be deleted after 20 s.*detach it/s);
    expect(emulator.listKeyPairs(cloud)).toHaveLength(1);
  });
});

describe('ucloud: several key pairs under the name (a UCloud-API cloud that accepts duplicate names)', () => {
  let duplicates: RunningEmulator;
  beforeAll(async () => {
    duplicates = await startEmulator({ ucloudDuplicateNames: true, keyPool: emulatorKeyPool() });
  });
  afterAll(async () => {
    await duplicates?.stop();
  });

  test('read and delete refuse to pick one, naming the count; read never calls them missing; none is deleted', async () => {
    // GIVEN two pairs under the name (e.g. two stacks that created it at the same time)
    const triggers = triggersFor('ucloud');
    const api = keyPairApiFor({ cloud: 'ucloud', region: REGIONS.ucloud }, duplicates.handlerEnvironment());
    await api.create({ name: triggers[TRIGGER_KEYS.keyPairName] });
    await api.create({ name: triggers[TRIGGER_KEYS.keyPairName] });
    const env = duplicates.handlerEnvironment();
    const invoke = (command: string) => runHandler({
      argv: [command],
      env: { ...env, [HANDLER_ENV.triggers]: JSON.stringify(triggers) },
      stdin: async () => (command === 'read' ? stackReadQuery(triggers) : JSON.stringify(triggers)),
      settings: fastSettings(),
    });

    // WHEN
    const readOutcome = await invoke('read');
    const deleted = await invoke('delete');

    // THEN
    expect({ exitCode: readOutcome.exitCode, stdout: readOutcome.stdout }).toEqual({ exitCode: 1, stdout: '' });
    expect(readOutcome.stderr).toContain(`2 key pairs are named "${triggers[TRIGGER_KEYS.keyPairName]}": cannot tell which is ours`);
    expect(deleted.exitCode).toBe(1);
    expect(deleted.stderr).toContain('cannot tell which is ours');
    expect(duplicates.listKeyPairs('ucloud')).toHaveLength(2);
  });
});
