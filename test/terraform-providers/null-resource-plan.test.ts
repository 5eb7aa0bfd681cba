import { isUnknown, unknownValue } from '../support/terraform-providers/cty-values';
import { goRandomIntString } from '../support/terraform-providers/go-random-int';
import { applyNullResource, planNullResource } from '../support/terraform-providers/null-resource';

const TRIGGERS_PATH = { steps: [{ attribute_name: 'triggers' }] };

describe('planNullResource', () => {
  test('create: the id is unknown until apply', () => {
    // WHEN
    const plan = planNullResource(null, { id: null, triggers: { a: '1' } });

    // THEN
    expect(isUnknown((plan.plannedState as Record<string, unknown>).id as never)).toBe(true);
    expect(plan.requiresReplace).toEqual([]);
  });

  test('unchanged triggers keep the prior id and force nothing', () => {
    // WHEN
    const plan = planNullResource({ id: '42', triggers: { a: '1' } }, { id: '42', triggers: { a: '1' } });

    // THEN
    expect(plan).toEqual({ plannedState: { id: '42', triggers: { a: '1' } }, requiresReplace: [] });
  });

  test.each([
    ['a changed value', { a: '1' }, { a: '2' }],
    ['an added key', { a: '1' }, { a: '1', b: '2' }],
    ['a removed key', { a: '1', b: '2' }, { a: '1' }],
    ['a removed key whose value was null', { a: '1', b: null }, { a: '1' }],
    ['an unknown value', { a: '1' }, { a: unknownValue() }],
    ['an unknown value where there were no triggers', null, { a: unknownValue() }],
    ['a value where there were no triggers', null, { a: '1' }],
    ['a wholly unknown map replacing known triggers', { a: '1' }, unknownValue()],
    ['triggers removed', { a: '1' }, null],
  ])('%s forces replacement with a new unknown id', (_case, priorTriggers, proposedTriggers) => {
    // WHEN
    const plan = planNullResource({ id: '42', triggers: priorTriggers }, { id: '42', triggers: proposedTriggers });

    // THEN
    expect(plan.requiresReplace).toEqual([TRIGGERS_PATH]);
    expect(isUnknown((plan.plannedState as Record<string, unknown>).id as never)).toBe(true);
  });

  test.each([
    ['null becoming an empty map', null, {}],
    ['an empty map becoming null', {}, null],
    ['null becoming a map of null values', null, { a: null }],
    ['an added key whose value is null', { a: '1' }, { a: '1', b: null }],
    // The real provider cannot tell yet: Terraform fails the apply if the known value then replaces.
    ['a wholly unknown map where there were no triggers', null, unknownValue()],
    ['a wholly unknown map where the triggers were empty', {}, unknownValue()],
  ])('%s is an in-place update that keeps the id, as in the real provider', (_case, priorTriggers, proposedTriggers) => {
    // WHEN
    const plan = planNullResource({ id: '42', triggers: priorTriggers }, { id: '42', triggers: proposedTriggers });

    // THEN
    expect(plan).toEqual({ plannedState: { id: '42', triggers: proposedTriggers }, requiresReplace: [] });
  });

  test('destroy plans null', () => {
    expect(planNullResource({ id: '42', triggers: null }, null)).toEqual({ plannedState: null, requiresReplace: [] });
  });
});

describe('applyNullResource', () => {
  test('create takes the triggers from the config, where earlier unknowns are now known', () => {
    // WHEN
    const state = applyNullResource(null, { id: unknownValue(), triggers: { a: unknownValue() } }, { id: null, triggers: { a: 'known' } });

    // THEN
    expect(state).toEqual({ id: expect.stringMatching(/^\d+$/), triggers: { a: 'known' } });
  });

  test('destroy returns null', () => {
    expect(applyNullResource({ id: '42', triggers: null }, null, null)).toBeNull();
  });
});

test('ids are non-negative 63-bit integers in decimal, and differ', () => {
  // WHEN
  const ids = Array.from({ length: 50 }, goRandomIntString);

  // THEN
  for (const id of ids) expect(BigInt(id) < 2n ** 63n && BigInt(id) >= 0n).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
});
