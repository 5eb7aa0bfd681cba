import { cdktfStackDirectory, withCdktfHint } from './cdktf-hint';
import { InvalidInputError } from './invalid-input-error';
import { settleEach } from './lifecycle/concurrency';
import { describeTarget, LifecycleContext } from './lifecycle/context';
import { createKeyPair } from './lifecycle/create';
import { deleteKeyPair } from './lifecycle/delete';
import { parseStringMap, readDeclaredTags, readKeyPairInputs, readRecordedKeyPair, type KeyPairInputs } from './lifecycle/inputs';
import { readStack } from './lifecycle/read-stack';
import { syncTags } from './lifecycle/tags';
import { TUNING_ENV, tuningFromEnv } from './tuning';
import {
  CLOUD_LABELS,
  CLOUD_NAMES,
  DEFAULT_DELETE_TIMEOUT_SECONDS,
  deleteTimeoutViolation,
  HANDLER_COMMANDS, HANDLER_ENV, TAG_ENTRY_KEYS, unreachable, type CloudName, type HandlerCommand,
} from '../src/contract';
import type { Environment } from './clouds/environment';
import { cloudOfSecretStore, environmentNamesOf, keyPairApiFor, secretStoreApiFor, type SecretStoreTarget } from './clouds/factory';
import type { CallSettings } from './http/api-call';
import { DEFAULT_RETRY_POLICY, SYSTEM_CLOCK } from './http/retry';

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
  /**
   * The directory Terraform runs the handler in (default: the process's): in a cdktf stack directory, an
   * error that asks for a Terraform command says what to run with cdktf, and where.
   */
  readonly workingDirectory?: string;
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
  ${HANDLER_COMMANDS.read}     describe every key pair and reference of the stack (query JSON on stdin) and print one JSON entry each (external data source)
  ${HANDLER_COMMANDS.delete}   delete the key pair described by ${HANDLER_ENV.triggers}, if it is still ours (provisioner, when = destroy)
  ${HANDLER_COMMANDS.tags}     put the tags of the key pairs in ${HANDLER_ENV.tagEntries} back to the declared ones (provisioner)
  --help   print this text

Credentials and settings come from the environment, with the names each cloud's Terraform provider reads
(where a line names several, the first one set wins):
${CLOUD_NAMES.map(environmentUsage).join('')}
How hard it tries, and the size of an RSA key it generates, can be tuned (docs/credentials.md):
  ${Object.values(TUNING_ENV).join(', ')}
`;

/** One cloud's lines of USAGE, from the names the factory reads: the help cannot name fewer than are read. */
function environmentUsage(cloud: CloudName): string {
  const names = environmentNamesOf(cloud);
  const lines: Array<[string, readonly string[]]> = [
    [names.accessKeyIdLabel, names.accessKeyId],
    [names.accessKeySecretLabel, names.accessKeySecret],
    ['STS token', names.securityToken],
    ['settings', names.settings],
  ];
  return `  ${CLOUD_LABELS[cloud]}\n${lines.map(([label, variables]) => `    ${`${label}:`.padEnd(18)}${variables.join(', ')}\n`).join('')}`;
}

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
    // One deadline for the whole step, from now: every call and every wait of this run shares it.
    const clock = invocation.settings?.clock ?? SYSTEM_CLOCK;
    const timed = { ...invocation, settings: { ...invocation.settings, startedAt: invocation.settings?.startedAt ?? clock.now() } };
    const stdout = await runCommand(command as HandlerCommand, timed, progress);
    return finish(0, stdout);
  } catch (err) {
    const label = err instanceof InvalidInputError ? 'invalid input' : 'error';
    const message = err instanceof Error ? err.message : String(err);
    progress(`${label}: ${withCdktfHint(message, cdktfStackDirectory(invocation.workingDirectory ?? process.cwd()))}`);
    return finish(1);
  }
}

type Progress = (line: string) => void;

async function runCommand(command: HandlerCommand, invocation: HandlerInvocation, progress: Progress): Promise<string> {
  const { env } = invocation;
  const stdin = async (): Promise<Record<string, string>> =>
    parseStringMap(await (invocation.stdin ?? (() => Promise.resolve('')))(), 'the query on standard input');
  switch (command) {
    case HANDLER_COMMANDS.create: {
      const inputs = readKeyPairInputs(triggersOf(env), env[HANDLER_ENV.baseDirectory], env[HANDLER_ENV.secretRecoveryWindowDays]);
      const context = contextFor(inputs, invocation, progress);
      await createKeyPair(context, readDeclaredTags(env[HANDLER_ENV.tags], HANDLER_ENV.tags));
      return '';
    }
    case HANDLER_COMMANDS.read:
      return `${JSON.stringify(await readStack(
        await stdin(),
        (inputs) => contextFor(inputs, invocation, progress),
        (target) => keyPairApiFor(target, env, callSettings(invocation, progress)),
      ))}\n`;
    case HANDLER_COMMANDS.delete: {
      const inputs = readKeyPairInputs(triggersOf(env), env[HANDLER_ENV.baseDirectory], env[HANDLER_ENV.secretRecoveryWindowDays]);
      const recorded = readRecordedKeyPair(env[HANDLER_ENV.record]);
      const timeoutSeconds = deleteTimeoutSeconds(env[HANDLER_ENV.deleteTimeoutSeconds]);
      await deleteKeyPair(contextFor(inputs, invocation, progress, timeoutSeconds * 1000), timeoutSeconds, recorded);
      progress(`delete of ${describeTarget(inputs)} done`);
      return '';
    }
    case HANDLER_COMMANDS.tags:
      await syncAllTags(invocation, progress);
      return '';
    default:
      return unreachable(command, 'command');
  }
}

/**
 * `handler tags`: every entry of the stack's tag resource, each checked before any call; a few at a time,
 * and every failure reported (one pair's failure does not stop the others').
 */
async function syncAllTags(invocation: HandlerInvocation, progress: Progress): Promise<void> {
  const entries = parseEntries(invocation.env[HANDLER_ENV.tagEntries]);
  const work = entries.map(([name, entry]) => {
    const triggers = parseStringMap(JSON.stringify(entry[TAG_ENTRY_KEYS.triggers] ?? {}), `${HANDLER_ENV.tagEntries} "${name}" ${TAG_ENTRY_KEYS.triggers}`);
    const declared = readDeclaredTags(stringField(entry, TAG_ENTRY_KEYS.tags, name), `${HANDLER_ENV.tagEntries} "${name}" ${TAG_ENTRY_KEYS.tags}`);
    return { inputs: readKeyPairInputs(triggers), declared, revision: stringField(entry, TAG_ENTRY_KEYS.revision, name) };
  });
  const outcomes = await settleEach(work, TAG_CONCURRENCY, (item) =>
    // The tag step never touches the secret: it needs no store (nor its credentials).
    syncTags(contextFor({ ...item.inputs, privateKeySecret: undefined }, invocation, progress), item.declared, item.revision),
  );
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.ok ? [] : [`${describeTarget(work[index].inputs)}: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`],
  );
  if (failures.length > 0) throw new Error(`the tags of ${failures.length} key pair(s) could not be set:\n  ${failures.join('\n  ')}`);
}

/** Pairs whose tags are set at once: well under the clouds' tag API rate limits (Tencent: 20 per second). */
const TAG_CONCURRENCY = 4;

function parseEntries(text: string | undefined): [string, Record<string, unknown>][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    throw new InvalidInputError(`${HANDLER_ENV.tagEntries} is not JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidInputError(`${HANDLER_ENV.tagEntries} is not a JSON object`);
  return Object.entries(parsed as Record<string, unknown>).map(([name, entry]) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new InvalidInputError(`${HANDLER_ENV.tagEntries} "${name}" is not a JSON object`);
    return [name, entry as Record<string, unknown>];
  });
}

