/**
 * Tags in place, the terraform_data carrier with a resource group and a project, and references to key
 * pairs made elsewhere, with real `terraform` against the emulator.
 */
import {
  CLOUDS,
  CREATE_ACTIONS,
  DELETE_ACTION,
  Deployment,
  EndToEnd,
  everyCloudAndSource,
  KeyPairSpec,
  oneLine,
  REGIONS,
  SHORT_CLOUD_NAMES,
  tagsWhereTheCloudHasThem,
} from './helpers';
import { keyPairApiFor } from '../../handler/clouds/factory';
import { KeyPairCarrier } from '../../src';
import { INITIAL_TAGS_REVISION, OWNERSHIP_TAG_KEY, parseOwnerValue, TAGS_REVISION_TAG_KEY, type CloudName } from '../../src/contract';
import { sshKeygenFingerprint } from '../support/ssh-keygen';

jest.setTimeout(300_000);

/** The scope each cloud's pairs go to: an Alibaba resource group, a Tencent project, a UCloud project. */
const SCOPES: Record<CloudName, string> = { alicloud: 'rg-e2etags', tencentcloud: '7', ucloud: 'org-e2etags' };
/** Where the emulator keeps each cloud's scope. */
const SCOPE_ATTRIBUTES: Record<CloudName, string> = { alicloud: 'resourceGroupId', tencentcloud: 'projectId', ucloud: 'projectId' };

/** `terraform plan -detailed-exitcode`: 0 no changes, 2 changes. */
async function plan(deployment: Deployment): Promise<{ exitCode: number | null; output: string }> {
  const result = await deployment.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
  return { exitCode: result.exitCode, output: result.stdout + result.stderr };
}

describe('the terraform_data carrier, a resource group and a project, and tags in place', () => {
  const name = (cloud: CloudName, source: string) => `tags_${SHORT_CLOUD_NAMES[cloud]}_${source}`;
  const specs = (tags: Record<string, string>): KeyPairSpec[] =>
    everyCloudAndSource(
      name,
      (cloud) => ({ carrier: KeyPairCarrier.TERRAFORM_DATA, scope: SCOPES[cloud], ...tagsWhereTheCloudHasThem(cloud, tags) }),
      name,
    );
  const tagged = specs({}).filter((spec) => spec.cloud !== 'ucloud');
  let e2e: EndToEnd;
  let deployment: Deployment;
  let ids: Record<string, string>;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment('tags');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  /** The one live pair of a spec, as the emulator holds it. */
  const live = (spec: KeyPairSpec) => {
    const found = e2e.keyPairsNamed(spec.cloud, spec.name);
    expect({ pair: spec.name, count: found.length }).toEqual({ pair: spec.name, count: 1 });
    return found[0];
  };
  const userTags = (tags: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.entries(tags).filter(([key]) => key !== OWNERSHIP_TAG_KEY && key !== TAGS_REVISION_TAG_KEY));

  test('every cloud and key source applies on terraform_data, in its resource group or project, with its tags, and re-plans as a no-op', async () => {
    deployment.synth(specs({ team: 'infra', env: 'dev' }));
    await deployment.init();
    await deployment.apply();

    ids = {};
    for (const spec of specs({})) {
      const pair = live(spec);
      ids[spec.name] = pair.id;
      expect({ pair: spec.name, scope: pair.attributes[SCOPE_ATTRIBUTES[spec.cloud]] }).toEqual({ pair: spec.name, scope: SCOPES[spec.cloud] });
    }
    for (const spec of tagged) {
      const { tags } = live(spec);
      expect(userTags(tags)).toEqual({ team: 'infra', env: 'dev' });
      expect(parseOwnerValue(tags[OWNERSHIP_TAG_KEY])).toBeDefined();
      expect(tags[TAGS_REVISION_TAG_KEY]).toBe(INITIAL_TAGS_REVISION);
    }
    expect((await plan(deployment)).exitCode).toBe(0);
  });

  test('changed tags update the cloud in place: the plan replaces only the small tag resource, no key pair', async () => {
    const creates = CLOUDS.map((cloud) => e2e.countRequests(cloud, CREATE_ACTIONS[cloud]));
    const owners = Object.fromEntries(tagged.map((spec) => [spec.name, live(spec).tags[OWNERSHIP_TAG_KEY]]));
    deployment.synth(specs({ team: 'platform', cost: 'c-42' }));

    const planned = await plan(deployment);
    expect(planned.exitCode).toBe(2);
    expect(planned.output).toContain('terraform_data.cdktf_keypair_tags must be replaced');
    expect(planned.output).not.toMatch(/carrier\S* must be replaced|carrier\S* will be destroyed/);
    expect(planned.output).toMatch(/Plan: 1 to add, 0 to change, 1 to destroy/);

    await deployment.apply();
    for (const spec of tagged) {
      const { tags } = live(spec);
      expect(userTags(tags)).toEqual({ team: 'platform', cost: 'c-42' });
      expect(tags[OWNERSHIP_TAG_KEY]).toBe(owners[spec.name]);
    }
    for (const spec of specs({})) expect(live(spec).id).toBe(ids[spec.name]);
    expect(CLOUDS.map((cloud) => e2e.countRequests(cloud, CREATE_ACTIONS[cloud]))).toEqual(creates);
    expect((await plan(deployment)).exitCode).toBe(0);
  });

  test('tags changed outside Terraform show in the next plan, apply puts them back, and the plan after is a no-op', async () => {
    // GIVEN someone edits the tags in the console: one removed, one changed, one added
    const [changed, ...untouched] = tagged;
    const before = live(changed).tags;
    e2e.emulator.setTags(changed.cloud, changed.name, Object.fromEntries(Object.entries({ ...before, team: 'someone-else', rogue: 'yes' }).filter(([key]) => key !== 'cost')));

    // WHEN the deployment plans, then applies
    const planned = await plan(deployment);
    expect(planned.exitCode).toBe(2);
    expect(planned.output).toContain('terraform_data.cdktf_keypair_tags must be replaced');
    expect(planned.output).toContain(changed.id);
    await deployment.apply();

    // THEN the cloud holds the declared tags again, the ownership tag untouched, and nothing else changed
    const after = live(changed).tags;
    expect(userTags(after)).toEqual({ team: 'platform', cost: 'c-42' });
    expect(after[OWNERSHIP_TAG_KEY]).toBe(before[OWNERSHIP_TAG_KEY]);
    for (const spec of untouched) expect(userTags(live(spec).tags)).toEqual({ team: 'platform', cost: 'c-42' });
    expect((await plan(deployment)).exitCode).toBe(0);
  });

  test('destroy deletes every pair', async () => {
    await deployment.destroy();
    for (const spec of specs({})) expect(e2e.keyPairsNamed(spec.cloud, spec.name)).toEqual([]);
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.privateKeyCount()).toBeGreaterThan(0);
    expect(e2e.secretFindings()).toEqual([]);
    const kinds = { synth: expect.any(Number), state: expect.any(Number), terraform: expect.any(Number) };
    expect(e2e.evidenceKinds()).toEqual(expect.objectContaining(kinds));
  });
});

