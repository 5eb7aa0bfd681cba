/**
 * The key pair lifecycle with real `terraform`, per cloud and per key source: apply (outputs, private key
 * files, the stack's deployment identity and registry), a no-op re-plan, a tag change that updates the
 * clouds' tags in place and replaces no key pair, a name change that does replace, destroy and its re-run.
 * One stack holds a key pair of each key source on each cloud, and Alibaba's ECDSA keys (generated here and
 * imported), so one apply serves every check.
 *
 * Needs `npx projen bundle` (the handler asset) and `npx projen build:providers` (the stand-ins' mirror).
 */
import * as fs from 'node:fs';
import {
  allPlanned,
  CLOUDS,
  CREATE_ACTIONS,
  DELETE_ACTION,
  Deployment,
  EndToEnd,
  everyCloudAndSource,
  IDENTITY_ADDRESS,
  KeyPairSpec,
  keyPairIdFormat,
  MISSING_PAIR_NEEDLE,
  oneLine,
  outputsOf,
  plannedActions,
  registryAddress,
  TAGGING_CLOUDS,
  TAGS_ADDRESS,
  tagsWhereTheCloudHasThem,
} from './helpers';
import { KeyAlgorithm } from '../../src';
import { OWNERSHIP_TAG_KEY, parseOwnerValue, RESERVED_TAG_KEYS, type CloudName } from '../../src/contract';
import { missingPairWarning } from '../../src/lifecycle-resources';
import { sshKeygenFingerprint, sshKeygenPublicKeyOf } from '../support/ssh-keygen';

jest.setTimeout(240_000);

const PREFIXES: Record<CloudName, string> = { alicloud: 'e2e_ali', tencentcloud: 'e2e_tc', ucloud: 'e2e_uc' };
const TAGGING = CLOUDS.filter((cloud) => TAGGING_CLOUDS.includes(cloud));

/** The tags a user declared, without cdktf-keypair's own (ownership, tag revision). */
function userTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !RESERVED_TAG_KEYS.includes(key)));
}

/** `<type> <base64>` of an OpenSSH public key line. */
function withoutComment(publicKeyLine: string): string {
  return publicKeyLine.trim().split(/\s+/).slice(0, 2).join(' ');
}

