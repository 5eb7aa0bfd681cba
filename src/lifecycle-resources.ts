import { DataExternal } from '@cdktf/provider-external/lib/data-external';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { Fn, LocalExecProvisioner, TerraformResource, TerraformSelf, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { KeyPairCarrier } from './carrier';
import { HANDLER_COMMANDS, HANDLER_ENV, READ_QUERY_KEYS, READ_STATUS, RESULT_KEYS, type HandlerCommand } from './contract';
import { producedString } from './produced-string';
import { cdktfStackDirectory, handlerAssetPath, requireProviders } from './stack-support';
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
  /** How long a delete retries a pair still bound to an instance, in seconds (a string, or a token). */
  readonly deleteTimeoutSeconds: string;
  readonly carrier: KeyPairCarrier;
  /** The directory synth ran in, for relative private key paths; not a trigger. */
  readonly baseDirectory: string;
}

/** The resources that carry one key pair's lifecycle. */
export interface LifecycleResources {
  /** `null_resource` or `terraform_data`, with the create and destroy provisioners. */
  readonly carrier: TerraformResource;
  /** `data "external"` running `handler read`, after the carrier. */
  readonly reader: DataExternal;
}

/**
 * Synthesizes the carrier with its two `local-exec` provisioners and the `data "external"` read
 * (docs/design.md#the-carrier). The shell command holds nothing but the handler's path and the command
 * name: every input travels through the environment, as JSON of the carrier's own triggers (a destroy
 * provisioner may reference only `self`: docs/design.md#destroy-steps-see-only-self), so no value is ever
 * quoted into a shell.
 */
export function addLifecycleResources(scope: Construct, spec: LifecycleSpec): LifecycleResources {
  const handlerPath = handlerAssetPath(scope);
  const command = (name: HandlerCommand) => `node "${handlerPath}" ${name}`;
  const triggersJson = selfTriggersJson(spec.carrier === KeyPairCarrier.TERRAFORM_DATA ? 'triggers_replace' : 'triggers');
  const provisioners: LocalExecProvisioner[] = [
    {
      type: 'local-exec',
      command: command(HANDLER_COMMANDS.create),
      // Tags are an input of the create step only, never a trigger: changing them must not replace the pair.
      environment: { [HANDLER_ENV.triggers]: triggersJson, [HANDLER_ENV.tags]: spec.tagsJson, [HANDLER_ENV.baseDirectory]: spec.baseDirectory },
    },
    {
      type: 'local-exec',
      when: 'destroy',
      command: command(HANDLER_COMMANDS.delete),
      environment: {
        [HANDLER_ENV.triggers]: triggersJson,
        [HANDLER_ENV.deleteTimeoutSeconds]: spec.deleteTimeoutSeconds,
        [HANDLER_ENV.baseDirectory]: spec.baseDirectory,
      },
    },
  ];

  const triggers = { ...spec.triggers };
  const carrier =
    spec.carrier === KeyPairCarrier.TERRAFORM_DATA
      ? new TerraformData(scope, 'carrier', { triggersReplace: triggers, provisioners })
      : new Resource(scope, 'carrier', { triggers, provisioners });
  requireProviders(scope, { nullProvider: spec.carrier !== KeyPairCarrier.TERRAFORM_DATA });

  // Produced at synth: the carrier's logical id may still be overridden after this construct is built.
  const address = producedString(() => `${carrier.terraformResourceType}.${carrier.friendlyUniqueId}`);
  // `cdktf deploy` passes no -replace: a cdktf user runs that command in the stack's directory, or sets a new
  // replacementKey (a trigger) and deploys.
  const cdktfRemedy = templateText(
    `With cdktf: run that in ${cdktfStackDirectory(scope)}, or give ${scope.node.path} a new replacementKey and run cdktf deploy ${TerraformStack.of(scope).node.id}`,
  );
  const reader = new DataExternal(scope, 'read', {
    program: ['node', handlerPath, HANDLER_COMMANDS.read],
    query: {
      ...spec.triggers,
      [READ_QUERY_KEYS.resourceAddress]: address,
      [READ_QUERY_KEYS.baseDirectory]: spec.baseDirectory,
      [READ_QUERY_KEYS.tags]: spec.tagsJson,
    },
    // The address rather than the carrier: cdktf would make (and stack-trace) a reference to it at synth.
    dependsOn: [{ fqn: address }],
    lifecycle: {
      // The read reports a vanished pair instead of failing, so `terraform destroy` (which reads data
      // sources too) still works; every other plan stops here, naming the command that recreates it.
      postcondition: [
        {
          condition: `\${self.result["${RESULT_KEYS.status}"] == "${READ_STATUS.present}"}`,
          errorMessage:
            `\${self.result["${RESULT_KEYS.status}"] == "${READ_STATUS.taken}" ? "cdktf-keypair: \${self.result["${RESULT_KEYS.problem}"]}" : ` +
            `"The key pair of ${address} no longer exists in the cloud (deleted outside Terraform?). Run: terraform apply -replace=${address}. ${cdktfRemedy}"}`,
        },
      ],
    },
  });
  return { carrier, reader };
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

/**
 * Text for a quoted string inside a Terraform template expression (the postcondition's `"…"`): quotes,
 * backslashes and line breaks escaped, `${` and `%{` kept literal.
 */
function templateText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}
