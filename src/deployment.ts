import { Lazy, TerraformIterator, TerraformLocal, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { DEFAULT_SECRET_RECOVERY_WINDOW_DAYS, HANDLER_COMMANDS, HANDLER_ENV, ownerValue, RECORD_KEYS, TAG_ENTRY_KEYS } from './contract';
import { pathHash } from './naming';
import { OutputCollisions } from './output-collisions';
import { producedString } from './produced-string';
import { handlerAssetPath } from './stack-support';
import { TerraformData } from './terraform-data';
import { terraformString } from './terraform-string';

/** Construct id of the per-stack deployment, and the logical ids of its resources (pinned: they are in users' states). */
const DEPLOYMENT_ID = 'cdktf-keypair';
const IDENTITY_LOGICAL_ID = 'cdktf_keypair_identity';
const REGISTRY_LOGICAL_ID = 'cdktf_keypair_registry';
const TAGS_LOGICAL_ID = 'cdktf_keypair_tags';
/** The registry input's entry for the delete timeout (read by the destroy step's environment, not by the handler). */
const DELETE_TIMEOUT_INPUT = 'delete_timeout_seconds';
/** The registry input's entry for a secret's recovery window (only in entries of pairs with a secret; read as the timeout is). */
const SECRET_RECOVERY_WINDOW_INPUT = 'secret_recovery_window_days';
/** The registry entry's trigger that holds the carrier's id (ignored by the handler). */
const CARRIER_TRIGGER = 'carrier_id';
/** Hex digits of the path hash in an ownership value (pinned: ownership tags carry it). */
const OWNER_PATH_DIGITS = 16;

/** What the registry keeps of one key pair: enough for its destroy step to delete it once its construct is gone. */
interface RegistryEntry {
  /** The carrier's triggers: changing them replaces the entry too, and its destroy step deletes the old pair. */
  readonly triggers: Readonly<Record<string, string>>;
  /** The carrier's id (an expression): a carrier replaced by hand (`apply -replace`) replaces its entry too. */
  readonly carrierId: string;
  /** The read's KeyPairId and fingerprint, recorded in state (ownership proof where the cloud has no tags). */
  readonly recordedKeyPairId: string;
  readonly recordedFingerprint: string;
  readonly deleteTimeoutSeconds: string;
  /** Days a deleted secret stays restorable, when the pair keeps its private key in a secret store. */
  readonly secretRecoveryWindowDays?: string;
}

/** What the stack's tag resource needs of one tagged key pair. */
interface TagEntry {
  readonly triggers: Readonly<Record<string, string>>;
  readonly keyPairId: string;
  /** The declared tags as a JSON object (a literal, or a `jsonencode(...)` expression). */
  readonly tagsJson: string;
  /** The read's `tags_revision`. */
  readonly revision: string;
}

/**
 * The resources a stack's key pairs share, one set per stack: added by the first key pair construct (or by
 * `KeyPairDeployment.of(stack)`), never by hand.
 *
 * - `terraform_data.cdktf_keypair_identity`: the deployment identity, a UUID Terraform makes once per state.
 *   Ownership is that identity plus the construct's path, so two deployments of one app (staging and
 *   production, two pipelines, a colleague's checkout) never take each other's key pairs.
 * - `terraform_data.cdktf_keypair_registry`: one entry per key pair (`for_each`), each with a destroy step.
 *   A removed resource takes its destroy provisioner with it, so a key pair construct removed from the app
 *   could never delete its pair through its own carrier; its registry entry is destroyed with this block's
 *   provisioner, which deletes the pair (ownership checked) and its private key file.
 * - `terraform_data.cdktf_keypair_tags` (when a key pair has a cloud with tags): puts the cloud's tags back to
 *   what the app declares, in place, whenever they differ.
 *
 * A stack that removes its last key pair keeps this construct by calling `KeyPairDeployment.of(this)` for
 * one deploy: its registry is then empty, and the pairs are deleted. Without it, Terraform drops the
 * registry with its destroy steps and the pairs stay in the cloud (docs/ownership.md).
 */
export class KeyPairDeployment extends Construct {
  /** The stack's deployment, made on first use. */
  public static of(scope: IConstruct): KeyPairDeployment {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(DEPLOYMENT_ID);
    if (existing instanceof KeyPairDeployment) return existing;
    return new KeyPairDeployment(stack, DEPLOYMENT_ID);
  }

  /**
   * The deployment identity, as a token: the id of `terraform_data.cdktf_keypair_identity`, known once the
   * first apply has made it, the same for every later apply of this Terraform state.
   */
  public readonly deploymentId: string;

  private readonly registryEntries = new Map<string, RegistryEntry>();
  private readonly tagEntries = new Map<string, TagEntry>();
  private tagResource?: TerraformData;
  private readonly outputCollisions: OutputCollisions;

  private constructor(scope: TerraformStack, id: string) {
    super(scope, id);
    // The key pairs' outputs against every output of the stack, by their final logical ids, at synth.
    this.outputCollisions = new OutputCollisions(scope);
    scope.node.addValidation(this.outputCollisions);
    new TerraformData(this, 'identity').overrideLogicalId(IDENTITY_LOGICAL_ID);
    this.deploymentId = producedString(() => `\${terraform_data.${IDENTITY_LOGICAL_ID}.id}`);

    const handlerPath = handlerAssetPath(this);
    // The entries' values refer to every pair's carrier and result. Kept in a local, which Terraform evaluates
    // once, rather than in the for_each map, which it evaluates for every instance: with N pairs that is N × 2N
    // references, most of a large stack's plan (BENCHMARKS.md). The for_each map holds only the keys.
    new TerraformLocal(this, 'registry-entries', Lazy.anyValue({ produce: () => this.registryEntryValues() })).overrideLogicalId(REGISTRY_LOGICAL_ID);
    const entry = `local.${REGISTRY_LOGICAL_ID}[each.key]`;
    const registry = new TerraformData(this, 'registry', {
      forEach: TerraformIterator.fromMap(Lazy.anyValue({ produce: () => this.registryKeys() }) as unknown as Record<string, unknown>),
      triggersReplace: `\${${entry}.triggers}`,
      input: `\${${entry}.input}`,
      // The record is what the read saw when the entry was made, right after its carrier's create: a later
      // read (on UCloud possibly "by name alone", after the pair vanished and someone else took the name)
      // must never become proof. The entry, and so its record, is made anew whenever its carrier is.
      lifecycle: { ignoreChanges: ['input'] },
      provisioners: [
        {
          type: 'local-exec',
          when: 'destroy',
          command: `node "${handlerPath}" ${HANDLER_COMMANDS.delete}`,
          environment: {
            [HANDLER_ENV.triggers]: '${jsonencode(self.triggers_replace)}',
            [HANDLER_ENV.record]: '${jsonencode(self.input)}',
            [HANDLER_ENV.deleteTimeoutSeconds]: producedString(() => this.deleteTimeoutExpression()),
            // In every stack: an entry removed from the app may have had a secret, whatever the pairs left have.
            [HANDLER_ENV.secretRecoveryWindowDays]: producedString(() => this.secretRecoveryWindowExpression()),
            // The directory synth ran in: a literal, as a destroy step may reference nothing but `self`.
            [HANDLER_ENV.baseDirectory]: terraformString(process.cwd()),
          },
        },
      ],
    });
    registry.overrideLogicalId(REGISTRY_LOGICAL_ID);

  }

  /**
   * The ownership value of a key pair construct in this deployment (the `owner` trigger, and the ownership
   * tag): the deployment identity and the hash of the construct's full path.
   *
   * @internal
   */
  public _ownerOf(pair: IConstruct): string {
    const constructHash = pathHash(pair, OWNER_PATH_DIGITS);
    return producedString(() => ownerValue(`\${terraform_data.${IDENTITY_LOGICAL_ID}.id}`, constructHash));
  }

  /**
   * Adds a key pair to the registry, under the construct's path below the stack.
   *
   * @internal
   */
  public _register(pair: IConstruct, entry: RegistryEntry): void {
    this.registryEntries.set(entryKey(pair), entry);
  }

  /**
   * Records an output a key pair construct adds: synth fails when any other output of the stack has its
   * logical id.
   *
   * @internal
   */
  public _registerOutput(output: TerraformOutput, pair: IConstruct): void {
    this.outputCollisions.register(output, pair);
  }

  /**
   * Adds a key pair whose cloud has tags to the stack's tag resource (made with the first one).
   *
   * @internal
   */
  public _registerTags(pair: IConstruct, entry: TagEntry): void {
    if (this.tagResource === undefined) this.tagResource = this.makeTagResource();
    this.tagEntries.set(entryKey(pair), entry);
  }

  private makeTagResource(): TerraformData {
    const handlerPath = handlerAssetPath(this);
    const resource = new TerraformData(this, 'tags', {
      // What a plan compares: the declared tags and the read's revision of each pair. A difference replaces
      // this small resource, whose create step puts the cloud's tags back; the key pairs stay.
      triggersReplace: Lazy.anyValue({
        produce: () =>
          Object.fromEntries(
            [...this.tagEntries].map(([key, entry]) => [key, { [TAG_ENTRY_KEYS.tags]: entry.tagsJson, [TAG_ENTRY_KEYS.revision]: entry.revision }]),
          ),
      }),
      // What the create step works on: everything it needs of each pair (kept in state, changed in place).
      input: Lazy.anyValue({ produce: () => this.tagEntriesForHandler() }),
      provisioners: [
        {
          type: 'local-exec',
          command: `node "${handlerPath}" ${HANDLER_COMMANDS.tags}`,
          environment: { [HANDLER_ENV.tagEntries]: '${jsonencode(self.input)}' },
        },
      ],
    });
    resource.overrideLogicalId(TAGS_LOGICAL_ID);
    return resource;
  }

  /**
   * The delete timeout of an entry's destroy step. The recorded input never changes (`ignore_changes`), and a
   * destroy step may reference only `self` and `each.key`: the app's current literal timeouts travel in the
   * step's own configuration, by entry; a removed pair, or a timeout that was a token, falls back to the
   * recorded one.
   */
  private deleteTimeoutExpression(): string {
    const literals = [...this.registryEntries]
      .filter(([, entry]) => !Token.isUnresolved(entry.deleteTimeoutSeconds))
      .map(([key, entry]) => `${terraformString(JSON.stringify(key))} = "${entry.deleteTimeoutSeconds}"`);
    return `\${lookup({${literals.join(', ')}}, each.key, self.input.${DELETE_TIMEOUT_INPUT})}`;
  }

  /**
   * The recovery window of an entry's secret, as the delete timeout travels: the app's current literal
   * windows by entry, else the recorded one. Only entries of pairs with a secret record one; any other
   * entry has no secret, and gets the default.
   */
  private secretRecoveryWindowExpression(): string {
    const literals = [...this.registryEntries]
      .filter(([, entry]) => entry.secretRecoveryWindowDays !== undefined && !Token.isUnresolved(entry.secretRecoveryWindowDays))
      .map(([key, entry]) => `${terraformString(JSON.stringify(key))} = "${entry.secretRecoveryWindowDays}"`);
    const recorded = `lookup(self.input, "${SECRET_RECOVERY_WINDOW_INPUT}", "${DEFAULT_SECRET_RECOVERY_WINDOW_DAYS}")`;
    return `\${lookup({${literals.join(', ')}}, each.key, ${recorded})}`;
  }

  /** The registry's for_each: each entry's key, nothing that refers to a resource. */
  private registryKeys(): Record<string, string> {
    return Object.fromEntries([...this.registryEntries.keys()].map((key) => [key, key]));
  }

  /** Each entry's triggers and record, by key: the local `cdktf_keypair_registry`. */
  private registryEntryValues(): Record<string, unknown> {
    return Object.fromEntries(
      [...this.registryEntries].map(([key, entry]) => [
        key,
        {
          triggers: { ...entry.triggers, [CARRIER_TRIGGER]: entry.carrierId },
          input: {
            [RECORD_KEYS.keyPairId]: entry.recordedKeyPairId,
            [RECORD_KEYS.fingerprint]: entry.recordedFingerprint,
            [DELETE_TIMEOUT_INPUT]: entry.deleteTimeoutSeconds,
            // Only with a secret: entries of pairs without one keep their input as it was.
            ...(entry.secretRecoveryWindowDays === undefined ? {} : { [SECRET_RECOVERY_WINDOW_INPUT]: entry.secretRecoveryWindowDays }),
          },
        },
      ]),
    );
  }

  private tagEntriesForHandler(): Record<string, unknown> {
    return Object.fromEntries(
      [...this.tagEntries].map(([key, entry]) => [
        key,
        {
          [TAG_ENTRY_KEYS.triggers]: entry.triggers,
          [TAG_ENTRY_KEYS.keyPairId]: entry.keyPairId,
          [TAG_ENTRY_KEYS.tags]: entry.tagsJson,
          [TAG_ENTRY_KEYS.revision]: entry.revision,
        },
      ]),
    );
  }
}

/** The registry key of a key pair: its construct path below the stack (`team/bastion`). */
function entryKey(pair: IConstruct): string {
  const stack = TerraformStack.of(pair);
  const scopes = pair.node.scopes;
  return scopes
    .slice(scopes.indexOf(stack) + 1)
    .map((scope) => scope.node.id)
    .join('/');
}


