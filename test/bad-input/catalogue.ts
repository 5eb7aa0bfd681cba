/**
 * The bad-input catalogue: every input a user can get wrong, with the stage that must refuse it
 * and what the refusal must say. A value written literally in the app is refused at synth, when the
 * construct is built, naming the rule; a value that is a token at synth (a Terraform variable, another
 * resource's attribute, a file read at plan time) or that only exists on the deploying machine (credentials,
 * files, endpoints) is refused by the handler before any cloud call — or, where only the cloud can know (a
 * region it does not serve), by the first call, with nothing created.
 *
 * The tables are data; `synth.test.ts`, `handler.test.ts` and `terraform.test.ts` run them (the last one a
 * few through real terraform, end to end), and `catalogue.test.ts` counts them.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TerraformStack } from 'cdktf';
import type { RunningEmulator } from '../../emulator';
import { SecretValue } from '../../handler/clouds/credentials';
import { secretStoreApiFor } from '../../handler/clouds/factory';
import {
  AlicloudKeyPair,
  AlicloudKeyPairProps,
  AlicloudPrivateKeySecretProps,
  KeyAlgorithm,
  KeySource,
  PrivateKeySecret,
  TencentcloudKeyPair,
  TencentcloudKeyPairProps,
  TencentcloudPrivateKeySecretProps,
  UcloudKeyPair,
  UcloudKeyPairProps,
} from '../../src';
import {
  HANDLER_ENV,
  KEY_SOURCES,
  NAME_RULES,
  OWNERSHIP_TAG_KEY,
  SECRET_STORE_LABELS,
  TAGS_REVISION_TAG_KEY,
  TRIGGER_KEYS,
  type CloudName,
} from '../../src/contract';
import { testKey } from '../constructs/helpers';
import { CREATE_ACTIONS, DESCRIBE_ACTION, REGIONS } from '../e2e/helpers';
import { privateKeyBodyLines } from '../support/private-key-lines';
import { sshKeygenKeyPair } from '../support/ssh-keygen';

export { CREATE_ACTIONS, REGIONS };

/** What a case is about. */
export type Category =
  | 'name'
  | 'tag'
  | 'public key'
  | 'private key file'
  | 'private key secret'
  | 'credentials'
  | 'region'
  | 'endpoint'
  | 'scope'
  | 'token value'
  | 'other';

/** Where a bad input is stopped. */
export type Stage =
  /** `new XxxKeyPair(...)` throws: the value is literal. */
  | 'synth'
  /** The handler refuses it before any cloud call (through runHandler, or its bundled CLI). */
  | 'deploy'
  /** Through real terraform: `terraform apply` fails in the create step, before any cloud call that was not needed. */
  | 'terraform';

interface CaseBase {
  readonly title: string;
  readonly category: Category;
  /** The refusal: it names the rule that was broken (or the variables to set, or the endpoint). */
  readonly message: RegExp;
}

// ---------------------------------------------------------------------------------------------------------
// Synth: literal values, refused when the construct is built.
// ---------------------------------------------------------------------------------------------------------

export interface SynthCase extends CaseBase {
  readonly stage: 'synth';
  /** Builds the construct with the bad value; it must throw. */
  readonly build: (stack: TerraformStack) => unknown;
  /** The same construct with the value just inside the rule, which must build: proves the boundary. */
  readonly counterpart?: (stack: TerraformStack) => unknown;
  /** Texts the message must not quote (a pasted private key). */
  readonly mustNotQuote?: () => readonly string[];
}

const ALI: AlicloudKeyPairProps = { region: REGIONS.alicloud, keyPairName: 'bad_input', privateKeyFile: '/keys/bad.pem' };
const TENCENT: TencentcloudKeyPairProps = { region: REGIONS.tencentcloud, keyPairName: 'bad_input', privateKeyFile: '/keys/bad.pem' };
const UC: UcloudKeyPairProps = { region: REGIONS.ucloud, keyPairName: 'bad_input', privateKeyFile: '/keys/bad.pem' };

const alicloud = (props: Partial<AlicloudKeyPairProps>) => (stack: TerraformStack) => new AlicloudKeyPair(stack, 'kp', { ...ALI, ...props });
const tencentcloud = (props: Partial<TencentcloudKeyPairProps>) => (stack: TerraformStack) => new TencentcloudKeyPair(stack, 'kp', { ...TENCENT, ...props });
const ucloud = (props: Partial<UcloudKeyPairProps>) => (stack: TerraformStack) => new UcloudKeyPair(stack, 'kp', { ...UC, ...props });
/** Props of an import: no private key file. */
const importing = (publicKey: string) => ({ keySource: KeySource.importPublicKey(publicKey), privateKeyFile: undefined });
const byCloud = { alicloud, tencentcloud, ucloud } as const;
/** A secret in Alibaba Cloud KMS, or in Tencent Cloud SSM. */
const aliSecret = (props: AlicloudPrivateKeySecretProps) => PrivateKeySecret.alicloud(props);
const tencentSecret = (props: TencentcloudPrivateKeySecretProps) => PrivateKeySecret.tencentcloud(props);

