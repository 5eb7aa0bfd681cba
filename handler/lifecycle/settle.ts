import { describeTarget, LifecycleContext, LifecycleError } from './context';
import { holdsPublicKey, NAME_TAKEN_REMEDY, ourKeyPairs, whoHoldsTheName, type OwnershipEvidence } from './ownership';
import type { CloudKeyPair } from '../clouds/key-pair-api';
import type { CloudApiError } from '../http/cloud-api-error';

/** What a create whose answer was lost left in the cloud, once settled. */
export type SettledLostAnswer =
  /** No pair under the name: the call made none, and may be sent again. */
  | { readonly kind: 'absent' }
  /** The call made a pair whose private key was lost with the answer: it was deleted, the call may be sent again. */
  | { readonly kind: 'cleared' }
  /** The call made a pair whose key is known here: it is the result. */
  | { readonly kind: 'adopted'; readonly keyPair: CloudKeyPair };

export interface SettleOptions {
  /** The public key the pair holds if the call made it, when its private half is here or not needed (import, key generated here). */
  readonly knownPublicKey?: string;
  /** The cloud refused a resend as a duplicate name: a pair is there, and describes must show it. */
  readonly mustShow: boolean;
}

/**
 * Settles a create or import whose answer was lost, by describing the name
 * (docs/cloud-behaviour.md#read-after-write-lag): where names are unique one describe suffices, as a pair late to show makes a resend
 * fail with the duplicate-name code; where names may repeat (UCloud), the name must stay free for the
 * settle time before it counts as free. A pair found is this step's when its tag says so (or, without tags,
 * because the name was free when the call went out); it is adopted when its key is known here, and deleted
 * otherwise. Anything else fails the step and is left alone.
 */
export async function settleLostAnswer(context: LifecycleContext, lost: CloudApiError, options: SettleOptions): Promise<SettledLostAnswer> {
  const { api, inputs, progress } = context;
  progress(`${describeTarget(inputs)}: the cloud may or may not have created it (${lost.code}); looking it up`);
  const waitForIt = options.mustShow || !api.capabilities.uniqueNames;
  const found = await describeName(context, waitForIt);
  if (found.length === 0) {
    if (options.mustShow) {
      throw new LifecycleError(
        `${describeTarget(inputs)}: the cloud refused a create as a duplicate name, yet lists no key pair of that name after ${context.settleMs / 1000} s`,
        'The call whose answer was lost most likely made it, and it has not shown yet: apply again, which settles it once it shows',
      );
    }
    progress(`${describeTarget(inputs)}: no key pair of that name ${waitForIt ? `showed within ${context.settleMs / 1000} s` : 'exists'}: the lost call made none`);
    return { kind: 'absent' };
  }
  const evidence: OwnershipEvidence = { owner: inputs.owner, madeByOurLostCall: true };
  const ours = ourKeyPairs(api, found, evidence);
  if (found.length > 1) {
    throw new LifecycleError(
      `${found.length} key pairs are named "${inputs.keyPairName}" after a create whose answer was lost (${found.map((keyPair) => keyPair.id).join(', ')}): cannot tell which one it made`,
      'None was touched: delete the ones that are not in use by hand, then apply again',
    );
  }
  if (ours.length === 0) {
    throw new LifecycleError(`the key pair name "${inputs.keyPairName}" is taken: ${describeTarget(inputs)} belongs to ${whoHoldsTheName(api, found, evidence)}`, NAME_TAKEN_REMEDY);
  }
  const keyPair = ours[0];
  if (options.knownPublicKey !== undefined) {
    // Where the cloud returns public keys, the pair must hold the one the call carried: one that holds another
    // was made by someone else. UCloud's fingerprint can prove a key but never disprove one (its formula is
    // unconfirmed: docs/cloud-behaviour.md#ucloud-fingerprint), so there the free name is the evidence.
    if (holdsPublicKey(keyPair, options.knownPublicKey) === false) {
      throw new LifecycleError(
        `the key pair name "${inputs.keyPairName}" is taken: ${describeTarget(inputs)} (id ${keyPair.id}) holds another public key than the one this step sent, so the call whose answer was lost did not make it`,
        NAME_TAKEN_REMEDY,
      );
    }
    progress(`adopting ${describeTarget(inputs)} (id ${keyPair.id}): the call whose answer was lost made it`);
    return { kind: 'adopted', keyPair };
  }
  progress(`deleting ${describeTarget(inputs)} (id ${keyPair.id}): the call whose answer was lost made it, and its private key was lost with the answer`);
  await api.delete(keyPair);
  return { kind: 'cleared' };
}

/** The pair with this id, describing again until it shows (a new pair may be late in describes), for up to the settle time. */
export async function waitUntilDescribed(context: LifecycleContext, id: string): Promise<CloudKeyPair | undefined> {
  return poll(context, async () => context.api.describeById(id), (keyPair) => keyPair !== undefined);
}

/** The pairs under our name: once, or until some show or the settle time passed. */
async function describeName(context: LifecycleContext, waitForIt: boolean): Promise<CloudKeyPair[]> {
  const describe = () => context.api.findByName(context.inputs.keyPairName);
  return waitForIt ? poll(context, describe, (found) => found.length > 0) : describe();
}

/** Describes until `done`, every settle time / 10 (at least 0.1 s, at most 1 s), up to the settle time and never past the deadline. */
async function poll<T>(context: LifecycleContext, describe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const { clock } = context;
  const until = Math.min(clock.now() + context.settleMs, context.deadline);
  const interval = Math.min(1_000, Math.max(100, context.settleMs / 10));
  for (;;) {
    const value = await describe();
    if (done(value) || clock.now() + interval > until) return value;
    await clock.sleep(interval);
  }
}
