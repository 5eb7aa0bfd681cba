import { chmodSync } from 'node:fs';
import * as path from 'node:path';
import { oneLine, TerraformWorkspace } from '../support/terraform';

// Prints what it received on stdin and where it ran, plus a greeting built from the query.
const ECHO_PROGRAM = `
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const query = JSON.parse(input);
  process.stdout.write(JSON.stringify({ greeting: 'hello ' + query.name, stdin: input, cwd: process.cwd() }));
});
`;

function dataSourceConfig(body: string): string {
  return `data "external" "program" {\n${body}\n}\n`;
}

describe('data "external" through real terraform', () => {
  const workspaces: TerraformWorkspace[] = [];

  async function initializedWorkspace(files: Record<string, string>): Promise<TerraformWorkspace> {
    const workspace = await TerraformWorkspace.create({ files });
    workspaces.push(workspace);
    await workspace.runOrThrow(['init']);
    return workspace;
  }

  afterEach(() => {
    for (const workspace of workspaces.splice(0)) {
      // Every command, failed or not, must leave no plugin process and no socket file behind.
      expect(workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
      workspace.dispose();
    }
  });

  test('the result reaches an output; the query arrives on stdin as Go would encode it; working_dir is honoured', async () => {
    // GIVEN
    const workspace = await initializedWorkspace({
      'program/echo.js': ECHO_PROGRAM,
      'main.tf': dataSourceConfig(`
        program     = ["node", "echo.js"]
        working_dir = "\${path.module}/program"
        query       = { name = "world", html = "<a&b>" }
      `) + `
        output "greeting" { value = data.external.program.result.greeting }
        output "stdin" { value = data.external.program.result.stdin }
        output "cwd" { value = data.external.program.result.cwd }
        output "id" { value = data.external.program.id }
      `,
    });

    // WHEN
    await workspace.runOrThrow(['apply', '-auto-approve']);

    // THEN
    const outputs = await workspace.outputs();
    expect(outputs.greeting).toBe('hello world');
    expect(outputs.stdin).toBe('{"html":"\\u003ca\\u0026b\\u003e","name":"world"}');
    expect(outputs.cwd).toBe(`${workspace.workingDirectory}/program`);
    expect(outputs.id).toBe('-');
  });

  test("a failing program's stderr becomes the error", async () => {
    // GIVEN
    const workspace = await initializedWorkspace({
      'main.tf': dataSourceConfig('program = ["sh", "-c", "echo \'no key pair named demo\' >&2; exit 3"]'),
    });

    // WHEN
    const result = await workspace.run(['plan']);

    // THEN
    expect(result.exitCode).toBe(1);
    const stderr = oneLine(result.stderr);
    expect(stderr).toContain('Error: External Program Execution Failed');
    expect(stderr).toContain('Error Message: no key pair named demo');
    expect(stderr).toContain('State: exit status 3');
  });

  test('a program that fails silently is reported with its exit status', async () => {
    // GIVEN
    const workspace = await initializedWorkspace({ 'main.tf': dataSourceConfig('program = ["false"]') });

    // WHEN
    const result = await workspace.run(['plan']);

    // THEN
    expect(result.exitCode).toBe(1);
    expect(oneLine(result.stderr)).toContain('The program was executed, however it returned no additional error messaging.');
    expect(oneLine(result.stderr)).toContain('State: exit status 1');
  });

  test('a result value that is not a string is rejected as the real provider rejects it', async () => {
    // GIVEN
    const workspace = await initializedWorkspace({
      'main.tf': dataSourceConfig('program = ["sh", "-c", "echo \'{\\"count\\": 3}\'"]'),
    });

    // WHEN
    const result = await workspace.run(['plan']);

    // THEN
    expect(result.exitCode).toBe(1);
    const stderr = oneLine(result.stderr);
    expect(stderr).toContain('Error: Unexpected External Program Results');
    expect(stderr).toContain('Program output must be a JSON encoded map of string keys and string values.');
    expect(stderr).toContain('Result Error: json: cannot unmarshal number into Go value of type string');
  });

  test('a program that is not on PATH fails the lookup, the message quoting the program', async () => {
    // GIVEN
    const workspace = await initializedWorkspace({ 'main.tf': dataSourceConfig('program = ["no-such-program-anywhere"]') });

    // WHEN
    const result = await workspace.run(['plan']);

    // THEN
    expect(result.exitCode).toBe(1);
    const stderr = oneLine(result.stderr);
    expect(stderr).toContain('Error: External Program Lookup Failed');
    expect(stderr).toContain("searched based on the '$PATH' environment variable.");
    expect(stderr).toContain('Platform: linux Program: "no-such-program-anywhere" Error: exec: "no-such-program-anywhere": executable file not found in $PATH');
  });

  test('query elements whose value is null are left out of the JSON on stdin', async () => {
    // GIVEN
    const workspace = await initializedWorkspace({
      'program/echo.js': ECHO_PROGRAM,
      'main.tf': dataSourceConfig(`
        program     = ["node", "echo.js"]
        working_dir = "\${path.module}/program"
        query       = { name = "world", absent = null }
      `) + 'output "stdin" { value = data.external.program.result.stdin }',
    });

    // WHEN
    await workspace.runOrThrow(['apply', '-auto-approve']);

    // THEN
    expect((await workspace.outputs()).stdin).toBe('{"name":"world"}');
  });

  test('a program file without a #! line fails with exec format error: no shell runs it', async () => {
    // GIVEN an executable shell script that would work if /bin/sh ran it
    const workspace = await initializedWorkspace({
      'program/no-interpreter-line': 'echo \'{"ran":"yes"}\'\n',
      'main.tf': dataSourceConfig('program = ["${path.module}/program/no-interpreter-line"]'),
    });
    chmodSync(path.join(workspace.workingDirectory, 'program', 'no-interpreter-line'), 0o755);

    // WHEN
    const result = await workspace.run(['plan']);

    // THEN
    expect(result.exitCode).toBe(1);
    const stderr = oneLine(result.stderr);
    expect(stderr).toContain('Error: External Program Execution Failed');
    expect(stderr).toContain('The program was executed, however it returned no additional error messaging.');
    expect(stderr).toContain('State: fork/exec ./program/no-interpreter-line: exec format error');
  });

  test('a program printing JSON null makes result null', async () => {
    // GIVEN
    const workspace = await initializedWorkspace({
      'main.tf': dataSourceConfig('program = ["echo", "null"]') + 'output "result_is_null" { value = data.external.program.result == null }',
    });

    // WHEN
    await workspace.runOrThrow(['apply', '-auto-approve']);

    // THEN
    expect((await workspace.outputs()).result_is_null).toBe(true);
  });

  test("malformed JSON output is reported in Go's words", async () => {
    // GIVEN
    const workspace = await initializedWorkspace({ 'main.tf': dataSourceConfig('program = ["echo", "{\\"a\\": \\"1\\"} trailing"]') });

    // WHEN
    const result = await workspace.run(['plan']);

    // THEN
    expect(result.exitCode).toBe(1);
    const stderr = oneLine(result.stderr);
    expect(stderr).toContain('Error: Unexpected External Program Results');
    expect(stderr).toContain("Result Error: invalid character 't' after top-level value");
  });

  test('a working_dir that does not exist fails the start, reported as Go reports it', async () => {
    // GIVEN
    const workspace = await initializedWorkspace({ 'main.tf': dataSourceConfig('program = ["true"]\nworking_dir = "no-such-directory"') });

    // WHEN
    const result = await workspace.run(['plan']);

    // THEN
    expect(result.exitCode).toBe(1);
    const stderr = oneLine(result.stderr);
    expect(stderr).toContain('Error: External Program Execution Failed');
    expect(stderr).toContain('The program was executed, however it returned no additional error messaging.');
    expect(stderr).toMatch(/Program: \S+\/true State: chdir no-such-directory: no such file or directory/);
  });

  test('an empty program list fails validation', async () => {
    // GIVEN
    const workspace = await initializedWorkspace({ 'main.tf': dataSourceConfig('program = []') });

    // WHEN
    const result = await workspace.run(['validate']);

    // THEN
    expect(result.exitCode).toBe(1);
    expect(oneLine(result.stderr)).toContain('Attribute program list must contain at least 1 elements, got: 0');
  });

  test('a query depending on an unknown value is read during apply', async () => {
    // GIVEN
    const workspace = await initializedWorkspace({
      'program/echo.js': ECHO_PROGRAM,
      'main.tf': `
        resource "null_resource" "source" {}
      ` + dataSourceConfig(`
        program     = ["node", "echo.js"]
        working_dir = "\${path.module}/program"
        query       = { name = null_resource.source.id }
      `) + `
        output "source_id" { value = null_resource.source.id }
        output "greeting" { value = data.external.program.result.greeting }
      `,
    });

    // WHEN
    const plan = await workspace.runOrThrow(['plan']);
    await workspace.runOrThrow(['apply', '-auto-approve']);

    // THEN
    expect(plan.stdout).toContain('<= read (data resources)');
    const outputs = await workspace.outputs();
    expect(outputs.greeting).toBe(`hello ${outputs.source_id as string}`);
  });
});
