import type { FaultKind } from './faults';
import type { CloudName } from '../src/contract';

/** One API request as the emulator saw it (never parameters or bodies: they hold keys). */
export interface JournalEntry {
  readonly cloud: CloudName;
  /** The action asked for; undefined when the request named none. */
  readonly action?: string;
  /** HTTP status answered; undefined when the connection was dropped. */
  readonly status?: number;
  /** Whether the cloud module ran the action (false when an injected fault answered in its place). */
  readonly handled: boolean;
  readonly fault?: FaultKind;
  /** The key pairs the request is about, by name (see CloudEmulator.keyPairNamesOf). */
  readonly keyPairNames: readonly string[];
  /** The secrets a secret-store request is about, by name; present only on such requests. Never their values. */
  readonly secretNames?: readonly string[];
}

/**
 * Every API request of a run, in order, so tests can count what reached the "cloud": creates made exactly
 * once under throttling, no call at all for input refused before any request.
 */
export class RequestJournal {
  private readonly entries: JournalEntry[] = [];

  record(entry: JournalEntry): void {
    this.entries.push(entry);
  }

  list(cloud?: CloudName): JournalEntry[] {
    return this.entries.filter((entry) => cloud === undefined || entry.cloud === cloud);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
