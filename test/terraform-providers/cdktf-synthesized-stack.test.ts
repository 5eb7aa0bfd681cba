import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DataExternal } from '@cdktf/provider-external/lib/data-external';
import { ExternalProvider } from '@cdktf/provider-external/lib/provider';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { TerraformWorkspace } from '../support/terraform';

/** A stack shaped like the key pair constructs: a program's result feeds a null_resource's triggers. */
function synthesizeStack(): string {
  const stack = new TerraformStack(Testing.app(), 'stand-in-demo');
  new NullProvider(stack, 'null');
  new ExternalProvider(stack, 'external');
  const lookup = new DataExternal(stack, 'lookup', {
    program: ['node', '-e', 'process.stdout.write(JSON.stringify({ fingerprint: "SHA256:demo" }))'],
  });
  const keyPair = new Resource(stack, 'key_pair', {
    triggers: { fingerprint: lookup.result.lookup('fingerprint') },
    provisioners: [
      { type: 'local-exec', command: 'echo created ${self.triggers.fingerprint} >> events.log' },
      { type: 'local-exec', when: 'destroy', command: 'echo destroyed ${self.triggers.fingerprint} >> events.log' },
    ],
  });
  new TerraformOutput(stack, 'key_pair_id', { value: keyPair.id });
  new TerraformOutput(stack, 'fingerprint', { value: lookup.result.lookup('fingerprint') });
  return Testing.synth(stack);
}

describe('a cdktf-synthesized stack on the stand-ins', () => {
  let workspace: TerraformWorkspace;

  beforeAll(async () => {
    workspace = await TerraformWorkspace.create({ files: { 'main.tf.json': synthesizeStack() } });
  });

  afterAll(() => workspace.dispose());

  test('the prebuilt bindings pin exactly the versions the mirror offers', () => {
    // WHEN
    const synthesized = JSON.parse(workspace.readFile('main.tf.json'));

    // THEN
    expect(synthesized.terraform.required_providers).toEqual({
      null: { source: 'null', version: '3.2.4' },
      external: { source: 'external', version: '2.3.5' },
    });
  });

  test('init, validate, apply, a no-op plan and destroy all succeed', async () => {
    // WHEN
    const init = await workspace.runOrThrow(['init']);
    await workspace.runOrThrow(['validate']);
    const apply = await workspace.runOrThrow(['apply', '-auto-approve']);
    const outputs = await workspace.outputs();
    const replan = await workspace.run(['plan', '-detailed-exitcode']);
    const destroy = await workspace.runOrThrow(['destroy', '-auto-approve']);

    // THEN
    expect(init.stdout).toContain('Installed hashicorp/external v2.3.5');
    expect(init.stdout).toContain('Installed hashicorp/null v3.2.4');
    expect(apply.stdout).toContain('Resources: 1 added, 0 changed, 0 destroyed.');
    expect(outputs).toEqual({ key_pair_id: expect.stringMatching(/^\d+$/), fingerprint: 'SHA256:demo' });
    expect(replan.exitCode).toBe(0);
    expect(destroy.stdout).toContain('Resources: 1 destroyed.');
    const events = readFileSync(path.join(workspace.workingDirectory, 'events.log'), 'utf8');
    expect(events).toBe('created SHA256:demo\ndestroyed SHA256:demo\n');
    expect(workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
  });
});
