import { asObject, CtyObject, decodeDynamicValue, DynamicValue, encodeDynamicValue } from './cty-values';
import { BlockSchema, conformToSchema, Diagnostic, errorDiagnostic, ProviderDefinition } from './provider-definition';

/* eslint-disable @typescript-eslint/no-explicit-any -- requests and responses are proto-loader's plain objects */
type Request = any;
type Response = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Handlers of the `tfplugin5.Provider` service, keyed by RPC name; each resolves to the response. */
export type ProviderRpcHandlers = Readonly<Record<string, (request: Request) => Promise<Response> | Response>>;

const EMPTY_PROVIDER_SCHEMA: BlockSchema = { version: 0, description: '', attributes: [] };

function toProtoSchema(schema: BlockSchema): Response {
  return {
    version: schema.version,
    block: {
      version: schema.version,
      description: schema.description,
      deprecated: schema.deprecated ?? false,
      attributes: schema.attributes.map((attribute) => ({
        name: attribute.name,
        type: Buffer.from(JSON.stringify(attribute.type)),
        description: attribute.description,
        required: attribute.required ?? false,
        optional: attribute.optional ?? false,
        computed: attribute.computed ?? false,
        sensitive: false,
        deprecated: attribute.deprecated ?? false,
      })),
    },
  };
}

function objectOf(value: DynamicValue | undefined): CtyObject | null {
  return asObject(decodeDynamicValue(value));
}

/** The schemas of a map field, as the repeated key/value entries the .proto spells it with. */
function schemaEntries(types: Readonly<Record<string, { schema: BlockSchema }>>): Response[] {
  return Object.entries(types).map(([key, type]) => ({ key, value: toProtoSchema(type.schema) }));
}

/**
 * Protocol 5 semantics on top of a ProviderDefinition: schemas, validation, state upgrade, plan/apply
 * for managed resources and reads for data sources. Pure request-to-response functions; the plugin
 * server wires them to gRPC.
 */
export function providerRpcHandlers(provider: ProviderDefinition): ProviderRpcHandlers {
  const unsupported = (kind: string, typeName: string): Diagnostic[] =>
    [errorDiagnostic(`Unsupported ${kind}`, `The ${provider.name} provider stand-in has no ${kind} named "${typeName}".`)];

  return {
    GetSchema: () => ({
      provider: toProtoSchema(EMPTY_PROVIDER_SCHEMA),
      resource_schemas: schemaEntries(provider.resources),
      data_source_schemas: schemaEntries(provider.dataSources),
      diagnostics: [],
      // Lets Terraform reuse the schema it cached instead of asking every short-lived process again.
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: true },
    }),
    // Terraform decodes an empty prepared_config as null, so the config is echoed back.
    PrepareProviderConfig: (request) => ({ prepared_config: request.config, diagnostics: [] }),
    Configure: () => ({ diagnostics: [] }),
    ValidateResourceTypeConfig: (request) => {
      const resource = provider.resources[request.type_name];
      if (!resource) return { diagnostics: unsupported('resource type', request.type_name) };
      return { diagnostics: resource.validate(objectOf(request.config) ?? {}) };
    },
    ValidateDataSourceConfig: (request) => {
      const dataSource = provider.dataSources[request.type_name];
      if (!dataSource) return { diagnostics: unsupported('data source', request.type_name) };
      return { diagnostics: dataSource.validate(objectOf(request.config) ?? {}) };
    },
    UpgradeResourceState: (request) => {
      const resource = provider.resources[request.type_name];
      if (!resource) return { diagnostics: unsupported('resource type', request.type_name) };
      const json: Buffer | undefined = request.raw_state?.json;
      if (!json || json.length === 0) {
        return { diagnostics: [errorDiagnostic('Unsupported state format', 'Only JSON state (Terraform 0.12 and later) can be upgraded.')] };
      }
      const stored = asObject(JSON.parse(json.toString('utf8'))) ?? {};
      return { upgraded_state: encodeDynamicValue(conformToSchema(resource.schema, stored)), diagnostics: [] };
    },
    ReadResource: (request) => ({ new_state: request.current_state, private: request.private, diagnostics: [] }),
    PlanResourceChange: (request) => {
      const resource = provider.resources[request.type_name];
      if (!resource) return { diagnostics: unsupported('resource type', request.type_name) };
      const plan = resource.plan(objectOf(request.prior_state), objectOf(request.proposed_new_state));
      return {
        planned_state: encodeDynamicValue(plan.plannedState),
        requires_replace: plan.requiresReplace,
        planned_private: request.prior_private,
        diagnostics: [],
      };
    },
    ApplyResourceChange: (request) => {
      const resource = provider.resources[request.type_name];
      if (!resource) return { diagnostics: unsupported('resource type', request.type_name) };
      const newState = resource.apply(objectOf(request.prior_state), objectOf(request.planned_state), objectOf(request.config));
      return { new_state: encodeDynamicValue(newState), private: request.planned_private, diagnostics: [] };
    },
    ImportResourceState: () => ({
      imported_resources: [],
      diagnostics: [errorDiagnostic(
        'Resource Import Not Implemented',
        'This resource does not support import. Please contact the provider developer for additional information.',
      )],
    }),
    ReadDataSource: async (request) => {
      const dataSource = provider.dataSources[request.type_name];
      if (!dataSource) return { diagnostics: unsupported('data source', request.type_name) };
      const { state, diagnostics } = await dataSource.read(objectOf(request.config) ?? {});
      return { state: encodeDynamicValue(state), diagnostics };
    },
    Stop: () => ({ Error: '' }),
  };
}
