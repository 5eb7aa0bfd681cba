import { TEST_HANDLER_TUNING } from './handler-tuning';
import { pairResultText, stackReadQuery } from './stack-read';
import type { RunningEmulator } from '../../emulator';
import type { CallSettings } from '../../handler/http/api-call';
import { HandlerOutcome, runHandler } from '../../handler/run';
import { HANDLER_ENV } from '../../src/contract';

/** Any handler command in process against an emulator. */
export interface HandlerCommand {
  readonly emulator: RunningEmulator;
  /** On top of the emulator's endpoints and credentials and the tests' tuning. */
  readonly env?: Readonly<Record<string, string>>;
  /** What the command reads on stdin (only `read` reads it). Default: `{}`. */
  readonly stdin?: string;
  /** The retry policy and clock of its cloud calls. */
  readonly settings: CallSettings;
}

/** Runs `command` through `runHandler` with the emulator's endpoints and credentials and the tests' tuning. */
export function runHandlerCommand(command: string, options: HandlerCommand): Promise<HandlerOutcome> {
  return runHandler({
    argv: [command],
    env: { ...options.emulator.handlerEnvironment(), ...TEST_HANDLER_TUNING, ...options.env },
    stdin: async () => options.stdin ?? '{}',
    settings: options.settings,
  });
}

/** One key pair's step, run in process against an emulator. */
export interface PairStep {
  readonly emulator: RunningEmulator;
  /** The pair's triggers, as its construct synthesizes them. */
  readonly triggers: Readonly<Record<string, string>>;
  /** The pair's declared tags: the create step's environment, and what the stack's read compares. Default: none. */
  readonly tags?: Readonly<Record<string, string>>;
  /** On top of the emulator's endpoints and credentials, the tests' tuning and the step's own variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** The retry policy and clock of the step's cloud calls. */
  readonly settings: CallSettings;
}

/** A step's outcome; a read's `stdout` is the pair's own result. */
export interface PairStepOutcome extends HandlerOutcome {
  /** All the handler printed (for a read, the stack read's whole answer): what a secret scan reads. */
  readonly handlerStdout: string;
}

/**
 * A key pair's `create`, `read` or `delete` through `runHandler`, as Terraform runs it: create and delete as
 * its carrier's provisioners (the triggers, and at create the tags, in their environment), read as the stack's
 * read of this one pair.
 */
export async function runPairStep(command: 'create' | 'read' | 'delete', step: PairStep): Promise<PairStepOutcome> {
  const tags = step.tags ?? {};
  const outcome = await runHandlerCommand(command, {
    emulator: step.emulator,
    env: {
      ...(command === 'read' ? {} : { [HANDLER_ENV.triggers]: JSON.stringify(step.triggers) }),
      ...(command === 'create' ? { [HANDLER_ENV.tags]: JSON.stringify(tags) } : {}),
      ...step.env,
    },
    stdin: command === 'read' ? stackReadQuery(step.triggers, tags) : undefined,
    settings: step.settings,
  });
  return { ...outcome, stdout: command === 'read' ? pairResultText(outcome.stdout) : outcome.stdout, handlerStdout: outcome.stdout };
}
