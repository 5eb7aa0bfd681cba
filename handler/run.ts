import { describeTarget, LifecycleContext } from './lifecycle/context';
import { createKeyPair } from './lifecycle/create';
import { DEFAULT_DELETE_TIMEOUT_SECONDS, deleteKeyPair } from './lifecycle/delete';
import { InvalidInputError, parseStringMap, readKeyPairInputs } from './lifecycle/inputs';
import { readKeyPair } from './lifecycle/read';
import { HANDLER_COMMANDS, HANDLER_ENV, READ_QUERY_KEYS } from '../src/contract';
import type { Environment } from './clouds/environment';
import { keyPairApiFor } from './clouds/factory';
import type { CallSettings } from './http/api-call';
import { SYSTEM_CLOCK } from './http/retry';
import { tuningFromEnv } from './tuning';

/** One run of the handler, as Terraform starts it: arguments, environment and standard input. */
export interface HandlerInvocation {
  readonly argv: readonly string[];
  readonly env: Environment;
  /** Read only by `read` (the external data source's query). */
  readonly stdin?: () => Promise<string>;
  /** Receives each stderr line as it happens (a long delete shows its progress); all of it is in the outcome too. */
  readonly onStderr?: (text: string) => void;
  /** Retry policy, clock and log for the cloud calls (tests inject fast ones). */
  readonly settings?: CallSettings;
}

export interface HandlerOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const USAGE = `cdktf-keypair handler: creates, reads and deletes SSH key pairs on Alibaba Cloud ECS,
Tencent Cloud CVM and UCloud UHost. Terraform runs it; you rarely need to.

Usage: node handler.js <command>

Commands:
  ${HANDLER_COMMANDS.create}   create or import the key pair described by ${HANDLER_ENV.triggers} (provisioner, when = create)
  ${HANDLER_COMMANDS.read}     describe the live key pair (query JSON on stdin) and print a flat JSON map (external data source)
  ${HANDLER_COMMANDS.delete}   delete the key pair described by ${HANDLER_ENV.triggers}, if it is still ours (provisioner, when = destroy)
  --help   print this text

Credentials come from the environment, with the names each cloud's Terraform provider reads:
  Alibaba Cloud  ALICLOUD_ACCESS_KEY / ALIBABA_CLOUD_ACCESS_KEY_ID, ALICLOUD_SECRET_KEY /
                 ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALICLOUD_SECURITY_TOKEN / ALIBABA_CLOUD_SECURITY_TOKEN
  Tencent Cloud  TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SECURITY_TOKEN
  UCloud         UCLOUD_PUBLIC_KEY, UCLOUD_PRIVATE_KEY, UCLOUD_SECURITY_TOKEN
`;

const PREFIX = 'cdktf-keypair';

/**
 * The handler as a pure function of (argv, env, stdin) → (exit code, stdout, stderr): the CLI (`main.ts`)
 * only wires it to the process, so tests drive it directly and through the bundle alike.
 */
export async function runHandler(invocation: HandlerInvocation): Promise<HandlerOutcome> {
  const stderr: string[] = [];
  const progress = (line: string) => {
    const text = `${PREFIX}: ${line}\n`;
    stderr.push(text);
    invocation.onStderr?.(text);
  };
  const finish = (exitCode: number, stdout = ''): HandlerOutcome => ({ exitCode, stdout, stderr: stderr.join('') });

  const command = invocation.argv[0];
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { exitCode: command === undefined ? 1 : 0, stdout: USAGE, stderr: '' };
  }
  if (!(Object.values(HANDLER_COMMANDS) as string[]).includes(command)) {
    progress(`unknown command "${command}". Run with --help for the commands.`);
    return finish(2);
  }
  try {
    const stdout = await runCommand(command, invocation, progress);
    return finish(0, stdout);
  } catch (err) {
    const label = err instanceof InvalidInputError ? 'invalid input' : 'error';
    progress(`${label}: ${err instanceof Error ? err.message : String(err)}`);
    return finish(1);
  }
}

async function runCommand(command: string, invocation: HandlerInvocation, progress: (line: string) => void): Promise<string> {
  const { env } = invocation;
  const map =
    command === HANDLER_COMMANDS.read
      ? parseStringMap(await (invocation.stdin ?? (() => Promise.resolve('')))(), 'the query on standard input')
      : parseStringMap(env[HANDLER_ENV.triggers], HANDLER_ENV.triggers);
  const baseDirectory = command === HANDLER_COMMANDS.read ? map[READ_QUERY_KEYS.baseDirectory] : env[HANDLER_ENV.baseDirectory];
  const inputs = readKeyPairInputs(map, baseDirectory);
  const tuning = tuningFromEnv(env);
  const settings: CallSettings = {
    ...invocation.settings,
    retry: { ...tuning.retry, ...invocation.settings?.retry },
    log: invocation.settings?.log ?? ((line) => progress(line)),
  };
  const context: LifecycleContext = {
    api: keyPairApiFor(inputs.target, env, settings),
    inputs,
    progress,
    clock: settings.clock ?? SYSTEM_CLOCK,
    inUseRetryMs: tuning.inUseRetryMs,
  };
  switch (command) {
    case HANDLER_COMMANDS.create:
      await createKeyPair(context, parseStringMap(env[HANDLER_ENV.tags] || '{}', HANDLER_ENV.tags));
      return '';
    case HANDLER_COMMANDS.read:
      return `${JSON.stringify(await readKeyPair(context))}\n`;
    default:
      await deleteKeyPair(context, deleteTimeoutSeconds(env[HANDLER_ENV.deleteTimeoutSeconds]));
      progress(`delete of ${describeTarget(inputs)} done`);
      return '';
  }
}

function deleteTimeoutSeconds(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_DELETE_TIMEOUT_SECONDS;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidInputError(`${HANDLER_ENV.deleteTimeoutSeconds} must be a whole number of seconds, got "${text}"`);
  return value;
}
