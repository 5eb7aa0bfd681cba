import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KeyPairBinding, KeyPairStore, StoredKeyPair } from './cloud-emulator';
import { ListedSecret, listedSecrets, SecretsByScope, SecretStore, secretStoreOver } from './secret-store';
import { CloudName, perCloud } from '../src/contract';

/** Every cloud's key pairs, by scope, and which are bound to instances. This is also the state file's format. */
export interface StateSnapshot {
  readonly version: 1;
  readonly clouds: Record<CloudName, Record<string, StoredKeyPair[]>>;
  /** By cloud, then key pair id. Absent in state files written before bindings existed. */
  readonly bindings?: Record<CloudName, Record<string, KeyPairBinding>>;
  /** The secret stores' secrets, by cloud, then region. Absent in state files written before secret stores existed. */
  readonly secrets?: Record<CloudName, SecretsByScope>;
}

const STATE_VERSION = 1;

function emptySnapshot(): Required<StateSnapshot> {
  return { version: STATE_VERSION, clouds: perCloud(() => ({})), bindings: perCloud(() => ({})), secrets: perCloud(() => ({})) };
}

/**
 * The emulated clouds' state: in memory, and mirrored to a JSON file when one is given, so that a
 * restarted emulator (or another one started on the same file later) sees the same key pairs. The file
 * is re-read when it changed on disk and written atomically (temp file + rename) after every mutation.
 * One running emulator per state file is the supported setup: two writers at once could lose an update.
 */
export class EmulatorState {
  private snapshot: Required<StateSnapshot>;
  private loadedMtimeMs = -1;
  /** When each key pair made since start shows in describes (ms since epoch), by `<cloud>/<id>`. Not persisted. */
  private readonly describableFrom = new Map<string, number>();
  /** How long a new key pair stays out of describes; settable while running. */
  describeLagMs = 0;

