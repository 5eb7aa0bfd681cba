/**
 * Faults at the secret stores' calls, through real `terraform`: one stack whose private keys go to Alibaba's
 * KMS (a cloud-generated key, the store its only destination) and to Tencent's SSM (a key generated locally,
 * kept in a file too). The handler's tests run every fault at every secret call through the bundled handler
 * (`test/handler/lifecycle/private-key-secret.test.ts`); here a representative share meets Terraform's own
 * steps: throttled and lost CreateSecret answers settled within the one apply, a store that never stores
 * failing the apply with nothing left behind, missing store credentials failing before the key pair is made,
 * and lost DeleteSecret and throttled DisableSecret answers at destroy. Afterwards each pair stands with its
 * key in its store (and file), or nothing is left: no pair, no secret, no file. TF_LOG=TRACE where a fault is
 * met: the suite's secret scan reads those logs for the stored keys.
 */
import * as fs from 'node:fs';
import type { FaultSpec, SecretStoreCloud } from '../../emulator';
import { PRIVATE_KEY_SECRET_VERSION_ID, type SecretStoreName } from '../../src/contract';
import { Deployment, EndToEnd, KeyPairSpec, REGIONS } from '../e2e/helpers';
import { withoutComment } from '../support/public-key-lines';
import { sshKeygenPublicKeyOf } from '../support/ssh-keygen';
import { KeyFileLog } from './support/evidence';
import { FAST_SETTLE_TUNING, saveHarnessEvidence, SUITE_KEY_BITS, TRACE, unsettledResends } from './support/suite';
import { errorAbout, terraformErrors } from '../support/terraform-diagnostics';

jest.setTimeout(240_000);

const TUNING = FAST_SETTLE_TUNING;

const STORE_CLOUD: Readonly<Record<SecretStoreName, SecretStoreCloud>> = { 'alicloud-kms': 'alicloud', 'tencentcloud-ssm': 'tencentcloud' };

const SPECS: KeyPairSpec[] = [
  { id: 'kms_pair', cloud: 'alicloud', source: 'cloud', name: 'secret_fault', privateKeyFile: false, privateKeySecret: { store: 'alicloud-kms', secretName: 'faults/kms-pair' } },
  { id: 'ssm_pair', cloud: 'tencentcloud', source: 'generate', name: 'secret_fault', privateKeySecret: { store: 'tencentcloud-ssm', secretName: 'faults-ssm-pair' } },
];

