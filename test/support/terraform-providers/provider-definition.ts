import { CtyObject, CtyValue } from './cty-values';

/** A cty type in the JSON form the protocol carries, e.g. `'string'` or `['map', 'string']`. */
export type CtyType = string | [string, CtyType];

export interface AttributeSchema {
  readonly name: string;
  readonly type: CtyType;
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  /** Terraform warns where a configuration refers to a deprecated attribute. */
  readonly deprecated?: boolean;
}

export interface BlockSchema {
  readonly version: number;
  readonly description: string;
  readonly deprecated?: boolean;
  readonly attributes: readonly AttributeSchema[];
}

/** One step of a path to an attribute: the stand-ins only ever point at top-level attributes. */
export interface AttributePath {
  readonly steps: ReadonlyArray<{ readonly attribute_name: string }>;
}

export interface Diagnostic {
  /** 1 = error, 2 = warning. */
  readonly severity: 1 | 2;
  readonly summary: string;
  readonly detail: string;
  readonly attribute?: AttributePath;
}

export function attributePath(name: string): AttributePath {
  return { steps: [{ attribute_name: name }] };
}

export function errorDiagnostic(summary: string, detail: string, attribute?: string): Diagnostic {
  return { severity: 1, summary, detail, ...(attribute ? { attribute: attributePath(attribute) } : {}) };
}

export function warningDiagnostic(summary: string, detail: string): Diagnostic {
  return { severity: 2, summary, detail };
}

export interface PlanResult {
  readonly plannedState: CtyValue;
  readonly requiresReplace: readonly AttributePath[];
}

export interface ManagedResourceType {
  readonly schema: BlockSchema;
  validate(config: CtyObject): Diagnostic[];
  plan(prior: CtyObject | null, proposed: CtyObject | null): PlanResult;
  /** Returns the new state; null when the object was destroyed. */
  apply(prior: CtyObject | null, planned: CtyObject | null, config: CtyObject | null): CtyObject | null;
}

export interface DataSourceReadResult {
  readonly state: CtyObject | null;
  readonly diagnostics: Diagnostic[];
}

export interface DataSourceType {
  readonly schema: BlockSchema;
  validate(config: CtyObject): Diagnostic[];
  read(config: CtyObject): Promise<DataSourceReadResult>;
}

/** Everything a stand-in provider serves; the plugin server turns it into protocol 5 RPCs. */
export interface ProviderDefinition {
  /** The provider's type name, e.g. `null`; used in logs. */
  readonly name: string;
  readonly resources: Readonly<Record<string, ManagedResourceType>>;
  readonly dataSources: Readonly<Record<string, DataSourceType>>;
}

/**
 * Terraform expects every schema attribute in a state object: keeps the schema's attributes, fills in
 * missing ones with null and drops anything the schema does not know.
 */
export function conformToSchema(schema: BlockSchema, value: CtyObject): CtyObject {
  const conformed: CtyObject = {};
  for (const attribute of schema.attributes) conformed[attribute.name] = value[attribute.name] ?? null;
  return conformed;
}
