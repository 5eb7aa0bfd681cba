import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KeyPairStore, StoredKeyPair } from './cloud-emulator';
import type { CloudName } from '../handler/http/cloud-api-error';

/** Every cloud's key pairs, by scope. This is also the state file's format. */
export interface StateSnapshot {
  readonly version: 1;
  readonly clouds: Record<CloudName, Record<string, StoredKeyPair[]>>;
}

const STATE_VERSION = 1;

function emptySnapshot(): StateSnapshot {
  return { version: STATE_VERSION, clouds: { alicloud: {}, tencentcloud: {}, ucloud: {} } };
}

/**
 * The emulated clouds' state: in memory, and mirrored to a JSON file when one is given, so that a
 * restarted emulator (or another one started on the same file later) sees the same key pairs. The file
 * is re-read when it changed on disk and written atomically (temp file + rename) after every mutation.
 * One running emulator per state file is the supported setup: two writers at once could lose an update.
 */
export class EmulatorState {
  private snapshot: StateSnapshot;
  private loadedMtimeMs = -1;

  constructor(private readonly stateFile?: string) {
    this.snapshot = emptySnapshot();
    this.reloadIfChanged();
  }

  /** The store a cloud module sees: only its own cloud's key pairs. */
  storeFor(cloud: CloudName): KeyPairStore {
    return {
      list: (scope) => {
        this.reloadIfChanged();
        return [...(this.snapshot.clouds[cloud][scope] ?? [])];
      },
      add: (scope, keyPair) => {
        this.reloadIfChanged();
        const scoped = (this.snapshot.clouds[cloud][scope] ??= []);
        scoped.push(keyPair);
        this.persist();
      },
      remove: (scope, id) => {
        this.reloadIfChanged();
        const scoped = this.snapshot.clouds[cloud][scope] ?? [];
        const index = scoped.findIndex((keyPair) => keyPair.id === id);
        if (index < 0) return false;
        scoped.splice(index, 1);
        if (scoped.length === 0) delete this.snapshot.clouds[cloud][scope];
        this.persist();
        return true;
      },
    };
  }

  /** All key pairs of one cloud, flattened with their scope (for inspection). */
  listKeyPairs(cloud: CloudName): Array<StoredKeyPair & { readonly scope: string }> {
    this.reloadIfChanged();
    return Object.entries(this.snapshot.clouds[cloud]).flatMap(([scope, keyPairs]) =>
      keyPairs.map((keyPair) => ({ ...keyPair, scope })),
    );
  }

  /** Forgets every key pair of every cloud (and empties the state file). */
  reset(): void {
    this.snapshot = emptySnapshot();
    this.persist();
  }

  private reloadIfChanged(): void {
    if (!this.stateFile) return;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.stateFile);
    } catch {
      return; // No file yet: it is written on the first mutation.
    }
    if (stat.mtimeMs === this.loadedMtimeMs) return;
    const parsed = JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as Partial<StateSnapshot>;
    if (parsed.version !== STATE_VERSION || typeof parsed.clouds !== 'object' || parsed.clouds === null) {
      throw new Error(`emulator state file ${this.stateFile} is not a version ${STATE_VERSION} state file`);
    }
    this.snapshot = { version: STATE_VERSION, clouds: { ...emptySnapshot().clouds, ...parsed.clouds } };
    this.loadedMtimeMs = stat.mtimeMs;
  }

  private persist(): void {
    if (!this.stateFile) return;
    fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const temporary = `${this.stateFile}.${process.pid}.tmp`;
    // The state holds public keys only; private keys are handed out once and never stored.
    fs.writeFileSync(temporary, JSON.stringify(this.snapshot, null, 2), { mode: 0o600 });
    fs.renameSync(temporary, this.stateFile);
    this.loadedMtimeMs = fs.statSync(this.stateFile).mtimeMs;
  }
}
