import { DataExternal } from '@cdktf/provider-external/lib/data-external';
import { Fn, Lazy, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { HANDLER_COMMANDS, READ_QUERY_KEYS, READ_STATUS, readQueryKey } from './contract';
import { producedString } from './produced-string';
import { handlerAssetPath, requireProviders } from './stack-support';
import { terraformString } from './terraform-string';

/** Construct id of the per-stack reads, and the logical ids of its data sources (pinned: plans name them). */
const READS_ID = 'cdktf-keypair-reads';
const READ_LOGICAL_ID = 'cdktf_keypair_read';
const READ_AFTER_APPLY_LOGICAL_ID = 'cdktf_keypair_read_after_apply';

/** Where one key pair's entry of the stack's two reads is, as expressions without `${…}`. */
export interface ReadEntry {
  /** Everything the read after the carriers saw of the pair, as an object. */
  readonly afterApply: string;
  /** A value the plan-time read saw of the pair: `jsondecode(data.external.cdktf_keypair_read.result["<key>"]).<resultKey>`. */
  live(resultKey: string): string;
}

/**
 * The stack's two reads, each one handler process for every key pair of the stack (and every reference):
 *
 * - `data.external.cdktf_keypair_read`, at every plan (it depends on no carrier): it finds vanished pairs
 *   (their `presence` resource then replaces their carrier) and where the cloud's tags stand, looks up the
 *   references, and fails the plan when a name is held by someone else;
 * - `data.external.cdktf_keypair_read_after_apply`, once every carrier is applied: a pair made by this apply
 *   is described with its KeyPairId and fingerprints, which its `result` resource keeps.
 *
 * Made with the first key pair or reference of the stack; never by hand.
 */
export class StackReads extends Construct {
  /** The stack's reads, made on first use. */
  public static of(scope: IConstruct): StackReads {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(READS_ID);
    if (existing instanceof StackReads) return existing;
    return new StackReads(stack, READS_ID);
  }

  public readonly live: DataExternal;
  private readonly program: string[];
  private afterApplyRead?: DataExternal;
  private readonly liveQuery = new Map<string, string>();
  private readonly afterApplyQuery = new Map<string, string>();

  private constructor(scope: TerraformStack, id: string) {
    super(scope, id);
    this.program = ['node', handlerAssetPath(this), HANDLER_COMMANDS.read];
    this.live = new DataExternal(this, 'read', {
      program: this.program,
      query: Lazy.anyValue({ produce: () => Object.fromEntries(this.liveQuery) }) as unknown as Record<string, string>,
      lifecycle: {
        // A vanished pair is reported, not raised (it is made again, and `terraform destroy` reads data
        // sources too); a name held by someone else stops the plan, quoting who holds it and the remedy.
        postcondition: [
          {
            condition: `\${alltrue([for entry in values(self.result) : jsondecode(entry).status != "${READ_STATUS.taken}"])}`,
            errorMessage: `\${join("\\n", [for entry in values(self.result) : "cdktf-keypair: \${jsondecode(entry).problem}" if jsondecode(entry).status == "${READ_STATUS.taken}"])}`,
          },
        ],
      },
    });
    this.live.overrideLogicalId(READ_LOGICAL_ID);
    requireProviders(this, { nullProvider: false });
  }

  /** The read after the carriers, made with the first key pair (a stack of references alone has none). */
  public get afterApply(): DataExternal {
    if (this.afterApplyRead === undefined) {
      this.afterApplyRead = new DataExternal(this, 'read-after-apply', {
        program: this.program,
        query: Lazy.anyValue({ produce: () => Object.fromEntries(this.afterApplyQuery) }) as unknown as Record<string, string>,
      });
      this.afterApplyRead.overrideLogicalId(READ_AFTER_APPLY_LOGICAL_ID);
    }
    return this.afterApplyRead;
  }

  /**
   * Adds a key pair to both reads: each field of `query` (its triggers, base directory and declared tags)
   * under `<entry>#<field>`, the entry being its path below the stack.
   */
  public addKeyPair(pair: IConstruct, query: Readonly<Record<string, string>>): ReadEntry {
    const entry = entryOf(pair);
    this.afterApply; // eslint-disable-line @typescript-eslint/no-unused-expressions
    for (const [field, value] of Object.entries(query)) {
      this.liveQuery.set(readQueryKey(entry, field), value);
      this.afterApplyQuery.set(readQueryKey(entry, field), value);
    }
    const index = `[${terraformString(JSON.stringify(entry))}]`;
    return {
      afterApply: `jsondecode(data.external.${READ_AFTER_APPLY_LOGICAL_ID}.result${index})`,
      live: (resultKey) => `jsondecode(data.external.${READ_LOGICAL_ID}.result${index}).${resultKey}`,
    };
  }

  /**
   * Adds a reference to the plan-time read alone (a pair made elsewhere needs no read after the carriers),
   * marked as a lookup, and returns a token for each result key on demand.
   */
  public addReference(reference: IConstruct, query: Readonly<Record<string, string>>): (resultKey: string) => string {
    const entry = entryOf(reference);
    for (const [field, value] of Object.entries({ ...query, [READ_QUERY_KEYS.lookup]: 'true' })) {
      this.liveQuery.set(readQueryKey(entry, field), value);
    }
    // cdktf references (not produced strings): another stack may use them, and cdktf wires that up.
    const decoded = Fn.jsondecode(this.live.result.lookup(entry));
    return (resultKey) => Token.asString(Fn.lookup(decoded, resultKey, ''));
  }

  /** A value the plan-time read saw of a key pair, as a produced `${…}` expression. */
  public liveResult(pair: IConstruct, resultKey: string): string {
    const index = `[${terraformString(JSON.stringify(entryOf(pair)))}]`;
    return producedString(() => `\${jsondecode(data.external.${READ_LOGICAL_ID}.result${index}).${resultKey}}`);
  }

  /** Orders the read after the apply behind a carrier (its address: override-safe, and no cdktf reference). */
  public readAfter(carrierAddress: string): void {
    this.afterApply.dependsOn = [...(this.afterApply.dependsOn ?? []), carrierAddress];
  }
}

/** An entry of the reads: the construct's path below the stack (`team/bastion`), as the registry keys it. */
function entryOf(construct: IConstruct): string {
  const stack = TerraformStack.of(construct);
  const scopes = construct.node.scopes;
  return scopes
    .slice(scopes.indexOf(stack) + 1)
    .map((scope) => scope.node.id)
    .join('/');
}
