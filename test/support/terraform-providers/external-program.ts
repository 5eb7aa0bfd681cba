import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Running an `external` data source program the way the real provider does (it is written in Go, so
 * the texts it reports are Go's: `exit status 1`, `json: cannot unmarshal ...`).
 */
export type ExternalProgramOutcome =
  | { readonly kind: 'result'; readonly programPath: string; readonly result: Record<string, string> }
  | { readonly kind: 'lookup-failed'; readonly error: string }
  | { readonly kind: 'start-failed'; readonly programPath: string; readonly error: string }
  | { readonly kind: 'exited-with-error'; readonly programPath: string; readonly stderr: string; readonly state: string }
  | { readonly kind: 'invalid-result'; readonly programPath: string; readonly error: string };

export interface ExternalProgramRequest {
  /** Program and arguments, empty entries already removed. */
  readonly command: readonly string[];
  readonly query: Readonly<Record<string, string>>;
  /** Working directory; empty or undefined means the provider's own (Terraform's) directory. */
  readonly workingDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Encodes the query as Go's json.Marshal does for a map[string]string: keys sorted, and `<`, `>`, `&`,
 * U+2028 and U+2029 escaped, so the program reads exactly the bytes the real provider would send.
 */
export function encodeQuery(query: Readonly<Record<string, string>>): string {
  const members = Object.keys(query).sort().map((key) => `${JSON.stringify(key)}:${JSON.stringify(query[key])}`);
  return `{${members.join(',')}}`.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Finds the program as Go's exec.LookPath does; returns the path to run or Go's error text. */
export function lookUpProgram(name: string, env: NodeJS.ProcessEnv = process.env): { path: string } | { error: string } {
  if (name.includes('/')) {
    const problem = executableProblem(name);
    return problem ? { error: `exec: ${JSON.stringify(name)}: ${problem}` } : { path: name };
  }
  for (const directory of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(directory === '' ? '.' : directory, name);
    if (!executableProblem(candidate)) return { path: candidate };
  }
  return { error: `exec: ${JSON.stringify(name)}: executable file not found in $PATH` };
}

function executableProblem(file: string): string | undefined {
  try {
    if (statSync(file).isDirectory()) return 'is a directory';
    accessSync(file, constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' ? 'permission denied' : `stat ${file}: no such file or directory`;
  }
}

/**
 * Decodes the program's stdout as Go's json.Unmarshal into map[string]string would: a JSON object
 * whose values are strings (null counts as ""); anything else is an error with Go's wording.
 */
export function parseProgramResult(stdout: string): { result: Record<string, string> } | { error: string } {
  if (stdout.trim() === '') return { error: 'unexpected end of JSON input' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (parsed === null) return { result: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { error: `json: cannot unmarshal ${goJsonKind(parsed)} into Go value of type map[string]string` };
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value !== null && typeof value !== 'string') {
      return { error: `json: cannot unmarshal ${goJsonKind(value)} into Go value of type string` };
    }
    result[key] = value ?? '';
  }
  return { result };
}

function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // number, string, object
}

/** Go reports a death by signal as e.g. `signal: killed`. */
const GO_SIGNAL_NAMES: Readonly<Record<string, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGPIPE: 'broken pipe',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
};

/** Runs the program with the query on stdin and reads its result from stdout. */
export async function runExternalProgram(request: ExternalProgramRequest): Promise<ExternalProgramOutcome> {
  const env = request.env ?? process.env;
  const lookup = lookUpProgram(request.command[0], env);
  if ('error' in lookup) return { kind: 'lookup-failed', error: lookup.error };
  const programPath = lookup.path;
  const workingDir = request.workingDir || undefined;
  if (workingDir !== undefined && !isDirectory(workingDir)) {
    return { kind: 'start-failed', programPath, error: `chdir ${workingDir}: no such file or directory` };
  }

  return new Promise((resolve) => {
    const child = spawn(programPath, request.command.slice(1), { cwd: workingDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A program that never reads its query closes stdin early; that is not an error.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => resolve({ kind: 'start-failed', programPath, error: error.message }));
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const state = signal ? `signal: ${GO_SIGNAL_NAMES[signal] ?? signal}` : `exit status ${code}`;
        resolve({ kind: 'exited-with-error', programPath, stderr: Buffer.concat(stderr).toString('utf8'), state });
        return;
      }
      const parsed = parseProgramResult(Buffer.concat(stdout).toString('utf8'));
      resolve('error' in parsed
        ? { kind: 'invalid-result', programPath, error: parsed.error }
        : { kind: 'result', programPath, result: parsed.result });
    });
    child.stdin.end(encodeQuery(request.query));
  });
}

function isDirectory(directory: string): boolean {
  try {
    return statSync(directory).isDirectory();
  } catch {
    return false;
  }
}
