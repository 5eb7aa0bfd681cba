import { describeTarget, LifecycleContext, LifecycleError } from './context';
import { expectedPublicKey, keyMaterialHere } from './evidence';
import { holdsPublicKey, NAME_TAKEN_REMEDY, ownershipOf, ourKeyPairs, whoHoldsTheName, type OwnershipEvidence } from './ownership';
import { preparePrivateKeyDestination, readPrivateKeyFile, removePrivateKeyFile, writePrivateKeyFile } from './private-key-file';
import { tagsAtCreate } from './tags';
import { KEY_SOURCES } from '../../src/contract';
import type { CloudKeyPair } from '../clouds/key-pair-api';
import { CloudApiError } from '../http/cloud-api-error';
import { generateKeyPairLocally, publicKeyOfPrivateKey } from '../keys/private-key';

/**
 * `handler create`: makes the key pair and delivers its private key, atomically. Terraform taints a resource
 * whose create provisioner fails and then skips its destroy provisioner, so whatever this step created is
 * deleted again before it fails; a re-run adopts a pair only when it is provably ours.
 */
export async function createKeyPair(context: LifecycleContext, userTags: Readonly<Record<string, string>>): Promise<CloudKeyPair> {
  const { api, inputs, progress } = context;
  const tags = tagsAtCreate(api.cloud, userTags, inputs.owner);
  const keyFileExists = inputs.privateKeyFile ? preparePrivateKeyDestination(inputs.privateKeyFile).exists : false;

  const existing = await api.findByName(inputs.keyPairName);
  if (existing.length > 0) {
    const adopted = await adoptOrClear(context, existing, keyFileExists);
    if (adopted) return adopted;
  } else if (keyFileExists) {
    throw new LifecycleError(
      `${inputs.privateKeyFile} already exists and no key pair named "${inputs.keyPairName}" does`,
      'cdktf-keypair never overwrites a private key: move or delete the file, or choose another privateKeyFile',
    );
  }

  progress(`creating ${describeTarget(inputs)} (${inputs.keySource})`);
  switch (inputs.keySource) {
    case KEY_SOURCES.cloud:
      return createCloudGenerated(context, tags);
    case KEY_SOURCES.import:
      return importPublicKey(context, inputs.publicKey!, tags);
    default:
      return createGeneratedLocally(context, tags);
  }
}

/**
 * A pair under our name already exists. When it is provably this deployment's (a previous run got this
 * far), adopt it if usable, or delete it when its private key was lost (a cloud-generated key is handed out
 * once). Anything else — another deployment's pair, someone else's, one nothing proves ours — is refused
 * and left alone, as the clouds' own providers fail a create under a taken name.
 */
async function adoptOrClear(context: LifecycleContext, existing: CloudKeyPair[], keyFileExists: boolean): Promise<CloudKeyPair | undefined> {
  const { api, inputs, progress } = context;
  const publicKey = inputs.keySource === KEY_SOURCES.import || keyFileExists ? expectedPublicKey(context) : undefined;
  const evidence: OwnershipEvidence = { owner: inputs.owner, publicKey: inputs.keySource === KEY_SOURCES.import ? undefined : publicKey };
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
  if (inputs.keySource === KEY_SOURCES.import || keyFileExists) {
    throw new LifecycleError(
      `${describeTarget(inputs)} carries our tag but does not hold ` +
        (inputs.keySource === KEY_SOURCES.import ? 'the public key to import' : `the key in ${inputs.privateKeyFile}`),
      'cdktf-keypair never overwrites a private key or another key pair: delete the key pair (or move the file away) and apply again',
    );
  }
  // Ours, but its private key never reached its file (a cloud-generated key is handed out once): replace it.
  progress(`deleting ${describeTarget(inputs)}: a previous run created it but its private key was lost`);
  await api.delete(keyPair);
  return undefined;
}

async function createCloudGenerated(context: LifecycleContext, tags: Record<string, string>): Promise<CloudKeyPair> {
  const { api, inputs } = context;
  const file = inputs.privateKeyFile!;
  let created;
  try {
    created = await api.create({ name: inputs.keyPairName, tags });
  } catch (err) {
    await cleanUpUnknownOutcome(context, err);
    throw err;
  }
  let written = false;
  try {
    writePrivateKeyFile(file, created.privateKey);
    written = true;
    const delivered = publicKeyOfPrivateKey(readPrivateKeyFile(file)!);
    return await confirmCreated(context, created, delivered.canonical);
  } catch (err) {
    // Only our own file goes: one that appeared at the path meanwhile is someone else's.
    if (written) removePrivateKeyFile(file);
    await deleteAfterFailure(context, created, err);
    throw err;
  }
}

