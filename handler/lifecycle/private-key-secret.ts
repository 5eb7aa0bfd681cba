import { LifecycleContext, LifecycleError } from './context';
import type { PrivateKeySecretInputs } from './inputs';
import {
  OWNERSHIP_TAG_KEY,
  ownerInSecretDescription,
  PRIVATE_KEY_SECRET_VERSION_ID,
  SECRET_STORE_LABELS,
  secretDescription,
} from '../../src/contract';
import type { SecretValue } from '../clouds/credentials';
import type { SecretStoreApi, StoredSecret } from '../clouds/secret-store-api';
import { checkValueSize } from '../clouds/secret-store-checks';
import { CloudApiError } from '../http/cloud-api-error';
import { publicKeyOfPrivateKey } from '../keys/private-key';

/**
 * The private key's secret destination: a secret in a cloud secret store that outlives the
 * deploying machine. Ownership works as for key pairs: a secret is ours when its ownership tag carries our
 * owner value, or, where the store returns no tags (Tencent's DescribeSecret), when its description names
 * our owner. Nothing here ever puts a secret's value in a message: values stay inside SecretValue.
 */

/** `secret "web-key" in Tencent Cloud SSM (ap-guangzhou)`: how progress lines and errors name the secret. */
export function describeSecret(secret: PrivateKeySecretInputs): string {
  return `secret "${secret.name}" in ${SECRET_STORE_LABELS[secret.store]} (${secret.region})`;
}

/** The owner a stored secret names: its ownership tag where the store returned tags, else its description. */
export function ownerOfSecret(secret: StoredSecret): string | undefined {
  if (secret.tags !== undefined) return secret.tags[OWNERSHIP_TAG_KEY];
  return ownerInSecretDescription(secret.description);
}

export function isOurSecret(secret: StoredSecret, owner: string): boolean {
  return ownerOfSecret(secret) === owner;
}

/** The secret and its store, for a context known to have a secret destination. */
function secretOf(context: LifecycleContext): { readonly secret: PrivateKeySecretInputs; readonly store: SecretStoreApi } {
  const secret = context.inputs.privateKeySecret;
  const store = context.secretStore;
  if (secret === undefined || store === undefined) throw new Error('internal error: no secret destination in this step');
  return { secret, store };
}

/** What a create found under the secret's name before making anything. */
export type SecretAtCreate =
  | { readonly kind: 'absent' }
  /** Ours (not pending deletion): a previous run of this step stored a key there. */
  | { readonly kind: 'ours'; readonly stored: StoredSecret };

/**
 * Describes the secret's name before a create makes anything. Someone else's secret, or any secret pending
 * deletion, fails the step with the remedy and touches nothing.
 */
export async function secretAtCreate(context: LifecycleContext): Promise<SecretAtCreate> {
  const { secret, store } = secretOf(context);
  const stored = await store.describe(secret.name);
  if (stored === undefined) return { kind: 'absent' };
  if (stored.status === 'pending-delete') throw pendingDeleteError(secret, stored);
  if (!isOurSecret(stored, context.inputs.owner)) throw takenError(secret);
  return { kind: 'ours', stored };
}

function takenError(secret: PrivateKeySecretInputs): LifecycleError {
  return new LifecycleError(
    `the secret name "${secret.name}" is taken in ${SECRET_STORE_LABELS[secret.store]} (${secret.region}) by a secret this deployment does not own`,
    'Nothing was changed: choose another secretName or delete that secret',
  );
}

function pendingDeleteError(secret: PrivateKeySecretInputs, stored: StoredSecret): LifecycleError {
  const until = stored.plannedDeleteTime ? ` until ${stored.plannedDeleteTime}` : '';
  return new LifecycleError(
    `the ${describeSecret(secret)} is pending deletion${until}, and the store keeps its name meanwhile`,
    `Nothing was changed: restore it with RestoreSecret (then apply again), or wait until ${stored.plannedDeleteTime ?? 'its recovery window ends'}, or choose another secretName`,
  );
}

/** The private key a previous run stored in our secret, or undefined when the secret holds no version of ours. */
export async function storedPrivateKey(context: LifecycleContext): Promise<SecretValue | undefined> {
  const { secret, store } = secretOf(context);
  return store.getValue(secret.name, PRIVATE_KEY_SECRET_VERSION_ID);
}

/**
 * Deletes a secret of ours at once: a leftover whose key pair was never made or is gone, or what a failed
 * create stored. `why` ends the progress line.
 */
export async function deleteOurSecretAtOnce(context: LifecycleContext, why: string, store = secretOf(context).store): Promise<void> {
  const { secret } = secretOf(context);
  context.progress(`deleting the ${describeSecret(secret)} at once: ${why}`);
  await store.delete(secret.name, 0);
}

/**
 * How many times the secret's create is sent again after the store confirmed that a lost call stored
 * nothing, besides the step's deadline.
 */
const MAX_SETTLED_SECRET_RESENDS = 5;

/**
 * Stores the private key in the secret, under the fixed version id, with our ownership tag and description.
 * A call whose answer was lost is settled by describing the name (and reading our version back to compare),
 * never resent blindly; a resend refused as a taken name after a lost answer is settled the same way.
 * Throttling and refusals are retried by the store's client. The size is checked before any call.
 */
