/**
 * A create cut off after it was sent: the bundled handler, run as Terraform runs it, is killed (SIGKILL) while
 * the cloud holds its answer. A cloud-generated pair is then made by the cloud, and its private key reached
 * nobody: the mark the create left (`<privateKeyFile>.pending`) is what the next read and steps go by
 * (docs/drift-and-destroy.md#a-vanished-pair-is-made-again): the read reports the pair missing, and the
 * create or delete that follows deletes it, on UCloud too, whose pairs carry no tags. A key generated here was
 * written before its import: whether the cloud then carries the import out or never receives it, the next
 * create finishes the job with that key, never stuck on a file it may not overwrite.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DELETE_ACTIONS, HandlerDeployment, resultOf, useHandlerTestBed } from './support';
import { CLOUD_NAMES, HANDLER_ENV, KEY_SOURCES, READ_STATUS, RESULT_KEYS, TRIGGER_KEYS, type CloudName } from '../../../src/contract';
import { waitUntil } from '../../support/eventually';
import { TEST_HANDLER_TUNING } from '../../support/handler-tuning';
import { CREATE_ACTION, IMPORT_ACTION } from '../../support/key-pair-actions';
import { sshKeygenPublicKeyOf } from '../../support/ssh-keygen';

const BUNDLE = path.join(__dirname, '..', '..', '..', 'assets', 'handler.js');

const bed = useHandlerTestBed('cut-off-create');

/**
 * `handler create` in its own process, killed once the cloud holds its create; then the cloud answers
 * (nobody listens) and the pair stands in the cloud with no key anywhere.
 */
