import { randomBytes } from 'node:crypto';
import { CtyObject, knownValuesEqual, unknownValue } from './cty-values';
import { attributePath, BlockSchema, conformToSchema, ManagedResourceType, PlanResult } from './provider-definition';

export const NULL_RESOURCE_SCHEMA: BlockSchema = {
  version: 0,
  description: 'Implements the standard resource lifecycle but takes no further action; changing `triggers` replaces it.',
  attributes: [
    { name: 'id', type: 'string', computed: true, description: 'A random value set at create time.' },
    {
      name: 'triggers',
      type: ['map', 'string'],
      optional: true,
      description: 'Arbitrary strings that, when changed, force the resource to be replaced (re-running its provisioners).',
    },
  ],
};

/** A fresh id as the real provider makes it: a random non-negative 63-bit integer in decimal. */
export function randomResourceId(): string {
  return (randomBytes(8).readBigUInt64BE() % 2n ** 63n).toString();
}

/**
 * Plans a null_resource change. Any difference in `triggers` (an unknown counts as one) forces
 * replacement; the computed `id` is unknown until a new object is created.
 */
export function planNullResource(prior: CtyObject | null, proposed: CtyObject | null): PlanResult {
  if (proposed === null) return { plannedState: null, requiresReplace: [] };
  const planned = conformToSchema(NULL_RESOURCE_SCHEMA, proposed);
  if (prior === null) return { plannedState: { ...planned, id: unknownValue() }, requiresReplace: [] };
  if (!knownValuesEqual(prior.triggers, proposed.triggers)) {
    return { plannedState: { ...planned, id: unknownValue() }, requiresReplace: [attributePath('triggers')] };
  }
  return { plannedState: { ...planned, id: prior.id ?? null }, requiresReplace: [] };
}

/**
 * Applies a planned change. Triggers come from the config, which is wholly known at apply time, while
 * the planned value may still hold unknowns from resources created earlier in the same apply.
 */
export function applyNullResource(prior: CtyObject | null, planned: CtyObject | null, config: CtyObject | null): CtyObject | null {
  if (planned === null) return null;
  const triggers = config?.triggers ?? null;
  const id = prior !== null && typeof planned.id === 'string' ? planned.id : randomResourceId();
  return conformToSchema(NULL_RESOURCE_SCHEMA, { ...planned, id, triggers });
}

export const nullResource: ManagedResourceType = {
  schema: NULL_RESOURCE_SCHEMA,
  validate: () => [],
  plan: planNullResource,
  apply: applyNullResource,
};