/** `n` tags `t1=v`, `t2=v`, ... */
function manyTags(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i + 1}`, 'v']));
}

/** A UTF-16 surrogate standing alone (not a character), and a name holding one. */
const LONE_SURROGATE = '\ud800';
const LONE_SURROGATE_NAME = `web${LONE_SURROGATE}`;

/** How the catalogue's titles name each cloud. */
const CLOUD_SHORT_NAMES: Readonly<Record<CloudName, string>> = { alicloud: 'Alibaba', tencentcloud: 'Tencent', ucloud: 'UCloud' };

/** Public key lines a user may get wrong, made on first use. */
export const BAD_KEYS = {
  ed25519: () => testKey('ed25519').publicKeyFile,
  ecdsa: () => testKey('ecdsa').publicKeyFile,
  dsa: () => testKey('dsa').publicKeyFile,
  rsa: () => testKey('rsa').publicKeyFile,
  /** A PKCS#8 PEM private key. */
  pkcs8PrivateKey: () => testKey('rsa').privateKeyPem,
  /** A PKCS#1 PEM private key (`BEGIN RSA PRIVATE KEY`). */
  pkcs1PrivateKey: () => pkcs1Pem(),
  /** `ssh-keygen`'s own private key format (`BEGIN OPENSSH PRIVATE KEY`). */
  openSshPrivateKey: () => openSshPrivateKey(),
  garbageBase64: () => 'ssh-rsa AAAA!!!!not+base64 user@laptop',
  /** An `ssh-rsa` line whose blob holds an Ed25519 key. */
  typeMismatch: () => `ssh-rsa ${testKey('ed25519').canonical.split(' ')[1]} user@laptop`,
  /** The first 15 bytes of an RSA key's blob: the type, then nothing. */
  truncated: () => `ssh-rsa ${Buffer.from(testKey('rsa').canonical.split(' ')[1], 'base64').subarray(0, 15).toString('base64')}`,
  /** Two keys pasted from an authorized_keys file. */
  twoLines: () => `${testKey('rsa').publicKeyFile}${testKey('rsa').publicKeyFile}`,
  unknownType: () => 'ssh-foo AAAAB3NzaC1yc2E= user@laptop',
};

let pkcs1: string | undefined;
function pkcs1Pem(): string {
  pkcs1 ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return pkcs1;
}
let openSsh: string | undefined;
function openSshPrivateKey(): string {
  openSsh ??= sshKeygenKeyPair('rsa').privateKey;
  return openSsh;
}

const A = (n: number, letter = 'a') => letter.repeat(n);

export const SYNTH_CASES: readonly SynthCase[] = [
  // Names, per cloud rule. Alibaba checks CreateKeyPair names more narrowly than ImportKeyPair names.
  {
    stage: 'synth',
    category: 'name',
    title: 'Alibaba CreateKeyPair: a name starting with a digit',
    build: alicloud({ keyPairName: '1bastion' }),
    message: /Alibaba Cloud key pair name "1bastion" is not valid: CreateKeyPair names are 2 to 128 characters long, start with a letter/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'Alibaba CreateKeyPair: a period (ImportKeyPair takes it)',
    build: alicloud({ keyPairName: 'web.prod' }),
    counterpart: alicloud({ keyPairName: 'web.prod', ...importing(BAD_KEYS.rsa()) }),
    message: /"web\.prod" is not valid: CreateKeyPair names .*contain only letters, digits, colons \(:\), underscores \(_\) and hyphens \(-\)/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'Alibaba CreateKeyPair: Chinese characters (ImportKeyPair takes them)',
    build: alicloud({ keyPairName: '堡垒机' }),
    counterpart: alicloud({ keyPairName: '堡垒机', ...importing(BAD_KEYS.rsa()) }),
    message: /"堡垒机" is not valid: CreateKeyPair names/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'Alibaba ImportKeyPair: a name starting with a hyphen',
    build: alicloud({ keyPairName: '-laptop', ...importing(BAD_KEYS.rsa()) }),
    message: /"-laptop" is not valid: ImportKeyPair names are 2 to 128 characters long, start with a letter \(Chinese characters included\)/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'Alibaba: a one-character name',
    build: alicloud({ keyPairName: 'a' }),
    counterpart: alicloud({ keyPairName: 'ab' }),
    message: /"a" is not valid: CreateKeyPair names are 2 to 128 characters long/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'Alibaba: a 129-character name',
    build: alicloud({ keyPairName: A(129) }),
    counterpart: alicloud({ keyPairName: A(128) }),
    message: /Alibaba Cloud key pair name "a{129}" is not valid: CreateKeyPair names are 2 to 128 characters long/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'Tencent: a 26-character name',
    build: tencentcloud({ keyPairName: A(26) }),
    counterpart: tencentcloud({ keyPairName: A(25) }),
    message: /Tencent Cloud key pair name "a{26}" is not valid: key names are 1 to 25 characters long and contain only letters, digits and underscores/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'Tencent: a hyphen',
    build: tencentcloud({ keyPairName: 'ci-runner' }),
    message: /Tencent Cloud key pair name "ci-runner" is not valid: key names are 1 to 25 characters/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'Tencent: Chinese characters',
    build: tencentcloud({ keyPairName: '密钥' }),
    message: /Tencent Cloud key pair name "密钥" is not valid/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'Tencent: an empty name',
    build: tencentcloud({ keyPairName: '' }),
    message: /Tencent Cloud key pair name "" is not valid: key names are 1 to 25 characters/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'UCloud: a 64-character name',
    build: ucloud({ keyPairName: A(64) }),
    counterpart: ucloud({ keyPairName: A(63) }),
    message: /UCloud key pair name "a{64}" is not valid: key pair names are 1 to 63 characters long/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'UCloud: a leading space',
    build: ucloud({ keyPairName: ' edge' }),
    message: /UCloud key pair name " edge" is not valid: .*without control characters or surrounding spaces/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'UCloud: a control character',
    build: ucloud({ keyPairName: 'edge\tkey' }),
    message: /UCloud key pair name "edge\\tkey" is not valid/,
  },
  {
    stage: 'synth',
    category: 'name',
    title: 'a name used twice in one region of one stack',
    message: /key pair name "twice" is already used by stack\/first in the same Alibaba Cloud ECS region and scope/,
    build: (stack) => {
      new AlicloudKeyPair(stack, 'first', { ...ALI, keyPairName: 'twice', privateKeyFile: '/keys/first.pem' });
      return new AlicloudKeyPair(stack, 'second', { ...ALI, keyPairName: 'twice', privateKeyFile: '/keys/second.pem' });
    },
  },

  // A name that is not valid Unicode: a UTF-16 surrogate standing alone, which a UTF-8 encoder would send as
  // U+FFFD (UCloud's client did, silently renaming the pair). Refused on every cloud, without echoing it.
  ...(['alicloud', 'tencentcloud', 'ucloud'] as const).map((cloud): SynthCase => ({
    stage: 'synth',
    category: 'name',
    title: `${CLOUD_SHORT_NAMES[cloud]}: a name holding a lone UTF-16 surrogate`,
    build: byCloud[cloud]({ keyPairName: LONE_SURROGATE_NAME }),
    counterpart: byCloud[cloud]({ keyPairName: 'web' }),
    message: new RegExp(`${NAME_RULES[cloud].create.subject} "web\\\\ud800" is not valid Unicode \\(it holds a lone UTF-16 surrogate`),
    mustNotQuote: () => [LONE_SURROGATE],
  })),

  // Tags: each cloud's key and value rules, the count (cdktf-keypair's own two included), the reserved keys.
  {
    stage: 'synth',
    category: 'tag',
    title: 'Alibaba: a tag key starting with aliyun',
    build: alicloud({ tags: { 'aliyun-team': 'infra' } }),
    message: /Alibaba Cloud tag key "aliyun-team" is not valid: tag keys are 1 to 128 characters long, do not start with aliyun or acs:/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Alibaba: a tag key starting with acs:',
    build: alicloud({ tags: { 'acs:owner': 'me' } }),
    message: /Alibaba Cloud tag key "acs:owner" is not valid/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Alibaba: a tag value holding a URL',
    build: alicloud({ tags: { docs: 'see https://wiki' } }),
    message: /Alibaba Cloud tag value "see https:\/\/wiki" is not valid: tag values are up to 128 characters long, do not start with acs:, and do not contain http:\/\/ or https:\/\//,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Alibaba: a 129-character tag key',
    build: alicloud({ tags: { [A(129, 'k')]: 'v' } }),
    counterpart: alicloud({ tags: { [A(128, 'k')]: 'v' } }),
    message: /Alibaba Cloud tag key "k{129}" is not valid: tag keys are 1 to 128 characters long/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Alibaba: a tag value holding a lone UTF-16 surrogate',
    build: alicloud({ tags: { team: `infra${LONE_SURROGATE}` } }),
    counterpart: alicloud({ tags: { team: 'infra' } }),
    message: /Alibaba Cloud tag value "infra\\ud800" is not valid Unicode/,
    mustNotQuote: () => [LONE_SURROGATE],
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Alibaba: 19 tags of your own (21 in all, cdktf-keypair\'s owner and tags-revision included)',
    build: alicloud({ tags: manyTags(19) }),
    counterpart: alicloud({ tags: manyTags(18) }),
    message: /Alibaba Cloud ECS allows 20 tags per key pair, cdktf-keypair's cdktf-keypair:owner and cdktf-keypair:tags-revision included: at most 18 of your own; got 19/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Alibaba: the reserved ownership tag',
    build: alicloud({ tags: { [OWNERSHIP_TAG_KEY]: 'someone' } }),
    message: /tag key cdktf-keypair:owner is reserved: cdktf-keypair sets it on the key pairs it creates \(ownership, tag revision\); remove it from tags/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Alibaba: the reserved tag revision',
    build: alicloud({ tags: { [TAGS_REVISION_TAG_KEY]: '7' } }),
    message: /tag key cdktf-keypair:tags-revision is reserved: cdktf-keypair sets it on the key pairs it creates/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Tencent: a tag key starting with qcloud',
    build: tencentcloud({ tags: { 'qcloud:team': 'infra' } }),
    message: /Tencent Cloud tag key "qcloud:team" is not valid: tag keys are 1 to 127 characters long .* do not start with qcloud, tencent or project/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Tencent: a tag key starting with project',
    build: tencentcloud({ tags: { projectName: 'x' } }),
    message: /Tencent Cloud tag key "projectName" is not valid/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Tencent: a tag value with a character Tencent refuses',
    build: tencentcloud({ tags: { team: 'infra#1' } }),
    message: /Tencent Cloud tag value "infra#1" is not valid: tag values are up to 255 characters long \(letters, digits, spaces and \+ - = \. _ : \/ @\)/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Tencent: a 256-character tag value',
    build: tencentcloud({ tags: { team: A(256, 'v') } }),
    counterpart: tencentcloud({ tags: { team: A(255, 'v') } }),
    message: /Tencent Cloud tag value "v{256}" is not valid/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Tencent: 49 tags of your own (51 in all, cdktf-keypair\'s owner and tags-revision included)',
    build: tencentcloud({ tags: manyTags(49) }),
    counterpart: tencentcloud({ tags: manyTags(48) }),
    message: /Tencent Cloud CVM allows 50 tags per key pair, cdktf-keypair's cdktf-keypair:owner and cdktf-keypair:tags-revision included: at most 48 of your own; got 49/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Tencent: the reserved ownership tag',
    build: tencentcloud({ tags: { [OWNERSHIP_TAG_KEY]: 'someone' } }),
    message: /tag key cdktf-keypair:owner is reserved/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'Tencent: the reserved tag revision',
    build: tencentcloud({ tags: { [TAGS_REVISION_TAG_KEY]: '7' } }),
    message: /tag key cdktf-keypair:tags-revision is reserved/,
  },
  {
    stage: 'synth',
    category: 'tag',
    title: 'UCloud: any tag (UCloud key pairs have none; from a language without props types)',
    build: (stack) => new UcloudKeyPair(stack, 'kp', { ...UC, tags: { team: 'infra' } } as UcloudKeyPairProps),
    message: /UCloud UHost key pairs carry no tags; remove tags/,
  },

  // Public keys: unsupported types per cloud, malformed lines, a private key pasted by mistake.
  ...([
    ['tencentcloud', 'ed25519', 'ssh-ed25519'],
    ['tencentcloud', 'ecdsa', 'ecdsa-sha2-nistp256'],
    ['tencentcloud', 'dsa', 'ssh-dss'],
    ['ucloud', 'ed25519', 'ssh-ed25519'],
    ['ucloud', 'ecdsa', 'ecdsa-sha2-nistp256'],
    ['ucloud', 'dsa', 'ssh-dss'],
  ] as const).map(([cloud, algorithm, typeName]): SynthCase => ({
    stage: 'synth',
    category: 'public key',
    title: `${cloud === 'ucloud' ? 'UCloud' : 'Tencent'}: ${algorithm === 'dsa' ? 'a' : 'an'} ${algorithm} public key (ssh-rsa only)`,
    build: byCloud[cloud](importing(BAD_KEYS[algorithm]())),
    counterpart: byCloud[cloud](importing(BAD_KEYS.rsa())),
    message: new RegExp(`${cloud === 'ucloud' ? 'UCloud UHost' : 'Tencent Cloud CVM'} imports ssh-rsa keys only; this public key is ${typeName}`),
  })),
  {
    stage: 'synth',
    category: 'public key',
    title: 'Alibaba: an ed25519 public key (RSA, DSA and ECDSA are documented)',
    build: alicloud(importing(BAD_KEYS.ed25519())),
    counterpart: (stack) => [alicloud(importing(BAD_KEYS.dsa()))(stack), new AlicloudKeyPair(stack, 'ecdsa', { ...ALI, keyPairName: 'ecdsa', ...importing(BAD_KEYS.ecdsa()) })],
    message: /Alibaba Cloud ECS imports ssh-rsa, ssh-dss, ecdsa-sha2-nistp256\/384\/521 keys only; this public key is ssh-ed25519/,
  },
  ...([
    ['alicloud', 'PKCS#8 PEM', 'pkcs8PrivateKey'],
    ['tencentcloud', 'OpenSSH-format', 'openSshPrivateKey'],
    ['ucloud', 'PKCS#1 PEM', 'pkcs1PrivateKey'],
  ] as const).map(([cloud, format, key]): SynthCase => ({
    stage: 'synth',
    category: 'public key',
    title: `${cloud}: a ${format} private key pasted as the public key, refused without quoting it`,
    build: byCloud[cloud](importing(BAD_KEYS[key]())),
    message: /the public key to import is not valid: this is a private key: pass the public key \(the \.pub file\)/,
    mustNotQuote: () => privateKeyBodyLines(BAD_KEYS[key]()),
  })),
  {
    stage: 'synth',
    category: 'public key',
    title: 'garbage in the base64 field',
    build: alicloud(importing(BAD_KEYS.garbageBase64())),
    message: /the public key to import is not valid: the ssh-rsa key's second field is not base64; expected one line in OpenSSH format/,
  },
  {
    stage: 'synth',
    category: 'public key',
    title: 'an ssh-rsa line whose blob holds an Ed25519 key',
    build: tencentcloud(importing(BAD_KEYS.typeMismatch())),
    message: /the public key to import is not valid: the ssh-rsa key's data is malformed: it holds a "ssh-ed25519" key/,
  },
  {
    stage: 'synth',
    category: 'public key',
    title: 'a truncated key',
    build: ucloud(importing(BAD_KEYS.truncated())),
    message: /the public key to import is not valid: the ssh-rsa key's data is malformed: it is truncated/,
  },
  {
    stage: 'synth',
    category: 'public key',
    title: 'two keys on two lines (an authorized_keys file)',
    build: alicloud(importing(BAD_KEYS.twoLines())),
    message: /the public key to import is not valid: the public key spans several lines/,
  },
  {
    stage: 'synth',
    category: 'public key',
    title: 'an unknown key type',
    build: alicloud(importing(BAD_KEYS.unknownType())),
    message: /key type "ssh-foo" is not an OpenSSH public key type \(ssh-rsa, ssh-dss, ecdsa-sha2-nistp256\/384\/521, ssh-ed25519\)/,
  },
  {
    stage: 'synth',
    category: 'public key',
    title: 'an empty public key',
    build: ucloud(importing('  \n')),
    message: /the public key to import is not valid: the public key is empty/,
  },

  // Keys generated locally: the cloud imports the public half, so its import rule applies.
  {
    stage: 'synth',
    category: 'public key',
    title: 'Tencent: generateLocally(ECDSA)',
    build: tencentcloud({ keySource: KeySource.generateLocally(KeyAlgorithm.ECDSA) }),
    message: /Tencent Cloud CVM imports ssh-rsa keys only, so a key generated locally must be KeyAlgorithm\.RSA; got ecdsa/,
  },
  {
    stage: 'synth',
    category: 'public key',
    title: 'UCloud: generateLocally(ED25519)',
    build: ucloud({ keySource: KeySource.generateLocally(KeyAlgorithm.ED25519) }),
    message: /UCloud UHost imports ssh-rsa keys only, so a key generated locally must be KeyAlgorithm\.RSA; got ed25519/,
  },
  {
    stage: 'synth',
    category: 'public key',
    title: 'Alibaba: generateLocally(ED25519)',
    build: alicloud({ keySource: KeySource.generateLocally(KeyAlgorithm.ED25519) }),
    counterpart: alicloud({ keySource: KeySource.generateLocally(KeyAlgorithm.ECDSA) }),
    message: /a key generated locally must be KeyAlgorithm\.RSA or KeyAlgorithm\.ECDSA; got ed25519/,
  },

  // The private key's destination.
  {
    stage: 'synth',
    category: 'private key file',
    title: 'a cloud-generated key pair without privateKeyFile or privateKeySecret',
    build: alicloud({ privateKeyFile: undefined }),
    counterpart: alicloud({ privateKeyFile: undefined, privateKeySecret: PrivateKeySecret.alicloud({ secretName: 'bad-input' }) }),
    message: /privateKeyFile or privateKeySecret is required: the cloud generates the key pair, and its private key must be kept somewhere: a file on the deploying machine \(privateKeyFile: .*\), a cloud secret store .*\(privateKeySecret\), or both/,
  },
  {
    stage: 'synth',
    category: 'private key file',
    title: 'an import with privateKeyFile',
    build: tencentcloud({ keySource: KeySource.importPublicKey(BAD_KEYS.rsa()) }),
    message: /privateKeyFile is refused for an imported public key: no private key is involved/,
  },
  // The private key's secret store: each store's name rule, its recovery windows, and its region.
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Alibaba KMS: a 193-character secret name',
    build: alicloud({ privateKeySecret: aliSecret({ secretName: A(193, 's') }) }),
    counterpart: alicloud({ privateKeySecret: aliSecret({ secretName: A(192, 's') }) }),
    message: /privateKeySecret: Alibaba Cloud KMS secret name "s{193}" is not valid: KMS secret names are 1 to 192 characters/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Alibaba KMS: a secret name with a character KMS refuses',
    build: alicloud({ privateKeySecret: aliSecret({ secretName: 'bastion key' }) }),
    counterpart: alicloud({ privateKeySecret: aliSecret({ secretName: 'team/bastion+key=1.prod@ci-2' }) }),
    message: /Alibaba Cloud KMS secret name "bastion key" is not valid: KMS secret names are 1 to 192 characters of letters, digits and _ \/ \+ = \. - @/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Alibaba KMS: a secret name starting with acs/',
    build: alicloud({ privateKeySecret: aliSecret({ secretName: 'acs/bastion' }) }),
    counterpart: alicloud({ privateKeySecret: aliSecret({ secretName: 'team/acs/bastion' }) }),
    message: /Alibaba Cloud KMS secret name "acs\/bastion" is not valid: .*do not start with acs\//,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Tencent SSM: a 129-character secret name',
    build: tencentcloud({ privateKeySecret: tencentSecret({ secretName: A(129, 's') }) }),
    counterpart: tencentcloud({ privateKeySecret: tencentSecret({ secretName: A(128, 's') }) }),
    message: /privateKeySecret: Tencent Cloud SSM secret name "s{129}" is not valid: SSM secret names are 1 to 128 letters/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Tencent SSM: a slash in the secret name (Alibaba KMS takes it)',
    build: tencentcloud({ privateKeySecret: tencentSecret({ secretName: 'team/bastion' }) }),
    counterpart: tencentcloud({ privateKeySecret: aliSecret({ secretName: 'team/bastion', region: REGIONS.alicloud }) }),
    message: /Tencent Cloud SSM secret name "team\/bastion" is not valid: SSM secret names are 1 to 128 letters, digits, underscores \(_\) and hyphens \(-\)/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Tencent SSM: a secret name starting with an underscore',
    build: tencentcloud({ privateKeySecret: tencentSecret({ secretName: '_bastion' }) }),
    counterpart: tencentcloud({ privateKeySecret: tencentSecret({ secretName: 'bastion_' }) }),
    message: /Tencent Cloud SSM secret name "_bastion" is not valid: .*starting with a letter or a digit/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'UCloud: a secret store without its region (UCloud has no store of its own)',
    build: ucloud({ privateKeySecret: tencentSecret({ secretName: 'edge' }) }),
    counterpart: ucloud({ privateKeySecret: tencentSecret({ secretName: 'edge', region: REGIONS.tencentcloud }) }),
    message: /privateKeySecret: region is required: a secret takes the key pair's region only when the key pair is on the store's cloud \(Tencent Cloud CVM for Tencent Cloud SSM\), and this key pair is on UCloud UHost/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Tencent: Alibaba KMS without its region',
    build: tencentcloud({ privateKeySecret: aliSecret({ secretName: 'ci' }) }),
    counterpart: tencentcloud({ privateKeySecret: aliSecret({ secretName: 'ci', region: REGIONS.alicloud }) }),
    message: /region is required: .*\(Alibaba Cloud ECS for Alibaba Cloud KMS Secrets Manager\), and this key pair is on Tencent Cloud CVM/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'a secret region that is no region id',
    build: ucloud({ privateKeySecret: aliSecret({ secretName: 'edge', region: 'Hangzhou' }) }),
    message: /privateKeySecret: region "Hangzhou" is not valid: region ids are lower-case letters, digits and hyphens/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'a secret name used twice in one store region of one stack',
    message: /privateKeySecret: secret name "shared" is already used by stack\/first in the same Tencent Cloud SSM region; secret names are unique/,
    build: (stack) => {
      new TencentcloudKeyPair(stack, 'first', { ...TENCENT, keyPairName: 'first', privateKeySecret: tencentSecret({ secretName: 'shared' }) });
      return new UcloudKeyPair(stack, 'second', { ...UC, privateKeySecret: tencentSecret({ secretName: 'shared', region: REGIONS.tencentcloud }) });
    },
    counterpart: (stack) => {
      new TencentcloudKeyPair(stack, 'first', { ...TENCENT, keyPairName: 'first', privateKeySecret: tencentSecret({ secretName: 'shared' }) });
      return new UcloudKeyPair(stack, 'second', { ...UC, privateKeySecret: aliSecret({ secretName: 'shared', region: REGIONS.alicloud }) });
    },
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'an import with privateKeySecret',
    build: alicloud({ ...importing(BAD_KEYS.rsa()), privateKeySecret: aliSecret({ secretName: 'laptop' }) }),
    counterpart: alicloud(importing(BAD_KEYS.rsa())),
    message: /privateKeySecret is refused for an imported public key: no private key is involved \(remove privateKeySecret\)/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Alibaba KMS: a 3-day recovery window (0, or 7 to 30)',
    build: alicloud({ privateKeySecret: aliSecret({ secretName: 'bastion', recoveryWindowDays: 3 }) }),
    counterpart: alicloud({ privateKeySecret: aliSecret({ secretName: 'bastion', recoveryWindowDays: 7 }) }),
    message: /privateKeySecret: recoveryWindowDays: Alibaba Cloud KMS Secrets Manager takes a recovery window of 0 days \(delete at once\) or 7 to 30 days; got 3/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Tencent SSM: a 31-day recovery window (0, or 1 to 30)',
    build: tencentcloud({ privateKeySecret: tencentSecret({ secretName: 'ci', recoveryWindowDays: 31 }) }),
    counterpart: tencentcloud({ privateKeySecret: tencentSecret({ secretName: 'ci', recoveryWindowDays: 30 }) }),
    message: /Tencent Cloud SSM takes a recovery window of 0 days \(delete at once\) or 1 to 30 days; got 31/,
  },
  {
    stage: 'synth',
    category: 'private key secret',
    title: 'Tencent SSM: a fractional recovery window',
    build: tencentcloud({ privateKeySecret: tencentSecret({ secretName: 'ci', recoveryWindowDays: 1.5 }) }),
    counterpart: tencentcloud({ privateKeySecret: tencentSecret({ secretName: 'ci', recoveryWindowDays: 1 }) }),
    message: /Tencent Cloud SSM takes a recovery window of 0 days \(delete at once\) or 1 to 30 days; got 1\.5/,
  },
  {
    stage: 'synth',
    category: 'private key file',
    title: 'a path starting with ~ (no shell expands it)',
    build: ucloud({ privateKeyFile: '~/.ssh/edge.pem' }),
    message: /private key file "~\/\.ssh\/edge\.pem" is not valid: .*no leading ~ \(the shell does not expand it here\)/,
  },
  {
    stage: 'synth',
    category: 'private key file',
    title: 'a directory path (trailing slash)',
    build: alicloud({ privateKeyFile: 'keys/' }),
    message: /private key file "keys\/" is not valid: .*not a directory \(no trailing slash, not \. or \.\.\)/,
  },
  {
    stage: 'synth',
    category: 'private key file',
    title: 'the path ..',
    build: tencentcloud({ privateKeyFile: '..' }),
    message: /private key file "\.\." is not valid/,
  },

  // Region, scope, endpoint and timeouts.
  {
    stage: 'synth',
    category: 'region',
    title: 'an upper-case region id',
    build: alicloud({ region: 'CN-Hangzhou' }),
    message: /region "CN-Hangzhou" is not valid: region ids are lower-case letters, digits and hyphens, such as cn-hangzhou/,
  },
  {
    stage: 'synth',
    category: 'region',
    title: 'a region id with a space',
    build: ucloud({ region: 'cn bj2' }),
    message: /region "cn bj2" is not valid/,
  },
  {
    stage: 'synth',
    category: 'scope',
    title: 'Alibaba: a resource group name instead of its id',
    build: alicloud({ resourceGroupId: 'default' }),
    message: /Alibaba Cloud resource group id "default" is not valid: resource group ids look like rg-/,
  },
  {
    stage: 'synth',
    category: 'scope',
    title: 'Tencent: a negative project id',
    build: tencentcloud({ projectId: -1 }),
    message: /Tencent Cloud project id "-1" is not valid: project ids are non-negative integers/,
  },
  {
    stage: 'synth',
    category: 'scope',
    title: 'Tencent: a fractional project id',
    build: tencentcloud({ projectId: 1.5 }),
    message: /Tencent Cloud project id "1\.5" is not valid/,
  },
  {
    stage: 'synth',
    category: 'scope',
    title: 'UCloud: a project name instead of its id',
    build: ucloud({ projectId: 'Default' }),
    message: /UCloud project id "Default" is not valid: project ids look like org-/,
  },
  {
    stage: 'synth',
    category: 'endpoint',
    title: 'an endpoint with credentials in it',
    build: ucloud({ endpoint: 'https://user:pass@api.example.com' }),
    message: /endpoint ".*" is not valid: an endpoint is an absolute http:\/\/ or https:\/\/ URL .*without user name, password, query or fragment/,
  },
  {
    stage: 'synth',
    category: 'endpoint',
    title: 'an endpoint that is not http(s)',
    build: alicloud({ endpoint: 'ftp://ecs.example.com' }),
    message: /endpoint "ftp:\/\/ecs\.example\.com" is not valid/,
  },
  {
    stage: 'synth',
    category: 'endpoint',
    title: 'an endpoint without a scheme',
    build: tencentcloud({ endpoint: 'cvm.tencentcloudapi.com' }),
    message: /endpoint "cvm\.tencentcloudapi\.com" is not valid/,
  },
  {
    stage: 'synth',
    category: 'other',
    title: 'a negative deleteTimeoutSeconds',
    build: alicloud({ deleteTimeoutSeconds: -1 }),
    message: /deleteTimeoutSeconds must be a whole number of seconds, 0 or more; got -1/,
  },
];

// ---------------------------------------------------------------------------------------------------------
// Deploy: what the handler sees — values that were tokens at synth, and the deploying machine's state.
// ---------------------------------------------------------------------------------------------------------

/** What a deploy-time case runs against. */
export interface DeployWorld {
  readonly emulator: RunningEmulator;
  /** A fresh directory of this case (the private key goes to `<directory>/keys/bad.pem`). */
  readonly directory: string;
  /** A loopback endpoint where nothing listens. */
  readonly closedEndpoint: string;
}

export interface DeployCase extends CaseBase {
  readonly stage: 'deploy';
  readonly cloud: CloudName;
  /** @default 'create' */
  readonly command?: 'create' | 'read' | 'delete';
  /** Changes to a valid cloud-generated pair's triggers (undefined removes one), as the construct passes them. */
  readonly triggers?: (world: DeployWorld) => Readonly<Record<string, string | undefined>>;
  /** The tags the create step receives (`CDKTF_KEYPAIR_TAGS`). */
  readonly tags?: string;
  /** Changes to the emulator's handler environment (an empty value unsets it, as for the handler). */
  readonly env?: (world: DeployWorld) => Readonly<Record<string, string>>;
  /**
   * Prepares the deploying machine (a file at the key path, an unwritable directory) or the cloud (a secret
   * someone else made): its own cloud calls are not the case's `calls`.
   */
  readonly arrange?: (world: DeployWorld, privateKeyFile: string) => void | Promise<void>;
  /** Run the bundled CLI as a user who cannot write where the key goes (root writes anywhere). */
  readonly unprivileged?: boolean;
  /**
   * The cloud calls this refusal needed, in order (the emulator's request journal): none, or the describe
   * that tells whether the pair exists, or the one call whose answer only the cloud can give.
   */
  readonly calls: readonly string[];
  /** Further checks (the file untouched, ...). */
  readonly verify?: (world: DeployWorld, privateKeyFile: string) => void;
  readonly mustNotQuote?: () => readonly string[];
}

const importTriggers = (publicKey: string) => () => ({
  [TRIGGER_KEYS.keySource]: KEY_SOURCES.import,
  [TRIGGER_KEYS.publicKey]: publicKey,
  [TRIGGER_KEYS.privateKeyFile]: undefined,
});

/** A private key secret destination, as the construct passes it (the store's region: Tencent's or Alibaba's test region). */
const secretTriggers = (store: string, name: string) => ({
  [TRIGGER_KEYS.secretStore]: store,
  [TRIGGER_KEYS.secretName]: name,
  [TRIGGER_KEYS.secretRegion]: store === 'tencentcloud-ssm' ? REGIONS.tencentcloud : REGIONS.alicloud,
});

/** Leaves one credential variable of a cloud unset (the emulator sets only the first name of each). */
const unset = (...names: string[]) => () => Object.fromEntries(names.map((name) => [name, '']));

export const SOMEONE_ELSES_FILE = 'someone else\'s file, not a key of this stack\n';

/** The value of a secret someone else keeps under a name a stack asks for. */
const SOMEONE_ELSES_SECRET = 'someone else\'s secret value 7d1f';

/** The private key path of a case: in a directory of its own. */
export function privateKeyFileOf(world: DeployWorld): string {
  return path.join(world.directory, 'keys', 'bad.pem');
}

export const DEPLOY_CASES: readonly DeployCase[] = [
  // Values that were tokens at synth (Terraform variables, other resources' attributes): the same rules.
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'alicloud',
    title: 'Alibaba: a name token breaking the CreateKeyPair rule',
    calls: [],
    triggers: () => ({ [TRIGGER_KEYS.keyPairName]: 'web.prod' }),
    message: /invalid input: Alibaba Cloud key pair name "web\.prod" is not valid: CreateKeyPair names are 2 to 128 characters/,
  },
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'tencentcloud',
    title: 'Tencent: a 26-character name token',
    calls: [],
    triggers: () => ({ [TRIGGER_KEYS.keyPairName]: A(26) }),
    message: /invalid input: Tencent Cloud key pair name "a{26}" is not valid: key names are 1 to 25 characters/,
  },
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'ucloud',
    title: 'UCloud: a 64-character name token',
    calls: [],
    triggers: () => ({ [TRIGGER_KEYS.keyPairName]: A(64) }),
    message: /invalid input: UCloud key pair name "a{64}" is not valid: key pair names are 1 to 63 characters/,
  },
  // A name token holding a lone UTF-16 surrogate: refused before any call (UCloud's form encoding would
  // otherwise send U+FFFD and rename the pair), at every step that names the pair.
  ...([
    ['alicloud', 'create'],
    ['tencentcloud', 'create'],
    ['ucloud', 'create'],
    ['ucloud', 'read'],
    ['ucloud', 'delete'],
  ] as const).map(([cloud, command]): DeployCase => ({
    stage: 'deploy',
    category: 'token value',
    cloud,
    command,
    title: `${CLOUD_SHORT_NAMES[cloud]}: a name token holding a lone UTF-16 surrogate (${command})`,
    calls: [],
    triggers: () => ({ [TRIGGER_KEYS.keyPairName]: LONE_SURROGATE_NAME }),
    message: new RegExp(`invalid input: ${NAME_RULES[cloud].create.subject} "web\\\\ud800" is not valid Unicode \\(it holds a lone UTF-16 surrogate, which would reach the cloud as U\\+FFFD\\)`),
    mustNotQuote: () => [LONE_SURROGATE],
  })),
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'tencentcloud',
    title: 'a region token that is no region id',
    calls: [],
    triggers: () => ({ [TRIGGER_KEYS.region]: 'Guangzhou' }),
    message: /invalid input: region "Guangzhou" is not valid: region ids are lower-case letters, digits and hyphens/,
  },
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'alicloud',
    title: 'Alibaba: a resource group token that is no id',
    calls: [],
    triggers: () => ({ [TRIGGER_KEYS.scope]: 'my-group' }),
    message: /invalid input: Alibaba Cloud resource group id "my-group" is not valid/,
  },
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'ucloud',
    title: 'an endpoint token that is no URL',
    calls: [],
    triggers: () => ({ [TRIGGER_KEYS.endpoint]: 'api.ucloud.cn' }),
    message: /invalid input: endpoint "api\.ucloud\.cn" is not valid: an endpoint is an absolute http:\/\/ or https:\/\/ URL/,
  },
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'alicloud',
    title: 'a private key path token starting with ~',
    calls: [],
    triggers: () => ({ [TRIGGER_KEYS.privateKeyFile]: '~/keys/bad.pem' }),
    message: /invalid input: private key file "~\/keys\/bad\.pem" is not valid: .*no leading ~/,
  },

  // Public keys that were tokens (a variable, a file read at plan time).
  {
    stage: 'deploy',
    category: 'public key',
    cloud: 'tencentcloud',
    title: 'Tencent: an ed25519 public key token',
    calls: [],
    triggers: () => importTriggers(BAD_KEYS.ed25519())(),
    message: /invalid input: Tencent Cloud CVM imports ssh-rsa keys only; this public key is ssh-ed25519/,
  },
  {
    stage: 'deploy',
    category: 'public key',
    cloud: 'ucloud',
    title: 'UCloud: an ecdsa public key token',
    calls: [],
    triggers: () => importTriggers(BAD_KEYS.ecdsa())(),
    message: /invalid input: UCloud UHost imports ssh-rsa keys only; this public key is ecdsa-sha2-nistp256/,
  },
  {
    stage: 'deploy',
    category: 'public key',
    cloud: 'ucloud',
    title: 'UCloud: a dsa public key token',
    calls: [],
    triggers: () => importTriggers(BAD_KEYS.dsa())(),
    message: /invalid input: UCloud UHost imports ssh-rsa keys only; this public key is ssh-dss/,
  },
  {
    stage: 'deploy',
    category: 'public key',
    cloud: 'alicloud',
    title: 'Alibaba: an ed25519 public key token',
    calls: [],
    triggers: () => importTriggers(BAD_KEYS.ed25519())(),
    message: /invalid input: Alibaba Cloud ECS imports ssh-rsa, ssh-dss, ecdsa-sha2-nistp256\/384\/521 keys only; this public key is ssh-ed25519/,
  },
  {
    stage: 'deploy',
    category: 'public key',
    cloud: 'tencentcloud',
    title: 'a private key token passed as the public key, never quoted',
    calls: [],
    triggers: () => importTriggers(BAD_KEYS.openSshPrivateKey())(),
    message: /invalid input: the public key to import is not valid: this is a private key: pass the public key/,
    mustNotQuote: () => privateKeyBodyLines(BAD_KEYS.openSshPrivateKey()),
  },
  {
    stage: 'deploy',
    category: 'public key',
    cloud: 'alicloud',
    title: 'a public key token with garbage base64',
    calls: [],
    triggers: () => importTriggers(BAD_KEYS.garbageBase64())(),
    message: /invalid input: the public key to import is not valid: the ssh-rsa key's second field is not base64/,
  },
  {
    stage: 'deploy',
    category: 'public key',
    cloud: 'alicloud',
    title: 'a public key token whose blob holds another type',
    calls: [],
    triggers: () => importTriggers(BAD_KEYS.typeMismatch())(),
    message: /invalid input: the public key to import is not valid: the ssh-rsa key's data is malformed: it holds a "ssh-ed25519" key/,
  },

  // Tags, which reach the create step as one JSON map (a map token, or a map with token values).
  {
    stage: 'deploy',
    category: 'tag',
    cloud: 'alicloud',
    title: 'Alibaba: a tag key token starting with aliyun',
    calls: [],
    tags: JSON.stringify({ 'aliyun:team': 'infra' }),
    message: /invalid input: Alibaba Cloud tag key "aliyun:team" is not valid: tag keys are 1 to 128 characters long, do not start with aliyun or acs:/,
  },
  {
    stage: 'deploy',
    category: 'tag',
    cloud: 'tencentcloud',
    title: 'Tencent: a tag value token with a character Tencent refuses',
    calls: [],
    tags: JSON.stringify({ team: 'a&b' }),
    message: /invalid input: Tencent Cloud tag value "a&b" is not valid/,
  },
  {
    stage: 'deploy',
    category: 'tag',
    cloud: 'tencentcloud',
    title: 'Tencent: a tag map token of 49 tags (51 with cdktf-keypair\'s two)',
    calls: [],
    tags: JSON.stringify(manyTags(49)),
    message: /invalid input: Tencent Cloud CVM allows 50 tags per key pair, cdktf-keypair's cdktf-keypair:owner and cdktf-keypair:tags-revision included: at most 48 of your own; got 49/,
  },
  {
    stage: 'deploy',
    category: 'tag',
    cloud: 'alicloud',
    title: 'Alibaba: the reserved ownership tag in a tag map token',
    calls: [],
    tags: JSON.stringify({ [OWNERSHIP_TAG_KEY]: 'someone-else' }),
    message: /invalid input: tag key cdktf-keypair:owner is reserved: cdktf-keypair sets it on the key pairs it creates/,
  },
  {
    stage: 'deploy',
    category: 'tag',
    cloud: 'tencentcloud',
    title: 'Tencent: the reserved tag revision in a tag map token',
    calls: [],
    tags: JSON.stringify({ team: 'infra', [TAGS_REVISION_TAG_KEY]: '0' }),
    message: /invalid input: tag key cdktf-keypair:tags-revision is reserved/,
  },
  {
    stage: 'deploy',
    category: 'tag',
    cloud: 'ucloud',
    title: 'UCloud: a tag map token',
    calls: [],
    tags: JSON.stringify({ team: 'infra' }),
    message: /invalid input: UCloud UHost key pairs carry no tags; remove tags/,
  },
  {
    stage: 'deploy',
    category: 'tag',
    cloud: 'alicloud',
    title: 'a tag value that is no string',
    calls: [],
    tags: JSON.stringify({ team: 7 }),
    message: new RegExp(`invalid input: ${HANDLER_ENV.tags}: "team" must be a string`),
  },

  // The private key's destination on the deploying machine.
  ...(['alicloud', 'tencentcloud', 'ucloud'] as const).map((cloud): DeployCase => ({
    stage: 'deploy',
    category: 'private key file',
    cloud,
    title: `${cloud}: a file already at the private key path: no create, the file untouched`,
    // The describe is needed: a pair of ours under that name, holding the key in that file, is adopted.
    calls: [DESCRIBE_ACTION[cloud]],
    arrange: (_, file) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, SOMEONE_ELSES_FILE, { mode: 0o644 });
    },
    message: /error: \S+bad\.pem already exists and no key pair named "bad_input" does\. cdktf-keypair never overwrites a private key: move or delete the file, or choose another privateKeyFile/,
    verify: (_, file) => {
      expect(fs.readFileSync(file, 'utf8')).toBe(SOMEONE_ELSES_FILE);
      expect(fs.statSync(file).mode % 0o1000).toBe(0o644);
    },
  })),
  {
    stage: 'deploy',
    category: 'private key file',
    cloud: 'alicloud',
    title: 'the private key path is a directory',
    calls: [],
    arrange: (_, file) => {
      fs.mkdirSync(file, { recursive: true });
    },
    message: /error: the private key destination \S+bad\.pem is a directory/,
  },
  {
    stage: 'deploy',
    category: 'private key file',
    cloud: 'tencentcloud',
    title: 'the key\'s directory cannot be made (a file is in the way)',
    calls: [],
    arrange: (world) => fs.writeFileSync(path.join(world.directory, 'keys'), 'a file where the directory should be'),
    message: /error: cannot write the private key into \S+keys: (EEXIST|ENOTDIR)/,
  },
  {
    stage: 'deploy',
    category: 'private key file',
    cloud: 'ucloud',
    title: 'the key\'s directory is not writable',
    calls: [],
    unprivileged: true,
    arrange: (world, file) => {
      fs.chmodSync(world.directory, 0o755);
      fs.mkdirSync(path.dirname(file), { mode: 0o555 });
      fs.chmodSync(path.dirname(file), 0o555);
    },
    message: /error: cannot write the private key into \S+keys: EACCES/,
  },

  // Credentials: each cloud with an id and no secret, or a secret and no id; the variables are named.
  {
    stage: 'deploy',
    category: 'credentials',
    cloud: 'alicloud',
    title: 'Alibaba: an AccessKey ID without its secret',
    calls: [],
    env: unset('ALICLOUD_SECRET_KEY'),
    message: /Alibaba Cloud ECS: no AccessKey secret found\. Set one of ALICLOUD_SECRET_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABACLOUD_ACCESS_KEY_SECRET in the environment that runs terraform/,
  },
  {
    stage: 'deploy',
    category: 'credentials',
    cloud: 'alicloud',
    title: 'Alibaba: a secret without its AccessKey ID',
    calls: [],
    env: unset('ALICLOUD_ACCESS_KEY'),
    message: /Alibaba Cloud ECS: no AccessKey ID found\. Set one of ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABACLOUD_ACCESS_KEY_ID/,
  },
  {
    stage: 'deploy',
    category: 'credentials',
    cloud: 'tencentcloud',
    title: 'Tencent: a SecretId without its SecretKey',
    calls: [],
    env: unset('TENCENTCLOUD_SECRET_KEY'),
    message: /Tencent Cloud CVM: no SecretKey found\. Set one of TENCENTCLOUD_SECRET_KEY in the environment that runs terraform/,
  },
  {
    stage: 'deploy',
    category: 'credentials',
    cloud: 'tencentcloud',
    title: 'Tencent: a SecretKey without its SecretId',
    calls: [],
    env: unset('TENCENTCLOUD_SECRET_ID'),
    message: /Tencent Cloud CVM: no SecretId found\. Set one of TENCENTCLOUD_SECRET_ID/,
  },
  {
    stage: 'deploy',
    category: 'credentials',
    cloud: 'ucloud',
    title: 'UCloud: a public key without its private key',
    calls: [],
    env: unset('UCLOUD_PRIVATE_KEY'),
    message: /UCloud UHost: no API private key found\. Set one of UCLOUD_PRIVATE_KEY/,
  },
  {
    stage: 'deploy',
    category: 'credentials',
    cloud: 'ucloud',
    title: 'UCloud: a private key without its public key',
    calls: [],
    env: unset('UCLOUD_PUBLIC_KEY'),
    message: /UCloud UHost: no API public key found\. Set one of UCLOUD_PUBLIC_KEY/,
  },
  {
    stage: 'deploy',
    category: 'credentials',
    cloud: 'alicloud',
    title: 'a secret of blanks counts as none',
    calls: [],
    env: () => ({ ALICLOUD_SECRET_KEY: '   ' }),
    message: /Alibaba Cloud ECS: no AccessKey secret found/,
  },
  {
    stage: 'deploy',
    category: 'credentials',
    cloud: 'tencentcloud',
    command: 'read',
    title: 'missing credentials at plan time (the read)',
    calls: [],
    env: unset('TENCENTCLOUD_SECRET_KEY'),
    message: /Tencent Cloud CVM: no SecretKey found\. Set one of TENCENTCLOUD_SECRET_KEY/,
  },

  // The private key's secret destination: values that were tokens at synth, and the handler's own settings.
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'alicloud',
    title: 'Alibaba: a KMS secret name token starting with acs/',
    calls: [],
    triggers: () => secretTriggers('alicloud-kms', 'acs/web-key'),
    message: /invalid input: Alibaba Cloud KMS secret name "acs\/web-key" is not valid: KMS secret names are 1 to 192 characters of letters, digits and _ \/ \+ = \. - @, and do not start with acs\//,
  },
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'tencentcloud',
    title: 'Tencent: an SSM secret name token with a period',
    calls: [],
    triggers: () => secretTriggers('tencentcloud-ssm', 'web.key'),
    message: /invalid input: Tencent Cloud SSM secret name "web\.key" is not valid: SSM secret names are 1 to 128 letters, digits, underscores \(_\) and hyphens \(-\), starting with a letter or a digit/,
  },
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'tencentcloud',
    title: 'Tencent: an SSM secret name token starting with a hyphen',
    calls: [],
    triggers: () => secretTriggers('tencentcloud-ssm', '-web-key'),
    message: /invalid input: Tencent Cloud SSM secret name "-web-key" is not valid/,
  },
  {
    stage: 'deploy',
    category: 'token value',
    cloud: 'ucloud',
    title: 'a secret region token that is no region id',
    calls: [],
    triggers: () => ({ ...secretTriggers('alicloud-kms', 'web-key'), [TRIGGER_KEYS.secretRegion]: 'CN-Hangzhou' }),
    message: /invalid input: region "CN-Hangzhou" is not valid/,
  },
  {
    stage: 'deploy',
    category: 'other',
    cloud: 'alicloud',
    title: 'an unknown secret store',
    calls: [],
    triggers: () => secretTriggers('aws-secrets-manager', 'web-key'),
    message: /invalid input: unknown secret store "aws-secrets-manager": the private key can be kept in alicloud-kms or tencentcloud-ssm/,
  },
  {
    stage: 'deploy',
    category: 'other',
    cloud: 'alicloud',
    title: 'a secret for an imported key pair',
    calls: [],
    triggers: () => ({ ...importTriggers(sshKeygenKeyPair('rsa').publicKey)(), ...secretTriggers('alicloud-kms', 'web-key') }),
    message: /invalid input: an imported key pair has no private key to keep/,
  },
  {
    stage: 'deploy',
    category: 'other',
    cloud: 'alicloud',
    title: 'Alibaba: a KMS recovery window of 5 days (create)',
    calls: [],
    triggers: () => secretTriggers('alicloud-kms', 'web-key'),
    env: () => ({ [HANDLER_ENV.secretRecoveryWindowDays]: '5' }),
    message: new RegExp(
      `invalid input: ${HANDLER_ENV.secretRecoveryWindowDays}: Alibaba Cloud KMS Secrets Manager takes a recovery window of 0 days \\(delete at once\\) or 7 to 30 days; got "5"`,
    ),
  },
  {
    stage: 'deploy',
    category: 'other',
    cloud: 'tencentcloud',
    command: 'delete',
    title: 'Tencent: an SSM recovery window that is no number (delete)',
    calls: [],
    triggers: () => secretTriggers('tencentcloud-ssm', 'web-key'),
    env: () => ({ [HANDLER_ENV.secretRecoveryWindowDays]: 'a week' }),
    message: new RegExp(`invalid input: ${HANDLER_ENV.secretRecoveryWindowDays}: Tencent Cloud SSM takes a recovery window of 0 days \\(delete at once\\) or 1 to 30 days; got "a week"`),
  },
  // A secret name someone else holds in the store: refused before any key pair call, their secret untouched.
  ...(['alicloud-kms', 'tencentcloud-ssm'] as const).map((store): DeployCase => {
    const cloud = store === 'alicloud-kms' ? 'alicloud' : 'tencentcloud';
    const region = REGIONS[cloud];
    return {
      stage: 'deploy',
      category: 'private key secret',
      cloud,
      title: `${cloud}: a secret name taken by someone else's secret: no key pair made, their secret untouched`,
      triggers: () => secretTriggers(store, 'taken-secret'),
      arrange: async (world) => {
        await secretStoreApiFor({ store, region }, world.emulator.handlerEnvironment())
          .create({ name: 'taken-secret', value: new SecretValue(SOMEONE_ELSES_SECRET), versionId: 'theirs', tags: { team: 'platform' } });
      },
      calls: ['DescribeSecret'],
      message: new RegExp(
        `error: the secret name "taken-secret" is taken in ${SECRET_STORE_LABELS[store]} \\(${region}\\) by a secret this deployment does not own\\. ` +
          'Nothing was changed: choose another secretName or delete that secret',
      ),
      verify: (world) => {
        expect(world.emulator.listSecrets(cloud).map((secret) => [secret.name, secret.tags])).toEqual([['taken-secret', { team: 'platform' }]]);
        expect(world.emulator.secretValue(cloud, region, 'taken-secret', 'theirs')).toBe(SOMEONE_ELSES_SECRET);
      },
      mustNotQuote: () => [SOMEONE_ELSES_SECRET],
    };
  }),
  {
    stage: 'deploy',
    category: 'credentials',
    cloud: 'ucloud',
    title: 'UCloud: a pair whose key goes to Tencent SSM, without a SecretId',
    calls: [],
    triggers: () => secretTriggers('tencentcloud-ssm', 'web-key'),
    env: unset('TENCENTCLOUD_SECRET_ID'),
    message: /Tencent Cloud CVM: no SecretId found\. Set one of TENCENTCLOUD_SECRET_ID/,
  },

  // A region the cloud does not serve: only the cloud knows its regions; its first answer stops everything.
  ...(['create', 'read', 'delete'] as const).map((command): DeployCase => ({
    stage: 'deploy',
    category: 'region',
    cloud: 'alicloud',
    command,
    title: `Alibaba: a region it does not serve (${command}: InvalidRegionId.NotFound, never taken for "gone")`,
    triggers: () => ({ [TRIGGER_KEYS.region]: 'cn-atlantis' }),
    calls: [DESCRIBE_ACTION.alicloud],
    message: /error: Alibaba Cloud ECS DescribeKeyPairs failed: InvalidRegionId\.NotFound: The specified RegionId does not exist\. \(HTTP 404, request id [^)]+\)\. Check the region id \(for example cn-hangzhou\) and that the endpoint serves it/,
  })),

  // An endpoint where nothing listens: refused, nothing done, the endpoint named.
  ...(['alicloud', 'tencentcloud', 'ucloud'] as const).map((cloud): DeployCase => ({
    stage: 'deploy',
    category: 'endpoint',
    cloud,
    title: `${cloud}: an endpoint override where nothing listens`,
    env: (world) => ({ [`CDKTF_KEYPAIR_${cloud.toUpperCase()}_ENDPOINT`]: world.closedEndpoint }),
    calls: [],
    message: /error: .* (DescribeKeyPairs|DescribeUHostKeyPairs) failed: NetworkError: ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(endpoint http:\/\/127\.0\.0\.1:\d+\) \(gave up after \d+ attempts\)/,
  })),
  {
    stage: 'deploy',
    category: 'endpoint',
    cloud: 'ucloud',
    title: 'UCloud: the construct\'s endpoint where nothing listens (the read)',
    command: 'read',
    triggers: (world) => ({ [TRIGGER_KEYS.endpoint]: world.closedEndpoint }),
    calls: [],
    message: /error: UCloud UHost DescribeUHostKeyPairs failed: NetworkError: ECONNREFUSED: .*\(endpoint http:\/\/127\.0\.0\.1:\d+\)/,
  },

  // The handler's own settings, which come from the environment.
  {
    stage: 'deploy',
    category: 'other',
    cloud: 'alicloud',
    title: 'a retry setting that is no positive whole number',
    calls: [],
    env: () => ({ CDKTF_KEYPAIR_MAX_ATTEMPTS: '0' }),
    message: /invalid input: CDKTF_KEYPAIR_MAX_ATTEMPTS must be a positive whole number, got "0"/,
  },
  {
    stage: 'deploy',
    category: 'other',
    cloud: 'tencentcloud',
    title: 'a delete timeout that is no number',
    command: 'delete',
    calls: [],
    env: () => ({ [HANDLER_ENV.deleteTimeoutSeconds]: 'soon' }),
    message: new RegExp(`invalid input: ${HANDLER_ENV.deleteTimeoutSeconds} must be a whole number of seconds, 0 or more; got "soon"`),
  },
];

