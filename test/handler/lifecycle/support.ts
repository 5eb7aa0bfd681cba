/**
 * What the handler tests share: a deployment of the app as the handler sees it (its identity, and a
 * directory of its own for private keys, like a checkout or CI runner), the triggers one of its key pair
 * constructs hands the handler, and the handler's commands run as Terraform runs them (inputs in the
 * environment, the query on stdin), in process against a running emulator.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type EmulatorOptions, type JournalEntry, type RunningEmulator } from '../../../emulator';
import { keyPairApiFor } from '../../../handler/clouds/factory';
import type { KeyPairApi } from '../../../handler/clouds/key-pair-api';
import type { RetryPolicy } from '../../../handler/http/retry';
import type { HandlerOutcome } from '../../../handler/run';
import {
  HANDLER_ENV,
  ownerValue,
  RECORD_KEYS,
  RESULT_KEYS,
  TAG_ENTRY_KEYS,
  type CloudName,
} from '../../../src/contract';
import { FAST_RETRY, fastSettings } from '../../support/emulated-clients';
import { runHandlerCommand, runPairStep } from '../../support/handler-steps';
import { CREATE_ACTIONS, DELETE_ACTION } from '../../support/key-pair-actions';
import { REGIONS } from '../../support/regions';
import { pairResultText, stackLookupQuery } from '../../support/stack-read';
import { keyPairTriggers } from '../../support/triggers';

export { REGIONS };

/** The hash of one construct's path, the same in every deployment of the app (16 hex digits, as synthesized). */
export const CONSTRUCT_HASH = '0123456789abcdef';

/** The actions that delete or change a key pair, per cloud (the journal shows none of them where nothing may change). */
export const DELETE_ACTIONS: readonly string[] = [...new Set(Object.values(DELETE_ACTION))];

/** The actions that make a key pair, on every cloud (the journal shows none of them where a step stops first). */
export const MAKE_ACTIONS: readonly string[] = [...new Set(Object.values(CREATE_ACTIONS).flat())];

/**
 * A test file's emulator and scratch directory: started before its tests (the keys the clouds generate are
 * 1024 bits unless `options` say otherwise: no such test reads a key's size), reset before each test, stopped
 * and removed after them all. Call it at the top of the file.
 */
export function useHandlerTestBed(label: string, options: Omit<EmulatorOptions, 'log'> = {}): HandlerTestBed {
  const bed = new HandlerTestBed(label);
  beforeAll(async () => bed.start(options));
  afterAll(async () => bed.stop());
  beforeEach(() => bed.emulator.reset());
  return bed;
}

export class HandlerTestBed {
  emulator!: RunningEmulator;
  private root?: string;
  private counter = 0;

  constructor(private readonly label: string) {}

  async start(options: Omit<EmulatorOptions, 'log'>): Promise<void> {
    this.emulator = await startEmulator({ generatedKeyBits: 1024, ...options });
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `${this.label}-`));
  }

  async stop(): Promise<void> {
    await this.emulator?.stop();
    if (this.root) fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** A fresh deployment of the app with a number of its own (for names that never repeat), on this bed's emulator unless `on` says. */
  newDeployment(on: () => RunningEmulator = () => this.emulator): { deployment: HandlerDeployment; n: number } {
    this.counter += 1;
    return { deployment: new HandlerDeployment(this.root!, `${this.label}-${this.counter}`, on), n: this.counter };
  }
}

/** The step succeeded (its stderr shown when it did not). */
export function expectSuccess(outcome: HandlerOutcome): void {
  expect({ exitCode: outcome.exitCode, stderr: outcome.exitCode === 0 ? '' : outcome.stderr }).toEqual({ exitCode: 0, stderr: '' });
}

/**
 * One deployment of the app: its identity (the id of `terraform_data.cdktf_keypair_identity` in its state)
 * and a directory of its own, where its private keys go.
 */
export class HandlerDeployment {
  readonly id = randomUUID();
  readonly directory: string;

  constructor(
    root: string,
    readonly label: string,
    private readonly emulator: () => RunningEmulator,
  ) {
    this.directory = path.join(root, `${label}-${this.id.slice(0, 8)}`);
    fs.mkdirSync(this.directory, { recursive: true });
  }

  /** The ownership value of a construct of this deployment. */
  owner(constructHash = CONSTRUCT_HASH): string {
    return ownerValue(this.id, constructHash);
  }

  /** A cloud-generated key pair's triggers as the construct synthesizes them, with `extra` on top. */
  triggers(cloud: CloudName, name: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
    return keyPairTriggers({ cloud, name, privateKeyFile: path.join(this.directory, `${name}.pem`), owner: this.owner() }, extra);
  }

