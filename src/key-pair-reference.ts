import { DataExternal } from '@cdktf/provider-external/lib/data-external';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { KeyPairCloud } from './cloud';
import {
  CLOUD_LABELS,
  endpointViolation,
  KEY_PAIR_ID_RULES,
  LOOKUP_QUERY_KEYS,
  NAME_RULES,
  REGION_RULE,
  RESULT_KEYS,
  SCOPE_RULES,
  TRIGGER_KEYS,
  type CloudName,
} from './contract';
import { IKeyPair } from './key-pair';
import { StackReads } from './stack-reads';
import { terraformString } from './terraform-string';
import { PropsCheck } from './validation';

/** How a reference finds its key pair: by name, or (Tencent Cloud) by id. */
export interface KeyPairLookup {
  readonly region: string;
  readonly keyPairName?: string;
  readonly keyPairId?: string;
  /** Alibaba resource group, Tencent or UCloud project, as a string. */
  readonly scope?: string;
  readonly endpoint?: string;
}

/**
 * A key pair made elsewhere (the console, another stack, a teammate), looked up on every plan by the
 * stack's plan-time read, with the stack's key pairs: never created, changed or deleted. A missing or
 * ambiguous pair fails the plan, naming it. Made by the clouds' `fromKeyPairName` / `fromKeyPairId`.
 */
export class KeyPairReference extends Construct implements IKeyPair {
  public readonly cloud: KeyPairCloud;
  /** The stack's plan-time read, which looks the key pair up on every plan (shared by the stack's key pairs and references). */
  public readonly reader: DataExternal;
  private readonly result: (resultKey: string) => string;

  constructor(scope: Construct, id: string, cloud: KeyPairCloud, lookup: KeyPairLookup) {
    super(scope, id);
    this.cloud = cloud;
    const cloudName: CloudName = cloud;
    const check = new PropsCheck(this);
    if (lookup.region === undefined) check.report('region is required');
    check.rule(REGION_RULE, lookup.region);
    check.rule(SCOPE_RULES[cloudName], lookup.scope);
    if (lookup.endpoint !== undefined && !Token.isUnresolved(lookup.endpoint)) check.report(endpointViolation(lookup.endpoint));
    if (lookup.keyPairId !== undefined) {
      const idRule = KEY_PAIR_ID_RULES[cloudName];
      if (idRule === undefined) check.report(`${CLOUD_LABELS[cloudName]} key pairs are referenced by name`);
      else check.rule(idRule, lookup.keyPairId);
    } else if (lookup.keyPairName === undefined) {
      check.report('keyPairName is required');
    } else {
      // A pair made elsewhere may carry any name the cloud accepts: the broadest of its rules applies.
      check.rule(NAME_RULES[cloudName].import, lookup.keyPairName);
    }
    check.throwIfAny();

    const query: Record<string, string> = { [TRIGGER_KEYS.cloud]: cloudName, [TRIGGER_KEYS.region]: terraformString(lookup.region) };
    if (lookup.scope !== undefined) query[TRIGGER_KEYS.scope] = terraformString(lookup.scope);
    if (lookup.endpoint !== undefined) query[TRIGGER_KEYS.endpoint] = terraformString(lookup.endpoint);
    if (lookup.keyPairId !== undefined) query[LOOKUP_QUERY_KEYS.keyPairId] = terraformString(lookup.keyPairId);
    else query[TRIGGER_KEYS.keyPairName] = terraformString(lookup.keyPairName!);
    const reads = StackReads.of(this);
    this.reader = reads.live;
    this.result = reads.addReference(this, query);
  }

  public get keyPairId(): string {
    return this.result(RESULT_KEYS.keyPairId);
  }

  public get keyPairName(): string {
    return this.result(RESULT_KEYS.keyPairName);
  }

  public get fingerprint(): string {
    return this.result(RESULT_KEYS.fingerprint);
  }

  public get fingerprintSha256(): string {
    return this.result(RESULT_KEYS.fingerprintSha256);
  }

  public get fingerprintMd5(): string {
    return this.result(RESULT_KEYS.fingerprintMd5);
  }

  public get publicKey(): string {
    return this.result(RESULT_KEYS.publicKey);
  }
}
