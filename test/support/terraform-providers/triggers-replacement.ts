import { CtyValue, isUnknown, knownValuesEqual } from './cty-values';

/**
 * Whether a change of `null_resource.triggers` forces replacement, by the rule of the real provider's
 * RequiresReplaceIfValuesNotNull plan modifier (kept for state written by the older SDK, which dropped
 * null map values):
 * - prior triggers null: replace only if the new map has an element that is not null;
 * - otherwise: replace if a prior key is gone, or an element differs, unless it is a new key whose
 *   value is null.
 * An unknown element is not null and never equal, so it replaces. A wholly unknown map has no
 * elements, so it does NOT replace: the change is planned in place, and when the value turns out to
 * need a replacement at apply, Terraform fails with "Provider produced inconsistent final plan"
 * (docs/cloud-behaviour.md#null-triggers-null-and-empty, docs/cloud-behaviour.md#null-triggers-wholly-unknown-map).
 */
export function triggersRequireReplacement(prior: CtyValue | undefined, config: CtyValue | undefined): boolean {
  if (knownValuesEqual(prior ?? null, config ?? null)) return false;
  const configElements = mapElements(config);
  if (prior === null || prior === undefined) return Object.values(configElements).some((value) => value !== null);
  const priorElements = mapElements(prior);
  const changedOrAdded = Object.entries(configElements).some(([key, value]) => {
    if (!(key in priorElements)) return value !== null;
    return !knownValuesEqual(value, priorElements[key]);
  });
  const removed = Object.keys(priorElements).some((key) => !(key in configElements));
  return changedOrAdded || removed;
}

/** The elements of a map value; a null or wholly unknown map has none. */
function mapElements(value: CtyValue | undefined): Readonly<Record<string, CtyValue>> {
  if (value === null || value === undefined || isUnknown(value) || typeof value !== 'object' || Array.isArray(value)) return {};
  return value;
}
