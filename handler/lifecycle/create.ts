import { describeTarget, LifecycleContext, LifecycleError } from './context';
import { clearCreateMark, createWasCutOff, keyFileOfCutOffCreate, markCreateStarted } from './create-mark';
import { expectedPublicKey } from './evidence';
import { holdsPublicKey, NAME_TAKEN_REMEDY, ourKeyPairs, whoHoldsTheName, type OwnershipEvidence } from './ownership';
import { preparePrivateKeyDestination, readPrivateKeyFile, removePrivateKeyFile, writePrivateKeyFile } from './private-key-file';
import {
  deleteOurSecretAtOnce,
  describeSecret,
  isOurSecret,
  secretAtCreate,
  storedPrivateKey,
  storePrivateKeySecret,
  type SecretAtCreate,
} from './private-key-secret';
import { settleLostAnswer, waitUntilDescribed } from './settle';
import { tagsAtCreate } from './tags';
import { KEY_SOURCES, unreachable } from '../../src/contract';
import type { SecretValue } from '../clouds/credentials';
import type { CloudKeyPair, CreatedCloudKeyPair } from '../clouds/key-pair-api';
import { checkValueSize } from '../clouds/secret-store-checks';
import { CloudApiError } from '../http/cloud-api-error';
import { generateKeyPairLocally, publicKeyOfPrivateKey, type LocallyGeneratedKeyPair } from '../keys/private-key';
import { publicKeyWithoutComment } from '../keys/public-key';

/**
 * `handler create`: makes the key pair and delivers its private key, atomically. Terraform taints a resource
 * whose create provisioner fails and then skips its destroy provisioner, so whatever this step created is
 * deleted again before it fails; a re-run adopts a pair only when it is provably ours.
 */
export async function createKeyPair(context: LifecycleContext, userTags: Readonly<Record<string, string>>): Promise<CloudKeyPair> {
  const { api, inputs, progress } = context;
  const tags = tagsAtCreate(api.cloud, userTags, inputs.owner);
  const keyFileExists = inputs.privateKeyFile ? preparePrivateKeyDestination(inputs.privateKeyFile).exists : false;
  // With a secret destination, a key generated here is made before any call: whether the store can keep it is known first.
  const store = context.secretStore;
  const generatedEarly =
    inputs.keySource === KEY_SOURCES.generate && store ? generateKeyPairLocally(inputs.keyAlgorithm!, context.generatedRsaBits) : undefined;
  if (generatedEarly && store) checkValueSize(store.label, generatedEarly.privateKeyPem, store.maxValueBytes);
  // Someone else's secret under the name, or one pending deletion, stops the step before any key pair call.
  const secretFound = store ? await secretAtCreate(context) : undefined;

  const existing = await api.findByName(inputs.keyPairName);
  if (existing.length > 0) {
    const held = await keysHeld(context, keyFileExists, secretFound);
    const adopted = await adoptOrClear(context, existing, held, createWasCutOff(context));
    if (adopted) {
      await completeDelivery(context, held, secretFound);
      clearCreateMark(context); // whatever a cut-off create of this pair left: its pair is adopted with its key
      return adopted;
    }
  } else if (keyFileExists && !keyFileOfCutOffCreate(context)) {
    throw new LifecycleError(
      `${inputs.privateKeyFile} already exists and no key pair named "${inputs.keyPairName}" does`,
      'cdktf-keypair never overwrites a private key: move or delete the file, or choose another privateKeyFile',
    );
  }
  if (secretFound?.kind === 'ours') {
    // Its key pair was never made, or is gone (or was just deleted for want of its key): a leftover of ours.
    await deleteOurSecretAtOnce(context, 'no key pair of ours holds the key it keeps (left over from a create that never finished, or from a deleted key pair)');
  }

  progress(`creating ${describeTarget(inputs)} (${inputs.keySource})`);
  switch (inputs.keySource) {
    case KEY_SOURCES.cloud:
      return createCloudGenerated(context, tags);
    case KEY_SOURCES.import:
      return createSettlingLostAnswers(context, importing(context, inputs.publicKey!, tags));
    case KEY_SOURCES.generate:
      return keyFileOfCutOffCreate(context)
        ? createFromCutOffKeyFile(context, tags)
        : createGeneratedLocally(context, tags, generatedEarly ?? generateKeyPairLocally(inputs.keyAlgorithm!, context.generatedRsaBits));
    default:
      return unreachable(inputs.keySource, 'key source');
  }
}

