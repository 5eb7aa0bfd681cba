/**
 * A few bad inputs of the catalogue end to end, through real `terraform` and the bundled handler: values
 * that were Terraform variables at synth and turn out invalid at apply (`-var`), a file already at the
 * private key path, an endpoint where nothing listens, and missing credentials at apply and at plan. Each
 * stops its key pair's create step with its rule and makes no cloud call it did not need.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformVariable, Token } from 'cdktf';
import { BAD_KEYS, SOMEONE_ELSES_FILE, TERRAFORM_CASES, TerraformCase } from './catalogue';
import { AlicloudKeyPair, KeyPairBase, KeySource, TencentcloudKeyPair, UcloudKeyPair } from '../../src';
import type { CloudName } from '../../src/contract';
import { CLOUDS, Deployment, EndToEnd, oneLine, REGIONS } from '../e2e/helpers';
import { endpointWhereNothingListens } from '../support/loopback-server';
import type { TerraformRunResult } from '../support/terraform';
import { errorAbout, terraformErrors } from '../support/terraform-diagnostics';

jest.setTimeout(240_000);

const carrierAddress = (keyPair: KeyPairBase) => `${keyPair.carrier.terraformResourceType}.${keyPair.carrier.friendlyUniqueId}`;
/** The stack's plan-time read, which reads every pair: its one error names each pair that failed. */
const readerAddress = (_keyPair: KeyPairBase) => 'data.external.cdktf_keypair_read';
const casesOf = (category: TerraformCase['category'][]) => TERRAFORM_CASES.filter((testCase) => category.includes(testCase.category));
const title = (cases: readonly TerraformCase[]) => cases.map((testCase) => [`${testCase.category}: ${testCase.title}`, testCase] as const);

let e2e: EndToEnd;
beforeAll(async () => {
  e2e = await EndToEnd.start();
});
afterAll(async () => {
  await e2e?.stop();
});

