/**
 * The starter app: a cdktf stack that ships the cdktf-keypair handler as a Terraform asset and runs it
 * from a provisioner, the way the key pair constructs will. `npx projen demo` synthesizes it into
 * examples/basic/cdktf.out/.
 */
import * as path from 'node:path';
import { ExternalProvider } from '@cdktf/provider-external/lib/provider';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { Resource } from '@cdktf/provider-null/lib/resource';
import { App, AssetType, LocalBackend, TerraformAsset, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handler.js');

export class BasicStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // State beside the synthesized stack, by a relative path: the output deploys from any checkout.
    new LocalBackend(this, { path: 'terraform.basic.tfstate' });
    new NullProvider(this, 'null');
    new ExternalProvider(this, 'external');

    // The handler's hash stays out of `triggers`: a library upgrade must not replace resources.
    const handler = new TerraformAsset(this, 'handler', { path: HANDLER_BUNDLE, type: AssetType.FILE });
    const check = new Resource(this, 'handler-check', {
      provisioners: [{ type: 'local-exec', command: `node ${handler.path} --help` }],
    });
    new TerraformOutput(this, 'handler-check-id', { value: check.id });
  }
}

if (require.main === module) {
  const app = new App({ outdir: path.join(__dirname, 'cdktf.out') });
  new BasicStack(app, 'basic');
  app.synth();
}
