import { describeTarget, LifecycleContext, LifecycleError } from './context';
import { ourKeyPairs } from './ownership';
import { readPrivateKeyFile } from './private-key-file';
import { KEY_SOURCES, READ_STATUS, RESULT_KEYS, ResultKey } from '../../src/contract';
import type { CloudKeyPair } from '../clouds/key-pair-api';
import { openSshFingerprints } from '../keys/fingerprints';
import { publicKeyOfPrivateKey } from '../keys/private-key';
import { publicKeyWithoutComment } from '../keys/public-key';

export type ReadResult = Record<ResultKey, string>;

/**
 * `handler read`: describes the live key pair for the external data source, on every plan. Read-only. A
 * pair that is gone is reported as `status = missing` (the construct's postcondition turns that into a plan
 * error naming `terraform apply -replace=<address>`) rather than raised here, so `terraform destroy`, which
 * reads data sources too, still works.
 */
export async function readKeyPair(context: LifecycleContext): Promise<ReadResult> {
  const { api, inputs } = context;
  const candidates = await api.findByName(inputs.keyPairName);
  if (candidates.length > 1 && !api.capabilities.tags) {
    // Without tags nothing tells which is ours; "missing" would send the user to `apply -replace`, whose
    // delete refuses the same ambiguity.
    throw new LifecycleError(`${candidates.length} key pairs are named "${inputs.keyPairName}": cannot tell which is ours`, 'Delete the extra ones by hand');
  }
  const ours = ourKeyPairs(api, candidates, inputs.owner);
  if (ours.length > 1) {
    throw new LifecycleError(`${ours.length} key pairs named "${inputs.keyPairName}" carry our ownership tag`, 'Delete the extra ones by hand');
  }
  if (ours.length === 0) return missingResult(inputs.keyPairName);
  return presentResult(ours[0], knownPublicKey(context, ours[0]));
}

/**
 * The public key, from the cloud when it returns one, else from what we hold: the imported key, or the
 * private key file on this machine (UCloud returns no public key; parsing the file loads sshpk, only here).
 */
function knownPublicKey(context: LifecycleContext, keyPair: CloudKeyPair): string | undefined {
  const { inputs } = context;
  if (keyPair.publicKey) return publicKeyWithoutComment(keyPair.publicKey);
  if (inputs.keySource === KEY_SOURCES.import) return publicKeyWithoutComment(inputs.publicKey!);
  const privateKey = inputs.privateKeyFile ? readPrivateKeyFile(inputs.privateKeyFile) : undefined;
  if (!privateKey) return undefined;
  try {
    return publicKeyOfPrivateKey(privateKey).canonical;
  } catch {
    context.progress(`${describeTarget(inputs)}: ${inputs.privateKeyFile} is not a readable private key; fingerprints left empty`);
    return undefined;
  }
}

function presentResult(keyPair: CloudKeyPair, publicKey: string | undefined): ReadResult {
  const fingerprints = publicKey ? openSshFingerprints(publicKey) : undefined;
  return {
    [RESULT_KEYS.status]: READ_STATUS.present,
    [RESULT_KEYS.keyPairId]: keyPair.id,
    [RESULT_KEYS.keyPairName]: keyPair.name,
    [RESULT_KEYS.fingerprint]: keyPair.fingerprint,
    [RESULT_KEYS.fingerprintSha256]: fingerprints?.sha256 ?? '',
    [RESULT_KEYS.fingerprintMd5]: fingerprints?.md5 ?? '',
    [RESULT_KEYS.publicKey]: publicKey ?? '',
  } as ReadResult;
}

function missingResult(keyPairName: string): ReadResult {
  return {
    [RESULT_KEYS.status]: READ_STATUS.missing,
    [RESULT_KEYS.keyPairId]: '',
    [RESULT_KEYS.keyPairName]: keyPairName,
    [RESULT_KEYS.fingerprint]: '',
    [RESULT_KEYS.fingerprintSha256]: '',
    [RESULT_KEYS.fingerprintMd5]: '',
    [RESULT_KEYS.publicKey]: '',
  } as ReadResult;
}
