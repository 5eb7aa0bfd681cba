/**
 * No secret in anything Terraform keeps or prints: a stack with every cloud and key source is applied,
 * planned (saved plan and its JSON), refused (a wrong access key secret) and destroyed with `TF_LOG=TRACE`,
 * and every state file, plan, log and synthesized file is searched for the emulator's access key secrets,
 * the wrong secret, `PRIVATE KEY` and every line of every private key involved (the key files written,
 * the imported keys' private halves). Every other end-to-end file scans its own runs the same way.
 */
import { allPlanned, CLOUDS, Deployment, EndToEnd, everyCloudAndSource, KeyPairSpec, plannedActions, tagsWhereTheCloudHasThem } from './helpers';

jest.setTimeout(240_000);

const TRACE = { env: { TF_LOG: 'TRACE' } };
const WRONG_SECRET = 'wrong-secret-0123456789abcdef';

describe('secrets in state, plans and logs', () => {
  const specs: KeyPairSpec[] = everyCloudAndSource((_cloud, source) => `scan_${source}`, (cloud) => tagsWhereTheCloudHasThem(cloud, { team: 'infra' }));
  let e2e: EndToEnd;
  let deployment: Deployment;

  beforeAll(async () => {
    e2e = await EndToEnd.start();
    e2e.addSecret('the wrong access key secret', WRONG_SECRET);
    deployment = await e2e.deployment();
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  test('a full lifecycle of every cloud and key source, logged at TRACE, leaks nothing', async () => {
    // GIVEN
    deployment.synth(specs);
    await deployment.init();

    // WHEN
    await deployment.apply(TRACE);
    await deployment.runOrThrow(['plan', '-out=tfplan'], TRACE);
    await deployment.runOrThrow(['show', '-json', 'tfplan']);
    await deployment.runOrThrow(['show', '-json']);
    await deployment.outputs();
    // A request the cloud refuses for its signature: the error path, with the secret that signed it.
    const refused = await deployment.run(['apply', '-auto-approve', `-replace=${deployment.address('alicloud_cloud')}`], {
      env: { TF_LOG: 'TRACE', ALICLOUD_SECRET_KEY: WRONG_SECRET },
    });
    const destroy = await deployment.destroy(TRACE);

    // THEN every command did what it should, and nothing it left or printed holds a secret
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr.includes('SignatureDoesNotMatch')).toBe(true); // (a boolean: the TRACE log is megabytes)
    // (every carrier and registry entry, the deployment identity and the tag resource)
    expect(plannedActions(destroy.stdout)).toEqual(allPlanned(deployment.stackAddresses(), 'destroy'));
    expect(destroy.stdout).toContain(`Destroy complete! Resources: ${deployment.stackAddresses().length} destroyed.`);
    expect(CLOUDS.flatMap((cloud) => e2e.emulator.listKeyPairs(cloud))).toEqual([]);
    expect(e2e.secretFindings()).toEqual([]);
    // What the scan read: TRACE logs, state files, the saved plan as JSON, the synthesized stack; and the
    // private keys it searched for (3 cloud-generated, 3 generated locally, 3 imported).
    expect(e2e.traceLogBytes()).toBeGreaterThan(100_000);
    expect(e2e.evidenceKinds()).toEqual(expect.objectContaining({ trace: expect.any(Number), state: expect.any(Number), synth: expect.any(Number) }));
    expect(e2e.privateKeyCount()).toBeGreaterThanOrEqual(9);
  });

  test('the scan finds a secret where there is one', async () => {
    // GIVEN a separate harness, holding one private key and the emulator's secrets
    const probe = await EndToEnd.start();
    try {
      const { privateKey } = probe.importKey('probe');
      const bodyLine = privateKey.split('\n')[3];

      // WHEN
      probe.record('terraform:probe:stdout', `… ${bodyLine} …`);
      probe.record('state:probe:terraform.tfstate', `{"secret":"${probe.emulator.credentials.tencentcloud[0].accessKeySecret}"}`);
      probe.record('synth:probe:cdk.tf.json', 'BEGIN OPENSSH PRIVATE KEY');

      // THEN
      expect(probe.secretFindings().sort()).toEqual([
        'a PEM private key header in synth:probe:cdk.tf.json',
        'a line of a private key in terraform:probe:stdout',
        'tencentcloud access key secret in state:probe:terraform.tfstate',
      ]);
    } finally {
      await probe.stop();
    }
  });
});