/**
 * The private key this machine holds for the pair before the create: its key file, and the key a previous run
 * stored in our secret. Either is evidence, like an existing key file always was: a pair of ours that holds
 * its public half is adopted.
 */
interface HeldKeys {
  /** The public key the pair should hold: the imported one, or the public half of the key file or of the stored key. */
  readonly publicKey?: string;
  readonly keyFileExists: boolean;
  /** The private key in our secret, when it is a readable key. */
  readonly stored?: SecretValue;
}

async function keysHeld(context: LifecycleContext, keyFileExists: boolean, secretFound: SecretAtCreate | undefined): Promise<HeldKeys> {
  const { inputs, progress } = context;
  if (inputs.keySource === KEY_SOURCES.import) return { publicKey: expectedPublicKey(context), keyFileExists };
  const fileKey = keyFileExists ? expectedPublicKey(context) : undefined;
  let stored: SecretValue | undefined;
  let storedKey: string | undefined;
  if (secretFound?.kind === 'ours') {
    stored = await storedPrivateKey(context);
    try {
      storedKey = stored && publicKeyOfPrivateKey(stored).canonical;
    } catch {
      progress(`the ${describeSecret(inputs.privateKeySecret!)} does not hold a readable private key`);
    }
  }
  if (fileKey !== undefined && storedKey !== undefined && publicKeyWithoutComment(fileKey) !== publicKeyWithoutComment(storedKey)) {
    throw new LifecycleError(
      `${inputs.privateKeyFile} and the ${describeSecret(inputs.privateKeySecret!)} hold different private keys`,
      'cdktf-keypair never overwrites a private key: move the file away or delete the secret, then apply again',
    );
  }
  return { publicKey: fileKey ?? storedKey, keyFileExists, ...(storedKey !== undefined ? { stored } : {}) };
}

/**
 * An adopted pair's key goes to the destinations a previous run did not reach: the key file from the stored
 * key (a fresh machine), the secret from the key file (a run cut off between the two). Nothing is overwritten.
 */
async function completeDelivery(context: LifecycleContext, held: HeldKeys, secretFound: SecretAtCreate | undefined): Promise<void> {
  const { inputs, progress } = context;
  if (inputs.keySource === KEY_SOURCES.import) return;
  if (inputs.privateKeyFile !== undefined && !held.keyFileExists && held.stored !== undefined) {
    writePrivateKeyFile(inputs.privateKeyFile, held.stored);
    progress(`wrote ${inputs.privateKeyFile} from the ${describeSecret(inputs.privateKeySecret!)}`);
  }
  if (context.secretStore && secretFound?.kind === 'absent' && held.keyFileExists && inputs.privateKeyFile !== undefined) {
    const privateKey = readPrivateKeyFile(inputs.privateKeyFile);
    if (privateKey !== undefined) await storePrivateKeySecret(context, privateKey);
  }
}

/**
 * A cloud-generated pair, whose private key the cloud hands out once: marked as on its way until the key is
 * in its file, so that a create cut off by a killed runner is known for what it was (see create-mark.ts).
 */
async function createCloudGenerated(context: LifecycleContext, tags: Record<string, string>): Promise<CloudKeyPair> {
  const { api, inputs } = context;
  markCreateStarted(context);
  try {
    const made = await createSettlingLostAnswers(context, {
      send: () => api.create({ name: inputs.keyPairName, tags }),
      deliver: (created) => deliverCloudGenerated(context, created),
    });
    clearCreateMark(context);
    return made;
  } catch (err) {
    // The mark stays only while a pair this step made is left without its key.
    if (!(err instanceof PairLeftBehindError)) clearCreateMark(context);
    throw err;
  }
}

/** One way of making the pair: the call, what delivers its result, and what a pair made by a lost call is good for. */
interface CreateSend<T extends CloudKeyPair> {
  /**
   * The public key a pair made by this call holds, when this machine has its private half or needs none (an
   * import, a key generated here): such a pair is adopted. Absent for a cloud-generated key, whose private key
   * was lost with the answer: such a pair is deleted and made again.
   */
  readonly knownPublicKey?: string;
  /** Sends the create or import once. */
  send(): Promise<T>;
  /** Delivers and confirms what the call made; deletes it again (and what it wrote) when that fails. */
  deliver(made: T): Promise<CloudKeyPair>;
}

/**
 * How many times a create is sent again after the cloud confirmed what a lost answer left, besides the
 * step's deadline: a cloud that loses every answer should not see a pair made and deleted for minutes.
 */
const MAX_SETTLED_RESENDS = 10;

