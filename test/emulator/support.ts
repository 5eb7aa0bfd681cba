/**
 * What the emulator's secret store tests share: one emulator for the file, on a clock the test can move on
 * (recovery windows of days pass in no time), with its log lines kept; reset before each test.
 */
import { randomBytes } from 'node:crypto';
import { RunningEmulator, startEmulator } from '../../emulator';

export const DAY_MS = 24 * 60 * 60_000;

/** A value no test could produce by accident: it must never show outside the store. */
export function unguessableSecretValue(): string {
  return `-----BEGIN PRIVATE KEY-----\nsecret-${randomBytes(12).toString('hex')}\n-----END PRIVATE KEY-----\n`;
}

export interface ClockedEmulator {
  /** The file's emulator; a test may point the calls at another one for a while (and back). */
  emulator: RunningEmulator;
  /** Every line the emulator logged since the test began. */
  readonly logLines: string[];
  /** The emulator's clock now. */
  now(): Date;
  /** Moves the emulator's clock on. */
  advance(ms: number): void;
}

/** Call at the top of a test file: starts the emulator before its tests, resets it (and its clock) before each. */
export function useClockedEmulator(): ClockedEmulator {
  let offsetMs = 0;
  const bed: { emulator?: RunningEmulator; logLines: string[] } = { logLines: [] };
  beforeAll(async () => {
    bed.emulator = await startEmulator({ now: () => new Date(Date.now() + offsetMs), log: (line) => bed.logLines.push(line) });
  });
  afterAll(async () => bed.emulator?.stop());
  beforeEach(() => {
    bed.emulator!.reset();
    offsetMs = 0;
    bed.logLines.length = 0;
  });
  const now = (): Date => new Date(Date.now() + offsetMs);
  return {
    get emulator() {
      return bed.emulator!;
    },
    set emulator(other: RunningEmulator) {
      bed.emulator = other;
    },
    now,
    logLines: bed.logLines,
    advance: (ms) => void (offsetMs += ms),
  };
}
