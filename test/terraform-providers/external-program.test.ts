import { encodeQuery, lookUpProgram, parseProgramResult, runExternalProgram } from '../support/terraform-providers/external-program';

describe('encodeQuery', () => {
  test('sorts keys and escapes HTML characters as Go json.Marshal does', () => {
    expect(encodeQuery({ z: '1', a: '<b>&\u2028', m: '"quoted"' })).toBe('{"a":"\\u003cb\\u003e\\u0026\\u2028","m":"\\"quoted\\"","z":"1"}');
  });

  test('an empty query is an empty object', () => {
    expect(encodeQuery({})).toBe('{}');
  });
});

describe('parseProgramResult', () => {
  test.each([
    ['{"a":"1","b":""}', { result: { a: '1', b: '' } }],
    ['{"a":null}', { result: { a: '' } }],
    ['{"a":3}', { error: 'json: cannot unmarshal number into Go value of type string' }],
    ['{"a":true}', { error: 'json: cannot unmarshal bool into Go value of type string' }],
    ['{"a":{"nested":"x"}}', { error: 'json: cannot unmarshal object into Go value of type string' }],
    ['["a"]', { error: 'json: cannot unmarshal array into Go value of type map[string]string' }],
    ['', { error: 'unexpected end of JSON input' }],
  ])('%s', (stdout, expected) => {
    expect(parseProgramResult(stdout)).toEqual(expected);
  });

  test('output that is not JSON is an error', () => {
    expect(parseProgramResult('not json')).toEqual({ error: expect.any(String) });
  });
});

describe('lookUpProgram', () => {
  test('finds a program on PATH', () => {
    expect(lookUpProgram('sh', { PATH: '/nonexistent:/bin:/usr/bin' })).toEqual({ path: expect.stringMatching(/\/sh$/) });
  });

  test("reports a missing program with Go's wording", () => {
    expect(lookUpProgram('no-such-program', { PATH: '/bin' })).toEqual({ error: 'exec: "no-such-program": executable file not found in $PATH' });
    expect(lookUpProgram('./no-such-program', { PATH: '/bin' })).toEqual({
      error: 'exec: "./no-such-program": stat ./no-such-program: no such file or directory',
    });
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
    expect(outcome).toMatchObject({ kind: 'start-failed', error: 'chdir /no/such/directory: no such file or directory' });
  });
});
