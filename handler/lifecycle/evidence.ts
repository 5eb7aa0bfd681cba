import type { LifecycleContext } from './context';
import { readPrivateKeyFile } from './private-key-file';
import { KEY_SOURCES } from '../../src/contract';
import { publicKeyOfPrivateKey } from '../keys/private-key';
import { publicKeyWithoutComment } from '../keys/public-key';

/**
 * The public key this deployment holds for its pair, when it holds one here: the imported key, or the
 * public half of the private key file on this machine (parsing it loads sshpk, so callers ask only when
 * they need it). Undefined when there is no readable key.
 */
export function heldPublicKey(context: LifecycleContext): string | undefined {
  const { inputs } = context;
  if (inputs.keySource === KEY_SOURCES.import) return publicKeyWithoutComment(inputs.publicKey!);
  const privateKey = inputs.privateKeyFile ? readPrivateKeyFile(inputs.privateKeyFile) : undefined;
  if (!privateKey) return undefined;
  try {
    return publicKeyOfPrivateKey(privateKey).canonical;
  } catch {
    context.progress(`${inputs.privateKeyFile} is not a readable private key`);
    return undefined;
  }
}
