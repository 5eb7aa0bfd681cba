import { CtyObject, unknownValue } from './cty-values';
import { goRandomIntString } from './go-random-int';
import { attributePath, BlockSchema, conformToSchema, ManagedResourceType, PlanResult } from './provider-definition';
import { triggersRequireReplacement } from './triggers-replacement';

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

/**
 * Plans a null_resource change. Whether a `triggers` change replaces the resource or updates it in
 * place follows the real provider (triggers-replacement.ts). The computed `id` is unknown until a new
 * object is created and kept by an in-place update.
 */
export function planNullResource(prior: CtyObject | null, proposed: CtyObject | null): PlanResult {
  if (proposed === null) return { plannedState: null, requiresReplace: [] };
  const planned = conformToSchema(NULL_RESOURCE_SCHEMA, proposed);
  if (prior === null) return { plannedState: { ...planned, id: unknownValue() }, requiresReplace: [] };
  if (triggersRequireReplacement(prior.triggers, proposed.triggers)) {
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
  const id = prior !== null && typeof planned.id === 'string' ? planned.id : goRandomIntString();
  return conformToSchema(NULL_RESOURCE_SCHEMA, { ...planned, id, triggers });
}

export const nullResource: ManagedResourceType = {
  schema: NULL_RESOURCE_SCHEMA,
  validate: () => [],
  plan: planNullResource,
  apply: applyNullResource,
};