/**
 * Sends the create; when its answer is lost (a timeout, a dropped connection, an internal error: the cloud
 * may or may not have acted), never resends blindly, but settles what the call did by describing the name:
 * - no pair: sent again (a verified-absent resend; where names may repeat, only after the name stayed free
 *   for the settle time, so that a pair late to show cannot become a second one);
 * - a pair this deployment provably made: adopted when its key is known here, else deleted and made again;
 * - anything else: the step fails, naming what holds the name, and deletes nothing it cannot prove ours.
 * A resend the cloud refuses as a duplicate name means the lost call's pair showed late: settled the same way.
 * All within the step's deadline.
 */
async function createSettlingLostAnswers<T extends CloudKeyPair>(context: LifecycleContext, how: CreateSend<T>): Promise<CloudKeyPair> {
  const { inputs, progress, clock } = context;
  let lost: CloudApiError | undefined;
  for (let resends = 0; ; resends++) {
    let made: T;
    try {
      made = await how.send();
    } catch (err) {
      const answerLost = err instanceof CloudApiError && err.outcome === 'unknown';
      const lostCallShowedLate = lost !== undefined && err instanceof CloudApiError && err.outcome === 'name-taken';
      if (!answerLost && !lostCallShowedLate) throw err;
      if (answerLost) lost = err;
      const settled = await settleLostAnswer(context, lost!, { knownPublicKey: how.knownPublicKey, mustShow: lostCallShowedLate });
      if (settled.kind === 'adopted') return settled.keyPair;
      if (resends >= MAX_SETTLED_RESENDS || clock.now() >= context.deadline) {
        throw new LifecycleError(
          `${describeTarget(inputs)} could not be created: ${resends + 1} calls in a row were lost or refused (${lost!.message})`,
          'Nothing was left behind; apply again once the cloud answers normally',
        );
      }
      progress(
        `sending the create of ${describeTarget(inputs)} again: ` +
          (settled.kind === 'absent' ? 'the cloud confirms the lost call made no key pair' : 'the key pair the lost call made was deleted'),
      );
      continue;
    }
    const delivered = await how.deliver(made);
    if (lost) await deleteLateTwins(context, delivered, how.knownPublicKey);
    return delivered;
  }
}

/**
 * Where names may repeat (UCloud), the pair a lost call made may show only after a resend made another:
 * both are this step's, and the one whose answer was lost goes (with its private key lost, or a twin of the
 * one delivered). Where names are unique the cloud refused the second one itself.
 */
async function deleteLateTwins(context: LifecycleContext, made: CloudKeyPair, knownPublicKey: string | undefined): Promise<void> {
  const { api, inputs, progress } = context;
  if (api.capabilities.uniqueNames) return;
  const evidence: OwnershipEvidence = { owner: inputs.owner, publicKey: knownPublicKey, madeByOurLostCall: true };
  const twins = ourKeyPairs(api, (await api.findByName(inputs.keyPairName)).filter((keyPair) => keyPair.id !== made.id), evidence);
  for (const twin of twins) {
    progress(`deleting ${describeTarget(inputs)} (id ${twin.id}): made by the call whose answer was lost, it showed only after the resend`);
    await api.delete(twin);
  }
}

/**
 * A pair under our name already exists. When it is provably this deployment's (a previous run got this
 * far), adopt it if usable, or delete it when its private key was lost (a cloud-generated key is handed out
 * once). Anything else — another deployment's pair, someone else's, one nothing proves ours — is refused
 * and left alone, as the clouds' own providers fail a create under a taken name.
 */
