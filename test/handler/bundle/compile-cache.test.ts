import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { COMPILE_CACHE_DIRECTORY_NAME, compileCacheDirectory, enableCompileCache } from '../../../handler/bundle/compile-cache';
import { TencentcloudKeyPair } from '../../../src';
import { handlerAssetPath } from '../../../src/stack-support';

describe('the handler\'s compile cache directory', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-'));
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  test('is in the synthesized stack directory, beside cdk.tf.json, where cdktf puts the handler asset', () => {
    // GIVEN a stack with a key pair, synthesized as `cdktf synth` does
    const app = new App({ outdir: path.join(scratch, 'cdktf.out') });
    const stack = new TerraformStack(app, 'web');
    new TencentcloudKeyPair(stack, 'kp', { region: 'ap-guangzhou', keyPairName: 'web', privateKeyFile: path.join(scratch, 'web.pem') });
    app.synth();
    const stackDirectory = path.join(scratch, 'cdktf.out', 'stacks', 'web');
    const bundle = path.join(stackDirectory, handlerAssetPath(stack));
    expect(fs.existsSync(bundle)).toBe(true);
    // THEN the cache goes to the stack directory, not the asset's (each synth deletes and copies that anew)
    expect(compileCacheDirectory(bundle)).toBe(path.join(stackDirectory, COMPILE_CACHE_DIRECTORY_NAME));
  });

  test('is none anywhere else: the package\'s own copy, a copy elsewhere, an assets folder outside a stack', () => {
    const exists = (file: string) => file === path.join('/apps', 'web', 'cdk.tf.json');
    expect(compileCacheDirectory(path.join('/repo', 'assets', 'handler.js'), exists)).toBeUndefined();
    expect(compileCacheDirectory(path.join('/tmp', 'handler-bundle-x', 'handler.js'), exists)).toBeUndefined();
    expect(compileCacheDirectory(path.join('/apps', 'other', 'assets', 'h', 'ABC', 'handler.js'), exists)).toBeUndefined();
    expect(compileCacheDirectory(path.join('/apps', 'web', 'assets', 'h', 'ABC', 'handler.js'), exists)).toBe(path.join('/apps', 'web', COMPILE_CACHE_DIRECTORY_NAME));
  });

  test('is turned on only where Node offers a compile cache, and a failure to turn it on changes nothing', () => {
    const stackDirectory = path.join(scratch, 'stack');
    const bundle = path.join(stackDirectory, 'assets', 'cdktf-keypair-handler', 'ABC', 'handler.js');
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    fs.writeFileSync(path.join(stackDirectory, 'cdk.tf.json'), '{}');
    // Node 22.1 and later: enabled in the stack directory
    const enable = jest.fn();
    enableCompileCache(bundle, enable);
    expect(enable).toHaveBeenCalledWith(path.join(stackDirectory, COMPILE_CACHE_DIRECTORY_NAME));
    // Older Node: nothing to call
    expect(() => enableCompileCache(bundle, undefined)).not.toThrow();
    // A Node that throws: the handler runs on without a cache
    expect(() => enableCompileCache(bundle, () => {
      throw new Error('EACCES');
    })).not.toThrow();
  });
});
