import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { BasicStack } from '../../examples/basic/main';
import { TerraformWorkspace } from '../support/terraform';

describe('the example app', () => {
  let outdir: string;
  let workspace: TerraformWorkspace | undefined;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-synth-'));
  });
  afterAll(() => {
    workspace?.dispose();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('synthesizes a self-contained stack that real terraform applies, running the shipped handler', async () => {
    // GIVEN the example synthesized the way `npx projen demo` does
    const app = new App({ outdir });
    new BasicStack(app, 'basic');
    app.synth();
    const stackDirectory = path.join(outdir, 'stacks', 'basic');
    const synthesized = JSON.parse(fs.readFileSync(path.join(stackDirectory, 'cdk.tf.json'), 'utf8'));
    // No path of the synthesizing machine in the output: it deploys from anywhere.
    expect(JSON.stringify(synthesized)).not.toContain(outdir);
    expect(synthesized.resource.null_resource['handler-check'].triggers).toBeUndefined();

    // WHEN the stack directory is applied and destroyed by real terraform, on the offline stand-ins
    workspace = await TerraformWorkspace.create();
    fs.cpSync(stackDirectory, workspace.workingDirectory, { recursive: true });
    await workspace.runOrThrow(['init']);
    const apply = await workspace.runOrThrow(['apply', '-auto-approve']);
    const destroy = await workspace.runOrThrow(['destroy', '-auto-approve']);

    // THEN the handler bundle ran from the asset with plain node and printed its commands
    expect(apply.stdout).toMatch(/handler-check \(local-exec\):\s+create\s/);
    expect(apply.stdout).toMatch(/handler-check \(local-exec\):\s+delete\s/);
    expect(destroy.stdout).toContain('Destroy complete! Resources: 1 destroyed.');
    expect(workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
  });
});
