import { CtyObject } from './cty-values';
import { goRandomIntString } from './go-random-int';
import { BlockSchema, DataSourceReadResult, DataSourceType, Diagnostic, warningDiagnostic } from './provider-definition';

/**
 * The real provider's deprecation text (docs/cloud-behaviour.md#null-data-source); the plugin framework
 * repeats it as a warning on every validation.
 */
export const NULL_DATA_SOURCE_DEPRECATION = 'The null_data_source was historically used to construct intermediate values to re-use elsewhere '
  + 'in configuration, the same can now be achieved using locals or the terraform_data resource type in Terraform 1.4 and later.';

const ID_DEPRECATION = 'This attribute is only present for some legacy compatibility issues and should not be used. '
  + 'It will be removed in a future version.';

/** Attributes in name order, as the plugin framework sends them. */
export const NULL_DATA_SOURCE_SCHEMA: BlockSchema = {
  version: 0,
  description: 'Deprecated: implements the standard data source lifecycle without interacting with any external API.',
  deprecated: true,
  attributes: [
    {
      name: 'has_computed_default',
      type: 'string',
      optional: true,
      computed: true,
      description: 'If set, its literal value is stored and returned; if not, it defaults to `"default"`.',
    },
    { name: 'id', type: 'string', computed: true, deprecated: true, description: ID_DEPRECATION },
    { name: 'inputs', type: ['map', 'string'], optional: true, description: 'Arbitrary strings copied into `outputs`.' },
    { name: 'outputs', type: ['map', 'string'], computed: true, description: 'A copy of `inputs`, once read.' },
    { name: 'random', type: 'string', computed: true, description: 'A random value.' },
  ],
};

export function validateNullDataSourceConfig(): Diagnostic[] {
  return [warningDiagnostic('Deprecated', NULL_DATA_SOURCE_DEPRECATION)];
}

/** Copies `inputs` to `outputs`, draws `random`, defaults `has_computed_default` and fixes `id`, as the real Read does. */
export async function readNullDataSource(config: CtyObject): Promise<DataSourceReadResult> {
  const inputs = config.inputs ?? null;
  return {
    state: {
      has_computed_default: config.has_computed_default ?? 'default',
      id: 'static',
      inputs,
      outputs: inputs,
      random: goRandomIntString(),
    },
    diagnostics: [],
  };
}

export const nullDataSource: DataSourceType = {
  schema: NULL_DATA_SOURCE_SCHEMA,
  validate: validateNullDataSourceConfig,
  read: readNullDataSource,
};
