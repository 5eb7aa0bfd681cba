/**
 * The secrets of the emulated secret stores (Alibaba KMS Secrets Manager, Tencent SSM), the same shape for
 * every cloud, kept by region in the emulator's state beside the key pairs (and in its state file). Values
 * are secrets: nothing here logs them, and only `secretValue` of the programmatic API hands one out.
 */

/** Where a secret is in its life, as the stores tell it: Alibaba only knows enabled and pending deletion. */
export type SecretStatus = 'enabled' | 'disabled' | 'pending-delete';

/** One version of a secret's value. */
export interface StoredSecretVersion {
  readonly versionId: string;
  /** The value as sent: text, or base64 when `encoding` is `base64` (Tencent SecretBinary, Alibaba binary). */
  readonly value: string;
  readonly encoding: 'text' | 'base64';
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  /** Version stages (Alibaba's `ACSCurrent`); empty where the store has none. */
  readonly stages: readonly string[];
}

/** A secret as the emulator stores it; JSON-serializable. */
export interface StoredSecret {
  readonly name: string;
  readonly status: SecretStatus;
  readonly versions: readonly StoredSecretVersion[];
  readonly tags: Readonly<Record<string, string>>;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  /** When a pending deletion becomes final (ISO 8601 UTC); set only while `pending-delete`. */
  readonly plannedDeleteTime?: string;
  /** Store-specific attributes (KMS key id, description, data type…). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A secret as inspection shows it: where it is, and its versions without their values. */
export interface ListedSecret extends Omit<StoredSecret, 'versions'> {
  readonly scope: string;
  readonly versions: ReadonlyArray<Omit<StoredSecretVersion, 'value'>>;
}

/**
 * One cloud's secrets, by scope (the region). A secret whose planned delete time has passed is gone: every
 * read drops it first, so a test that moves the emulator's clock past a recovery window sees it vanish.
 */
export interface SecretStore {
  /** The live secret of that name in the scope, pending deletion included. */
  find(scope: string, name: string): StoredSecret | undefined;
  /** Every live secret of the scope (for quotas). */
  list(scope: string): readonly StoredSecret[];
  /** Adds the secret, or replaces the one of the same name. */
  save(scope: string, secret: StoredSecret): void;
  /** Removes by name; false when there was none. */
  remove(scope: string, name: string): boolean;
}

/** Secrets by scope, then in creation order: the state file's `secrets` of one cloud. */
export type SecretsByScope = Record<string, StoredSecret[]>;

/** What a secret store works on: the cloud's secrets as loaded now, a way to persist them, and the clock. */
export interface SecretStoreBacking {
  secrets(): SecretsByScope;
  persist(): void;
  /** The emulator's clock, in ms since the epoch. */
  now(): number;
}

export function secretStoreOver(backing: SecretStoreBacking): SecretStore {
  /** The scope's secrets with the expired ones removed (and the removal persisted). */
  const live = (scope: string): StoredSecret[] => {
    const all = backing.secrets();
    const scoped = all[scope] ?? [];
    const now = backing.now();
    const kept = scoped.filter((secret) => secret.plannedDeleteTime === undefined || Date.parse(secret.plannedDeleteTime) > now);
    if (kept.length !== scoped.length) {
      if (kept.length === 0) delete all[scope];
      else all[scope] = kept;
      backing.persist();
    }
    return kept;
  };
  return {
    find: (scope, name) => live(scope).find((secret) => secret.name === name),
    list: (scope) => [...live(scope)],
    save: (scope, secret) => {
      const scoped = live(scope);
      const index = scoped.findIndex((candidate) => candidate.name === secret.name);
      if (index >= 0) scoped[index] = secret;
      else scoped.push(secret);
      backing.secrets()[scope] = scoped;
      backing.persist();
    },
    remove: (scope, name) => {
      const scoped = live(scope);
      const index = scoped.findIndex((candidate) => candidate.name === name);
      if (index < 0) return false;
      scoped.splice(index, 1);
      // `live` hands out a copy: the scope's list is replaced, as `save` does.
      if (scoped.length === 0) delete backing.secrets()[scope];
      else backing.secrets()[scope] = scoped;
      backing.persist();
      return true;
    },
  };
}

/** Every live secret of a cloud, without values, flattened with its scope. */
export function listedSecrets(store: SecretStore, scopes: readonly string[]): ListedSecret[] {
  return scopes.flatMap((scope) =>
    store.list(scope).map((secret) => ({
      ...secret,
      scope,
      versions: secret.versions.map(({ value: _value, ...version }) => version),
    })),
  );
}
