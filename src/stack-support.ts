import * as fs from 'fs';
import * as path from 'path';
import { ExternalProvider } from '@cdktf/provider-external/lib/provider';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { App, Aspects, AssetType, IAspect, Manifest, TerraformAsset, TerraformProvider, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';

/**
 * The handler bundle shipped in this package: `assets/handler.js` beside `lib/` (compiled) and `src/`
 * (tests through jest) alike.
 */
export const HANDLER_BUNDLE_PATH = path.join(__dirname, '..', 'assets', 'handler.js');

/** Construct ids of the per-stack singletons (fixed: they name the asset's directory under cdktf.out). */
export const HANDLER_ASSET_ID = 'cdktf-keypair-handler';
const NULL_PROVIDER_ID = 'cdktf-keypair-null-provider';
const EXTERNAL_PROVIDER_ID = 'cdktf-keypair-external-provider';

/**
 * The stack's one copy of the handler bundle, as a Terraform asset: `cdktf.out/stacks/<stack>` then holds
 * it, and deploys on any machine with `node` on PATH. Its path (which carries a content hash) goes into
 * provisioner commands and the data source's program only, never into triggers: a library upgrade must
 * not replace key pairs.
 */
export function handlerAsset(construct: Construct): TerraformAsset {
  const stack = TerraformStack.of(construct);
  const existing = stack.node.tryFindChild(HANDLER_ASSET_ID);
  if (existing !== undefined) return existing as TerraformAsset;
  if (!fs.existsSync(HANDLER_BUNDLE_PATH)) {
    throw new Error(
      `cdktf-keypair: the handler bundle ${HANDLER_BUNDLE_PATH} is missing, so this package is incomplete ` +
        '(reinstall it; in a checkout of cdktf-keypair, run `npx projen bundle`)',
    );
  }
  return new TerraformAsset(stack, HANDLER_ASSET_ID, { path: HANDLER_BUNDLE_PATH, type: AssetType.FILE });
}

const handlerAssetPaths = new WeakMap<TerraformStack, string>();

/**
 * The handler asset's path in the synthesized stack directory, worked out once per stack (TerraformAsset
 * computes it, with the asset's logical id, at every read).
 */
export function handlerAssetPath(construct: Construct): string {
  const stack = TerraformStack.of(construct);
  let assetPath = handlerAssetPaths.get(stack);
  if (assetPath === undefined) {
    assetPath = handlerAsset(stack).path;
    handlerAssetPaths.set(stack, assetPath);
  }
  return assetPath;
}

/**
 * Adds the hashicorp/null and hashicorp/external providers a stack's key pairs need, unless the stack
 * declares them itself. Decided when the stack synthesizes (as an aspect), so a provider the user declares
 * after the key pair is seen too, and never doubled.
 */
class DefaultProviders implements IAspect {
  /** Whether some key pair in the stack uses a `null_resource` carrier. */
  public needsNullProvider = false;

  constructor(private readonly stack: TerraformStack) {}

  public visit(node: IConstruct): void {
    if (node !== this.stack) return;
    const providers = this.stack.node.findAll().filter(TerraformProvider.isTerraformProvider);
    const declared = new Set(providers.map((provider) => provider.terraformResourceType));
    if (this.needsNullProvider && !declared.has('null')) new NullProvider(this.stack, NULL_PROVIDER_ID);
    if (!declared.has('external')) new ExternalProvider(this.stack, EXTERNAL_PROVIDER_ID);
  }
}

const defaultProviders = new WeakMap<TerraformStack, DefaultProviders>();

/** Makes sure the construct's stack gets the providers its key pairs need (once per stack). */
export function requireProviders(construct: Construct, options: { readonly nullProvider: boolean }): void {
  const stack = TerraformStack.of(construct);
  let aspect = defaultProviders.get(stack);
  if (aspect === undefined) {
    aspect = new DefaultProviders(stack);
    defaultProviders.set(stack, aspect);
    Aspects.of(stack).add(aspect);
  }
  aspect.needsNullProvider ||= options.nullProvider;
}

/**
 * The directory `cdktf deploy` runs Terraform in for the construct's stack, as a cdktf user finds it:
 * `cdktf.out/stacks/<stack>` relative to the directory synth runs in (the app's), else the absolute path.
 */
export function cdktfStackDirectory(construct: Construct): string {
  const stack = TerraformStack.of(construct);
  let outdir = 'cdktf.out';
  try {
    outdir = App.of(stack).outdir;
  } catch {
    // A stack outside an App: cdktf's default output directory.
  }
  const directory = path.resolve(outdir, Manifest.stacksFolder, stack.node.id);
  const relative = path.relative(process.cwd(), directory);
  return relative.startsWith('..') || path.isAbsolute(relative) ? directory : relative.split(path.sep).join('/');
}
