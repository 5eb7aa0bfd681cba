import { describeTarget, LifecycleContext, LifecycleError } from './context';
import { createWasCutOff } from './create-mark';
import { expectedPublicKey, keyMaterialHere } from './evidence';
import { NAME_TAKEN_REMEDY, ownershipOf, whoHoldsTheName, type OwnershipEvidence } from './ownership';
import { describeSecret, secretAtRead } from './private-key-secret';
import { tagsRevision } from './tags';
import { INITIAL_TAGS_REVISION, READ_STATUS, RESULT_KEYS, ResultKey, TAG_RULES } from '../../src/contract';
import type { CloudKeyPair } from '../clouds/key-pair-api';
import type { StoredSecret } from '../clouds/secret-store-api';
import { openSshFingerprints } from '../keys/fingerprints';
import { publicKeyWithoutComment } from '../keys/public-key';

export type ReadResult = Record<ResultKey, string>;

/**
 * One key pair of the stack's read (`handler read`), on every plan and after every apply. Read-only. A pair
 * of this deployment that is gone is reported as `status = missing`, never raised here: the next apply
 * makes it again (docs/design.md#a-vanished-pair-is-made-again), and `terraform destroy`, which reads data
 * sources too, still works. A pair under our name that is another deployment's, or someone else's, is
 * reported `taken` (the stack read's postcondition fails the plan with `problem`): reporting its id as
 * ours would wire it into instances.
 */
export async function readKeyPair(context: LifecycleContext, declaredTags: Readonly<Record<string, string>>): Promise<ReadResult> {
  const { api, inputs, progress } = context;
  const candidates = await api.findByName(inputs.keyPairName);
  if (candidates.length === 0) return missingResult(context);
  const cutOff = createWasCutOff(context);
  const evidence: OwnershipEvidence = {
    owner: inputs.owner,
    publicKey: api.capabilities.tags ? undefined : keyMaterialHere(context),
    madeByOurLostCall: cutOff,
  };
  const kinds = candidates.map((keyPair) => ownershipOf(api, keyPair, evidence).kind);
  const ours = candidates.filter((_, index) => kinds[index] === 'ours');
  if (ours.length > 1) {
    throw new LifecycleError(`${ours.length} key pairs named "${inputs.keyPairName}" are ours`, 'Delete the extra ones by hand');
  }
  if (ours.length === 1 && cutOff) {
    // Made by a create cut off before its key arrived: the key is lost, so the pair is as good as gone.
    progress(`${describeTarget(inputs)} (id ${ours[0].id}) was made by a create cut off before its private key arrived: reported missing`);
    return missingResult(context);
  }
  if (ours.length === 1) {
    if (!context.secretStore) return presentResult(context, ours[0], declaredTags);
    const secret = await keyInItsSecret(context);
    return secret === undefined ? missingResult(context) : presentResult(context, ours[0], declaredTags, secret);
  }
  if (candidates.length === 1 && kinds[0] === 'unproven') {
    // A cloud without tags, and nothing here to compare (a cloud-generated key read on a machine without its
    // file): the one pair under the name is reported; every step that changes or deletes it needs proof.
    progress(`${describeTarget(inputs)}: reported by its name alone (this cloud's key pairs carry no tags)`);
    const secret = context.secretStore ? await secretAtRead(context) : undefined;
    return presentResult(context, candidates[0], declaredTags, secret?.state === 'ours' ? secret.stored : undefined);
  }
  if (kinds.every((kind) => kind === 'unproven')) {
    // Without tags nothing tells which is ours; "missing" would send the user to `apply -replace`, whose
    // delete refuses the same ambiguity.
    throw new LifecycleError(`${candidates.length} key pairs are named "${inputs.keyPairName}": cannot tell which is ours`, 'Delete the extra ones by hand');
  }
  const problem = new LifecycleError(
    `the key pair name "${inputs.keyPairName}" is taken: ${describeTarget(inputs)} belongs to ${whoHoldsTheName(api, candidates, evidence)}, not to this deployment`,
    NAME_TAKEN_REMEDY,
  ).message;
  progress(problem);
  return { ...missingResult(context), [RESULT_KEYS.status]: READ_STATUS.taken, [RESULT_KEYS.problem]: problem };
}

/**
 * With a secret destination, the secret is where the key outlives this machine: a pair of ours whose secret is
 * absent, not ours, or pending deletion never got (or lost) its key there, and is reported missing so the next
 * apply makes it again, as the create mark does for key files. One describe; the value is never read here.
 */
async function keyInItsSecret(context: LifecycleContext): Promise<StoredSecret | undefined> {
  const { state, stored } = await secretAtRead(context);
  if (state === 'ours') return stored;
  const why = { 'absent': 'does not exist', 'not-ours': 'is not this deployment\'s', 'pending-delete': 'is pending deletion' }[state];
  context.progress(`${describeTarget(context.inputs)}: its ${describeSecret(context.inputs.privateKeySecret!)} ${why}, so its private key is not kept there: reported missing`);
  return undefined;
}

function presentResult(
  context: LifecycleContext,
  keyPair: CloudKeyPair,
  declaredTags: Readonly<Record<string, string>>,
  secret?: StoredSecret,
): ReadResult {
  // The public key from the cloud when it returns one, else what we hold (UCloud returns none).
  const publicKey = keyPair.publicKey ? publicKeyWithoutComment(keyPair.publicKey) : expectedPublicKey(context);
  return {
    ...describedResult(keyPair, publicKey, tagsRevision(context.api.cloud, keyPair, declaredTags)),
    [RESULT_KEYS.secretResourceName]: secret?.resourceName ?? '',
  };
}

/**
 * The result of a described pair (the read's, and a reference's lookup): the cloud's view, the OpenSSH
 * fingerprints of `publicKey` when it is known, and the tags revision ("" where none applies).
 */
export function describedResult(keyPair: CloudKeyPair, publicKey: string | undefined, revision: string): ReadResult {
  const fingerprints = publicKey ? openSshFingerprints(publicKey) : undefined;
  return {
    [RESULT_KEYS.status]: READ_STATUS.present,
    [RESULT_KEYS.keyPairId]: keyPair.id,
    [RESULT_KEYS.keyPairName]: keyPair.name,
    [RESULT_KEYS.fingerprint]: keyPair.fingerprint,
    [RESULT_KEYS.fingerprintSha256]: fingerprints?.sha256 ?? '',
    [RESULT_KEYS.fingerprintMd5]: fingerprints?.md5 ?? '',
    [RESULT_KEYS.publicKey]: publicKey ?? '',
    [RESULT_KEYS.tagsRevision]: revision,
    [RESULT_KEYS.problem]: '',
    [RESULT_KEYS.secretResourceName]: '',
  };
}

/**
 * A pair not in the cloud. Its tags revision is the one the create sets, so the stack's tag resource plans
 * nothing more once the pair is made (again).
 */
function missingResult(context: LifecycleContext): ReadResult {
  return {
    [RESULT_KEYS.status]: READ_STATUS.missing,
    [RESULT_KEYS.keyPairId]: '',
    [RESULT_KEYS.keyPairName]: context.inputs.keyPairName,
    [RESULT_KEYS.fingerprint]: '',
    [RESULT_KEYS.fingerprintSha256]: '',
    [RESULT_KEYS.fingerprintMd5]: '',
    [RESULT_KEYS.publicKey]: '',
    [RESULT_KEYS.tagsRevision]: TAG_RULES[context.api.cloud] === undefined ? '' : INITIAL_TAGS_REVISION,
    [RESULT_KEYS.problem]: '',
    [RESULT_KEYS.secretResourceName]: '',
  };
}
