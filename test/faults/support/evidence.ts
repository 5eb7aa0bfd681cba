import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Evidence, SecretNeedle } from '../../e2e/helpers';

/**
 * The fault suite's secret scan reads what every file of the suite produced. Each file saves its evidence
 * (terraform output and TRACE logs, state and plan files, synthesized JSON, handler output), the secrets it
 * used, and the private key files it saw, into the directory this variable names; `secret-hygiene.test.ts`,
 * which the suite's sequencer queues last, reads them all once every other file has finished (the suite's
 * environment, `environment.js`, marks each file's end in `finished/`). `global-setup.ts` makes the directory
 * (mode 0700, removed again by `global-teardown.ts`): it holds the emulator's test secrets and throwaway
 * private keys.
 */
export const EVIDENCE_DIRECTORY_ENV = 'CDKTF_KEYPAIR_FAULTS_EVIDENCE';

/** A private key file as a test saw it while its key pair existed. */
export interface KeyFileObservation {
  readonly file: string;
  /** Permission bits, e.g. 0o600. */
  readonly mode: number;
  /** What was going on (test and moment), for the failure message. */
  readonly context: string;
}

export interface SuiteFileEvidence {
  /** The test file's name, e.g. `load.test.ts`. */
  readonly file: string;
  readonly evidence: readonly Evidence[];
  readonly needles: readonly SecretNeedle[];
  readonly keyFiles: readonly KeyFileObservation[];
}

/** Every private key file one test file saw; `record` it wherever a key pair and its file are checked. */
export class KeyFileLog {
  readonly observations: KeyFileObservation[] = [];

  record(file: string, context: string): KeyFileObservation | undefined {
    if (!fs.existsSync(file)) return undefined;
    const observation = { file, mode: fs.statSync(file).mode % 0o1000, context };
    this.observations.push(observation);
    return observation;
  }
}

/** Saves one test file's evidence for the suite's secret scan; a no-op outside `npx projen test:faults`. */
export function saveEvidence(record: SuiteFileEvidence): void {
  const directory = process.env[EVIDENCE_DIRECTORY_ENV];
  if (!directory) return;
  fs.writeFileSync(path.join(directory, `${record.file}.json`), JSON.stringify(record), { mode: 0o600 });
}

/** What every file of this run saved, by file name; undefined outside `npx projen test:faults`. */
export function loadEvidence(): Map<string, SuiteFileEvidence> | undefined {
  const directory = process.env[EVIDENCE_DIRECTORY_ENV];
  if (!directory) return undefined;
  const files = fs.readdirSync(directory).filter((name) => name.endsWith('.json'));
  return new Map(files.map((name) => {
    const record = JSON.parse(fs.readFileSync(path.join(directory, name), 'utf8')) as SuiteFileEvidence;
    return [record.file, record];
  }));
}

/** The test files of this run that have run to their end (marked by `environment.js`), by file name. */
export function finishedFiles(): Set<string> {
  const directory = process.env[EVIDENCE_DIRECTORY_ENV];
  const finished = directory === undefined ? undefined : path.join(directory, 'finished');
  return new Set(finished !== undefined && fs.existsSync(finished) ? fs.readdirSync(finished) : []);
}
