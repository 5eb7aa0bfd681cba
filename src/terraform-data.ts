import { hashMapper, hashMapperHcl, ITerraformIterator, LocalExecProvisioner, stringToHclTerraform, stringToTerraform, TerraformResource, TerraformResourceLifecycle, Token } from 'cdktf';
import { Construct } from 'constructs';

/** What a `terraform_data` of this library holds. */
export interface TerraformDataConfig {
  /**
   * `triggers_replace`: a map literal of strings (values may be tokens), or any other value cdktf resolves
   * (an expression such as a `for_each` entry's, an object made at synth).
   */
  readonly triggersReplace?: Record<string, string> | unknown;
  /** `input`: any value cdktf resolves (an expression such as a `for_each` entry's), stored in state and changed in place. */
  readonly input?: unknown;
  readonly forEach?: ITerraformIterator;
  readonly provisioners?: LocalExecProvisioner[];
  readonly dependsOn?: { readonly fqn: string }[];
  readonly lifecycle?: TerraformResourceLifecycle;
}

/**
 * Terraform's built-in `terraform_data` resource (Terraform 1.4 or later; no provider). cdktf's own
 * `DataResource` adds a validation that runs `terraform version` once per instance at every synth: synth
 * must need no terraform (and 500 key pairs must not start 500 processes), so the library uses this small
 * equivalent for its carriers and its per-stack resources.
 */
export class TerraformData extends TerraformResource {
  private readonly config: TerraformDataConfig;

  constructor(scope: Construct, id: string, config: TerraformDataConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      provisioners: config.provisioners,
      forEach: config.forEach,
      lifecycle: config.lifecycle,
      dependsOn: config.dependsOn as never,
    });
    this.config = config;
  }

  /** The resource's id: a random UUID Terraform makes when it creates the resource, kept in state. */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    const { triggersReplace, input } = this.config;
    return {
      ...(triggersReplace === undefined
        ? {}
        : { triggers_replace: isStringMap(triggersReplace) ? hashMapper(stringToTerraform)(triggersReplace) : triggersReplace }),
      ...(input === undefined ? {} : { input }),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const { triggersReplace, input } = this.config;
    return {
      ...(triggersReplace === undefined
        ? {}
        : {
          triggers_replace: isStringMap(triggersReplace)
            ? { value: hashMapperHcl(stringToHclTerraform)(triggersReplace), isBlock: false, type: 'map', storageClassType: 'stringMap' }
            : { value: triggersReplace, isBlock: false, type: 'simple', storageClassType: 'any' },
        }),
      ...(input === undefined ? {} : { input: { value: input, isBlock: false, type: 'simple', storageClassType: 'any' } }),
    };
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Token.isUnresolved(value) && Object.values(value).every((entry) => typeof entry === 'string');
}
