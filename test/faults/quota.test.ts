/**
 * The quota reached in the middle of an apply, with real `terraform`: each cloud's quota (3 here) lets some
 * of the stack's 5 key pairs per cloud be made; those exist with their private keys, the others fail naming
 * the cloud's quota code and leave nothing. Once the quota is raised (the emulator restarted with a higher
 * quota on the same state file and ports, as a cloud raises it under a running account), the next apply
 * makes the rest without touching the pairs that fit, and destroy removes them all. TF_LOG=TRACE on the apply
 * that meets the quota (the suite's secret scan reads those logs).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CloudName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec, KeySourceName } from '../e2e/helpers';
import { KeyFileLog } from './support/evidence';
import {
  CLOUD_CODES,
  CLOUDS,
  failedWith,
  IMPORTED_PAIR,
  NOTHING,
  PAIR_WITH_ITS_KEY,
  pairStanding,
  perCloud,
  saveHarnessEvidence,
  SUITE_KEY_BITS,
  SUITE_TUNING,
  TRACE,
} from './support/suite';
import { errorAbout, terraformErrors } from '../support/terraform-diagnostics';

jest.setTimeout(240_000);

const QUOTA = 3;
const RAISED_QUOTA = 10;
const SOURCES: readonly KeySourceName[] = ['cloud', 'import', 'cloud', 'cloud', 'cloud'];

describe('the quota reached in the middle of an apply', () => {
  const specs: KeyPairSpec[] = CLOUDS.flatMap((cloud) =>
    SOURCES.map((source, index) => ({ id: `${cloud}_${index}`, cloud, source, name: `quota_${index}` })),
  );
  const specsOf = (cloud: CloudName) => specs.filter((spec) => spec.cloud === cloud);
  const keyFiles = new KeyFileLog();
  let stateDirectory: string;
  let e2e: EndToEnd;
  let deployment: Deployment;
  /** The ids of the pairs the first apply made, per cloud. */
  let firstIds: Record<CloudName, string[]>;

  beforeAll(async () => {
    stateDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-quota-'));
    e2e = await EndToEnd.start({ stateFile: path.join(stateDirectory, 'emulator.json'), quotaPerScope: QUOTA, generatedKeyBits: SUITE_KEY_BITS });
    deployment = await e2e.deployment('quota', SUITE_TUNING);
    deployment.synth(specs);
    await deployment.init();
  });
  afterAll(async () => {
    if (e2e) saveHarnessEvidence('quota.test.ts', e2e, keyFiles);
    await e2e?.stop();
    fs.rmSync(stateDirectory, { recursive: true, force: true });
  });

  const standing = (spec: KeyPairSpec, context: string) =>
    pairStanding({
      emulator: e2e.emulator,
      cloud: spec.cloud,
      name: spec.name,
      source: spec.source,
      privateKeyFile: spec.source === 'import' ? undefined : deployment.privateKeyFile(spec.id),
      keyFiles,
      context: `quota ${spec.id}: ${context}`,
    });
  const present = (spec: KeyPairSpec) => (spec.source === 'import' ? IMPORTED_PAIR : PAIR_WITH_ITS_KEY);

  test('the pairs that fit are made with their keys; the others fail naming the quota code and leave nothing', async () => {
    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN the apply fails, once for each pair beyond the quota
    expect(apply.exitCode).toBe(1);
    expect(terraformErrors(apply.stderr)).toHaveLength(CLOUDS.length * (SOURCES.length - QUOTA));
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud).length)).toEqual(perCloud(() => QUOTA));
    for (const cloud of CLOUDS) {
      const made = new Set(e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name));
      // Which pairs fit depends on the order Terraform ran them in: each is either made, or refused by name.
      expect(specsOf(cloud).map((spec) => `${spec.id}: ${standing(spec, 'after the apply that hit the quota')}`))
        .toEqual(specsOf(cloud).map((spec) => `${spec.id}: ${made.has(spec.name) ? present(spec) : NOTHING}`));
      const refused = specsOf(cloud).filter((spec) => !made.has(spec.name));
      expect(refused.map((spec) => errorAbout(apply.stderr, deployment.address(spec.id))?.includes(failedWith(CLOUD_CODES.quota[cloud]))))
        .toEqual(refused.map(() => true));
    }
    firstIds = perCloud((cloud) => e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.id).sort());
  });

  test('once the quota is raised, the next apply makes the rest and leaves the others alone', async () => {
    // GIVEN the same clouds (state file, ports) with a higher quota
    await e2e.restartEmulator({ quotaPerScope: RAISED_QUOTA });
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.id).sort())).toEqual(firstIds);

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve']);

    // THEN the refused pairs' carriers (tainted) are made again; the others are untouched. Each pair's result
    // and registry entry, and the tag resource, which wait for the stack's read after every carrier, are
    // made now
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    const refusedCount = CLOUDS.length * (SOURCES.length - QUOTA);
    expect(apply.stdout).toContain(`Apply complete! Resources: ${refusedCount + 2 * specs.length + 1} added, 0 changed, ${refusedCount} destroyed.`);
    expect(specs.map((spec) => `${spec.id}: ${standing(spec, 'after the apply with room')}`)).toEqual(specs.map((spec) => `${spec.id}: ${present(spec)}`));
    expect(perCloud((cloud) => firstIds[cloud].every((id) => e2e.emulator.listKeyPairs(cloud).some((keyPair) => keyPair.id === id))))
      .toEqual(perCloud(() => true));
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud).length)).toEqual(perCloud(() => SOURCES.length));
  });

  test('destroy removes them all', async () => {
    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve']);

    // THEN
    expect({ exitCode: destroy.exitCode, errors: terraformErrors(destroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    // (each pair's carrier, presence, result and registry entry, the deployment identity and the tag resource)
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${deployment.stackAddresses().length} destroyed.`);
    expect(perCloud((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual(perCloud(() => []));
    expect(specs.map((spec) => standing(spec, 'after destroy'))).toEqual(specs.map(() => NOTHING));
  });
});