  /** `now` tells the time the describe lag counts in (ms since epoch): the emulator's clock. */
  constructor(
    private readonly stateFile?: string,
    private readonly now: () => number = Date.now,
  ) {
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
      describable: (scope) => {
        this.reloadIfChanged();
        const now = this.now();
        return (this.snapshot.clouds[cloud][scope] ?? []).filter((keyPair) => (this.describableFrom.get(`${cloud}/${keyPair.id}`) ?? 0) <= now);
      },
      listAll: () => this.listKeyPairs(cloud),
      takeDeleteBlocker: (id) => {
        this.reloadIfChanged();
        const binding = this.snapshot.bindings[cloud][id];
        if (!binding) return undefined;
        if (binding.remainingDeletes !== undefined) {
          const remainingDeletes = binding.remainingDeletes - 1;
          if (remainingDeletes <= 0) delete this.snapshot.bindings[cloud][id];
          else this.snapshot.bindings[cloud][id] = { ...binding, remainingDeletes };
          this.persist();
        }
        return binding.instanceId;
      },
      add: (scope, keyPair) => {
        this.reloadIfChanged();
        const scoped = (this.snapshot.clouds[cloud][scope] ??= []);
        scoped.push(keyPair);
        if (this.describeLagMs > 0) this.describableFrom.set(`${cloud}/${keyPair.id}`, this.now() + this.describeLagMs);
        this.persist();
      },
      setTags: (scope, id, tags) => {
        this.reloadIfChanged();
        const scoped = this.snapshot.clouds[cloud][scope] ?? [];
        const index = scoped.findIndex((keyPair) => keyPair.id === id);
        if (index < 0) return false;
        scoped[index] = { ...scoped[index], tags: { ...tags } };
        this.persist();
        return true;
      },
      remove: (scope, id) => {
        this.reloadIfChanged();
        const scoped = this.snapshot.clouds[cloud][scope] ?? [];
        const index = scoped.findIndex((keyPair) => keyPair.id === id);
        if (index < 0) return false;
        scoped.splice(index, 1);
        if (scoped.length === 0) delete this.snapshot.clouds[cloud][scope];
        delete this.snapshot.bindings[cloud][id];
        this.persist();
        return true;
      },
    };
  }

  /** The secret store a cloud module sees: only its own cloud's secrets (UCloud has none, and never uses it). */
  secretStoreFor(cloud: CloudName): SecretStore {
    return secretStoreOver({
      secrets: () => {
        this.reloadIfChanged();
        return this.snapshot.secrets[cloud];
      },
      persist: () => this.persist(),
      now: this.now,
    });
  }

  /** Every live secret of one cloud, without values, flattened with its region (for inspection). */
  listSecrets(cloud: CloudName): ListedSecret[] {
    this.reloadIfChanged();
    return listedSecrets(this.secretStoreFor(cloud), Object.keys(this.snapshot.secrets[cloud]));
  }

  /** One version's value (the current one when no id is given), or undefined when there is no such secret or version. */
  secretValue(cloud: CloudName, scope: string, name: string, versionId?: string): string | undefined {
    const secret = this.secretStoreFor(cloud).find(scope, name);
    const versions = secret?.versions ?? [];
    const version = versionId === undefined ? versions[versions.length - 1] : versions.find((candidate) => candidate.versionId === versionId);
    return version?.value;
  }

  /** All key pairs of one cloud, flattened with their scope (for inspection). */
  listKeyPairs(cloud: CloudName): Array<StoredKeyPair & { readonly scope: string }> {
    this.reloadIfChanged();
    return Object.entries(this.snapshot.clouds[cloud]).flatMap(([scope, keyPairs]) =>
      keyPairs.map((keyPair) => ({ ...keyPair, scope })),
    );
  }

  /**
   * Binds a key pair (by id or name) to an instance: the cloud's delete refuses it with its in-use code
   * until `release`, or for `deleteAttempts` deletes when given. Throws when no such key pair exists.
   */
  bind(cloud: CloudName, keyPair: string, instanceId: string, deleteAttempts?: number): KeyPairBinding {
    if (deleteAttempts !== undefined && !(Number.isInteger(deleteAttempts) && deleteAttempts >= 1)) {
      throw new Error(`deleteAttempts must be a positive integer, got ${deleteAttempts}`);
    }
    const id = this.idOf(cloud, keyPair);
    const binding: KeyPairBinding = deleteAttempts === undefined ? { instanceId } : { instanceId, remainingDeletes: deleteAttempts };
    this.snapshot.bindings[cloud][id] = binding;
    this.persist();
    return binding;
  }

  /**
   * Replaces a key pair's tags (by id or name) out of band, as a change made outside Terraform (console,
   * CLI) would, and returns the pair as stored now. Throws when no such key pair exists, or more than one.
   */
  setTags(cloud: CloudName, keyPair: string, tags: Readonly<Record<string, string>>): StoredKeyPair & { readonly scope: string } {
    const invalid = Object.entries(tags).find(([key, value]) => key === '' || typeof value !== 'string');
    if (invalid !== undefined) throw new Error(`tags must map non-empty keys to string values, got ${JSON.stringify(invalid[0])}`);
    const id = this.idOf(cloud, keyPair);
    const stored = this.listKeyPairs(cloud).find((candidate) => candidate.id === id)!;
    this.storeFor(cloud).setTags(stored.scope, id, tags);
    return { ...stored, tags: { ...tags } };
  }

  /** Unbinds a key pair (by id or name); false when it was not bound. */
  release(cloud: CloudName, keyPair: string): boolean {
    const id = this.idOf(cloud, keyPair);
    if (!this.snapshot.bindings[cloud][id]) return false;
    delete this.snapshot.bindings[cloud][id];
    this.persist();
    return true;
  }

  /** Every binding of one cloud, by key pair id. */
  listBindings(cloud: CloudName): Record<string, KeyPairBinding> {
    this.reloadIfChanged();
    return { ...this.snapshot.bindings[cloud] };
  }

  private idOf(cloud: CloudName, keyPair: string): string {
    const matches = this.listKeyPairs(cloud).filter((stored) => stored.id === keyPair || stored.name === keyPair);
    if (matches.length !== 1) {
      throw new Error(`${matches.length === 0 ? 'no' : 'more than one'} ${cloud} key pair with the id or name "${keyPair}"`);
    }
    return matches[0].id;
  }

  /** Forgets every key pair and secret of every cloud (and empties the state file). */
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
    const empty = emptySnapshot();
    this.snapshot = {
      version: STATE_VERSION,
      clouds: { ...empty.clouds, ...parsed.clouds },
      bindings: { ...empty.bindings, ...parsed.bindings },
      secrets: { ...empty.secrets, ...parsed.secrets },
    };
    this.loadedMtimeMs = stat.mtimeMs;
  }

  private persist(): void {
    if (!this.stateFile) return;
    fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const temporary = `${this.stateFile}.${process.pid}.tmp`;
    // Key pairs are kept by public key only (private keys are handed out once and never stored), but the
    // secret stores' values are here: the file is the owner's alone.
    fs.writeFileSync(temporary, JSON.stringify(this.snapshot, null, 2), { mode: 0o600 });
    fs.renameSync(temporary, this.stateFile);
    this.loadedMtimeMs = fs.statSync(this.stateFile).mtimeMs;
  }
}
