import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { encodeQuery, lookUpProgram, parseProgramResult, runExternalProgram } from '../support/terraform-providers/external-program';

describe('encodeQuery', () => {
  test('sorts keys and escapes HTML characters as Go json.Marshal does', () => {
    expect(encodeQuery({ z: '1', a: '<b>&\u2028', m: '"quoted"' })).toBe('{"a":"\\u003cb\\u003e\\u0026\\u2028","m":"\\"quoted\\"","z":"1"}');
  });

  test('an empty query is an empty object', () => {
    expect(encodeQuery({})).toBe('{}');
  });
});

describe('parseProgramResult (the cases are in go-json.test.ts)', () => {
  test.each([
    ['{"a":"1","b":""}', { result: { a: '1', b: '' } }],
    ['{"a":null}', { result: { a: '' } }],
    ['null', { result: null }],
    ['{"a":3}', { error: 'json: cannot unmarshal number into Go value of type string' }],
    ['not json', { error: "invalid character 'o' in literal null (expecting 'u')" }],
  ])('%s', (stdout, expected) => {
    expect(parseProgramResult(stdout)).toEqual(expected);
  });
});

describe('lookUpProgram', () => {
  test('finds a program on PATH', () => {
    expect(lookUpProgram('sh', { PATH: '/nonexistent:/bin:/usr/bin' })).toEqual({ path: expect.stringMatching(/\/sh$/) });
  });

  test("reports a missing or unusable program with Go's wording", () => {
    expect(lookUpProgram('no-such-program', { PATH: '/bin' })).toEqual({ error: 'exec: "no-such-program": executable file not found in $PATH' });
    expect(lookUpProgram('./no-such-program', { PATH: '/bin' })).toEqual({
      error: 'exec: "./no-such-program": stat ./no-such-program: no such file or directory',
    });
    expect(lookUpProgram('/bin/sh/below-a-file', { PATH: '/bin' })).toEqual({
      error: 'exec: "/bin/sh/below-a-file": stat /bin/sh/below-a-file: not a directory',
    });
    expect(lookUpProgram('/', { PATH: '/bin' })).toEqual({ error: 'exec: "/": is a directory' });
  });
});

describe('runExternalProgram', () => {
  test('sends the query on stdin and returns the parsed result', async () => {
    // WHEN
    const outcome = await runExternalProgram({ command: ['sh', '-c', 'printf \'{"stdin":"%s"}\' "$(cat | tr \'"\' "\'")"'], query: { key: 'value' } });

    // THEN
    expect(outcome).toEqual({ kind: 'result', programPath: expect.stringMatching(/\/sh$/), result: { stdin: "{'key':'value'}" } });
  });

  test('a non-zero exit carries stderr and the exit status', async () => {
    // WHEN
    const outcome = await runExternalProgram({ command: ['sh', '-c', 'echo broken >&2; exit 4'], query: {} });

    // THEN
    expect(outcome).toMatchObject({ kind: 'exited-with-error', stderr: 'broken\n', state: 'exit status 4' });
  });

  test('death by signal is reported as Go reports it', async () => {
    // WHEN
    const outcome = await runExternalProgram({ command: ['sh', '-c', 'kill -KILL $$'], query: {} });

    // THEN
    expect(outcome).toMatchObject({ kind: 'exited-with-error', state: 'signal: killed' });
  });

  test('a program that ignores its stdin is fine', async () => {
    // WHEN
    const outcome = await runExternalProgram({ command: ['echo', '{"ok":"yes"}'], query: { large: 'x'.repeat(1_000_000) } });

    // THEN
    expect(outcome).toMatchObject({ kind: 'result', result: { ok: 'yes' } });
  });

  test('a missing working directory fails before the program starts', async () => {
    // WHEN
    const outcome = await runExternalProgram({ command: ['true'], query: {}, workingDir: '/no/such/directory' });

    // THEN
    expect(outcome).toMatchObject({ kind: 'exited-with-error', stderr: '', state: 'chdir /no/such/directory: no such file or directory' });
  });
});

describe('runExternalProgram: programs that cannot start, as Go reports them', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'external-program-test-'));
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function executable(name: string, content: string): string {
    const file = path.join(directory, name);
    writeFileSync(file, content);
    chmodSync(file, 0o755);
    return file;
  }

  test.each([
    ['a script without a #! line', 'echo \'{"ran":"yes"}\'\n', 'exec format error'],
    ['an empty file', '', 'exec format error'],
    ['a script whose interpreter does not exist', '#!/no/such/interpreter\n', 'no such file or directory'],
  ])('%s', async (_case, content, goError) => {
    // GIVEN
    const program = executable('program', content);

    // WHEN
    const outcome = await runExternalProgram({ command: [program], query: {} });

    // THEN
    expect(outcome).toEqual({ kind: 'exited-with-error', programPath: program, stderr: '', state: `fork/exec ${program}: ${goError}` });
  });

  test('a working_dir that is a file', async () => {
    // GIVEN
    const file = executable('not-a-directory', '');

    // WHEN
    const outcome = await runExternalProgram({ command: ['true'], query: {}, workingDir: file });

    // THEN
    expect(outcome).toMatchObject({ kind: 'exited-with-error', state: expect.stringMatching(/^fork\/exec \S+\/true: not a directory$/) });
  });

  test('a script with a #! line runs', async () => {
    // GIVEN
    const program = executable('program', '#!/bin/sh\necho \'{"ran":"yes"}\'\n');

    // WHEN
    const outcome = await runExternalProgram({ command: [program], query: {} });

    // THEN
    expect(outcome).toEqual({ kind: 'result', programPath: program, result: { ran: 'yes' } });
  });
});
