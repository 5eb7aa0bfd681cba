import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { DEFAULT_EMULATOR_CREDENTIALS } from '../../emulator';
import { BasicStack, KEYS_DIRECTORY } from '../../examples/basic/main';

const REPO_ROOT = path.join(__dirname, '..', '..');

describe('the example app', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-synth-'));
  });
  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('synthesizes a key pair per cloud and key source, private keys under its own keys/ directory, and no secret', () => {
    // GIVEN the example synthesized from a working directory other than its own
    const app = new App({ outdir });
    new BasicStack(app, 'basic');
    app.synth();
    const text = fs.readFileSync(path.join(outdir, 'stacks', 'basic', 'cdk.tf.json'), 'utf8');
    const synthesized = JSON.parse(text);

    // THEN four carriers, each with its presence and result, and the stack's two reads of all of them
    expect(Object.keys(synthesized.resource.null_resource)).toHaveLength(4);
    expect(Object.keys(synthesized.data.external)).toEqual(['cdktf_keypair_read', 'cdktf_keypair_read_after_apply']);
    // and the stack's deployment: its identity, a registry entry per key pair (keyed by construct path), and
    // the tag resource (Alibaba and Tencent pairs carry tags)
    const perPair = Object.keys(synthesized.resource.terraform_data).filter((name) => !name.startsWith('cdktf_keypair_'));
    expect(perPair.filter((name) => /_presence_[0-9A-F]+$/.test(name))).toHaveLength(4);
    expect(perPair.filter((name) => /_result_[0-9A-F]+$/.test(name))).toHaveLength(4);
    expect(perPair).toHaveLength(8);
    expect(Object.keys(synthesized.resource.terraform_data).filter((name) => name.startsWith('cdktf_keypair_')).sort())
      .toEqual(['cdktf_keypair_identity', 'cdktf_keypair_registry', 'cdktf_keypair_tags']);
    expect(Object.keys(synthesized.resource.terraform_data.cdktf_keypair_registry.for_each).sort())
      .toEqual(['alicloud_bastion', 'alicloud_imported', 'tencentcloud_ci', 'ucloud_edge']);
    expect(Object.keys(synthesized.resource.terraform_data.cdktf_keypair_tags.triggers_replace).sort())
      .toEqual(['alicloud_bastion', 'alicloud_imported', 'tencentcloud_ci']);
    expect(JSON.parse(synthesized.resource.terraform_data.cdktf_keypair_tags.triggers_replace.alicloud_bastion.tags))
      .toEqual({ team: 'infra', purpose: 'cdktf-keypair-example' });
    // and outputs for every key pair: KeyPairId, fingerprints, where the private key went
    for (const id of ['alicloud_bastion', 'alicloud_imported', 'tencentcloud_ci', 'ucloud_edge']) {
      for (const output of ['key_pair_id', 'fingerprint', 'fingerprint_sha256', 'private_key_file']) {
        expect(synthesized.output).toHaveProperty(`${id}_${output}`);
      }
    }
    // private key paths are resolved against the example's directory, not the directory synth runs in
    expect(synthesized.output.alicloud_bastion_private_key_file.value).toBe(path.join(KEYS_DIRECTORY, 'alicloud-bastion.pem'));
    expect(synthesized.output.ucloud_edge_private_key_file.value).toBe(path.join(KEYS_DIRECTORY, 'ucloud-edge.pem'));
    // the imported public key is committed; no private key, access key or secret is in the output
    expect(text).toContain(fs.readFileSync(path.join(KEYS_DIRECTORY, 'imported.pub'), 'utf8').split(' ')[1]);
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const credential of Object.values(DEFAULT_EMULATOR_CREDENTIALS)) {
      expect(text).not.toContain(credential.accessKeyId);
      expect(text).not.toContain(credential.accessKeySecret);
    }
  });

  test('rotating a key is a replacementKey on that pair: one trigger more there, nothing else changes', () => {
    // GIVEN the example synthesized without, then with, a key generation for tencentcloud_ci
    const synthesize = (ciKeyGeneration?: string) => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(outdir, 'rotation-')) });
      new BasicStack(app, 'basic', { ciKeyGeneration });
      app.synth();
      return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'basic', 'cdk.tf.json'), 'utf8'));
    };
    const before = synthesize();
    const after = synthesize('2');
    const carrierOf = (synthesized: any, id: string) =>
      Object.entries(synthesized.resource.null_resource).find(([name]) => name.startsWith(`${id}_carrier`))![1] as { triggers: Record<string, string> };
    // THEN only the rotated pair's triggers differ, by replacement_key
    expect(carrierOf(after, 'tencentcloud_ci').triggers).toEqual({ ...carrierOf(before, 'tencentcloud_ci').triggers, replacement_key: '2' });
    for (const id of ['alicloud_bastion', 'alicloud_imported', 'ucloud_edge']) expect(carrierOf(after, id).triggers).toEqual(carrierOf(before, id).triggers);
  });

  test('deploys and destroys through cdktf deploy / cdktf destroy against the emulator (the demo)', async () => {
    // WHEN the demo runs, as `npx projen demo` runs it after building the bundle and the provider stand-ins
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('npx', ['ts-node', '--project', 'tsconfig.dev.json', 'examples/basic/demo.ts'], {
        cwd: REPO_ROOT,
        // ts-node only transpiles, here and in the app's three cdktf runs (they inherit the environment):
        // `npx projen typecheck` has already type-checked examples/, and each type-check costs seconds.
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      child.on('close', (code) => resolve({ code, output }));
    });

    // THEN it passes, with every check printed
    expect(result.output).toContain('demo: PASSED');
    expect(result.code).toBe(0);
    for (const id of ['alicloud_bastion', 'tencentcloud_ci', 'ucloud_edge']) {
      expect(result.output).toContain(`ok   ${id}: ssh-keygen -y -f <file> matches the cloud's public key`);
      expect(result.output).toContain(`ok   ${id}: the private key file has mode 0600`);
    }
    expect(result.output).toContain('ok   alicloud_bastion: the cloud holds its declared tags');
    expect(result.output).toMatch(/tencentcloud_ci \(tencentcloud\): KeyPairId skey-[0-9a-z]{8}/);
    expect(result.output).toMatch(/ucloud_edge \(ucloud\): KeyPairId uhostkp-/);
    // and a key rotated from code: a new replacementKey on tencentcloud_ci, then cdktf deploy, replaced that
    // pair alone (a new id and private key, the old pair gone from the cloud), and left every other pair as it was
    expect(result.output).toMatch(/ok {3}tencentcloud_ci: cdktf deploy replaced the key pair: KeyPairId (skey-[0-9a-z]{8}) -> (?!\1)skey-[0-9a-z]{8}/);
    expect(result.output).toContain('ok   tencentcloud_ci: the old key pair is gone from the cloud; the new one has its name');
    expect(result.output).toContain('ok   tencentcloud_ci: its private key file holds a new key');
    for (const id of ['alicloud_bastion', 'alicloud_imported', 'ucloud_edge']) {
      expect(result.output).toContain(`ok   ${id}: untouched by the rotation (the cloud's record and the key file)`);
    }
    for (const cloud of ['alicloud', 'tencentcloud', 'ucloud']) expect(result.output).toContain(`ok   the ${cloud} emulator holds no key pair`);
    expect(result.output).toContain('demo: emulator stopped');
    // and prints neither private keys nor the emulator's secrets
    expect(result.output).not.toMatch(/PRIVATE KEY/);
    for (const credential of Object.values(DEFAULT_EMULATOR_CREDENTIALS)) expect(result.output).not.toContain(credential.accessKeySecret);
    expect(fs.readdirSync(KEYS_DIRECTORY).filter((file) => file.endsWith('.pem'))).toEqual([]);
  }, 300_000);
});
