import type { KeyPairStore } from './cloud-emulator';

/** The names of the stored key pairs with these ids, in the order given; ids no pair has are left out. */
export function namesOfIds(store: KeyPairStore, ids: readonly string[]): string[] {
  const byId = new Map(store.listAll().map((keyPair) => [keyPair.id, keyPair.name]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

/** A JSON array of strings in a string (Alibaba's `KeyPairNames`), or [] when it is not one. */
export function stringsOfJsonArray(text: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(text ?? '');
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
