import { perCloud, type CloudName } from './clouds';
import { IMPORTABLE_KEY_TYPES, type PublicKeyAlgorithm } from './rules';

/**
 * Algorithms a key pair can be generated with on the deploying machine (key source `generate`), by the
 * names the `key_algorithm` trigger carries (sshpk's type names, like PublicKeyAlgorithm).
 */
export const GENERATED_KEY_ALGORITHMS = ['rsa', 'ecdsa', 'ed25519'] as const satisfies readonly PublicKeyAlgorithm[];

export type GeneratedKeyAlgorithm = (typeof GENERATED_KEY_ALGORITHMS)[number];

/**
 * The algorithms each cloud accepts for a locally generated key: the generated public half is imported, so
 * these are the cloud's importable types we can generate (Alibaba rsa and ecdsa; Tencent and UCloud rsa:
 * docs/cloud-behaviour.md#importable-key-types). Derived, never listed again.
 */
export const GENERATABLE_KEY_TYPES: Readonly<Record<CloudName, readonly GeneratedKeyAlgorithm[]>> = perCloud(generatable);

function generatable(cloud: CloudName): readonly GeneratedKeyAlgorithm[] {
  return GENERATED_KEY_ALGORITHMS.filter((algorithm) => IMPORTABLE_KEY_TYPES[cloud].includes(algorithm));
}
