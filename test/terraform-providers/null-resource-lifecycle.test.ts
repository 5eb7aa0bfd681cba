import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TerraformRunResult, TerraformWorkspace } from '../support/terraform';

// A null_resource with create and destroy provisioners, and a second one whose trigger is the first
// one's id: unknown at plan time, known only once the first is created.
const CONFIG = `
variable "generation" {
  type    = string
  default = "1"
}

resource "null_resource" "first" {
  triggers = { generation = var.generation }

  provisioner "local-exec" {
    command = "echo created \${self.triggers.generation} >> events.log"
  }
  provisioner "local-exec" {
    when    = destroy
    command = "echo destroyed \${self.triggers.generation} >> events.log"
  }
}

resource "null_resource" "second" {
  triggers = { first_id = null_resource.first.id }
}

output "first_id" {
  value = null_resource.first.id
}
output "second_trigger" {
  value = null_resource.second.triggers.first_id
}
`;

/** Each test builds its own workspace up to the state it needs, so tests run alone or in any order. */
describe('null_resource through real terraform', () => {
  let workspace: TerraformWorkspace;

  /** Runs a command that must succeed and must leave no plugin process or socket file behind. */
  async function step(args: string[], env?: Record<string, string>): Promise<TerraformRunResult> {
    const result = await workspace.runOrThrow(args, { env });
    expect(workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
    return result;
  }

  async function applied(): Promise<void> {
    await step(['init']);
    await step(['apply', '-auto-approve']);
  }

  function events(): string[] {
    return readFileSync(path.join(workspace.workingDirectory, 'events.log'), 'utf8').trim().split('\n');
  }

  beforeEach(async () => {
    workspace = await TerraformWorkspace.create({ files: { 'main.tf': CONFIG } });
  });

  afterEach(() => workspace.dispose());

  test('init installs the provider offline and writes the lock file', async () => {
    // WHEN
    const result = await step(['init']);

    // THEN
    expect(result.stdout).toContain('Installed hashicorp/null v3.2.4');
    const lockFile = workspace.readFile('.terraform.lock.hcl');
    expect(lockFile).toContain('provider "registry.terraform.io/hashicorp/null"');
    expect(lockFile).toMatch(/version\s+= "3\.2\.4"/);
    expect(lockFile).toMatch(/"h1:[A-Za-z0-9+/=]+"/);
  });

  test('validate accepts the configuration', async () => {
    // GIVEN
    await step(['init']);

    // WHEN
    const result = await step(['validate']);

    // THEN
    expect(result.stdout).toContain('Success! The configuration is valid.');
  });

  test('plan proposes both resources, the dependent trigger still unknown', async () => {
    // GIVEN
    await step(['init']);

    // WHEN
    const result = await workspace.run(['plan', '-detailed-exitcode']);

    // THEN
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
    expect(result.stdout).toMatch(/"first_id" = \(known after apply\)/);
    expect(workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
  });

  test('apply creates both, runs the create provisioner and resolves the unknown trigger; a second plan finds nothing to do', async () => {
    // GIVEN
    await step(['init']);

    // WHEN
    const apply = await step(['apply', '-auto-approve']);
    const replan = await workspace.run(['plan', '-detailed-exitcode']);

    // THEN
    expect(apply.stdout).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
    expect(events()).toEqual(['created 1']);
    const outputs = await workspace.outputs();
    expect(outputs.first_id).toMatch(/^\d+$/);
    expect(outputs.second_trigger).toBe(outputs.first_id);
    expect(replan.exitCode).toBe(0);
    expect(replan.stdout).toContain('No changes.');
  });

  test('a changed trigger forces replacement: destroy provisioner with the old triggers, then create', async () => {
    // GIVEN
    await applied();
    const before = await workspace.outputs();
    const changed = { TF_VAR_generation: '2' };

    // WHEN
    const plan = await workspace.run(['plan', '-detailed-exitcode'], { env: changed });
    await step(['apply', '-auto-approve'], changed);

    // THEN
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain('# forces replacement');
    expect(plan.stdout).toContain('Plan: 2 to add, 0 to change, 2 to destroy.');
    expect(events()).toEqual(['created 1', 'destroyed 1', 'created 2']);
    const after = await workspace.outputs();
    expect(after.first_id).not.toBe(before.first_id);
    expect(after.second_trigger).toBe(after.first_id);
  });

  test('apply -replace recreates the resource even though nothing changed', async () => {
    // GIVEN
    await applied();
    const before = await workspace.outputs();

    // WHEN
    const result = await step(['apply', '-auto-approve', '-replace=null_resource.first']);

    // THEN
    expect(result.stdout).toContain('Resources: 2 added, 0 changed, 2 destroyed.');
    expect(events()).toEqual(['created 1', 'destroyed 1', 'created 1']);
    expect((await workspace.outputs()).first_id).not.toBe(before.first_id);
  });

  test('destroy removes everything, its provisioner reading self.triggers', async () => {
    // GIVEN
    await applied();

    // WHEN
    const result = await step(['destroy', '-auto-approve']);

    // THEN
    expect(result.stdout).toContain('Destroy complete! Resources: 2 destroyed.');
    expect(events()).toEqual(['created 1', 'destroyed 1']);
    expect((await step(['state', 'list'])).stdout.trim()).toBe('');
  });
});
