/**
 * The example app: a key pair per cloud and per key source. `cdktf deploy` in this directory deploys it
 * (`npx projen demo` does so against the local emulator, see demo.ts); `cdktf destroy` removes it.
 *
 * Private keys go to examples/basic/keys/*.pem (mode 0600, gitignored). The constructs resolve a relative
 * privateKeyFile against the directory synth runs in, so this app builds its paths from its own directory:
 * it synthesizes the same stack from any working directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AlicloudKeyPair, KeyAlgorithm, KeyPairBase, KeySource, TencentcloudKeyPair, UcloudKeyPair } from '../../src';

/** The directory the private keys go to, and the imported public key comes from. */
export const KEYS_DIRECTORY = path.join(__dirname, 'keys');

/** What may differ between deploys of the example. */
export interface BasicStackProps {
  /**
   * The `replacementKey` of the Tencent Cloud key pair: change it (a date, a counter) and `cdktf deploy`
   * rotates that key. main.ts takes it from EXAMPLE_CI_KEY_GENERATION, so the demo can rotate the key
   * without editing this file; in your own app, write the value in code.
   */
  readonly ciKeyGeneration?: string;
}

export class BasicStack extends TerraformStack {
  /** Every key pair of the stack, by construct id. */
  readonly keyPairs: Readonly<Record<string, KeyPairBase>>;

  constructor(scope: Construct, id: string, props: BasicStackProps = {}) {
    super(scope, id);
    // State beside the synthesized stack, by a relative path: the output deploys from any checkout.
    new LocalBackend(this, { path: 'terraform.basic.tfstate' });

    // Alibaba Cloud generates the key pair; the private key it returns once is written to keys/.
    const bastion = new AlicloudKeyPair(this, 'alicloud_bastion', {
      region: 'cn-hangzhou',
      keyPairName: 'example-bastion',
      privateKeyFile: path.join(KEYS_DIRECTORY, 'alicloud-bastion.pem'),
      tags: { team: 'infra', purpose: 'cdktf-keypair-example' },
    });

    // Alibaba Cloud imports a public key made with ssh-keygen (its private half is not in this repository).
    const imported = new AlicloudKeyPair(this, 'alicloud_imported', {
      region: 'cn-hangzhou',
      keyPairName: 'example-imported',
      keySource: KeySource.importPublicKey(fs.readFileSync(path.join(KEYS_DIRECTORY, 'imported.pub'), 'utf8')),
    });

    // Tencent Cloud generates the key pair (names: up to 25 letters, digits and underscores). Rotating it:
    // a new replacementKey (any string) replaces the pair with a new one, new private key included, on the
    // next `cdktf deploy`; unset, it changes nothing.
    const ci = new TencentcloudKeyPair(this, 'tencentcloud_ci', {
      region: 'ap-guangzhou',
      keyPairName: 'example_ci',
      privateKeyFile: path.join(KEYS_DIRECTORY, 'tencentcloud-ci.pem'),
      replacementKey: props.ciKeyGeneration,
    });

    // UCloud: an RSA key generated on the deploying machine, its public half imported.
    const edge = new UcloudKeyPair(this, 'ucloud_edge', {
      region: 'cn-bj2',
      projectId: 'org-example',
      keyPairName: 'example-edge',
      keySource: KeySource.generateLocally(KeyAlgorithm.RSA),
      privateKeyFile: path.join(KEYS_DIRECTORY, 'ucloud-edge.pem'),
    });

    // The constructs add `<id>_key_pair_id` and `<id>_fingerprint` (the cloud's own) outputs; add the
    // OpenSSH SHA-256 fingerprint (Tencent Cloud has no fingerprint of its own) and where the private key went.
    this.keyPairs = { alicloud_bastion: bastion, alicloud_imported: imported, tencentcloud_ci: ci, ucloud_edge: edge };
    for (const [name, keyPair] of Object.entries(this.keyPairs)) {
      new TerraformOutput(this, `${name}_fingerprint_sha256`, { value: keyPair.fingerprintSha256 });
      new TerraformOutput(this, `${name}_private_key_file`, {
        value: keyPair.privateKeyFile ?? 'none: an imported public key (its private key stays with its owner)',
        description: `Where the private key of ${name} was written`,
      });
    }
  }
}

if (require.main === module) {
  const app = new App({ outdir: path.join(__dirname, 'cdktf.out') });
  new BasicStack(app, 'basic', { ciKeyGeneration: process.env.EXAMPLE_CI_KEY_GENERATION || undefined });
  app.synth();
}
