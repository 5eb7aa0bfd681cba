import { OWNERSHIP_TAG_KEY } from '../../src/contract';
import type { CloudKeyPair, KeyPairApi } from '../clouds/key-pair-api';
import { publicKeyWithoutComment } from '../keys/public-key';

/**
 * Whether a key pair carries our ownership tag. Undefined on clouds without key pair tags (UCloud): there,
 * nothing on the pair says who made it.
 */
export function carriesOurTag(api: KeyPairApi, keyPair: CloudKeyPair, owner: string): boolean | undefined {
  if (!api.capabilities.tags) return undefined;
  return keyPair.tags[OWNERSHIP_TAG_KEY] === owner;
}

/**
 * Whether a key pair holds this public key, compared on type and blob only (Tencent rewrites the comment:
 * real-behaviour.md C6). Undefined when the cloud does not return public keys (UCloud).
 */
export function holdsPublicKey(keyPair: CloudKeyPair, publicKeyLine: string): boolean | undefined {
  if (keyPair.publicKey === undefined || keyPair.publicKey === '') return undefined;
  return publicKeyWithoutComment(keyPair.publicKey) === publicKeyWithoutComment(publicKeyLine);
}

/**
 * The pairs, among those with our name, that are ours. With tags, ours means our tag. Without tags (UCloud),
 * the name is unique within a region and project for everything cdktf-keypair creates, so a single pair
 * under our name is taken as ours; several are ambiguous and none is taken.
 */
export function ourKeyPairs(api: KeyPairApi, candidates: readonly CloudKeyPair[], owner: string): CloudKeyPair[] {
  if (api.capabilities.tags) return candidates.filter((keyPair) => carriesOurTag(api, keyPair, owner));
  return candidates.length === 1 ? [...candidates] : [];
}