function stringField(entry: Record<string, unknown>, key: string, name: string): string {
  const value = entry[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new InvalidInputError(`${HANDLER_ENV.tagEntries} "${name}": "${key}" must be a string`);
  return value;
}

function triggersOf(env: Environment): Record<string, string> {
  return parseStringMap(env[HANDLER_ENV.triggers], HANDLER_ENV.triggers);
}

/**
 * The cloud calls' settings for this run: the tuning variables over the defaults, and the moment the step
 * began, from which all its calls share one deadline. `extraMs` lengthens it (a delete waits for instances).
 */
function callSettings(invocation: HandlerInvocation, progress: Progress, extraMs = 0): CallSettings {
  const tuning = tuningFromEnv(invocation.env);
  const clock = invocation.settings?.clock ?? SYSTEM_CLOCK;
  const retry = { ...tuning.retry, ...invocation.settings?.retry };
  return {
    ...invocation.settings,
    retry: extraMs > 0 ? { ...retry, deadlineMs: (retry.deadlineMs ?? DEFAULT_RETRY_POLICY.deadlineMs) + extraMs } : retry,
    startedAt: invocation.settings?.startedAt ?? clock.now(),
    log: invocation.settings?.log ?? ((line) => progress(line)),
  };
}

function contextFor(inputs: KeyPairInputs, invocation: HandlerInvocation, progress: Progress, extraMs = 0): LifecycleContext {
  const settings = callSettings(invocation, progress, extraMs);
  const tuning = tuningFromEnv(invocation.env);
  const clock = settings.clock ?? SYSTEM_CLOCK;
  const api = keyPairApiFor(inputs.target, invocation.env, settings);
  // Built up front too: missing store credentials fail here, before any call, naming the variables.
  const secretTarget = secretStoreTargetOf(inputs);
  const secretStore = secretTarget && secretStoreApiFor(secretTarget, invocation.env, settings);
  return {
    api,
    cleanUpApi: () => keyPairApiFor(inputs.target, invocation.env, { ...settings, startedAt: clock.now() }),
    ...(secretTarget && secretStore
      ? { secretStore, cleanUpSecretStore: () => secretStoreApiFor(secretTarget, invocation.env, { ...settings, startedAt: clock.now() }) }
      : {}),
    inputs,
    progress,
    clock,
    deadline: settings.startedAt! + (settings.retry?.deadlineMs ?? DEFAULT_RETRY_POLICY.deadlineMs),
    inUseRetryMs: tuning.inUseRetryMs,
    settleMs: tuning.settleMs,
    generatedRsaBits: tuning.generatedRsaBits,
  };
}

/**
 * Where the pair's secret lives. The construct's endpoint (a gateway or emulator of the pair's cloud) serves
 * the store only when the store is that cloud's; a store of another cloud goes by its own variables.
 */
function secretStoreTargetOf(inputs: KeyPairInputs): SecretStoreTarget | undefined {
  const secret = inputs.privateKeySecret;
  if (secret === undefined) return undefined;
  const sameCloud = cloudOfSecretStore(secret.store) === inputs.target.cloud;
  const endpoint = sameCloud ? inputs.target.endpoint : undefined;
  return { store: secret.store, region: secret.region, ...(endpoint !== undefined ? { endpoint } : {}) };
}

function deleteTimeoutSeconds(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_DELETE_TIMEOUT_SECONDS;
  const value = Number(text);
  const violation = deleteTimeoutViolation(HANDLER_ENV.deleteTimeoutSeconds, value, JSON.stringify(text));
  if (violation !== undefined) throw new InvalidInputError(violation);
  return value;
}