describe('terraform apply with bad -var values, a taken key path and an unreachable endpoint', () => {
  const cases = casesOf(['token value', 'private key file', 'endpoint']);
  /** Each case's apply: the bad values stop the stack's read, as does the unreachable endpoint; the taken path stops its create step. */
  const applies: Record<string, TerraformRunResult> = {};
  const deployments: Record<string, Deployment> = {};
  let keyPairs: Record<string, KeyPairBase>;
  let requestsOf: Record<string, string[]>;

  beforeAll(async () => {
    // GIVEN three stacks: names, region, public key and tags from variables; an endpoint where nothing
    // listens; a key path that is taken
    const closedEndpoint = await endpointWhereNothingListens();
    const [vars, unreachable, taken] = [await e2e.deployment('bad_vars'), await e2e.deployment('unreachable'), await e2e.deployment('taken')];
    Object.assign(deployments, { vars, unreachable, taken });
    keyPairs = {
      ...vars.synthStack((stack) => {
        const name = new TerraformVariable(stack, 'ali_name', { type: 'string' });
        const region = new TerraformVariable(stack, 'tencent_region', { type: 'string' });
        const publicKey = new TerraformVariable(stack, 'ucloud_public_key', { type: 'string' });
        const tags = new TerraformVariable(stack, 'tencent_tags', { type: 'map(string)' });
        return {
          name_var: new AlicloudKeyPair(stack, 'name_var', { region: REGIONS.alicloud, keyPairName: name.stringValue, privateKeyFile: vars.privateKeyFile('name_var') }),
          region_var: new TencentcloudKeyPair(stack, 'region_var', { region: region.stringValue, keyPairName: 'region_var', privateKeyFile: vars.privateKeyFile('region_var') }),
          key_var: new UcloudKeyPair(stack, 'key_var', { region: REGIONS.ucloud, keyPairName: 'key_var', keySource: KeySource.importPublicKey(publicKey.stringValue) }),
          tags_var: new TencentcloudKeyPair(stack, 'tags_var', {
            region: REGIONS.tencentcloud, keyPairName: 'tags_var', privateKeyFile: vars.privateKeyFile('tags_var'), tags: Token.asStringMap(tags.value),
          }),
        };
      }),
      ...unreachable.synthStack((stack) => ({
        unreachable: new UcloudKeyPair(stack, 'unreachable', {
          region: REGIONS.ucloud, keyPairName: 'unreachable', privateKeyFile: unreachable.privateKeyFile('unreachable'), endpoint: closedEndpoint,
        }),
      })),
      ...taken.synthStack((stack) => ({
        taken: new AlicloudKeyPair(stack, 'taken', { region: REGIONS.alicloud, keyPairName: 'taken_key', privateKeyFile: taken.privateKeyFile('taken') }),
      })),
    };
    for (const deployment of [vars, unreachable, taken]) await deployment.init();
    fs.mkdirSync(path.dirname(taken.privateKeyFile('taken')), { recursive: true });
    fs.writeFileSync(taken.privateKeyFile('taken'), SOMEONE_ELSES_FILE);

    // WHEN each stack is applied, the first with values the constructs could not see at synth
    requestsOf = {};
    const run = async (key: string, args: string[]) => {
      e2e.emulator.reset();
      // The unreachable endpoint is tried twice, not six times.
      applies[key] = await deployments[key].run(['apply', '-auto-approve', ...args], { env: { CDKTF_KEYPAIR_MAX_ATTEMPTS: '2' } });
      requestsOf[key] = e2e.emulator.requests().map((request) => `${request.cloud} ${request.action}`);
    };
    await run('vars', [
      '-var', 'ali_name=9lives',
      '-var', 'tencent_region=AP-Guangzhou',
      '-var', `ucloud_public_key=${BAD_KEYS.ed25519().trim()}`,
      '-var', 'tencent_tags={"tencent:team"="infra"}',
    ]);
    await run('unreachable', []);
    await run('taken', []);
  });

  /** Where a case fails: bad values and the endpoint in the stack's read (before any step), the taken path in its create step. */
  const failureOf = (testCase: TerraformCase) =>
    testCase.category === 'private key file'
      ? errorAbout(applies.taken.stderr, carrierAddress(keyPairs[testCase.id]))
      : errorAbout(applies[testCase.category === 'endpoint' ? 'unreachable' : 'vars'].stderr, readerAddress(keyPairs[testCase.id]));

  test.each(title(cases))('%s', (_title, testCase) => {
    expect(failureOf(testCase)).toMatch(testCase.message);
  });

  test('each apply fails with one error; the bad values are all reported at once, before any cloud call', () => {
    for (const key of ['vars', 'unreachable', 'taken']) {
      expect({ key, exitCode: applies[key].exitCode, errors: terraformErrors(applies[key].stderr).length }).toEqual({ key, exitCode: 1, errors: 1 });
    }
    expect(requestsOf.vars).toEqual([]);
    expect(requestsOf.unreachable).toEqual([]);
    // The read describes the name; the create step describes it again to tell whether a pair of ours holds
    // the key in that file (it would be adopted): not so here.
    expect(requestsOf.taken).toEqual(['alicloud DescribeKeyPairs', 'alicloud DescribeKeyPairs']);
    expect(CLOUDS.flatMap((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual([]);
  });

  test('the taken file is untouched, and no other key file was written', () => {
    expect(fs.readFileSync(deployments.taken.privateKeyFile('taken'), 'utf8')).toBe(SOMEONE_ELSES_FILE);
    for (const id of ['name_var', 'region_var', 'tags_var']) expect(fs.existsSync(deployments.vars.privateKeyFile(id))).toBe(false);
    expect(fs.existsSync(deployments.unreachable.privateKeyFile('unreachable'))).toBe(false);
  });
});

describe('terraform apply and plan without a cloud secret', () => {
  const cases = casesOf(['credentials']);
  /** Each cloud keeps its access key id and loses its secret (an empty variable counts as unset). */
  const WITHOUT_SECRETS = { ALICLOUD_SECRET_KEY: '', TENCENTCLOUD_SECRET_KEY: '', UCLOUD_PRIVATE_KEY: '' };
  let deployment: Deployment;
  let keyPairs: Record<string, KeyPairBase>;
  let failedApply: TerraformRunResult;
  let apply: TerraformRunResult;
  let failedPlan: TerraformRunResult;
  let failedApplyRequests: number;
  let keyFilesAfterFailedApply: boolean[];
  let keyFileModes: Array<number | undefined>;
  let requestsAfterApply: number;
  let failedPlanRequests: number;

  beforeAll(async () => {
    // GIVEN a cloud-generated key pair on each cloud
    deployment = await e2e.deployment('no_secrets');
    keyPairs = deployment.synthStack((stack) => {
      const made: Record<string, KeyPairBase> = {};
      for (const testCase of cases) {
        const props = { region: REGIONS[testCase.cloud], keyPairName: testCase.id, privateKeyFile: deployment.privateKeyFile(testCase.id) };
        const constructs: Record<CloudName, () => KeyPairBase> = {
          alicloud: () => new AlicloudKeyPair(stack, testCase.id, props),
          tencentcloud: () => new TencentcloudKeyPair(stack, testCase.id, props),
          ucloud: () => new UcloudKeyPair(stack, testCase.id, props),
        };
        made[testCase.id] = constructs[testCase.cloud]();
      }
      return made;
    });
    await deployment.init();
    e2e.emulator.reset();

    // WHEN it is applied without the secrets, then with them, then planned without them
    failedApply = await deployment.run(['apply', '-auto-approve'], { env: WITHOUT_SECRETS });
    failedApplyRequests = e2e.emulator.requests().length;
    keyFilesAfterFailedApply = cases.map((testCase) => fs.existsSync(deployment.privateKeyFile(testCase.id)));
    apply = await deployment.run(['apply', '-auto-approve']);
    keyFileModes = cases.map((testCase) => deployment.readPrivateKey(testCase.id)?.mode); // remembered for the secret scan too
    requestsAfterApply = e2e.emulator.requests().length;
    failedPlan = await deployment.run(['plan'], { env: WITHOUT_SECRETS });
    failedPlanRequests = e2e.emulator.requests().length - requestsAfterApply;
  });
  afterAll(async () => {
    await deployment?.run(['destroy', '-auto-approve']);
  });

  test.each(title(cases))('%s', (_title, testCase) => {
    // THEN the stack's read, at apply and later at plan time, names the variables to set
    expect(errorAbout(failedApply.stderr, readerAddress(keyPairs[testCase.id]))).toMatch(testCase.message);
    expect(errorAbout(failedPlan.stderr, readerAddress(keyPairs[testCase.id]))).toMatch(testCase.message);
  });

  test('no cloud call and no key file without the secrets; with them the same stack applies', () => {
    expect(failedApply.exitCode).toBe(1);
    expect(terraformErrors(failedApply.stderr)).toHaveLength(1); // the stack's read, naming each pair
    expect(failedApplyRequests).toBe(0);
    expect(keyFilesAfterFailedApply).toEqual(cases.map(() => false));
    // Nothing was made: the next apply creates each pair once.
    expect({ exitCode: apply.exitCode, stderr: oneLine(apply.stderr) }).toEqual({ exitCode: 0, stderr: '' });
    expect(CLOUDS.map((cloud) => e2e.emulator.listKeyPairs(cloud).map((keyPair) => keyPair.name))).toEqual(cases.map((testCase) => [testCase.id]));
    expect(keyFileModes).toEqual(cases.map(() => 0o600));
  });

  test('the plan without the secrets fails in the read, before any cloud call', () => {
    expect(failedPlan.exitCode).toBe(1);
    // the stack's read (with no change pending, the read after the carriers may run at plan too, and fail alike)
    const blocks = terraformErrors(failedPlan.stderr);
    expect(blocks.filter((block) => block.includes('with data.external.cdktf_keypair_read,'))).toHaveLength(1);
    expect(blocks.filter((block) => !block.includes('with data.external.cdktf_keypair_read'))).toEqual([]);
    expect(failedPlanRequests).toBe(0);
  });
});

describe('secret hygiene of the bad-input runs', () => {
  test('no synthesized file, state, plan or terraform output holds a secret or private key', () => {
    expect(e2e.secretFindings()).toEqual([]);
  });
});