async function importPublicKey(context: LifecycleContext, publicKey: string, tags: Record<string, string>): Promise<CloudKeyPair> {
  const { api, inputs } = context;
  let imported;
  try {
    imported = await api.importPublicKey({ name: inputs.keyPairName, publicKey, tags });
  } catch (err) {
    await cleanUpUnknownOutcome(context, err);
    throw err;
  }
  try {
    return await confirmCreated(context, imported, publicKey);
  } catch (err) {
    await deleteAfterFailure(context, imported, err);
    throw err;
  }
}

/** The private key is written before the public half is imported: no pair ever exists without its key. */
async function createGeneratedLocally(context: LifecycleContext, tags: Record<string, string>): Promise<CloudKeyPair> {
  const { inputs } = context;
  const file = inputs.privateKeyFile!;
  const generated = generateKeyPairLocally(inputs.keyAlgorithm!);
  writePrivateKeyFile(file, generated.privateKeyPem);
  try {
    return await importPublicKey(context, generated.publicKey.canonical, tags);
  } catch (err) {
    removePrivateKeyFile(file);
    throw err;
  }
}

/** Reads the new pair back: it must exist under its id and hold the expected public key. */
async function confirmCreated(context: LifecycleContext, keyPair: CloudKeyPair, publicKey: string): Promise<CloudKeyPair> {
  const { api, inputs, progress } = context;
  const described = await api.describeById(keyPair.id);
  if (!described) {
    throw new LifecycleError(`${describeTarget(inputs)} was created (id ${keyPair.id}) but a describe right after does not find it`);
  }
  if (holdsPublicKey(described, publicKey) === false) {
    throw new LifecycleError(`${describeTarget(inputs)} was created but the cloud reports another public key than the one delivered`);
  }
  progress(`created ${describeTarget(inputs)}: id ${described.id}${keyPair.requestId ? ` (request id ${keyPair.requestId})` : ''}`);
  return described;
}

/**
 * After a create or import whose outcome is unknown (a timeout, a dropped connection, an internal error),
 * looks the pair up: if the cloud made it, it is ours and — for a cloud-generated key — its private key is
 * lost, so it is deleted; either way the step fails and a re-run starts clean.
 */
async function cleanUpUnknownOutcome(context: LifecycleContext, err: unknown): Promise<void> {
  if (!(err instanceof CloudApiError) || err.outcome !== 'unknown') return;
  const { api, inputs, progress } = context;
  progress(`${describeTarget(inputs)}: the cloud may or may not have created it; looking it up`);
  const evidence: OwnershipEvidence = { owner: inputs.owner, publicKey: api.capabilities.tags ? undefined : keyMaterialHere(context) };
  const found = await api.findByName(inputs.keyPairName);
  for (const keyPair of found) {
    const ownership = ownershipOf(api, keyPair, evidence).kind;
    if (ownership === 'ours') {
      progress(`deleting ${describeTarget(inputs)} (id ${keyPair.id}): created by the failed call`);
      await api.delete(keyPair);
    } else if (ownership === 'unproven') {
      // Most likely made by the failed call, but nothing on it says so: never deleted by its name alone.
      progress(
        `${describeTarget(inputs)} (id ${keyPair.id}) exists and may have been made by the failed call, but nothing proves it this ` +
          'deployment\'s (this cloud\'s key pairs carry no tags): left alone. If no one else made it, delete it yourself before applying again',
      );
    }
  }
}

/** Deletes a pair this run created, so a failed step leaves nothing behind; reports both failures if that fails too. */
async function deleteAfterFailure(context: LifecycleContext, keyPair: CloudKeyPair, cause: unknown): Promise<void> {
  const { api, inputs, progress } = context;
  progress(`${describeTarget(inputs)}: ${cause instanceof Error ? cause.message : String(cause)}; deleting the new key pair again`);
  try {
    await api.delete(keyPair);
  } catch (err) {
    throw new LifecycleError(
      `${describeTarget(inputs)} (id ${keyPair.id}) could not be delivered and could not be deleted again: ${err instanceof Error ? err.message : String(err)}`,
      'Delete it by hand before applying again',
    );
  }
}