  /** `handler create` as the carrier's create provisioner runs it (`retry` on top of the fast test policy). */
  create(triggers: Record<string, string>, tags: Record<string, string> = {}, retry: Partial<RetryPolicy> = {}): Promise<HandlerOutcome> {
    return runPairStep('create', { emulator: this.emulator(), triggers, tags, settings: fastSettings(retry) });
  }

  /** `handler read` as the stack's read runs it for this one pair; stdout is the pair's own result map. */
  read(triggers: Record<string, string>, declaredTags: Record<string, string> = {}): Promise<HandlerOutcome> {
    return runPairStep('read', { emulator: this.emulator(), triggers, tags: declaredTags, settings: fastSettings() });
  }

  /** `handler delete` as the carrier's destroy provisioner runs it (no record). */
  delete(triggers: Record<string, string>, env: Record<string, string> = {}): Promise<HandlerOutcome> {
    return runPairStep('delete', { emulator: this.emulator(), triggers, env, settings: fastSettings() });
  }

  /** `handler delete` as the stack registry's destroy provisioner runs it: with the record the read left in state. */
  deleteWithRecord(triggers: Record<string, string>, record: { readonly keyPairId: string; readonly fingerprint: string }): Promise<HandlerOutcome> {
    const input = { [RECORD_KEYS.keyPairId]: record.keyPairId, [RECORD_KEYS.fingerprint]: record.fingerprint, delete_timeout_seconds: '300' };
    return this.delete(triggers, { [HANDLER_ENV.record]: JSON.stringify(input) });
  }
}

/** One entry of `CDKTF_KEYPAIR_TAG_ENTRIES`, as the stack's tag resource passes it. */
export function tagEntry(
  triggers: Record<string, string>,
  keyPairId: string,
  tags: Record<string, string>,
  revision: string,
): Record<string, unknown> {
  return {
    [TAG_ENTRY_KEYS.triggers]: triggers,
    [TAG_ENTRY_KEYS.keyPairId]: keyPairId,
    [TAG_ENTRY_KEYS.tags]: JSON.stringify(tags),
    [TAG_ENTRY_KEYS.revision]: revision,
  };
}

/** `handler tags` as the stack's tag resource runs it. */
export function runTags(emulator: RunningEmulator, entries: Record<string, unknown>): Promise<HandlerOutcome> {
  return runStep(emulator, 'tags', { [HANDLER_ENV.tagEntries]: JSON.stringify(entries) });
}

/** A reference's lookup, as the stack's plan-time read runs it; stdout is the reference's own result map. */
export async function runLookup(emulator: RunningEmulator, query: Record<string, string>, env: Record<string, string> = {}): Promise<HandlerOutcome> {
  const outcome = await runStep(emulator, 'read', env, undefined, {}, stackLookupQuery(query));
  return { ...outcome, stdout: pairResultText(outcome.stdout) };
}

/** Runs one handler command with the emulator's credentials and endpoints, fast retries, no waiting. */
export function runStep(
  emulator: RunningEmulator,
  command: string,
  env: Record<string, string>,
  query?: Record<string, string>,
  retry: Partial<RetryPolicy> = {},
  stdin = JSON.stringify(query ?? {}),
): Promise<HandlerOutcome> {
  return runHandlerCommand(command, { emulator, env, stdin, settings: fastSettings(retry) });
}

/** The JSON map a successful read or lookup printed. */
export function resultOf(outcome: HandlerOutcome): Record<string, string> {
  expect({ exitCode: outcome.exitCode, stderr: outcome.exitCode === 0 ? '' : outcome.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return JSON.parse(outcome.stdout);
}

/** What the stack registry records of a read, as the delete's record. */
export function recordOf(result: Record<string, string>): { keyPairId: string; fingerprint: string } {
  return { keyPairId: result[RESULT_KEYS.keyPairId], fingerprint: result[RESULT_KEYS.fingerprint] };
}

/** The project's own client for one cloud, pointed at the emulator (for pairs made out of band). */
export function apiOf(emulator: RunningEmulator, cloud: CloudName): KeyPairApi {
  return keyPairApiFor({ cloud, region: REGIONS[cloud] }, emulator.handlerEnvironment(), { retry: FAST_RETRY });
}

/** The journal's actions since `since` entries. */
export function actionsSince(emulator: RunningEmulator, since: number, cloud?: CloudName): string[] {
  return emulator.requests(cloud).slice(since).map((entry: JournalEntry) => entry.action ?? '?');
}

export { eventually } from '../../support/eventually';
