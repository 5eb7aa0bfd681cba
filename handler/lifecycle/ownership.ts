import { OWNERSHIP_TAG_KEY, parseOwnerValue } from '../../src/contract';
import type { CloudKeyPair, KeyPairApi } from '../clouds/key-pair-api';
import { publicKeyWithoutComment } from '../keys/public-key';

/** What this deployment holds about its key pair, besides the ownership value in the triggers. */
export interface OwnershipEvidence {
  /** The ownership value: `<deployment>/<construct>`. */
  readonly owner: string;
  /** The id and fingerprint this deployment recorded in Terraform state (the stack registry's entry). */
  readonly recorded?: { readonly keyPairId: string; readonly fingerprint: string };
  /** The public half of the private key this deployment holds here (an imported public key proves nothing). */
  readonly publicKey?: string;
  /**
   * This step saw the name free, then sent a create or import whose answer was lost, or an earlier step on
   * this machine sent a create that was cut off before its key arrived (create-mark.ts): on a cloud without
   * tags, a pair now under the name was made by that call (another deployment applying the same name in the
   * same seconds is the one case this cannot tell apart, and one name per deployment rules it out).
   */
  readonly madeByOurLostCall?: boolean;
}

/**
 * Whose a key pair under our name is:
 * - `ours`: this deployment's, for this construct (our ownership tag; where the cloud has no tags, the id
 *   recorded in state or the key material we hold);
 * - `other-deployment`: the same construct of another deployment of this app (another Terraform state);
 * - `other-owner`: another cdktf-keypair key pair (another construct or app);
 * - `foreign`: made outside cdktf-keypair (no ownership tag), or not the pair this deployment recorded;
 * - `unproven`: on a cloud without tags, nothing this deployment holds says whose it is.
 */
export type Ownership =
  | { readonly kind: 'ours' }
  | { readonly kind: 'other-deployment'; readonly deployment: string }
  | { readonly kind: 'other-owner'; readonly owner: string }
  | { readonly kind: 'foreign' }
  | { readonly kind: 'unproven' };

export function ownershipOf(api: KeyPairApi, keyPair: CloudKeyPair, evidence: OwnershipEvidence): Ownership {
  if (api.capabilities.tags) {
    const tag = keyPair.tags[OWNERSHIP_TAG_KEY];
    if (tag === undefined) return { kind: 'foreign' };
    if (tag === evidence.owner) return { kind: 'ours' };
    const theirs = parseOwnerValue(tag);
    const ours = parseOwnerValue(evidence.owner);
    if (theirs && ours && theirs.construct === ours.construct) return { kind: 'other-deployment', deployment: theirs.deployment };
    return { kind: 'other-owner', owner: tag };
  }
  // No tags, labels or description on the pair (UCloud): the strongest evidence this deployment holds.
  const { recorded, publicKey } = evidence;
  if (recorded !== undefined && recorded.keyPairId !== '') {
    const sameFingerprint = recorded.fingerprint === '' || recorded.fingerprint === keyPair.fingerprint;
    return recorded.keyPairId === keyPair.id && sameFingerprint ? { kind: 'ours' } : { kind: 'foreign' };
  }
  if (publicKey !== undefined && api.holdsPublicKey?.(keyPair, publicKey) === true) return { kind: 'ours' };
  if (evidence.madeByOurLostCall) return { kind: 'ours' };
  return { kind: 'unproven' };
}

/** The pairs among `candidates` that are ours. */
export function ourKeyPairs(api: KeyPairApi, candidates: readonly CloudKeyPair[], evidence: OwnershipEvidence): CloudKeyPair[] {
  return candidates.filter((keyPair) => ownershipOf(api, keyPair, evidence).kind === 'ours');
}

/**
 * Why a name is not ours to use, in the words an error gives: who holds it, as far as we can tell. The most
 * telling holder wins (another deployment of this app, then another cdktf-keypair pair, then a stranger).
 */
export function whoHoldsTheName(api: KeyPairApi, candidates: readonly CloudKeyPair[], evidence: OwnershipEvidence): string {
  const kinds = candidates.map((keyPair) => ownershipOf(api, keyPair, evidence));
  const otherDeployment = kinds.find((kind) => kind.kind === 'other-deployment');
  if (otherDeployment?.kind === 'other-deployment') {
    return `another deployment of this app (deployment ${otherDeployment.deployment}: the same code applied with another Terraform state)`;
  }
  const otherOwner = kinds.find((kind) => kind.kind === 'other-owner');
  if (otherOwner?.kind === 'other-owner') return `another cdktf-keypair key pair (ownership tag ${otherOwner.owner})`;
  if (kinds.some((kind) => kind.kind === 'foreign')) {
    return api.capabilities.tags ? 'a key pair cdktf-keypair did not create (it has no ownership tag)' : 'a key pair other than the one this deployment recorded';
  }
  return (
    'a key pair this deployment cannot prove its own (this cloud\'s key pairs carry no tags, and this deployment holds no record or key ' +
    'material that matches; if an earlier failed apply of this deployment made it, it is an orphan to delete yourself)'
  );
}

/** What to do when the name is taken: the same advice for create, read and delete. */
export const NAME_TAKEN_REMEDY =
  'Nothing was changed. Give each deployment its own key pair names (for example, put the stage or environment in keyPairName), ' +
  'or, if that key pair is abandoned, delete it yourself and apply again';

/**
 * Whether a key pair holds this public key, compared on type and blob only (Tencent rewrites the comment).
 * Undefined when the cloud does not return public keys (UCloud).
 */
export function holdsPublicKey(keyPair: CloudKeyPair, publicKeyLine: string): boolean | undefined {
  if (keyPair.publicKey === undefined || keyPair.publicKey === '') return undefined;
  return publicKeyWithoutComment(keyPair.publicKey) === publicKeyWithoutComment(publicKeyLine);
}
