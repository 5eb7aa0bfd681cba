import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, IAspect, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { newStack, synthJson } from './helpers';
import { AlicloudKeyPair, TencentcloudKeyPair, UcloudKeyPair } from '../../src';

/**
 * A key pair construct's outputs (`<stem>_key_pair_id`, `<stem>_fingerprint`) against every other output of
 * its stack: cdktf would merge two outputs with one logical id into one, silently. Synth fails instead,
 * naming both constructs and the two ways out.
 */

/** The message synth fails with (with the stack's validations, as `cdktf synth` runs them), or a failure. */
function synthError(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected synth to fail');
}

const bastion = (scope: Construct, props: { outputs?: boolean } = {}) =>
  new AlicloudKeyPair(scope, 'bastion', { region: 'cn-hangzhou', privateKeyFile: 'b.pem', ...props });

describe('a user output with the logical id of a key pair output', () => {
  test.each([
    ['declared before the key pair', 'bastion_fingerprint', true],
    ['declared after the key pair', 'bastion_fingerprint', false],
    ['declared before, on the KeyPairId output', 'bastion_key_pair_id', true],
    ['declared after, on the KeyPairId output', 'bastion_key_pair_id', false],
  ])('%s: synth fails naming both constructs, with the remedies', (_, id, userFirst) => {
    // GIVEN
    const stack = newStack('web');
    if (userFirst) new TerraformOutput(stack, id, { value: 'mine' });
    bastion(stack);
    if (!userFirst) new TerraformOutput(stack, id, { value: 'mine' });
    // WHEN
    const message = synthError(stack);
    // THEN
    expect(message).toContain(`the Terraform output "${id}" is declared twice in stack web`);
    expect(message).toContain('by the key pair web/bastion (AlicloudKeyPair, outputs: true)');
    expect(message).toContain(`by the TerraformOutput web/${id}`);
    expect(message).toContain(`rename the TerraformOutput web/${id}`);
    expect(message).toContain('set outputs: false on web/bastion');
  });

  test('an id the user gives the output with overrideLogicalId, after creating it', () => {
    // GIVEN
    const stack = newStack('web');
    bastion(stack);
    const output = new TerraformOutput(stack, 'sha256', { value: 'mine' });
    // WHEN
    output.overrideLogicalId('bastion_fingerprint');
    // THEN
    const message = synthError(stack);
    expect(message).toContain('"bastion_fingerprint" is declared twice');
    expect(message).toContain('by the TerraformOutput web/sha256');
    expect(message).toContain('by the key pair web/bastion');
  });

  test('the reverse: a key pair output overridden onto the id of a user output', () => {
    // GIVEN
    const stack = newStack('web');
    new TerraformOutput(stack, 'summary', { value: 'mine' });
    const keyPair = bastion(stack);
    // WHEN
    (keyPair.node.findChild('fingerprint') as TerraformOutput).overrideLogicalId('summary');
    // THEN
    const message = synthError(stack);
    expect(message).toContain('"summary" is declared twice');
    expect(message).toContain('by the TerraformOutput web/summary');
    expect(message).toContain('by the key pair web/bastion');
  });

  test('a key pair below a construct: its path is the stem', () => {
    // GIVEN
    const stack = newStack('web');
    new TencentcloudKeyPair(new Construct(stack, 'team'), 'ci', { region: 'ap-guangzhou', privateKeyFile: 'ci.pem' });
    new TerraformOutput(stack, 'team_ci_key_pair_id', { value: 'mine' });
    // THEN
    const message = synthError(stack);
    expect(message).toContain('"team_ci_key_pair_id" is declared twice');
    expect(message).toContain('by the key pair web/team/ci (TencentcloudKeyPair, outputs: true)');
  });

  test('every collision of the stack in one message', () => {
    // GIVEN
    const stack = newStack('web');
    bastion(stack);
    new TerraformOutput(stack, 'bastion_fingerprint', { value: 'mine' });
    new TerraformOutput(stack, 'bastion_key_pair_id', { value: 'mine' });
    // THEN
    const message = synthError(stack);
    expect(message).toContain('"bastion_fingerprint" is declared twice');
    expect(message).toContain('"bastion_key_pair_id" is declared twice');
  });

  test('two key pairs whose outputs meet after an override: both named, rename one or turn outputs off', () => {
    // GIVEN
    const stack = newStack('web');
    bastion(stack);
    const edge = new UcloudKeyPair(stack, 'edge', { region: 'cn-bj2', privateKeyFile: 'e.pem' });
    // WHEN
    (edge.node.findChild('fingerprint') as TerraformOutput).overrideLogicalId('bastion_fingerprint');
    // THEN
    const message = synthError(stack);
    expect(message).toContain('by the key pair web/bastion (AlicloudKeyPair, outputs: true)');
    expect(message).toContain('by the key pair web/edge (UcloudKeyPair, outputs: true)');
    expect(message).toContain('rename one of the key pair constructs');
    expect(message).toContain('set outputs: false on web/bastion or web/edge');
  });
});