describe('references to key pairs made elsewhere', () => {
  let e2e: EndToEnd;
  let deployment: Deployment;
  const external: Partial<Record<CloudName, { id: string; name: string; publicKey: string }>> = {};

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment('refs');
    // Made outside this app, through each cloud's API (a teammate, the console, another stack).
    for (const cloud of CLOUDS) {
      const name = `ext_${SHORT_CLOUD_NAMES[cloud]}`;
      const { publicKey } = e2e.importKey(name);
      const made = await keyPairApiFor({ cloud, region: REGIONS[cloud] }, e2e.emulator.handlerEnvironment()).importPublicKey({ name, publicKey });
      external[cloud] = { id: made.id, name, publicKey };
    }
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('resolve on every cloud (by name; by id on Tencent) and wire into a consumer resource', async () => {
    deployment.synth([], {
      consumers: true,
      references: [
        ...CLOUDS.map((cloud) => ({ id: `ref_${SHORT_CLOUD_NAMES[cloud]}`, cloud, name: external[cloud]!.name })),
        { id: 'ref_tc_by_id', cloud: 'tencentcloud' as const, keyPairId: external.tencentcloud!.id },
      ],
    });
    await deployment.init();
    await deployment.apply();

    const outputs = await deployment.outputs();
    for (const cloud of CLOUDS) {
      const id = `ref_${SHORT_CLOUD_NAMES[cloud]}`;
      expect(outputs[`${id}_key_pair_id`]).toBe(external[cloud]!.id);
      expect(outputs[`${id}_key_pair_name`]).toBe(external[cloud]!.name);
      if (cloud !== 'ucloud') {
        // The cloud returns the public key: the OpenSSH fingerprint is ssh-keygen's.
        expect(outputs[`${id}_fingerprint_sha256`]).toBe(sshKeygenFingerprint(external[cloud]!.publicKey, 'sha256'));
      }
    }
    expect(outputs.ref_tc_by_id_key_pair_name).toBe(external.tencentcloud!.name);
    const state = JSON.parse((await deployment.runOrThrow(['show', '-json'])).stdout) as {
      values: { root_module: { resources: Array<{ address: string; values: { input?: string } }> } };
    };
    const consumer = state.values.root_module.resources.find((resource) => resource.address === 'terraform_data.consumer_ref_tc_by_id');
    expect(JSON.parse(consumer!.values.input!)).toEqual({ name: external.tencentcloud!.name, id: external.tencentcloud!.id });
    expect((await plan(deployment)).exitCode).toBe(0);
  });

  test('are never changed or deleted: destroy leaves the key pairs made elsewhere', async () => {
    const deletes = CLOUDS.map((cloud) => e2e.countRequests(cloud, [DELETE_ACTION[cloud]]));
    await deployment.destroy();
    // (The emulator keeps Alibaba's own `ssh-…` id; the API identifies Alibaba pairs by name.)
    for (const cloud of CLOUDS) {
      const kept = e2e.keyPairsNamed(cloud, external[cloud]!.name).map((pair) => (cloud === 'alicloud' ? pair.name : pair.id));
      expect(kept).toEqual([external[cloud]!.id]);
    }
    expect(CLOUDS.map((cloud) => e2e.countRequests(cloud, [DELETE_ACTION[cloud]]))).toEqual(deletes);
  });

  test('a missing one fails the plan, naming it', async () => {
    deployment.synth([], { references: [{ id: 'ref_missing', cloud: 'alicloud', name: 'no_such_pair' }] });
    const result = await deployment.run(['plan', '-input=false', '-no-color']);
    expect(result.exitCode).not.toBe(0);
    const output = oneLine(result.stdout + result.stderr);
    expect(output).toContain('the referenced key pair name "no_such_pair" does not exist in alicloud region cn-hangzhou');
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.privateKeyCount()).toBeGreaterThan(0);
    expect(e2e.secretFindings()).toEqual([]);
    const kinds = { synth: expect.any(Number), state: expect.any(Number), terraform: expect.any(Number) };
    expect(e2e.evidenceKinds()).toEqual(expect.objectContaining(kinds));
  });
});
