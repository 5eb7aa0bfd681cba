/**
 * A missing permission, as each cloud refuses it (the emulator's `denied` fault): the step fails at once,
 * never resent, with the cloud's code and the permission to grant by name; a create leaves no pair, no
 * secret and no key file behind, and a delete refused at the secret finishes when run again with the
 * permission granted. Through runHandler against the emulator, as Terraform runs the handler.
 */
import { existsSync } from 'node:fs';
import { actionsSince, expectSuccess, HandlerDeployment, MAKE_ACTIONS, REGIONS, useHandlerTestBed } from './support';
import { CLOUDS, SecretStoreCloud } from '../../../emulator';
import { HandlerOutcome } from '../../../handler/run';
import { KEY_SOURCES, TRIGGER_KEYS, type CloudName, type SecretStoreName } from '../../../src/contract';

/** Each store with its cloud, the code its cloud refuses a missing permission with, and the prefix of its permissions. */
const STORES: ReadonlyArray<readonly [SecretStoreName, SecretStoreCloud, string, string]> = [
  ['alicloud-kms', 'alicloud', 'Forbidden.NoPermission', 'kms'],
  ['tencentcloud-ssm', 'tencentcloud', 'AuthFailure.UnauthorizedOperation', 'ssm'],
];

/** Each cloud's create action, the code it refuses a missing permission with, and the permission to grant. */
const KEY_PAIR_CREATE: Record<CloudName, { readonly action: string; readonly code: string; readonly permission: string }> = {
  alicloud: { action: 'CreateKeyPair', code: 'Forbidden.RAM', permission: 'ecs:CreateKeyPair' },
  tencentcloud: { action: 'CreateKeyPair', code: 'AuthFailure.UnauthorizedOperation', permission: 'cvm:CreateKeyPair' },
  ucloud: { action: 'CreateUHostKeyPair', code: '299', permission: 'uhost:CreateUHostKeyPair' },
};


const bed = useHandlerTestBed('permission-denied');

interface Case {
  readonly deployment: HandlerDeployment;
  readonly triggers: Record<string, string>;
  readonly secretName?: string;
  readonly file: string;
}

/** A fresh deployment and the triggers of one cloud-generated pair of `cloud`, its key in a file (and `store`, when given). */
function newCase(cloud: CloudName, store?: SecretStoreName): Case {
  const { deployment, n } = bed.newDeployment();
  const secretName = store ? `kp-denied-${n}` : undefined;
  const triggers = deployment.triggers(cloud, `denied_${n}`, {
    [TRIGGER_KEYS.keySource]: KEY_SOURCES.cloud,
    ...(store ? { [TRIGGER_KEYS.secretStore]: store, [TRIGGER_KEYS.secretName]: secretName, [TRIGGER_KEYS.secretRegion]: REGIONS[cloud] } : {}),
  });
  return { deployment, triggers, secretName, file: triggers[TRIGGER_KEYS.privateKeyFile] };
}

/** The step failed naming the refused action, the cloud's code and the permission to grant. */
function expectDenied(outcome: HandlerOutcome, action: string, code: string, permission: string): void {
  expect(outcome.exitCode).toBe(1);
  expect(outcome.stderr).toContain(`${action} failed: ${code}:`);
  expect(outcome.stderr).toContain('Grant the deploying identity');
  expect(outcome.stderr).toContain(`${permission}, which ${action} needs`);
  expect(outcome.stderr).not.toMatch(/PRIVATE KEY|MII[A-Za-z0-9+/]{20}/);
}

/** How many times `action` reached the cloud: a refusal for lack of permission is never sent again. */
function sent(cloud: CloudName, action: string): number {
  return bed.emulator.requests(cloud).filter((entry) => entry.action === action).length;
}

function expectNothingLeft(cloud: SecretStoreCloud, testCase: Case): void {
  expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
  expect(bed.emulator.listSecrets(cloud)).toEqual([]);
  expect(existsSync(testCase.file)).toBe(false);
}

