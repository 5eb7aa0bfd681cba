import type { LifecycleContext } from './context';
import { readPrivateKeyFile } from './private-key-file';
import { KEY_SOURCES } from '../../src/contract';
import { publicKeyOfPrivateKey } from '../keys/private-key';
import { publicKeyWithoutComment } from '../keys/public-key';

/**
 * The public key the pair should hold, when known here: the imported key, or the public half of the private
 * key file on this machine. Undefined when there is no readable key.
 */
export function expectedPublicKey(context: LifecycleContext): string | undefined {
  const { inputs } = context;
  if (inputs.keySource === KEY_SOURCES.import) return publicKeyWithoutComment(inputs.publicKey!);
  return keyMaterialHere(context);
}

/**
 * Ownership evidence from key material: the public half of the private key file on this machine (reading
 * and parsing it has a cost, so callers ask only when they need it). An imported public key is no evidence: every
 * deployment of the app imports the same one.
 */
export function keyMaterialHere(context: LifecycleContext): string | undefined {
  const { inputs } = context;
  const privateKey = inputs.privateKeyFile ? readPrivateKeyFile(inputs.privateKeyFile) : undefined;
  if (!privateKey) return undefined;
  try {
    return publicKeyOfPrivateKey(privateKey).canonical;
  } catch {
    context.progress(`${inputs.privateKeyFile} is not a readable private key`);
    return undefined;
  }
}
