import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { oneLine, TerraformWorkspace } from '../support/terraform';

// How a change of `triggers` is planned, as the real hashicorp/null 3.2.4 plans it (its plan modifier
// RequiresReplaceIfValuesNotNull): in place unless a non-null value is added, changed or removed.

/** A null_resource whose create provisioner logs each creation, plus any other resources. */
function config(triggers: string | undefined, otherResources = ''): string {
  return `
    ${otherResources}
    resource "null_resource" "target" {
      ${triggers === undefined ? '' : `triggers = ${triggers}`}
      provisioner "local-exec" {
        command = "echo created >> events.log"
      }
    }
    output "id" {
      value = null_resource.target.id
    }
  `;
}

/** A resource that is new in the second configuration: its id stays unknown until apply. */
const FRESH_RESOURCE = 'resource "null_resource" "fresh" {}';

describe('null_resource triggers changes through real terraform', () => {
  const workspaces: TerraformWorkspace[] = [];

  /** Applies the first configuration, then writes the second one and plans it. */
  async function changeConfiguration(before: string, after: string) {
    const workspace = await TerraformWorkspace.create({ files: { 'main.tf': before } });
    workspaces.push(workspace);
    await workspace.runOrThrow(['init']);
    await workspace.runOrThrow(['apply', '-auto-approve']);
    const idBefore = (await workspace.outputs()).id;
    workspace.writeFile('main.tf', after);
    const plan = await workspace.run(['plan', '-detailed-exitcode']);
    return { workspace, idBefore, plan };
  }

  function events(workspace: TerraformWorkspace): string[] {
    return readFileSync(path.join(workspace.workingDirectory, 'events.log'), 'utf8').trim().split('\n');
  }

  afterEach(() => {
    for (const workspace of workspaces.splice(0)) {
      expect(workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
      workspace.dispose();
    }
  });

  test.each([
    ['null becoming an empty map', undefined, '{}'],
    ['an added key whose value is null', '{ a = "1" }', '{ a = "1", b = null }'],
    ['null becoming a map whose values are all null', undefined, '{ a = null }'],
  ])('%s is updated in place: same id, no provisioner run', async (_case, before, after) => {
    // GIVEN
    const { workspace, idBefore, plan } = await changeConfiguration(config(before), config(after));

    // WHEN
    const apply = await workspace.runOrThrow(['apply', '-auto-approve']);

    // THEN
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain('null_resource.target will be updated in-place');
    expect(plan.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect(apply.stdout).toContain('Resources: 0 added, 1 changed, 0 destroyed.');
    expect((await workspace.outputs()).id).toBe(idBefore);
    expect(events(workspace)).toEqual(['created']);
  });

  test.each([
    ['a removed key', '{ a = "1", b = "2" }', config('{ a = "1" }')],
    ['a changed value', '{ a = "1" }', config('{ a = "2" }')],
    ['an added key with a value', '{ a = "1" }', config('{ a = "1", b = "2" }')],
    ['an element unknown until apply', '{ a = "1" }', config('{ a = "1", fresh = null_resource.fresh.id }', FRESH_RESOURCE)],
    ['a map literal with an unknown value where there were no triggers', undefined, config('{ fresh = null_resource.fresh.id }', FRESH_RESOURCE)],
  ])('%s replaces the resource and runs its provisioner again', async (_case, before, after) => {
    // GIVEN
    const { workspace, idBefore, plan } = await changeConfiguration(config(before), after);

    // WHEN
    const apply = await workspace.runOrThrow(['apply', '-auto-approve']);

    // THEN
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain('null_resource.target must be replaced');
    expect(plan.stdout).toContain('# forces replacement');
    expect(apply.stdout).toMatch(/Resources: [12] added, 0 changed, 1 destroyed\./);
    expect((await workspace.outputs()).id).not.toBe(idBefore);
    expect(events(workspace)).toEqual(['created', 'created']);
  });

  test.each([
    ['no triggers', undefined],
    ['empty triggers', '{}'],
  ])('a wholly unknown map where there were %s is planned in place, and the apply then fails as with the real provider', async (_case, before) => {
    // GIVEN a conditional: its result is unknown as a whole until null_resource.fresh exists
    const after = config('null_resource.fresh.id != "" ? { fresh = null_resource.fresh.id } : {}', FRESH_RESOURCE);
    const { workspace, idBefore, plan } = await changeConfiguration(config(before), after);

    // WHEN
    const apply = await workspace.run(['apply', '-auto-approve']);

    // THEN
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain('null_resource.target will be updated in-place');
    expect(plan.stdout).toContain('Plan: 1 to add, 1 to change, 0 to destroy.');
    expect(apply.exitCode).toBe(1);
    const stderr = oneLine(apply.stderr);
    expect(stderr).toContain('Error: Provider produced inconsistent final plan');
    expect(stderr).toContain('changed the planned action from Update to DeleteThenCreate');
    expect((await workspace.outputs()).id).toBe(idBefore);
    expect(events(workspace)).toEqual(['created']);
  });
});
