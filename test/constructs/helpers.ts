/**
 * Shared helpers for the construct tests: a fresh stack, its synthesized JSON, and the pieces of one key
 * pair in it (carrier, triggers, provisioners, read, outputs); key fixtures made on the fly.
 */
import { generateKeyPairSync, type KeyPairKeyObjectResult } from 'node:crypto';
import { Testing, TerraformResource, TerraformStack } from 'cdktf';
import * as sshpk from 'sshpk';
import type { KeyPairBase } from '../../src';
import type { PublicKeyAlgorithm } from '../../src/contract';
import { withoutComment } from '../support/public-key-lines';

Testing.setupJest();

/** A stack in a fresh test app. */
export function newStack(id = 'stack'): TerraformStack {
  return new TerraformStack(Testing.app(), id);
}

/** The stack's Terraform JSON, as `Testing.synth` writes it (keys sorted, no metadata). */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** A `local-exec` provisioner as synthesized. */
export interface LocalExec {
  readonly command: string;
  readonly environment: Record<string, string>;
  readonly when?: string;
}

/** One key pair's share of the synthesized JSON. */
export interface SynthesizedKeyPair {
  /** `null_resource` or `terraform_data`. */
  readonly carrierType: string;
  readonly carrierName: string;
  readonly carrier: any;
  /** `triggers` (null_resource) or `triggers_replace` (terraform_data). */
  readonly triggers: Record<string, string>;
  readonly create: LocalExec;
  readonly destroy: LocalExec;
  /** The pair's fields of the stack's read query (`<path>#<field>`): its triggers, base directory and declared tags. */
  readonly readFields: Record<string, string>;
  /** The stack's plan-time read and its read after the carriers (`data "external"` blocks). */
  readonly liveRead: any;
  readonly readAfterApply: any;
  /** The pair's `presence` and `result` (`terraform_data` blocks). */
  readonly presence: any;
  readonly result: any;
  readonly resultName: string;
}

/** Finds a key pair's carrier and read in the synthesized JSON by the constructs' logical ids. */
export function keyPairIn(json: any, keyPair: KeyPairBase): SynthesizedKeyPair {
  const carrierType = keyPair.carrier.terraformResourceType;
  const carrierName = keyPair.carrier.friendlyUniqueId;
  const carrier = json.resource?.[carrierType]?.[carrierName];
  if (carrier === undefined) throw new Error(`no ${carrierType}.${carrierName} in the synthesized stack`);
  const provisioners: LocalExec[] = carrier.provisioner.map((entry: any) => entry['local-exec']);
  const entry = keyPair.node.path.split('/').slice(1).join('/');
  const child = (id: string) => (keyPair.node.findChild(id) as TerraformResource).friendlyUniqueId;
  return {
    carrierType,
    carrierName,
    carrier,
    triggers: carrierType === 'terraform_data' ? carrier.triggers_replace : carrier.triggers,
    create: provisioners.find((provisioner) => provisioner.when === undefined)!,
    destroy: provisioners.find((provisioner) => provisioner.when === 'destroy')!,
    readFields: Object.fromEntries(
      Object.entries<string>(json.data.external.cdktf_keypair_read.query)
        .filter(([key]) => key.startsWith(`${entry}#`))
        .map(([key, value]) => [key.slice(entry.length + 1), value]),
    ),
    liveRead: json.data.external.cdktf_keypair_read,
    readAfterApply: json.data.external.cdktf_keypair_read_after_apply,
    presence: json.resource.terraform_data[child('presence')],
    result: json.resource.terraform_data[child('result')],
    resultName: child('result'),
  };
}

/** Builds one key pair in a fresh stack and returns its synthesized pieces, with the stack's JSON. */
export function synthKeyPair(build: (stack: TerraformStack) => KeyPairBase): SynthesizedKeyPair & { readonly json: any } {
  const stack = newStack();
  const keyPair = build(stack);
  const json = synthJson(stack);
  return { ...keyPairIn(json, keyPair), json };
}

/** The message a construct throws while it is built, or a failure when it builds fine. */
export function constructionError(build: (stack: TerraformStack) => unknown): string {
  const stack = newStack();
  try {
    build(stack);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the construct to refuse its props, but it was built');
}

/** A key pair made for a test: its OpenSSH public key line (with a comment) and its private key PEM. */
export interface TestKey {
  /** `<type> <base64> <comment>\n`, as read from a `.pub` file. */
  readonly publicKeyFile: string;
  /** `<type> <base64>`. */
  readonly canonical: string;
  readonly privateKeyPem: string;
  /** The private scalar or exponent alone (JWK `d`), in base64url, base64 and hex: what no output may hold. */
  readonly privateParts: readonly string[];
}

const keys = new Map<string, TestKey>();

const TEST_KEY_GENERATORS: Readonly<Record<PublicKeyAlgorithm, () => KeyPairKeyObjectResult>> = {
  rsa: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  dsa: () => generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }),
  ecdsa: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ed25519: () => generateKeyPairSync('ed25519'),
};

/** A fresh key of the given algorithm (made once per test file). */
export function testKey(algorithm: PublicKeyAlgorithm): TestKey {
  let key = keys.get(algorithm);
  if (key === undefined) {
    const pair = TEST_KEY_GENERATORS[algorithm]();
    const privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const canonical = withoutComment(sshpk.parseKey(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'pem').toString('ssh'));
    // (node exports no JWK for DSA keys)
    const d = algorithm === 'dsa' ? undefined : Buffer.from(String(pair.privateKey.export({ format: 'jwk' }).d), 'base64url');
    const privateParts = d === undefined ? [] : [d.toString('base64url'), d.toString('base64'), d.toString('hex')];
    key = { publicKeyFile: `${canonical} tester@workstation\n`, canonical, privateKeyPem, privateParts };
    keys.set(algorithm, key);
  }
  return key;
}

/** The address of a key pair's `result`, whose output holds what the read after its carrier saw (its tokens). */
export function resultAddressOf(keyPair: KeyPairBase): string {
  return `terraform_data.${(keyPair.node.findChild('result') as TerraformResource).friendlyUniqueId}`;
}

/** A key pair's recorded value, as its tokens and outputs reference it. */
export function recordedValue(keyPair: KeyPairBase, key: string): string {
  return `\${${resultAddressOf(keyPair)}.output.${key}}`;
}

/** A value the stack's plan-time read saw of a key pair (its entry is its path below the stack). */
export function liveValue(keyPair: KeyPairBase, key: string): string {
  return `\${jsondecode(data.external.cdktf_keypair_read.result["${keyPair.node.path.split('/').slice(1).join('/')}"]).${key}}`;
}