async function cutOffCreate(deployment: HandlerDeployment, triggers: Record<string, string>, cloudActs = true): Promise<void> {
  const cloud = triggers[TRIGGER_KEYS.cloud] as CloudName;
  const action = triggers[TRIGGER_KEYS.keySource] === KEY_SOURCES.generate ? IMPORT_ACTION[cloud] : CREATE_ACTION[cloud];
  bed.emulator.injectFault({ cloud, action, kind: 'latency', hold: true });
  const child = spawn(process.execPath, [BUNDLE, 'create'], {
    cwd: deployment.directory,
    env: {
      PATH: process.env.PATH,
      ...bed.emulator.handlerEnvironment(),
      ...TEST_HANDLER_TUNING,
      [HANDLER_ENV.triggers]: JSON.stringify(triggers),
      [HANDLER_ENV.tags]: '{}',
    },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  await waitUntil(() => bed.emulator.pendingFaults().length === 0, 'the create is held', 60_000);
  child.kill('SIGKILL');
  await exited;
  if (!cloudActs) {
    bed.emulator.reset(); // the request never reached the cloud's action: dropped unanswered
    return;
  }
  expect(bed.emulator.releaseHeldRequests(cloud)).toBe(1);
  await waitUntil(() => bed.emulator.listKeyPairs(cloud).length === 1, 'the cloud has made the pair');
}

describe.each(CLOUD_NAMES)('%s: a cloud-generated create cut off after it was sent', (cloud) => {
  let deployment: HandlerDeployment;
  let triggers: Record<string, string>;
  let keyFile: string;
  beforeEach(async () => {
    deployment = bed.newDeployment().deployment;
    triggers = deployment.triggers(cloud, `cut_${cloud}`);
    keyFile = triggers[TRIGGER_KEYS.privateKeyFile];
    await cutOffCreate(deployment, triggers);
  });

  test('leaves the pair without its key and the mark; the read reports it missing, so the next apply makes it again', async () => {
    expect({ keyFile: fs.existsSync(keyFile), mark: fs.existsSync(`${keyFile}.pending`) }).toEqual({ keyFile: false, mark: true });
    expect(fs.readFileSync(`${keyFile}.pending`, 'utf8')).not.toMatch(/PRIVATE KEY|secret/i);

    const read = await deployment.read(triggers);
    expect(resultOf(read)[RESULT_KEYS.status]).toBe(READ_STATUS.missing);
    expect(read.stderr).toContain('was made by a create cut off before its private key arrived');
    expect(bed.emulator.listKeyPairs(cloud)).toHaveLength(1); // a read changes nothing
  });

  test('the create that follows deletes the keyless pair and makes one with its key; the mark goes', async () => {
    const [late] = bed.emulator.listKeyPairs(cloud);

    const created = await deployment.create(triggers);

    expect({ exitCode: created.exitCode, stderr: created.exitCode === 0 ? '' : created.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const pairs = bed.emulator.listKeyPairs(cloud);
    expect(pairs.map((pair) => pair.id)).not.toContain(late.id);
    expect(pairs).toHaveLength(1);
    expect(bed.emulator.requests(cloud).filter((entry) => DELETE_ACTIONS.includes(entry.action ?? '') && entry.handled)).toHaveLength(1);
    expect(resultOf(await deployment.read(triggers))[RESULT_KEYS.publicKey]).toBe(sshKeygenPublicKeyOf(keyFile));
    expect(fs.existsSync(`${keyFile}.pending`)).toBe(false);
  });

  test('a delete (the replaced carrier\'s destroy step) deletes the keyless pair; the mark goes', async () => {
    const deleted = await deployment.delete(triggers);

    expect({ exitCode: deleted.exitCode, stderr: deleted.exitCode === 0 ? '' : deleted.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(fs.existsSync(`${keyFile}.pending`)).toBe(false);
  });

  test('the mark speaks for its own construct only', async () => {
    const other = { ...triggers, [TRIGGER_KEYS.owner]: deployment.owner('fedcba9876543210') };

    const read = await deployment.read(other);

    if (cloud === 'ucloud') {
      // Nothing proves the pair the other construct's: reported by its name alone, never as made by its create.
      expect(resultOf(read)[RESULT_KEYS.status]).toBe(READ_STATUS.present);
    } else {
      expect(resultOf(read)[RESULT_KEYS.status]).toBe(READ_STATUS.taken);
    }
    expect(read.stderr).not.toContain('cut off');
  });
});

describe.each(CLOUD_NAMES)('%s: a create of a key generated here, cut off after its key was written', (cloud) => {
  let deployment: HandlerDeployment;
  let triggers: Record<string, string>;
  let keyFile: string;
  beforeEach(() => {
    deployment = bed.newDeployment().deployment;
    triggers = deployment.triggers(cloud, `gen_${cloud}`, { [TRIGGER_KEYS.keySource]: KEY_SOURCES.generate, [TRIGGER_KEYS.keyAlgorithm]: 'rsa' });
    keyFile = triggers[TRIGGER_KEYS.privateKeyFile];
  });
  const expectCreated = async (outcome: Awaited<ReturnType<HandlerDeployment['create']>>, written: string) => {
    expect({ exitCode: outcome.exitCode, stderr: outcome.exitCode === 0 ? '' : outcome.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(bed.emulator.listKeyPairs(cloud)).toHaveLength(1);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(written); // the key written before the cut, never replaced
    expect(resultOf(await deployment.read(triggers))[RESULT_KEYS.publicKey]).toBe(sshKeygenPublicKeyOf(keyFile));
    expect(fs.existsSync(`${keyFile}.pending`)).toBe(false);
  };

  test('the import never reached the cloud: the next create imports the key in the file, the one the cut-off create wrote', async () => {
    await cutOffCreate(deployment, triggers, false);
    expect({ keyFile: fs.existsSync(keyFile), mark: fs.existsSync(`${keyFile}.pending`), pairs: bed.emulator.listKeyPairs(cloud).length })
      .toEqual({ keyFile: true, mark: true, pairs: 0 });
    const written = fs.readFileSync(keyFile, 'utf8');

    const created = await deployment.create(triggers);

    await expectCreated(created, written);
    expect(created.stderr).toContain('a create of this key pair generated it and was cut off before its import');
  });

  test('the cloud carried the import out: the next create adopts the pair, which holds the key in the file', async () => {
    await cutOffCreate(deployment, triggers);
    const written = fs.readFileSync(keyFile, 'utf8');
    const [made] = bed.emulator.listKeyPairs(cloud);

    const created = await deployment.create(triggers);

    await expectCreated(created, written);
    expect(bed.emulator.listKeyPairs(cloud).map((pair) => pair.id)).toEqual([made.id]);
  });

  test('a file without our mark is still never overwritten nor imported', async () => {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, 'someone else\'s file\n', { mode: 0o600 });

    const created = await deployment.create(triggers);

    expect(created.exitCode).toBe(1);
    expect(created.stderr).toContain(`${keyFile} already exists and no key pair named "gen_${cloud}" does`);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe('someone else\'s file\n');
    expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
  });
});
