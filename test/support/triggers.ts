import { REGIONS } from './regions';
import { type CloudName, KEY_SOURCES, type KeySource, TRIGGER_KEYS } from '../../src/contract';

/** What every key pair's triggers say, as a construct synthesizes them. */
export interface KeyPairTriggerFields {
  readonly cloud: CloudName;
  readonly name: string;
  /** The ownership value (`ownerValue(deployment, constructHash)`). */
  readonly owner: string;
  /** Default: the cloud generates the pair. */
  readonly source?: KeySource;
  /** Default: the cloud's in `REGIONS`. */
  readonly region?: string;
  readonly privateKeyFile?: string;
  readonly publicKey?: string;
}

/**
 * A key pair's triggers, the handler's input, with `extra` on top: a key given `undefined` there is left out,
 * as a construct leaves out what it was not given.
 */
export function keyPairTriggers(fields: KeyPairTriggerFields, extra: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  const triggers: Record<string, string | undefined> = {
    [TRIGGER_KEYS.cloud]: fields.cloud,
    [TRIGGER_KEYS.region]: fields.region ?? REGIONS[fields.cloud],
    [TRIGGER_KEYS.keyPairName]: fields.name,
    [TRIGGER_KEYS.keySource]: fields.source ?? KEY_SOURCES.cloud,
    [TRIGGER_KEYS.privateKeyFile]: fields.privateKeyFile,
    [TRIGGER_KEYS.publicKey]: fields.publicKey,
    [TRIGGER_KEYS.owner]: fields.owner,
    ...extra,
  };
  return Object.fromEntries(Object.entries(triggers).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
