/**
 * Which prop changes replace a key pair, read from real Terraform's plan: one stack holds a pair per row,
 * applied once; one re-synth changes each row's prop on its own pair (and the stack-wide rows on the whole
 * stack), and one `terraform plan` answers every row.
 *
 * | change                                   | the key pair | why                                                                    |
 * |------------------------------------------|--------------|------------------------------------------------------------------------|
 * | tags                                     | kept         | not a trigger: only terraform_data.cdktf_keypair_tags is replaced      |
 * | deleteTimeoutSeconds                     | kept         | in the destroy steps' environment only, not a trigger                  |
 * | outputs                                  | kept         | only the two Terraform outputs come or go                              |
 * | carrier (null_resource ↔ terraform_data) | replaced     | another resource type, so another address: the old carrier is         |
 * |                                          |              | destroyed and a new one created, its registry entry replaced          |
 * | endpoint                                 | replaced     | a trigger: the pair may be on another cloud                            |
 * | privateKeyFile                           | replaced     | a trigger (as written): the destroy step removes the file it names     |
 * | key source                               | replaced     | a trigger: another key, made another way                               |
 * | scope (resource group, project)          | replaced     | a trigger: the pair is made in the new scope                           |
 * | replacementKey                           | replaced     | a trigger: that is what it is for                                      |
 * | keyPairName, region                      | replaced     | triggers: another pair                                                 |
 * | the directory synth runs in, cdktf.out   | kept         | a literal in the steps' environment and the read's query, not a trigger |
 * | the library's version (handler bundle)   | kept         | its asset path is in commands and the read's program, not in triggers  |
 *
 * A replaced pair's registry entry is replaced with it (its triggers are the carrier's, and the carrier's id);
 * a kept pair's entry is kept. The stack-wide rows (synth directory, version) are read off a pair whose own
 * props do not change.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Deployment, EndToEnd, IDENTITY_ADDRESS, KeyPairSpec, registryAddress, TAGS_ADDRESS } from './helpers';
import { KeyPairCarrier } from '../../src';
import { TAG_ENTRY_KEYS } from '../../src/contract';
import { HANDLER_BUNDLE_PATH } from '../../src/stack-support';

jest.setTimeout(240_000);

/** What the plan does to a row's carrier, registry entry and tag entry, in words. */
interface Outcome {
  readonly carrier: string;
  readonly registry: string;
  /** The pair's entry in the stack's tag resource: `same`, `new tags`, or `read again` (the new pair's revision). */
  readonly tags: string;
}

const KEPT: Outcome = { carrier: 'no-op', registry: 'no-op', tags: 'same' };
// A replaced pair's tag entry stays: the plan-time read reports the revision its create sets.
const REPLACED: Outcome = { carrier: 'replace (delete first)', registry: 'replace (delete first)', tags: 'same' };

interface Row {
  readonly change: string;
  /** The pair that shows the row: its construct id and name; the stack-wide rows share one pair. */
  readonly id: string;
  readonly before?: Partial<KeyPairSpec>;
  readonly after?: Partial<KeyPairSpec>;
  readonly expected: Outcome;
}