async function adoptOrClear(context: LifecycleContext, existing: CloudKeyPair[], held: HeldKeys, cutOff: boolean): Promise<CloudKeyPair | undefined> {
  const { api, inputs, progress } = context;
  const publicKey = held.publicKey;
  const evidence: OwnershipEvidence = {
    owner: inputs.owner,
    publicKey: inputs.keySource === KEY_SOURCES.import ? undefined : publicKey,
    madeByOurLostCall: cutOff,
  };
  const ours = ourKeyPairs(api, existing, evidence);
  if (ours.length === 0) {
    throw new LifecycleError(`the key pair name "${inputs.keyPairName}" is taken: ${describeTarget(inputs)} already exists and belongs to ${whoHoldsTheName(api, existing, evidence)}`, NAME_TAKEN_REMEDY);
  }
  if (ours.length > 1 || existing.length > 1) {
    throw new LifecycleError(`${existing.length} key pairs are named "${inputs.keyPairName}"`, 'Delete the extra ones by hand; none was touched');
  }
  const keyPair = ours[0];
  // Where the cloud returns no public key, proof of ownership by key material is proof it holds it.
  const holds = publicKey === undefined ? undefined : (holdsPublicKey(keyPair, publicKey) ?? api.holdsPublicKey?.(keyPair, publicKey));
  if (holds === true) {
    progress(`adopting ${describeTarget(inputs)}: a previous run created it`);
    return keyPair;
  }
  if (inputs.keySource === KEY_SOURCES.import || held.keyFileExists || held.stored !== undefined) {
    const where =
      inputs.keySource === KEY_SOURCES.import
        ? 'the public key to import'
        : held.keyFileExists
          ? `the key in ${inputs.privateKeyFile}`
          : `the key in the ${describeSecret(inputs.privateKeySecret!)}`;
    throw new LifecycleError(
      `${describeTarget(inputs)} carries our tag but does not hold ${where}`,
      'cdktf-keypair never overwrites a private key or another key pair: delete the key pair (or move the file away, or delete the secret) and apply again',
    );
  }
  // Ours, but its private key never reached its file or secret (a cloud-generated key is handed out once): replace it.
  progress(`deleting ${describeTarget(inputs)}: a previous run created it but its private key was lost`);
  await api.delete(keyPair);
  clearCreateMark(context);
  return undefined;
}

/** Delivers the private key the cloud handed out (once) to every destination, then confirms the pair holds its public half. */
async function deliverCloudGenerated(context: LifecycleContext, created: CreatedCloudKeyPair): Promise<CloudKeyPair> {
  const file = context.inputs.privateKeyFile;
  const delivery = newDelivery();
  try {
    await deliverPrivateKey(context, created.privateKey, delivery);
    const delivered = publicKeyOfPrivateKey(file !== undefined ? readPrivateKeyFile(file)! : created.privateKey);
    return await confirmCreated(context, created, delivered.canonical);
  } catch (err) {
    await deleteAfterFailure(context, created, err, delivery);
    throw err;
  }
}

/** What a create delivered of a private key: taken back when a later step fails. */
interface Delivery {
  /** The key file this step wrote (only our own file goes: one that appeared at the path meanwhile is someone else's). */
  file: boolean;
  /** A CreateSecret was sent: whatever it stored, if ours, goes again. */
  secretSent: boolean;
}

function newDelivery(): Delivery {
  return { file: false, secretSent: false };
}

/**
 * The key to every destination: the file (unless this step found it written already), then the secret. Throws
 * at the first that fails (the caller takes back the rest).
 */
async function deliverPrivateKey(context: LifecycleContext, privateKey: SecretValue, delivery: Delivery): Promise<void> {
  const { inputs } = context;
  if (inputs.privateKeyFile !== undefined && !delivery.file) {
    writePrivateKeyFile(inputs.privateKeyFile, privateKey);
    delivery.file = true;
  }
  if (context.secretStore) {
    delivery.secretSent = true;
    await storePrivateKeySecret(context, privateKey);
  }
}

/**
 * Removes what a failed create delivered: its key file, and the secret when one of ours is there (deleted at
 * once, with time of its own). Returns what could not be removed, for the error.
 */
async function takeBackDelivery(context: LifecycleContext, delivery: Delivery): Promise<string[]> {
  const { inputs } = context;
  if (delivery.file) {
    removePrivateKeyFile(inputs.privateKeyFile!);
    delivery.file = false;
  }
  if (!delivery.secretSent) return [];
  delivery.secretSent = false;
  const secret = inputs.privateKeySecret!;
  try {
    const store = context.cleanUpSecretStore!();
    const found = await store.describe(secret.name);
    if (found !== undefined && found.status !== 'pending-delete' && isOurSecret(found, inputs.owner)) {
      await deleteOurSecretAtOnce(context, 'the create failed', store);
    }
    return [];
  } catch (err) {
    return [`the ${describeSecret(secret)} could not be deleted again: ${err instanceof Error ? err.message : String(err)}`];
  }
}

function importing(context: LifecycleContext, publicKey: string, tags: Record<string, string>): CreateSend<CloudKeyPair> {
  const { api, inputs } = context;
  return {
    send: () => api.importPublicKey({ name: inputs.keyPairName, publicKey, tags }),
    deliver: async (imported) => {
      try {
        return await confirmCreated(context, imported, publicKey);
      } catch (err) {
        await deleteAfterFailure(context, imported, err);
        throw err;
      }
    },
    knownPublicKey: publicKey,
  };
}