describe.each(STORES)('%s: a permission missing at a secret call', (store, cloud, code, prefix) => {
  test('DescribeSecret denied: the create fails before any key pair call, touching nothing', async () => {
    // GIVEN
    const testCase = newCase(cloud, store);
    bed.emulator.injectFault({ cloud, action: 'DescribeSecret', kind: 'denied' });

    // WHEN
    const outcome = await testCase.deployment.create(testCase.triggers);

    // THEN
    expectDenied(outcome, 'DescribeSecret', code, `${prefix}:DescribeSecret`);
    const journal = actionsSince(bed.emulator, 0);
    expect(journal.filter((action) => MAKE_ACTIONS.includes(action) || /KeyPair/.test(action))).toEqual([]);
    expect(sent(cloud, 'DescribeSecret')).toBe(1);
    expect(journal).not.toContain('CreateSecret');
    expectNothingLeft(cloud, testCase);
  });

  test('CreateSecret denied after the pair was made: the step fails naming it, and the pair is deleted again', async () => {
    // GIVEN
    const testCase = newCase(cloud, store);
    bed.emulator.injectFault({ cloud, action: 'CreateSecret', kind: 'denied' });

    // WHEN
    const outcome = await testCase.deployment.create(testCase.triggers);

    // THEN
    expectDenied(outcome, 'CreateSecret', code, `${prefix}:CreateSecret`);
    const journal = actionsSince(bed.emulator, 0);
    expect(journal.indexOf('CreateKeyPair')).toBeGreaterThanOrEqual(0);
    expect(journal.indexOf('CreateKeyPair')).toBeLessThan(journal.indexOf('CreateSecret'));
    expect(journal.slice(journal.indexOf('CreateSecret'))).toContain('DeleteKeyPairs');
    expect(sent(cloud, 'CreateSecret')).toBe(1);
    expectNothingLeft(cloud, testCase);
  });

  test('DeleteSecret denied at delete: the step fails naming it; run again once granted, it leaves nothing', async () => {
    // GIVEN a pair with its key in the store
    const testCase = newCase(cloud, store);
    expectSuccess(await testCase.deployment.create(testCase.triggers));
    bed.emulator.injectFault({ cloud, action: 'DeleteSecret', kind: 'denied' });

    // WHEN
    const since = bed.emulator.requests(cloud).length;
    const refused = await testCase.deployment.delete(testCase.triggers);

    // THEN the pair went first; the secret stays, and the refusal was not resent
    expectDenied(refused, 'DeleteSecret', code, `${prefix}:DeleteSecret`);
    expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(bed.emulator.listSecrets(cloud).map((secret) => secret.name)).toEqual([testCase.secretName]);
    expect(actionsSince(bed.emulator, since, cloud).filter((action) => action === 'DeleteSecret')).toEqual(['DeleteSecret']);

    // WHEN the permission is granted (no fault left) and the delete runs again
    bed.emulator.clearFaults();
    const again = await testCase.deployment.delete(testCase.triggers);

    // THEN
    expectSuccess(again);
    expectNothingLeft(cloud, testCase);
  });
});

describe.each(CLOUDS)('%s: a permission missing at the key pair create', (cloud) => {
  test('CreateKeyPair denied: the create fails naming the permission, and nothing is made', async () => {
    // GIVEN
    const { action, code, permission } = KEY_PAIR_CREATE[cloud];
    const testCase = newCase(cloud);
    bed.emulator.injectFault({ cloud, action, kind: 'denied' });

    // WHEN
    const outcome = await testCase.deployment.create(testCase.triggers);

    // THEN
    expectDenied(outcome, action, code, permission);
    expect(sent(cloud, action)).toBe(1);
    expect(bed.emulator.listKeyPairs(cloud)).toEqual([]);
    expect(existsSync(testCase.file)).toBe(false);
  });
});