export async function storePrivateKeySecret(context: LifecycleContext, privateKey: SecretValue): Promise<void> {
  const { secret, store } = secretOf(context);
  const { inputs, progress, clock } = context;
  checkValueSize(store.label, privateKey, store.maxValueBytes);
  const input = {
    name: secret.name,
    value: privateKey,
    versionId: PRIVATE_KEY_SECRET_VERSION_ID,
    tags: { [OWNERSHIP_TAG_KEY]: inputs.owner },
    description: secretDescription(inputs.keyPairName, inputs.owner),
    ...(secret.encryptionKeyId !== undefined ? { kmsKeyId: secret.encryptionKeyId } : {}),
  };
  let lost: CloudApiError | undefined;
  for (let resends = 0; ; resends++) {
    try {
      await store.create(input);
      progress(`stored the private key in the ${describeSecret(secret)}`);
      return;
    } catch (err) {
      const answerLost = err instanceof CloudApiError && err.outcome === 'unknown';
      const lostCallShowedLate = lost !== undefined && err instanceof CloudApiError && err.outcome === 'name-taken';
      if (!answerLost && !lostCallShowedLate) throw err;
      if (answerLost) lost = err;
    }
    progress(`the ${describeSecret(secret)}: the store may or may not have stored it (${lost!.code}); looking it up`);
    if (await settleLostSecretCreate(context, privateKey)) {
      progress(`stored the private key in the ${describeSecret(secret)} (the call whose answer was lost stored it)`);
      return;
    }
    if (resends >= MAX_SETTLED_SECRET_RESENDS || clock.now() >= context.deadline) {
      throw new LifecycleError(
        `the private key could not be stored in the ${describeSecret(secret)}: ${resends + 1} calls in a row were lost (${lost!.message})`,
        'Apply again once the store answers normally',
      );
    }
    progress(`storing the private key in the ${describeSecret(secret)} again: the store confirms the lost call stored nothing`);
  }
}

/**
 * What a CreateSecret whose answer was lost did: true when our secret holds this very key (stored), false
 * when no secret is there (nothing stored: it may be sent again). A secret that is not ours, is pending
 * deletion, or holds another value fails the step.
 */
async function settleLostSecretCreate(context: LifecycleContext, privateKey: SecretValue): Promise<boolean> {
  const { secret, store } = secretOf(context);
  const stored = await store.describe(secret.name);
  if (stored === undefined) return false;
  if (stored.status === 'pending-delete') throw pendingDeleteError(secret, stored);
  if (!isOurSecret(stored, context.inputs.owner)) throw takenError(secret);
  const value = await store.getValue(secret.name, PRIVATE_KEY_SECRET_VERSION_ID);
  if (value !== undefined && value.reveal() === privateKey.reveal()) return true;
  throw new LifecycleError(
    `the ${describeSecret(secret)} is this deployment's, but ${value === undefined ? 'holds no private key version' : 'holds another private key than the one just made'}`,
    'Another run of this deployment may be creating it at the same time: let it finish, or delete the secret and apply again',
  );
}

/**
 * Ownership evidence from the key in our secret, for a step that may read values (the delete, on a cloud
 * without tags and with no key file here): the public half of the stored key, or undefined.
 */
export async function keyMaterialInSecret(context: LifecycleContext): Promise<string | undefined> {
  if (!context.secretStore) return undefined;
  const { state } = await secretAtRead(context);
  if (state !== 'ours') return undefined;
  const stored = await storedPrivateKey(context);
  try {
    return stored && publicKeyOfPrivateKey(stored).canonical;
  } catch {
    return undefined;
  }
}

/** The secret's state as the read and the delete see it. */
export type SecretAtRead = 'ours' | 'absent' | 'not-ours' | 'pending-delete';

/** One describe: whether the pair's key is in the store. Never reads the value. */
export async function secretAtRead(context: LifecycleContext): Promise<{ readonly state: SecretAtRead; readonly stored?: StoredSecret }> {
  const { secret, store } = secretOf(context);
  const stored = await store.describe(secret.name);
  if (stored === undefined) return { state: 'absent' };
  if (stored.status === 'pending-delete') return { state: 'pending-delete', stored };
  return { state: isOurSecret(stored, context.inputs.owner) ? 'ours' : 'not-ours', stored };
}

/**
 * After the key pair is deleted or confirmed gone: deletes the secret when it exists and is ours, with the
 * recovery window from the environment (0: at once). Absent, or already pending deletion: nothing to do; not
 * ours: left alone, and said so.
 */
export async function deleteSecretAfterPair(context: LifecycleContext): Promise<void> {
  const { secret, store } = secretOf(context);
  const { progress } = context;
  const { state, stored } = await secretAtRead(context);
  switch (state) {
    case 'absent':
      progress(`the ${describeSecret(secret)} is already gone`);
      return;
    case 'pending-delete':
      progress(`the ${describeSecret(secret)} is already scheduled for deletion${stored?.plannedDeleteTime ? ` (${stored.plannedDeleteTime})` : ''}`);
      return;
    case 'not-ours':
      progress(`the ${describeSecret(secret)} was left alone: it belongs to ${ownerOfSecret(stored!) ? `another owner (${ownerOfSecret(stored!)})` : 'someone else (no ownership tag or description of this deployment)'}`);
      return;
    case 'ours':
      break;
  }
  const days = secret.recoveryWindowDays;
  await store.delete(secret.name, days);
  progress(days === 0 ? `deleted the ${describeSecret(secret)}` : `scheduled the ${describeSecret(secret)} for deletion in ${days} days (restorable until then)`);
}