describe('faults at the secret stores\' calls through terraform', () => {
  const keyFiles = new KeyFileLog();
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start({ generatedKeyBits: SUITE_KEY_BITS });
    deployment = await e2e.deployment('secret_faults', TUNING);
    deployment.synth(SPECS);
    await deployment.init();
  });
  afterAll(async () => {
    if (e2e) saveHarnessEvidence('secret-stores-terraform.test.ts', e2e, keyFiles);
    await e2e?.stop();
  });

  const storeCloud = (spec: KeyPairSpec) => STORE_CLOUD[spec.privateKeySecret!.store];
  const storedKey = (spec: KeyPairSpec) =>
    e2e.emulator.secretValue(storeCloud(spec), REGIONS[spec.cloud], spec.privateKeySecret!.secretName, PRIVATE_KEY_SECRET_VERSION_ID);
  /** What a user finds of one pair: in the cloud, in its store, in its file. */
  const standing = (spec: KeyPairSpec): string => {
    const pairs = e2e.keyPairsNamed(spec.cloud, spec.name);
    const secrets = e2e.emulator.listSecrets(storeCloud(spec)).filter((secret) => secret.name === spec.privateKeySecret!.secretName);
    const file = spec.privateKeyFile === false ? undefined : deployment.privateKeyFile(spec.id);
    const fileThere = file !== undefined && keyFiles.record(file, `secret-stores-terraform ${spec.id}`) !== undefined;
    if (pairs.length === 0 && secrets.length === 0 && !fileThere) return 'nothing';
    if (pairs.length !== 1 || secrets.length !== 1) return `${pairs.length} key pairs, ${secrets.length} secrets, ${fileThere ? 'a' : 'no'} key file`;
    const stored = storedKey(spec);
    if (stored === undefined) return 'key pair and a secret without our version';
    e2e.rememberPrivateKey(stored);
    const storedFile = `${deployment.workspace.rootDirectory}/${spec.id}.stored.pem`;
    fs.writeFileSync(storedFile, stored, { mode: 0o600 });
    const derived = sshKeygenPublicKeyOf(storedFile);
    fs.rmSync(storedFile);
    if (derived !== withoutComment(pairs[0].publicKey)) return 'key pair whose secret holds another key';
    if (file !== undefined && (!fileThere || fs.readFileSync(file, 'utf8').trim() !== stored.trim())) return 'key pair whose file is missing or holds another key';
    return 'key pair with its key in its store';
  };
  const standings = () => Object.fromEntries(SPECS.map((spec) => [spec.id, standing(spec)]));
  const inject = (faults: ReadonlyArray<FaultSpec>) => faults.forEach((fault) => e2e.emulator.injectFault(fault));
  const secretRequests = (cloud: SecretStoreCloud, action: string) => e2e.emulator.requests(cloud).filter((entry) => entry.action === action);

  test('a store that never stores: the apply fails naming each secret, and leaves no pair, no secret, no file', async () => {
    // GIVEN every CreateSecret answered with an internal error before the store acts
    inject(SPECS.map((spec) => ({ cloud: storeCloud(spec), action: 'CreateSecret', kind: 'server-error', count: 1_000 })));

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN
    e2e.emulator.clearFaults();
    expect(apply.exitCode).toBe(1);
    for (const spec of SPECS) {
      expect(errorAbout(apply.stderr, deployment.address(spec.id))).toMatch(
        new RegExp(`the private key could not be stored in the secret "${spec.privateKeySecret!.secretName}" in .*: \\d+ calls in a row were lost`),
      );
    }
    expect(standings()).toEqual({ kms_pair: 'nothing', ssm_pair: 'nothing' });
  });

  test('each CreateSecret throttled twice, then its answer lost after the store stored it: settled within the one apply', async () => {
    // GIVEN
    inject([
      { cloud: 'alicloud', action: 'CreateSecret', kind: 'throttle', count: 2 },
      { cloud: 'tencentcloud', action: 'CreateSecret', kind: 'throttle', count: 2 },
      { cloud: 'alicloud', action: 'CreateSecret', kind: 'drop-connection', afterAction: true },
      { cloud: 'tencentcloud', action: 'CreateSecret', kind: 'server-error', afterAction: true },
    ]);
    const createsBefore = { alicloud: secretRequests('alicloud', 'CreateSecret').length, tencentcloud: secretRequests('tencentcloud', 'CreateSecret').length };

    // WHEN
    const apply = await deployment.run(['apply', '-auto-approve'], TRACE);

    // THEN the lost answers were settled by describing and reading the version back: no resend stored twice
    expect({ exitCode: apply.exitCode, errors: terraformErrors(apply.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(apply.stdout.match(/may or may not have stored it .*; looking it up/g)).toHaveLength(SPECS.length);
    expect({
      alicloud: secretRequests('alicloud', 'CreateSecret').length - createsBefore.alicloud,
      tencentcloud: secretRequests('tencentcloud', 'CreateSecret').length - createsBefore.tencentcloud,
    }).toEqual({ alicloud: 3, tencentcloud: 3 }); // two throttled, the one whose answer was lost
    expect(SPECS.map((spec) => unsettledResends(e2e.emulator.requests(spec.cloud), spec.cloud, spec.name))).toEqual([[], []]);
    expect(standings()).toEqual({ kms_pair: 'key pair with its key in its store', ssm_pair: 'key pair with its key in its store' });
    expect((await deployment.run(['plan', '-detailed-exitcode'])).exitCode).toBe(0);
  });

  test('destroy with the DeleteSecret answer lost after the store deleted, and DisableSecret throttled: nothing left', async () => {
    // GIVEN
    inject([
      { cloud: 'alicloud', action: 'DeleteSecret', kind: 'drop-connection', afterAction: true },
      { cloud: 'tencentcloud', action: 'DisableSecret', kind: 'throttle', count: 2 },
      { cloud: 'tencentcloud', action: 'DeleteSecret', kind: 'server-error', afterAction: true },
    ]);

    // WHEN
    const destroy = await deployment.run(['destroy', '-auto-approve'], TRACE);

    // THEN
    expect({ exitCode: destroy.exitCode, errors: terraformErrors(destroy.stderr) }).toEqual({ exitCode: 0, errors: [] });
    expect(e2e.emulator.pendingFaults()).toEqual([]);
    expect(standings()).toEqual({ kms_pair: 'nothing', ssm_pair: 'nothing' });
  });

  test('the store\'s credentials missing: the apply fails naming the variables before any key pair is made', async () => {
    // GIVEN a UCloud pair whose key goes to Alibaba's KMS, and no Alibaba access key secret on the runner
    const ucloud: KeyPairSpec = {
      id: 'ucloud_pair',
      cloud: 'ucloud',
      source: 'cloud',
      name: 'secret_fault',
      privateKeyFile: false,
      privateKeySecret: { store: 'alicloud-kms', secretName: 'faults/ucloud-pair', region: REGIONS.alicloud },
    };
    const lone = await e2e.deployment('secret_credentials', TUNING);
    lone.synth([ucloud]);
    await lone.init();
    const ucloudRequestsBefore = e2e.emulator.requests('ucloud').length;

    // WHEN
    const apply = await lone.run(['apply', '-auto-approve'], { env: { ...TRACE.env, ALICLOUD_SECRET_KEY: '' } });

    // THEN
    expect(apply.exitCode).toBe(1);
    expect(terraformErrors(apply.stderr).join('\n')).toMatch(/no AccessKey secret found\. Set one of ALICLOUD_SECRET_KEY/);
    expect(e2e.emulator.requests('ucloud').slice(ucloudRequestsBefore).map((entry) => entry.action)).not.toContain('CreateUHostKeyPair');
    expect(e2e.emulator.listKeyPairs('ucloud')).toEqual([]);
    expect(e2e.emulator.listSecrets('alicloud')).toEqual([]);
  });
});