describe('final logical ids, as the stack synthesizes', () => {
  /** Renames one output when the aspect reaches it. */
  class RenameOutput implements IAspect {
    constructor(private readonly from: string, private readonly to: string) {}
    visit(node: IConstruct): void {
      if (TerraformOutput.isTerraformOutput(node) && node.node.id === this.from) node.overrideLogicalId(this.to);
    }
  }

  test('an id an aspect gives an output is the one checked', () => {
    // GIVEN
    const stack = newStack('web');
    bastion(stack);
    new TerraformOutput(stack, 'mine', { value: 'mine' });
    Aspects.of(stack).add(new RenameOutput('mine', 'bastion_key_pair_id'));
    // THEN
    const message = synthError(stack);
    expect(message).toContain('[web] cdktf-keypair: the Terraform output "bastion_key_pair_id" is declared twice');
    expect(message).toContain('by the TerraformOutput web/mine');
  });

  test('cdktf synth (App.synth) fails, and writes no stack', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-collisions-'));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'web');
      bastion(stack);
      new TerraformOutput(stack, 'bastion_fingerprint', { value: 'mine' });
      // THEN
      expect(() => app.synth()).toThrow(/the Terraform output "bastion_fingerprint" is declared twice in stack web/);
      expect(fs.existsSync(path.join(outdir, 'stacks', 'web', 'cdk.tf.json'))).toBe(false);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a colliding id overridden away before synth is fine', () => {
    // GIVEN
    const stack = newStack('web');
    bastion(stack);
    const output = new TerraformOutput(stack, 'bastion_fingerprint', { value: 'mine' });
    // WHEN
    output.overrideLogicalId('bastion_sha256');
    // THEN
    expect(Object.keys(synthJson(stack).output).sort()).toEqual(['bastion_fingerprint', 'bastion_key_pair_id', 'bastion_sha256']);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});

describe('no false positives', () => {
  test('outputs whose names only start like the key pair\'s', () => {
    // GIVEN
    const stack = newStack('web');
    const keyPair = bastion(stack);
    new TerraformOutput(stack, 'bastion_fingerprint_sha256', { value: keyPair.fingerprintSha256 });
    new TerraformOutput(stack, 'bastion_key_pair_id_2', { value: 'x' });
    new TerraformOutput(stack, 'bastion_fp', { value: 'x' });
    // THEN
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(Object.keys(synthJson(stack).output)).toHaveLength(5);
  });

  test('outputs: false leaves the names to the user', () => {
    // GIVEN
    const stack = newStack('web');
    const keyPair = bastion(stack, { outputs: false });
    new TerraformOutput(stack, 'bastion_fingerprint', { value: keyPair.fingerprint });
    new TerraformOutput(stack, 'bastion_key_pair_id', { value: keyPair.keyPairId });
    // THEN
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(synthJson(stack).output.bastion_fingerprint.description).toBeUndefined();
  });

  test('the same name in another stack of the app', () => {
    // GIVEN
    const app = Testing.app();
    const web = new TerraformStack(app, 'web');
    const other = new TerraformStack(app, 'other');
    bastion(web);
    new TerraformOutput(other, 'bastion_fingerprint', { value: 'mine' });
    // THEN
    expect(() => Testing.synth(web, true)).not.toThrow();
    expect(() => Testing.synth(other, true)).not.toThrow();
  });

  test('many key pairs and outputs of the user side by side', () => {
    // GIVEN
    const stack = newStack('web');
    for (let index = 0; index < 20; index += 1) {
      const keyPair = new UcloudKeyPair(stack, `edge${index}`, { region: 'cn-bj2', privateKeyFile: `e${index}.pem` });
      new TerraformOutput(stack, `edge${index}_sha256`, { value: keyPair.fingerprintSha256 });
    }
    // THEN
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(Object.keys(synthJson(stack).output)).toHaveLength(60);
  });
});
