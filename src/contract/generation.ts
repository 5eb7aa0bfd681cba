import { CLOUD_LABELS, perCloud, type CloudName } from './clouds';
import { IMPORTABLE_KEY_TYPES, openSshTypeList, type PublicKeyAlgorithm } from './rules';

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

/** Why `cloud` cannot take a key generated locally with `algorithm`; undefined when it can. Synth and handler alike. */
export function generatedAlgorithmViolation(cloud: CloudName, algorithm: string | undefined): string | undefined {
  const accepted = GENERATABLE_KEY_TYPES[cloud];
  if ((accepted as readonly string[]).includes(String(algorithm))) return undefined;
  return (
    `${CLOUD_LABELS[cloud]} imports ${openSshTypeList(IMPORTABLE_KEY_TYPES[cloud])} keys only, so a key generated locally must be ` +
    `${accepted.map((name) => `KeyAlgorithm.${name.toUpperCase()}`).join(' or ')}; got ${String(algorithm)}`
  );
}