describe('keep or replace: which changes replace a key pair, from one plan', () => {
  let e2e: EndToEnd;
  let deployment: Deployment;
  let scratch: string;

  const rows = (): Row[] => [
    { change: 'tags', id: 'tags', before: { tags: { team: 'infra' } }, after: { tags: { team: 'platform' } }, expected: { ...KEPT, tags: 'new tags' } },
    { change: 'deleteTimeoutSeconds', id: 'delete_timeout', after: { deleteTimeoutSeconds: 60 }, expected: KEPT },
    { change: 'outputs', id: 'outputs', after: { outputs: false }, expected: KEPT },
    {
      change: 'carrier null_resource → terraform_data',
      id: 'to_terraform_data',
      after: { carrier: KeyPairCarrier.TERRAFORM_DATA },
      expected: { ...REPLACED, carrier: 'null_resource: delete, terraform_data: create' },
    },
    {
      change: 'carrier terraform_data → null_resource',
      id: 'to_null_resource',
      before: { carrier: KeyPairCarrier.TERRAFORM_DATA },
      after: { carrier: KeyPairCarrier.NULL_RESOURCE },
      expected: { ...REPLACED, carrier: 'terraform_data: delete, null_resource: create' },
    },
    { change: 'endpoint', id: 'endpoint', after: { endpoint: e2e.emulator.endpoints.alicloud }, expected: REPLACED },
    {
      change: 'privateKeyFile',
      id: 'private_key_file',
      after: { privateKeyFile: path.join(deployment.workspace.rootDirectory, 'keys', 'private_key_file-moved.pem') },
      expected: REPLACED,
    },
    { change: 'key source', id: 'key_source', after: { source: 'generate' }, expected: REPLACED },
    { change: 'scope', id: 'scope', before: { scope: 'rg-matrixa' }, after: { scope: 'rg-matrixb' }, expected: REPLACED },
    { change: 'replacementKey', id: 'replacement_key', after: { replacementKey: '2026-12' }, expected: REPLACED },
    { change: 'keyPairName', id: 'key_pair_name', after: { name: 'm_key_pair_name_renamed' }, expected: REPLACED },
    { change: 'region', id: 'region', after: { region: 'cn-shanghai' }, expected: REPLACED },
    { change: 'the directory synth runs in', id: 'unchanged', expected: KEPT },
    { change: "the library's version", id: 'unchanged', expected: KEPT },
  ];

  /** The stack at one side of the change: one alicloud pair per row (Alibaba has tags and resource groups). */
  const specs = (side: 'before' | 'after'): KeyPairSpec[] => {
    const byId = new Map<string, KeyPairSpec>();
    for (const row of rows()) {
      const base: KeyPairSpec = { id: row.id, cloud: 'alicloud', source: 'cloud', name: `m_${row.id}`, ...row.before };
      byId.set(row.id, side === 'before' ? base : { ...base, ...row.after });
    }
    return [...byId.values()];
  };

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment('matrix');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-keep-or-replace-'));
  });
  afterAll(async () => {
    await e2e?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** The synthesized configuration in the workspace, and the handler paths it names. */
  const synthesized = () => {
    const json = fs.readFileSync(path.join(deployment.workspace.workingDirectory, 'cdk.tf.json'), 'utf8');
    return { json, handlerPaths: [...new Set(json.match(/assets\/cdktf-keypair-handler\/[^/"]+\/handler\.js/g) ?? [])] };
  };

  test('every row, from one apply and one plan', async () => {
    // GIVEN one applied stack with a pair per row, synthesized here with this checkout's handler
    deployment.synth(specs('before'));
    const before = synthesized();
    await deployment.init();
    await deployment.apply();
    const addressBefore = Object.fromEntries(specs('before').map((spec) => [spec.id, deployment.address(spec.id)]));

    // WHEN the app is synthesized again with every row's prop changed on its own pair, from another directory
    // (cdktf.out under it), with a handler bundle of another release (other content, so another asset path)
    const synthDirectory = path.join(scratch, 'another-checkout');
    const release = path.join(scratch, 'next-release');
    for (const directory of [synthDirectory, release]) fs.mkdirSync(directory);
    fs.writeFileSync(path.join(release, 'handler.js'), `${fs.readFileSync(HANDLER_BUNDLE_PATH, 'utf8')}\n// a later release\n`);
    deployment.synth(specs('after'), { synthDirectory, handlerBundle: path.join(release, 'handler.js') });
    const after = synthesized();
    expect({ before: before.handlerPaths.length, after: after.handlerPaths.length }).toEqual({ before: 1, after: 1 });
    expect(after.handlerPaths[0]).not.toBe(before.handlerPaths[0]);
    expect(before.json).toContain(JSON.stringify(process.cwd()));
    expect(after.json).toContain(JSON.stringify(synthDirectory));
    expect(after.json).not.toContain(JSON.stringify(process.cwd()));
    // and Terraform plans it
    await deployment.runOrThrow(['plan', '-input=false', '-out=matrix.tfplan']);
    const plan = JSON.parse((await deployment.runOrThrow(['show', '-json', 'matrix.tfplan'])).stdout) as Plan;

    // THEN each row's carrier, registry entry and tag entry do what the table says
    const found = Object.fromEntries(
      rows().map((row) => [row.change, outcome(plan, addressBefore[row.id], deployment.address(row.id), row.id)]),
    );
    const expected = Object.fromEntries(rows().map((row) => [row.change, row.expected]));
    expect(found).toEqual(expected);
    // and no other resource changes but the tag resource (replaced: new tags, and the replaced pairs' reads)
    const rowAddresses = new Set(specs('before').flatMap((spec) => [
      addressBefore[spec.id],
      deployment.address(spec.id),
      registryAddress(spec.id),
      deployment.childAddress(spec.id, 'presence'),
      deployment.childAddress(spec.id, 'result'),
    ]));
    // each pair's result goes with its registry entry (made anew with a replaced carrier, else kept); its
    // presence with its triggers (a change of carrier type keeps the triggers, so the presence stays)
    const words2 = (address: string) => words(plan.resource_changes.find((candidate) => candidate.address === address)?.change.actions);
    for (const row of rows()) {
      const registry = words2(registryAddress(row.id));
      expect({ row: row.change, presence: words2(deployment.childAddress(row.id, 'presence')), result: words2(deployment.childAddress(row.id, 'result')) })
        .toEqual({ row: row.change, presence: row.change.startsWith('carrier ') ? 'no-op' : registry, result: registry });
    }
    const others = plan.resource_changes.filter((change) => !change.address.startsWith('data.') && !rowAddresses.has(change.address));
    expect(Object.fromEntries(others.map((change) => [change.address, words(change.change.actions)]))).toEqual({
      [IDENTITY_ADDRESS]: 'no-op',
      [TAGS_ADDRESS]: 'replace (delete first)',
    });
    // and of the kept pairs' outputs, only the outputs row's two go
    const kept = new Set(rows().filter((row) => row.expected.carrier === 'no-op').map((row) => row.id));
    const outputChanges = Object.entries(plan.output_changes ?? {}).filter(
      ([name, change]) => [...kept].some((id) => name.startsWith(`${id}_`)) && change.actions.join('+') !== 'no-op',
    );
    expect(Object.fromEntries(outputChanges.map(([name, change]) => [name, change.actions.join('+')]))).toEqual({
      outputs_key_pair_id: 'delete',
      outputs_fingerprint: 'delete',
    });
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.privateKeyCount()).toBeGreaterThan(0);
    expect(e2e.secretFindings()).toEqual([]);
  });
});

/** The part of `terraform show -json <plan>` read here. */
interface Plan {
  readonly resource_changes: ReadonlyArray<{
    readonly address: string;
    readonly change: {
      readonly actions: readonly string[];
      readonly before?: { readonly triggers_replace?: Record<string, unknown> } | null;
      readonly after?: { readonly triggers_replace?: Record<string, unknown> } | null;
      readonly after_unknown?: { readonly triggers_replace?: unknown };
    };
  }>;
  readonly output_changes?: Record<string, { readonly actions: readonly string[] }>;
}

/** A resource's planned actions in words. */
function words(actions: readonly string[] | undefined): string {
  switch ((actions ?? []).join('+')) {
    case '':
      return 'absent';
    case 'delete+create':
      return 'replace (delete first)';
    case 'create+delete':
      return 'replace (create first)';
    default:
      return actions!.join('+');
  }
}

/** What one plan does to one row's pair: its carrier (at its old and new address), registry entry and tag entry. */
function outcome(plan: Plan, addressBefore: string, addressAfter: string, id: string): Outcome {
  const change = (address: string) => plan.resource_changes.find((candidate) => candidate.address === address)?.change;
  const type = (address: string) => address.split('.')[0];
  const carrier =
    addressBefore === addressAfter
      ? words(change(addressBefore)?.actions)
      : `${type(addressBefore)}: ${words(change(addressBefore)?.actions)}, ${type(addressAfter)}: ${words(change(addressAfter)?.actions)}`;
  const tags = change(TAGS_ADDRESS);
  const entry = (side: { readonly triggers_replace?: unknown } | null | undefined) =>
    (side?.triggers_replace as Record<string, Record<string, unknown>> | undefined)?.[id];
  const before = entry(tags?.before);
  const after = entry(tags?.after);
  let tagEntry: string;
  if (entry(tags?.after_unknown)?.[TAG_ENTRY_KEYS.revision] === true) tagEntry = 'read again';
  else if (before?.[TAG_ENTRY_KEYS.tags] !== after?.[TAG_ENTRY_KEYS.tags]) tagEntry = 'new tags';
  else tagEntry = JSON.stringify(before) === JSON.stringify(after) ? 'same' : 'revision changed';
  return { carrier, registry: words(change(registryAddress(id))?.actions), tags: tagEntry };
}
