import { oneLine, TerraformWorkspace } from '../support/terraform';

// The deprecated data "null_data_source" of hashicorp/null 3.2.4: still served, with its warning.
const CONFIG = `
data "null_data_source" "defaulted" {
  inputs = { greeting = "hello", empty = "" }
}
data "null_data_source" "set" {
  has_computed_default = "chosen"
}
output "defaulted" {
  value = {
    outputs              = data.null_data_source.defaulted.outputs
    has_computed_default = data.null_data_source.defaulted.has_computed_default
    random               = data.null_data_source.defaulted.random
  }
}
output "set" {
  value = {
    outputs_is_null      = data.null_data_source.set.outputs == null
    has_computed_default = data.null_data_source.set.has_computed_default
  }
}
output "id" {
  value = data.null_data_source.defaulted.id
}
`;

describe('data "null_data_source" through real terraform', () => {
  let workspace: TerraformWorkspace;

  afterEach(() => {
    expect(workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
    workspace.dispose();
  });

  test('copies inputs to outputs, defaults has_computed_default, and warns that it and its id are deprecated', async () => {
    // GIVEN
    workspace = await TerraformWorkspace.create({ files: { 'main.tf': CONFIG } });
    await workspace.runOrThrow(['init']);

    // WHEN
    const apply = await workspace.runOrThrow(['apply', '-auto-approve']);
    const outputs = await workspace.outputs();

    // THEN
    expect(outputs).toEqual({
      defaulted: { outputs: { greeting: 'hello', empty: '' }, has_computed_default: 'default', random: expect.stringMatching(/^\d+$/) },
      set: { outputs_is_null: true, has_computed_default: 'chosen' },
      id: 'static',
    });
    const messages = oneLine(apply.stdout + apply.stderr);
    expect(messages).toContain('Warning: Deprecated');
    expect(messages).toContain('The null_data_source was historically used to construct intermediate values to re-use elsewhere in configuration');
    expect(messages).toContain('Warning: Deprecated attribute');
    expect(messages).toContain('The attribute "id" is deprecated.');
  });
});
