import { describeTarget, LifecycleContext, LifecycleError } from './context';
import { clearCreateMark, createWasCutOff } from './create-mark';
import { keyMaterialHere } from './evidence';
import type { RecordedKeyPair } from './inputs';
import { holdsPublicKey, ourKeyPairs, whoHoldsTheName, type OwnershipEvidence } from './ownership';
import { readPrivateKeyFile, removePrivateKeyFile } from './private-key-file';
import { deleteSecretAfterPair, keyMaterialInSecret } from './private-key-secret';
import type { CloudKeyPair } from '../clouds/key-pair-api';
import { CloudApiError } from '../http/cloud-api-error';
import { publicKeyOfPrivateKey } from '../keys/private-key';

/**
 * `handler delete`: deletes the key pair if it is this deployment's. Already gone is success only when a
 * describe confirms it; a pair another deployment or someone else made under our name is left alone; a pair
 * still bound to an instance (the usual case when an instance and its key are destroyed together) is
 * retried until `timeoutSeconds`. `recorded` is what the stack registry kept in state: on a cloud without
 * tags it is the proof that lets a fresh machine delete the pair.
 */
export async function deleteKeyPair(context: LifecycleContext, timeoutSeconds: number, recorded?: RecordedKeyPair): Promise<void> {
  const { api, inputs, progress } = context;
  const candidates = await api.findByName(inputs.keyPairName);
  // An imported public key proves nothing: another deployment imports the same one under the same name.
  const evidence: OwnershipEvidence = {
    owner: inputs.owner,
    recorded,
    // Without a key file here (a fresh machine), the key in our secret is the same evidence.
    publicKey:
      api.capabilities.tags || recorded !== undefined || candidates.length === 0
        ? undefined
        : (keyMaterialHere(context) ?? (await keyMaterialInSecret(context))),
    madeByOurLostCall: recorded === undefined && createWasCutOff(context),
  };
  const ours = ourKeyPairs(api, candidates, evidence);
  if (ours.length === 0) {
    progress(
      candidates.length === 0
        ? `${describeTarget(inputs)} is already gone`
        : `${describeTarget(inputs)} was left alone: it belongs to ${whoHoldsTheName(api, candidates, evidence)}`,
    );
    if (candidates.length > 1 && !api.capabilities.tags && recorded === undefined) {
      throw new LifecycleError(`${candidates.length} key pairs are named "${inputs.keyPairName}": cannot tell which is ours`, 'Delete the right one by hand');
    }
    // Ours is gone from the cloud (deleted out of band; with tags, a stranger's pair may hold the name): its
    // key file is useless, and would block the create of `terraform apply -replace`, which never overwrites.
    if (candidates.length === 0 || api.capabilities.tags || recorded !== undefined) {
      removeOwnPrivateKeyFile(context, undefined, candidates);
      if (context.secretStore) await deleteSecretAfterPair(context);
    }
    clearCreateMark(context);
    return;
  }
  if (ours.length > 1) {
    throw new LifecycleError(`${ours.length} key pairs named "${inputs.keyPairName}" carry our ownership tag`, 'Delete them by hand; none was touched');
  }
  const keyPair = ours[0];
  progress(`deleting ${describeTarget(inputs)} (id ${keyPair.id})`);
  await deleteRetryingWhileInUse(context, keyPair, timeoutSeconds);
  const remaining = await api.describeById(keyPair.id);
  if (remaining) throw new LifecycleError(`${describeTarget(inputs)} (id ${keyPair.id}) is still there after its delete was accepted`, 'Run terraform destroy again');
  progress(`deleted ${describeTarget(inputs)} (id ${keyPair.id})`);
  removeOwnPrivateKeyFile(context, keyPair);
  if (context.secretStore) await deleteSecretAfterPair(context);
  clearCreateMark(context);
}

async function deleteRetryingWhileInUse(context: LifecycleContext, keyPair: CloudKeyPair, timeoutSeconds: number): Promise<void> {
  const { api, inputs, progress, clock } = context;
  // The official providers wait a few seconds between attempts too.
  const interval = context.inUseRetryMs;
  const deadline = clock.now() + timeoutSeconds * 1000;
  for (;;) {
    let refusal: CloudApiError;
    try {
      await api.delete(keyPair);
      return;
    } catch (err) {
      if (!(err instanceof CloudApiError)) throw err;
      if (err.outcome === 'not-found') return; // confirmed by the describe after this loop
      if (err.outcome === 'unknown' && !(await api.describeById(keyPair.id))) return;
      // In use, or an answer of unknown meaning while the pair is still there (UCloud documents no in-use
      // code: docs/cloud-behaviour.md#ucloud-bound-key-pair-delete): both may clear once the instance is gone.
      if (err.outcome !== 'in-use' && err.outcome !== 'unknown') throw err;
      refusal = err;
    }
    if (clock.now() + interval > deadline) {
      throw new LifecycleError(
        `${describeTarget(inputs)} could still not be deleted after ${timeoutSeconds} s of retries: ${refusal.message}`,
        'It is probably still bound to an instance: detach it (or delete the instance), then run terraform destroy again; raise deleteTimeoutSeconds if instances take longer to go',
      );
    }
    progress(`${describeTarget(inputs)} is still in use (${refusal.code}); retrying in ${interval / 1000} s`);
    await clock.sleep(interval);
  }
}

/**
 * The private key file is useless once its pair is gone, and would block a later create (files are never
 * overwritten): it is removed when it holds this pair's key, when the cloud gives no public key to compare,
 * or when the pair is gone.
 */
function removeOwnPrivateKeyFile(context: LifecycleContext, keyPair: CloudKeyPair | undefined, others: readonly CloudKeyPair[] = []): void {
  const { inputs, progress } = context;
  if (!inputs.privateKeyFile) return;
  const privateKey = readPrivateKeyFile(inputs.privateKeyFile);
  if (!privateKey) return;
  let canonical: string;
  try {
    canonical = publicKeyOfPrivateKey(privateKey).canonical;
  } catch {
    progress(`${inputs.privateKeyFile} is not a private key; left alone`);
    return;
  }
  if ((keyPair && holdsPublicKey(keyPair, canonical) === false) || others.some((other) => holdsPublicKey(other, canonical) === true)) {
    progress(`${inputs.privateKeyFile} holds another key pair's key; left alone`);
    return;
  }
  removePrivateKeyFile(inputs.privateKeyFile);
  progress(`removed ${inputs.privateKeyFile}`);
}