// ---------------------------------------------------------------------------------------------------------
// Terraform: a few of the above end to end, through `terraform apply` of a synthesized stack.
// ---------------------------------------------------------------------------------------------------------

export interface TerraformCase extends CaseBase {
  readonly stage: 'terraform';
  /** The construct id (and stem of its outputs) of the key pair this case is about. */
  readonly id: string;
  readonly cloud: CloudName;
}

/** Each is a key pair of one stack applied once with bad `-var` values (see terraform.test.ts). */
export const TERRAFORM_CASES: readonly TerraformCase[] = [
  {
    stage: 'terraform',
    category: 'token value',
    id: 'name_var',
    cloud: 'alicloud',
    title: 'a name variable given a name Alibaba refuses (-var)',
    message: /invalid input: Alibaba Cloud key pair name "9lives" is not valid: CreateKeyPair names are 2 to 128 characters long, start with a letter/,
  },
  {
    stage: 'terraform',
    category: 'token value',
    id: 'region_var',
    cloud: 'tencentcloud',
    title: 'a region variable given no region id (-var)',
    message: /invalid input: region "AP-Guangzhou" is not valid: region ids are lower-case letters/,
  },
  {
    stage: 'terraform',
    category: 'token value',
    id: 'key_var',
    cloud: 'ucloud',
    title: 'a public key variable given an ed25519 key for UCloud (-var)',
    message: /invalid input: UCloud UHost imports ssh-rsa keys only; this public key is ssh-ed25519/,
  },
  {
    stage: 'terraform',
    category: 'token value',
    id: 'tags_var',
    cloud: 'tencentcloud',
    title: 'a tags variable given a key Tencent reserves (-var)',
    message: /invalid input: Tencent Cloud tag key "tencent:team" is not valid: .*do not start with qcloud, tencent or project/,
  },
  {
    stage: 'terraform',
    category: 'private key file',
    id: 'taken',
    cloud: 'alicloud',
    title: 'a file already at the private key path',
    message: /taken\.pem already exists and no key pair named "taken_key" does\. cdktf-keypair never overwrites a private key/,
  },
  {
    stage: 'terraform',
    category: 'endpoint',
    id: 'unreachable',
    cloud: 'ucloud',
    title: 'the construct\'s endpoint where nothing listens',
    message: /UCloud UHost DescribeUHostKeyPairs failed: NetworkError: ECONNREFUSED: .*\(endpoint http:\/\/127\.0\.0\.1:\d+\)/,
  },
  ...(['alicloud', 'tencentcloud', 'ucloud'] as const).map((cloud): TerraformCase => ({
    stage: 'terraform',
    category: 'credentials',
    id: `${cloud}_creds`,
    cloud,
    title: `${cloud}: an access key id without its secret, at apply and at plan`,
    message: {
      alicloud: /Alibaba Cloud ECS: no AccessKey secret found\. Set one of ALICLOUD_SECRET_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABACLOUD_ACCESS_KEY_SECRET/,
      tencentcloud: /Tencent Cloud CVM: no SecretKey found\. Set one of TENCENTCLOUD_SECRET_KEY/,
      ucloud: /UCloud UHost: no API private key found\. Set one of UCLOUD_PRIVATE_KEY/,
    }[cloud],
  })),
];

export const CATALOGUE: ReadonlyArray<SynthCase | DeployCase | TerraformCase> = [...SYNTH_CASES, ...DEPLOY_CASES, ...TERRAFORM_CASES];
