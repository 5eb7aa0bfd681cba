import { Resource } from '@cdktf/provider-null/lib/resource';
import { Fn, LocalExecProvisioner, TerraformResource, TerraformSelf, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { KeyPairCarrier } from './carrier';
import {
  DEFAULT_DELETE_TIMEOUT_SECONDS,
  HANDLER_COMMANDS,
  HANDLER_ENV,
  LONGEST_COMMON_SECRET_RECOVERY_WINDOW_DAYS,
  READ_QUERY_KEYS,
  READ_STATUS,
  RESULT_KEYS,
  type HandlerCommand,
} from './contract';
import { pathHash } from './naming';
import { producedString } from './produced-string';
import type { StackReads } from './stack-reads';
import { handlerAssetPath, requireProviders } from './stack-support';
import { TerraformData } from './terraform-data';

/** What the lifecycle resources of one key pair are made from, every value checked already. */
export interface LifecycleSpec {
  /**
   * The carrier's triggers: a map literal (values may be tokens), never empty, nothing secret
   * (docs/design.md#triggers-are-a-map-literal).
   */
  readonly triggers: Readonly<Record<string, string>>;
  /** The declared tags as a JSON object (create step and read): a literal string, or a `jsonencode(...)` expression. */
  readonly tagsJson: string;
  /**
   * How long a delete retries a pair still bound to an instance, in seconds (a string, or a token). A token
   * cannot reach the carrier's destroy step, which may reference only `self`: that step then waits the default
   * (the stack registry's destroy step, which deletes the pair first, waits what the token was at create).
   */
  readonly deleteTimeoutSeconds: string;
  /**
   * Days the pair's secret stays restorable once deleted (a string, or a token), when the pair keeps its
   * private key in a secret store: an input of both steps (each may delete the secret), never a trigger. A
   * token cannot reach the carrier's destroy step: that step then keeps the secret restorable for the longest
   * window every store takes (the registry's destroy step, which deletes the secret first, uses the token's
   * value at create).
   */
  readonly secretRecoveryWindowDays?: string;
  readonly carrier: KeyPairCarrier;
  /** The directory synth ran in, for relative private key paths; not a trigger. */
  readonly baseDirectory: string;
  /** The stack's two reads, which describe this pair with every other pair of the stack. */
  readonly reads: StackReads;
}

/** The resources that carry one key pair's lifecycle. */
export interface LifecycleResources {
  /** `null_resource` or `terraform_data`, with the create and destroy provisioners. */
  readonly carrier: TerraformResource;
  /**
   * `terraform_data` holding what the stack's read saw right after the carrier's create (KeyPairId,
   * fingerprints, public key): the construct's tokens. Made anew with the carrier, and otherwise kept, so
   * a plan that changes another pair of the stack leaves this pair's tokens known.
   */
  readonly result: TerraformData;
  /** The expression of one entry of `result`, for the construct's tokens and outputs (`${…}` unless braces are suppressed). */
  resultExpression(key: string): string;
}

/**
 * Synthesizes the carrier with its two `local-exec` provisioners, and joins the pair to the stack's reads
 * (docs/design.md#the-carrier). The shell command holds nothing but the handler's path and the command
 * name: every input travels through the environment, as JSON of the carrier's own triggers (a destroy
 * provisioner may reference only `self`: docs/design.md#destroy-steps-see-only-self), so no value is ever
 * quoted into a shell.
 *
 * A pair of this deployment that the stack's plan-time read finds gone is made again by the next apply
 * (docs/design.md#a-vanished-pair-is-made-again): its `presence` resource changes, which replaces the
 * carrier (`replace_triggered_by`), and a check block says which pair, and why.
 */
export function addLifecycleResources(scope: Construct, spec: LifecycleSpec): LifecycleResources {
  const handlerPath = handlerAssetPath(scope);
  const command = (name: HandlerCommand) => `node "${handlerPath}" ${name}`;
  const triggersJson = selfTriggersJson(spec.carrier === KeyPairCarrier.TERRAFORM_DATA ? 'triggers_replace' : 'triggers');
  // Only with a secret: a pair without one keeps its steps' environment as it was.
  const secretEnvironment = (window: string | undefined): Record<string, string> =>
    window === undefined ? {} : { [HANDLER_ENV.secretRecoveryWindowDays]: window };
  // A destroy step may reference only `self`: a value given as a token (a Terraform variable) cannot reach it.
  const atDestroy = (value: string, fallback: number) => (Token.isUnresolved(value) ? String(fallback) : value);
  const window = spec.secretRecoveryWindowDays;
  const provisioners: LocalExecProvisioner[] = [
    {
      type: 'local-exec',
      command: command(HANDLER_COMMANDS.create),
      // Tags are an input of the create step only, never a trigger: changing them must not replace the pair.
      environment: {
        [HANDLER_ENV.triggers]: triggersJson,
        [HANDLER_ENV.tags]: spec.tagsJson,
        [HANDLER_ENV.baseDirectory]: spec.baseDirectory,
        ...secretEnvironment(window),
      },
    },
    {
      type: 'local-exec',
      when: 'destroy',
      command: command(HANDLER_COMMANDS.delete),
      environment: {
        [HANDLER_ENV.triggers]: triggersJson,
        [HANDLER_ENV.deleteTimeoutSeconds]: atDestroy(spec.deleteTimeoutSeconds, DEFAULT_DELETE_TIMEOUT_SECONDS),
        [HANDLER_ENV.baseDirectory]: spec.baseDirectory,
        ...secretEnvironment(window === undefined ? undefined : atDestroy(window, LONGEST_COMMON_SECRET_RECOVERY_WINDOW_DAYS)),
      },
    },
  ];

  const { reads } = spec;
  const readEntry = reads.addKeyPair(scope, {
    ...spec.triggers,
    [READ_QUERY_KEYS.baseDirectory]: spec.baseDirectory,
    [READ_QUERY_KEYS.tags]: spec.tagsJson,
  });

  // "present" while the plan-time read finds the pair; when it finds the pair gone, a value known only at
  // apply (timestamp() is), which comes out "present" again: the change replaces the carrier once, and
  // the next plan is a no-op.
  const presence = new TerraformData(scope, 'presence', {
    // Made anew with the carrier's triggers: a renamed pair is a new pair, not a vanished one (no warning).
    triggersReplace: { ...spec.triggers },
    input: producedString(
      () =>
        `\${${readEntry.live(RESULT_KEYS.status)} == "${READ_STATUS.missing}" ? replace(timestamp(), "/^.*$/", "${READ_STATUS.present}") : "${READ_STATUS.present}"}`,
    ),
  });
  const presenceAddress = producedString(() => `${presence.terraformResourceType}.${presence.friendlyUniqueId}`);

  const triggers = { ...spec.triggers };
  const lifecycle = { replaceTriggeredBy: [presenceAddress] };
  const carrier =
    spec.carrier === KeyPairCarrier.TERRAFORM_DATA
      ? new TerraformData(scope, 'carrier', { triggersReplace: triggers, provisioners, lifecycle })
      : new Resource(scope, 'carrier', { triggers, provisioners, lifecycle });
  requireProviders(scope, { nullProvider: spec.carrier !== KeyPairCarrier.TERRAFORM_DATA });
  const carrierAddress = producedString(() => `${carrier.terraformResourceType}.${carrier.friendlyUniqueId}`);
  reads.readAfter(carrierAddress);

  const result = new TerraformData(scope, 'result', {
    input: producedString(() => `\${${readEntry.afterApply}}`),
    // Made anew with the carrier (its id is unknown while it is replaced); otherwise kept as recorded.
    triggersReplace: { carrier_id: producedString(() => `\${${carrierAddress}.id}`) },
    lifecycle: { ignoreChanges: ['input'] },
  });
  const resultAddress = producedString(() => `${result.terraformResourceType}.${result.friendlyUniqueId}`);

  addVanishedCheck(scope, readEntry.live(RESULT_KEYS.status), producedString(() => `${presenceAddress}.id`));

  return {
    carrier,
    result,
    resultExpression: (key) =>
      producedString((context) => {
        const expression = `${resultAddress}.output.${key}`;
        return context.suppressBraces ? expression : `\${${expression}}`;
      }),
  };
}

/**
 * The warning of a pair the plan-time read found missing, named by its construct path. Worded for both times
 * Terraform evaluates a check: a plan warns only of pairs its state already has (a pair not yet made has no
 * `presence` id then, so its check is unknown and says nothing); once an apply is done, the same check sees the
 * read from before the apply beside a `presence` that now exists, and warns of the pairs that apply made for
 * the first time too. (Only Terraform 1.10's `terraform.applying` could tell the two apart; the library
 * supports Terraform 1.5.)
 */
export function missingPairWarning(constructPath: string): string {
  return (
    `cdktf-keypair: the key pair of ${constructPath} was missing when this run began: gone from the cloud, its private key never ` +
    'arrived (deleted outside Terraform, or its create cut off: a runner stopped mid-apply), or a pair this apply makes for the ' +
    'first time. This apply makes it, with a new private key where the key source yields one.'
  );
}

/** A check block (a warning, never an error) naming a pair the plan-time read found missing: `missingPairWarning`. */
function addVanishedCheck(scope: Construct, status: string, presenceId: string): void {
  // Named at construction (a logical id read now could not be overridden later): the path, and its hash for uniqueness.
  const path = scope.node.path.split('/').slice(1).join('_').replace(/[^A-Za-z0-9_-]/g, '_');
  const name = `cdktf_keypair_gone_${path}_${pathHash(scope, 8)}`;
  const message = missingPairWarning(scope.node.path);
  TerraformStack.of(scope).addOverride(`check.${name}`, {
    assert: [
      {
        condition: producedString(() => `\${${status} != "${READ_STATUS.missing}" ? true : ${presenceId} == ""}`),
        error_message: message,
      },
    ],
  });
}

/**
 * `jsonencode(self.<attribute>)`, made once per process: every cdktf token captures a stack trace when it
 * is created, and this one reads the same in every carrier.
 */
const selfTriggersJsonTokens = new Map<string, string>();
function selfTriggersJson(attribute: 'triggers' | 'triggers_replace'): string {
  let token = selfTriggersJsonTokens.get(attribute);
  if (token === undefined) {
    token = Fn.jsonencode(TerraformSelf.getAny(attribute));
    selfTriggersJsonTokens.set(attribute, token);
  }
  return token;
}