/**
 * The private key goes to every destination (file, secret) before the public half is imported: no pair ever
 * exists without its key. A lost answer is settled like an import's (the key proves the pair ours, even where
 * there are no tags). A failure takes back what was delivered.
 */
async function createGeneratedLocally(
  context: LifecycleContext,
  tags: Record<string, string>,
  generated: LocallyGeneratedKeyPair,
  keyFileWritten = false,
): Promise<CloudKeyPair> {
  // The file is ours from here on: the mark says so to a create that runs after this one was cut off.
  markCreateStarted(context);
  const delivery: Delivery = { ...newDelivery(), file: keyFileWritten };
  try {
    await deliverPrivateKey(context, generated.privateKeyPem, delivery);
    const made = await createSettlingLostAnswers(context, importing(context, generated.publicKey.canonical, tags));
    clearCreateMark(context);
    return made;
  } catch (err) {
    if (!(err instanceof PairLeftBehindError)) clearCreateMark(context);
    const problems = await takeBackDelivery(context, delivery);
    if (problems.length > 0 && !(err instanceof PairLeftBehindError)) {
      throw new LifecycleError(
        `${describeTarget(context.inputs)} could not be created (${err instanceof Error ? err.message : String(err)}), and ${problems.join('; ')}`,
        'Delete the secret by hand (or apply again: a secret of this deployment without its key pair is deleted then)',
      );
    }
    throw err;
  }
}

/**
 * A key generated here by a create of this pair that was cut off between writing the key file and importing
 * its public half (its mark is beside the file): that key is imported now, as that create would have done.
 */
async function createFromCutOffKeyFile(context: LifecycleContext, tags: Record<string, string>): Promise<CloudKeyPair> {
  const { inputs, progress } = context;
  const privateKeyPem = readPrivateKeyFile(inputs.privateKeyFile!)!;
  if (context.secretStore) checkValueSize(context.secretStore.label, privateKeyPem, context.secretStore.maxValueBytes);
  progress(`importing the key in ${inputs.privateKeyFile}: a create of this key pair generated it and was cut off before its import`);
  return createGeneratedLocally(context, tags, { privateKeyPem, publicKey: publicKeyOfPrivateKey(privateKeyPem) }, true);
}

/** Reads the new pair back (waiting for it to show, up to the settle time): it must hold the expected public key. */
async function confirmCreated(context: LifecycleContext, keyPair: CloudKeyPair, publicKey: string): Promise<CloudKeyPair> {
  const { inputs, progress } = context;
  const described = await waitUntilDescribed(context, keyPair.id);
  if (!described) {
    throw new LifecycleError(`${describeTarget(inputs)} was created (id ${keyPair.id}) but describes do not find it after ${context.settleMs / 1000} s`);
  }
  if (holdsPublicKey(described, publicKey) === false) {
    throw new LifecycleError(`${describeTarget(inputs)} was created but the cloud reports another public key than the one delivered`);
  }
  progress(`created ${describeTarget(inputs)}: id ${described.id}${keyPair.requestId ? ` (request id ${keyPair.requestId})` : ''}`);
  return described;
}

/**
 * Deletes a pair this run created, and takes back what it delivered of its key, so a failed step leaves
 * nothing behind (with time of its own: the failure may have been the step's deadline); reports every
 * failure if that fails too.
 */
async function deleteAfterFailure(context: LifecycleContext, keyPair: CloudKeyPair, cause: unknown, delivery?: Delivery): Promise<void> {
  const { inputs, progress } = context;
  const why = cause instanceof Error ? cause.message : String(cause);
  progress(`${describeTarget(inputs)}: ${why}; deleting the new key pair again`);
  const problems = delivery ? await takeBackDelivery(context, delivery) : [];
  try {
    await context.cleanUpApi().delete(keyPair);
  } catch (err) {
    throw new PairLeftBehindError(
      `${describeTarget(inputs)} (id ${keyPair.id}) could not be delivered and could not be deleted again: ${err instanceof Error ? err.message : String(err)}` +
        problems.map((problem) => `; ${problem}`).join(''),
      'Delete it by hand before applying again',
    );
  }
  if (problems.length > 0) {
    throw new LifecycleError(
      `${describeTarget(inputs)} could not be delivered (${why}); the key pair was deleted again, but ${problems.join('; ')}`,
      'Delete the secret by hand (or apply again: a secret of this deployment without its key pair is deleted then)',
    );
  }
}

/** A failed step that could not delete the pair it made. */
class PairLeftBehindError extends LifecycleError {}
