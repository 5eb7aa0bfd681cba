import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunningEmulator, startEmulator } from '../../emulator';
import { cdktfStackDirectory, withCdktfHint } from '../../handler/cdktf-hint';
import { runHandler } from '../../handler/run';
import { HANDLER_ENV, KEY_SOURCES, ownerValue, TAG_ENTRY_KEYS, TRIGGER_KEYS } from '../../src/contract';
import { fastSettings } from '../support/emulated-clients';

/** A cdktf app's output as `cdktf synth` leaves it: `<app>/cdktf.out/stacks/<stack>/cdk.tf.json`. */
function synthesizedStack(root: string, stack: string): string {
  const directory = path.join(root, 'app', 'cdktf.out', 'stacks', stack);
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'cdk.tf.json'), '{}');
  return directory;
}

describe('where a cdktf user runs Terraform', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-hint-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a cdktf stack directory: the stack and cdktf.out/stacks/<stack>', () => {
    expect(cdktfStackDirectory(synthesizedStack(root, 'web-prod'))).toEqual({ stack: 'web-prod', display: 'cdktf.out/stacks/web-prod' });
  });

  test('Terraform on a configuration of its own (no cdk.tf.json, or not under stacks/) is no cdktf stack', () => {
    const plain = path.join(root, 'plain', 'stacks', 'web');
    fs.mkdirSync(plain, { recursive: true });
    expect(cdktfStackDirectory(plain)).toBeUndefined();
    const elsewhere = path.join(root, 'elsewhere');
    fs.mkdirSync(elsewhere, { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'cdk.tf.json'), '{}');
    expect(cdktfStackDirectory(elsewhere)).toBeUndefined();
  });
});

describe('messages that ask for a Terraform command', () => {
  const stack = { stack: 'web', display: 'cdktf.out/stacks/web' };

  test('a vanished pair: apply again, which cdktf deploy runs (the plan makes it again)', () => {
    expect(withCdktfHint('The key pair no longer exists; if it was deleted outside Terraform, run terraform apply again: the plan makes it again', stack)).toBe(
      'The key pair no longer exists; if it was deleted outside Terraform, run terraform apply again: the plan makes it again. ' +
        'With cdktf: cdktf deploy web (Terraform runs in cdktf.out/stacks/web)',
    );
  });

  test('terraform destroy / apply again: the cdktf command for the stack, and where Terraform runs', () => {
    expect(withCdktfHint('It is still bound to an instance: detach it, then run terraform destroy again', stack)).toBe(
      'It is still bound to an instance: detach it, then run terraform destroy again. With cdktf: cdktf destroy web (Terraform runs in cdktf.out/stacks/web)',
    );
    expect(withCdktfHint('Run terraform apply again: the plan will show why', stack)).toBe(
      'Run terraform apply again: the plan will show why. With cdktf: cdktf deploy web (Terraform runs in cdktf.out/stacks/web)',
    );
  });

  test('other messages, and any message outside cdktf, are left as they are', () => {
    expect(withCdktfHint('the key pair name "web" is taken', stack)).toBe('the key pair name "web" is taken');
    expect(withCdktfHint('run terraform destroy again', undefined)).toBe('run terraform destroy again');
  });
});

describe('the handler, run by Terraform in a cdktf stack directory', () => {
  let emulator: RunningEmulator;
  let root: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-hint-run-'));
  });
  afterAll(async () => {
    await emulator.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an error asking for terraform apply names cdktf deploy and the stack directory', async () => {
    // GIVEN the tag step for a pair that is gone
    const triggers = {
      [TRIGGER_KEYS.cloud]: 'alicloud',
      [TRIGGER_KEYS.region]: 'cn-hangzhou',
      [TRIGGER_KEYS.keyPairName]: 'gone_pair',
      [TRIGGER_KEYS.keySource]: KEY_SOURCES.cloud,
      [TRIGGER_KEYS.privateKeyFile]: path.join(root, 'gone.pem'),
      [TRIGGER_KEYS.owner]: ownerValue(randomUUID(), '0123456789abcdef'),
    };
    const entries = {
      gone: { [TAG_ENTRY_KEYS.triggers]: triggers, [TAG_ENTRY_KEYS.keyPairId]: 'gone_pair', [TAG_ENTRY_KEYS.tags]: '{}', [TAG_ENTRY_KEYS.revision]: 'changed-1' },
    };
    // WHEN the handler runs in the stack directory of stack "edge"
    const outcome = await runHandler({
      argv: ['tags'],
      env: { ...emulator.handlerEnvironment(), [HANDLER_ENV.tagEntries]: JSON.stringify(entries) },
      settings: fastSettings(),
      workingDirectory: synthesizedStack(root, 'edge'),
    });
    // THEN
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain('Run terraform apply again: the plan will show why. With cdktf: cdktf deploy edge (Terraform runs in cdktf.out/stacks/edge)');
  });
});