describe('key pairs of every cloud and key source in one stack, deployed with real terraform', () => {
  /** Each key source on each cloud, and Alibaba's ECDSA keys (generated here, and imported); tags where the cloud has them. */
  const specs = (suffix = '', tags?: Record<string, string>): KeyPairSpec[] => [
    ...everyCloudAndSource((cloud, source) => `${PREFIXES[cloud]}_${source}${suffix}`, (cloud) => tagsWhereTheCloudHasThem(cloud, tags ?? { team: 'infra' })),
    ...(['generate', 'import'] as const).map((source): KeyPairSpec => ({
      id: `alicloud_${source}_ecdsa`,
      cloud: 'alicloud',
      source,
      name: `${PREFIXES.alicloud}_${source}_ecdsa${suffix}`,
      keyAlgorithm: KeyAlgorithm.ECDSA,
      tags: tags ?? { team: 'infra' },
    })),
  ];
  const namesOn = (cloud: CloudName, list: readonly KeyPairSpec[]) => list.filter((spec) => spec.cloud === cloud).map((spec) => spec.name).sort();
  let e2e: EndToEnd;
  let deployment: Deployment;
  /** Outputs and emulator ids after the first apply, for the later steps to compare with. */
  let firstOutputs: Record<string, string>;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    deployment = await e2e.deployment();
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('init and apply create one key pair per cloud and key source, with its registry entry, and the deployment identity', async () => {
    // GIVEN a stack with a cloud-generated, an imported and a locally generated key pair on each cloud
    deployment.synth(specs());

    // WHEN
    const init = await deployment.init();
    const apply = await deployment.apply();
    firstOutputs = await deployment.outputs();

    // THEN a carrier, a presence, a result and a registry entry per key pair, the deployment identity and the
    // tag resource are created, and nothing else
    const created = deployment.stackAddresses();
    expect(created).toHaveLength(4 * specs().length + 2);
    expect(created).toEqual(expect.arrayContaining([IDENTITY_ADDRESS, TAGS_ADDRESS, ...specs().map((spec) => registryAddress(spec.id))]));
    expect(init.stdout).toContain('Terraform has been successfully initialized!');
    expect(plannedActions(apply.stdout)).toEqual(allPlanned(created, 'create'));
    expect(apply.stdout).toContain(`Apply complete! Resources: ${created.length} added, 0 changed, 0 destroyed.`);
    // The apply's end warns of each pair it made for the first time (docs/drift-and-destroy.md#a-vanished-pair-is-made-again)
    for (const { id } of specs()) expect(oneLine(apply.stdout)).toContain(missingPairWarning(`e2e/${id}`));
    for (const cloud of CLOUDS) {
      const names = e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name).sort();
      expect({ cloud, names }).toEqual({ cloud, names: namesOn(cloud, specs()) });
    }
    // Each pair's registry entry records the pair the read saw (the destroy step's proof where the cloud has no tags).
    const records = await deployment.registryRecords();
    for (const { id } of specs()) {
      expect({ id, record: records[id] }).toEqual({
        id,
        record: { recordedKeyPairId: firstOutputs[`${id}_key_pair_id`], recordedFingerprint: firstOutputs[`${id}_fingerprint`], deleteTimeoutSeconds: '300' },
      });
    }
    // The create call tagged each pair: the declared tags, and the ownership tag naming this deployment.
    for (const keyPair of TAGGING.flatMap((cloud) => e2e.emulator.listKeyPairs(cloud))) {
      expect({ pair: keyPair.name, tags: userTags(keyPair.tags) }).toEqual({ pair: keyPair.name, tags: { team: 'infra' } });
      expect(parseOwnerValue(keyPair.tags[OWNERSHIP_TAG_KEY])).toBeDefined();
    }
  });

  test.each(specs().map((spec) => [spec.id, spec] as const))(
    '%s: the outputs give the KeyPairId in the cloud\'s format, the cloud\'s fingerprint, the OpenSSH fingerprint and the public key',
    async (_id, spec) => {
      // GIVEN the key pair the apply made
      const { cloud, source } = spec;
      const outputs = outputsOf(firstOutputs, spec.id);
      const [stored] = e2e.keyPairsNamed(cloud, spec.name);
      expect(stored).toBeDefined();

      // WHEN the key is read the way a user would
      const privateKey = deployment.readPrivateKey(spec.id);
      const expectedPublicKey =
        source === 'import' ? withoutComment(e2e.importKey(spec.id).publicKey) : sshKeygenPublicKeyOf(deployment.privateKeyFile(spec.id));

      // THEN
      expect(outputs.keyPairId).toMatch(keyPairIdFormat(cloud, spec.name));
      if (cloud !== 'alicloud') expect(outputs.keyPairId).toBe(stored.id);
      expect(outputs.keyPairName).toBe(spec.name);
      expect(outputs.fingerprint).toBe(stored.fingerprint);
      expect(outputs.publicKey).toBe(expectedPublicKey);
      expect(expectedPublicKey.split(' ')[0]).toBe(spec.keyAlgorithm === KeyAlgorithm.ECDSA ? 'ecdsa-sha2-nistp256' : 'ssh-rsa');
      expect(withoutComment(stored.publicKey)).toBe(expectedPublicKey);
      expect(outputs.fingerprintSha256).toBe(sshKeygenFingerprint(expectedPublicKey, 'sha256'));
      if (source === 'import') {
        expect(privateKey).toBeUndefined();
      } else {
        expect(privateKey).toBeDefined();
        expect(privateKey!.mode).toBe(0o600);
        expect(privateKey!.pem).toMatch(/^-----BEGIN [A-Z ]*PRIVATE KEY-----\n/);
      }
    },
  );

  test('a re-plan right after the apply has nothing to do (-detailed-exitcode exits 0)', async () => {
    // WHEN
    const plan = await deployment.run(['plan', '-detailed-exitcode']);

    // THEN
    expect({ exitCode: plan.exitCode, stderr: plan.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(plan.stdout).toContain('No changes.');
  });

  // UCloud key pairs carry no tags: the constructs refuse them at synth, and its pairs stay out of this step.
  test('a tag change updates the clouds\' tags in place and replaces no key pair', async () => {
    // GIVEN the same stack synthesized again with other tags
    const storedBefore = CLOUDS.flatMap((cloud) => e2e.emulator.listKeyPairs(cloud));
    const ownersBefore = Object.fromEntries(storedBefore.map((keyPair) => [keyPair.name, keyPair.tags[OWNERSHIP_TAG_KEY]]));
    const callsBefore = CLOUDS.map((cloud) => e2e.countRequests(cloud, [...CREATE_ACTIONS[cloud], DELETE_ACTION[cloud]]));
    deployment.synth(specs('', { team: 'platform', stage: 'e2e' }));

    // WHEN
    const plan = await deployment.run(['plan', '-detailed-exitcode']);
    const apply = await deployment.apply();
    const outputs = await deployment.outputs();
    const replan = await deployment.run(['plan', '-detailed-exitcode']);

    // THEN the plan replaces the stack's small tag resource and nothing else: no carrier, no registry entry
    expect(plan.exitCode).toBe(2);
    expect(plannedActions(plan.stdout)).toEqual({ [TAGS_ADDRESS]: 'replace' });
    expect(plan.stdout).toContain(`# ${TAGS_ADDRESS} must be replaced`);
    for (const spec of specs()) expect(plan.stdout).not.toContain(`# ${deployment.address(spec.id)}`);
    expect(apply.stdout).toContain('Apply complete! Resources: 1 added, 0 changed, 1 destroyed.');
    // AND no key pair is created or deleted: every KeyPairId stays
    expect(CLOUDS.map((cloud) => e2e.countRequests(cloud, [...CREATE_ACTIONS[cloud], DELETE_ACTION[cloud]]))).toEqual(callsBefore);
    for (const spec of specs()) expect(outputsOf(outputs, spec.id).keyPairId).toBe(outputsOf(firstOutputs, spec.id).keyPairId);
    const storedAfter = CLOUDS.flatMap((cloud) => e2e.emulator.listKeyPairs(cloud));
    const idsAndTimes = (stored: typeof storedAfter) => stored.map((keyPair) => [keyPair.id, keyPair.createdAt]).sort();
    expect(idsAndTimes(storedAfter)).toEqual(idsAndTimes(storedBefore));
    // AND the clouds with tags hold the new tags, the old ones gone, the ownership tag untouched
    for (const keyPair of TAGGING.flatMap((cloud) => e2e.emulator.listKeyPairs(cloud))) {
      expect({ pair: keyPair.name, tags: userTags(keyPair.tags) }).toEqual({ pair: keyPair.name, tags: { team: 'platform', stage: 'e2e' } });
      expect({ pair: keyPair.name, owner: keyPair.tags[OWNERSHIP_TAG_KEY] }).toEqual({ pair: keyPair.name, owner: ownersBefore[keyPair.name] });
    }
    // AND the plan after the apply has nothing to do
    expect({ exitCode: replan.exitCode, stderr: replan.stderr }).toEqual({ exitCode: 0, stderr: '' });
  });

  test('a name change replaces each key pair (carrier and registry entry): the old pair is deleted, a new one created', async () => {
    // GIVEN the stack with every key pair renamed
    const before = specs();
    const idsBefore = CLOUDS.flatMap((cloud) => e2e.emulator.listKeyPairs(cloud)).map((keyPair) => keyPair.id);
    const renamed = specs('_2', { team: 'platform', stage: 'e2e' });
    deployment.synth(renamed);

    // WHEN
    const plan = await deployment.run(['plan', '-detailed-exitcode']);
    const apply = await deployment.apply();
    const outputs = await deployment.outputs();

    // THEN each key pair's carrier, presence, result and registry entry are replaced (and the tag resource:
    // the new pairs start at the create's tags revision); the deployment identity stays; no pair is reported
    // gone (a renamed pair is a new pair)
    const replaced = [
      ...renamed.flatMap((spec) => [deployment.address(spec.id), deployment.childAddress(spec.id, 'presence'), deployment.childAddress(spec.id, 'result'), registryAddress(spec.id)]),
      TAGS_ADDRESS,
    ];
    expect(plan.exitCode).toBe(2);
    expect(oneLine(plan.stdout + plan.stderr)).not.toContain(MISSING_PAIR_NEEDLE);
    expect(plannedActions(plan.stdout)).toEqual(allPlanned(replaced, 'replace'));
    expect(apply.stdout).toContain(`Apply complete! Resources: ${replaced.length} added, 0 changed, ${replaced.length} destroyed.`);
    for (const cloud of CLOUDS) {
      const stored = e2e.emulator.listKeyPairs(cloud);
      expect({ cloud, names: stored.map((keyPair) => keyPair.name).sort() }).toEqual({ cloud, names: namesOn(cloud, renamed) });
      for (const keyPair of stored) expect(idsBefore).not.toContain(keyPair.id);
    }
    for (const spec of before) expect(e2e.keyPairsNamed(spec.cloud, spec.name)).toEqual([]);
    for (const spec of renamed) {
      const keyPairOutputs = outputsOf(outputs, spec.id);
      expect(keyPairOutputs.keyPairName).toBe(spec.name);
      expect(keyPairOutputs.keyPairId).toMatch(keyPairIdFormat(spec.cloud, spec.name));
      if (spec.source !== 'import') {
        // The new pair's private key replaced the old one's in the same file.
        expect(deployment.readPrivateKey(spec.id)?.mode).toBe(0o600);
        expect(sshKeygenPublicKeyOf(deployment.privateKeyFile(spec.id))).toBe(keyPairOutputs.publicKey);
        expect(keyPairOutputs.publicKey).not.toBe(outputsOf(firstOutputs, spec.id).publicKey);
      }
    }
  });

  test('destroy removes every key pair and private key file; a destroy re-run passes', async () => {
    // WHEN
    const destroy = await deployment.destroy();
    const again = await deployment.run(['destroy', '-auto-approve']);

    // THEN every carrier, registry entry, the identity and the tag resource are destroyed
    const addresses = deployment.stackAddresses();
    expect(plannedActions(destroy.stdout)).toEqual(allPlanned(addresses, 'destroy'));
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${addresses.length} destroyed.`);
    for (const cloud of CLOUDS) expect(e2e.emulator.listKeyPairs(cloud)).toEqual([]);
    for (const spec of specs()) expect(fs.existsSync(deployment.privateKeyFile(spec.id))).toBe(false);
    expect({ exitCode: again.exitCode, stderr: oneLine(again.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    expect(again.stdout).toContain('Resources: 0 destroyed.');
    expect(deployment.workspace.leftovers()).toEqual({ pluginProcesses: [], tempEntries: [] });
  });

  test('no state file, plan, terraform output or synthesized file of these runs holds a secret or private key', () => {
    expect(e2e.secretFindings()).toEqual([]);
    expect(e2e.evidenceKinds()).toEqual(
      expect.objectContaining({ synth: expect.any(Number), state: expect.any(Number), terraform: expect.any(Number) }),
    );
  });
});
