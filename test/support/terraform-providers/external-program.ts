import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { goErrnoText } from './go-errno';
import { decodeGoStringMap } from './go-json';

/**
 * Running an `external` data source program the way the real provider does. It is written in Go, so
 * the texts it reports are Go's (`exit status 1`, `fork/exec ...: exec format error`, `json: cannot
 * unmarshal ...`: docs/cloud-behaviour.md#provider-error-texts), and it starts the program with a bare
 * execve: no shell, no fallback (docs/cloud-behaviour.md#external-program-needs-an-interpreter).
 */
export type ExternalProgramOutcome =
  /** `result` is null when the program printed JSON `null`. */
  | { readonly kind: 'result'; readonly programPath: string; readonly result: Record<string, string> | null }
  | { readonly kind: 'lookup-failed'; readonly error: string }
  /** The program did not run to a zero exit: `state` is Go's error, e.g. `exit status 3`. */
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
  } catch (error) {
    return `stat ${file}: ${goErrnoText((error as NodeJS.ErrnoException).code)}`;
  }
  try {
    accessSync(file, constants.X_OK);
    return undefined;
  } catch {
    return 'permission denied';
  }
}

/** Decodes the program's stdout as the real provider does (see go-json.ts). */
export function parseProgramResult(stdout: string | Uint8Array): { result: Record<string, string> | null } | { error: string } {
  return decodeGoStringMap(typeof stdout === 'string' ? Buffer.from(stdout, 'utf8') : stdout);
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

/**
 * Linux's execve runs only an ELF binary or a `#!` script and fails anything else with ENOEXEC. Go
 * stops there; Node's spawn would hand such a file to /bin/sh instead, so the stand-in checks first.
 */
function startsLikeAnExecutable(file: string): boolean {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const header = Buffer.alloc(4);
    const length = readSync(descriptor, header, 0, header.length, 0);
    return header.subarray(0, length).toString('latin1').startsWith('#!') || header.equals(Buffer.from('\x7fELF', 'latin1'));
  } catch {
    // Unreadable but executable (mode --x): let the kernel decide.
    return true;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * Go's os.StartProcess stats the working directory first and reports a failure as `chdir <dir>: ...`;
 * a path that exists but is no directory fails later, in the child, as `fork/exec <program>: ...`.
 */
function workingDirProblem(workingDir: string, programPath: string): string | undefined {
  try {
    return statSync(workingDir).isDirectory() ? undefined : `fork/exec ${programPath}: ${goErrnoText('ENOTDIR')}`;
  } catch (error) {
    return `chdir ${workingDir}: ${goErrnoText((error as NodeJS.ErrnoException).code)}`;
  }
}

/** Runs the program with the query on stdin and reads its result from stdout. */
export async function runExternalProgram(request: ExternalProgramRequest): Promise<ExternalProgramOutcome> {
  const env = request.env ?? process.env;
  const lookup = lookUpProgram(request.command[0], env);
  if ('error' in lookup) return { kind: 'lookup-failed', error: lookup.error };
  const programPath = lookup.path;
  const workingDir = request.workingDir || undefined;
  // A program that never starts has written nothing to stderr: Go reports only the start error.
  const notStarted = (state: string): ExternalProgramOutcome => ({ kind: 'exited-with-error', programPath, stderr: '', state });
  const directoryProblem = workingDir === undefined ? undefined : workingDirProblem(workingDir, programPath);
  if (directoryProblem) return notStarted(directoryProblem);
  if (!startsLikeAnExecutable(programPath)) return notStarted(`fork/exec ${programPath}: ${goErrnoText('ENOEXEC')}`);

  return new Promise((resolve) => {
    const startFailed = (error: NodeJS.ErrnoException) => resolve(notStarted(`fork/exec ${programPath}: ${goErrnoText(error.code)}`));
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(programPath, request.command.slice(1), { cwd: workingDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      // Node throws some start errors at once and emits the others.
      startFailed(error as NodeJS.ErrnoException);
      return;
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A program that never reads its query closes stdin early; that is not an error.
    child.stdin.on('error', () => undefined);
    child.on('error', startFailed);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const state = signal ? `signal: ${GO_SIGNAL_NAMES[signal] ?? signal}` : `exit status ${code}`;
        resolve({ kind: 'exited-with-error', programPath, stderr: Buffer.concat(stderr).toString('utf8'), state });
        return;
      }
      const parsed = parseProgramResult(Buffer.concat(stdout));
      resolve('error' in parsed
        ? { kind: 'invalid-result', programPath, error: parsed.error }
        : { kind: 'result', programPath, result: parsed.result });
    });
    child.stdin.end(encodeQuery(request.query));
  });
}
