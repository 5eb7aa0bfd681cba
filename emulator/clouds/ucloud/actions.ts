import { EMULATOR_RET_CODES, UcloudFault } from './envelope';
import { integerParam, invalidParam, listParam } from './parameters';
import { IMPORTABLE_KEY_TYPES, NAME_RULES, ruleViolation, TextRule } from '../../../src/contract';
import type { EmulatorContext, StoredKeyPair } from '../../cloud-emulator';
import { md5Hex } from '../../key-material';
import { PublicKeyRefused, readOpenSshPublicKey } from '../../openssh-public-key';

/** The project a request without ProjectId lands in ("不填写为默认项目": the account's default project). */
export const DEFAULT_PROJECT_ID = 'org-default';
/** UCloud's page size limits for DescribeUHostKeyPairs. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
/** DeleteUHostKeyPairs takes "up to 100" ids. */
const MAX_DELETE_IDS = 100;

/**
 * How this emulator plays the parts of UCloud that are unknown or differ between UCloud-API clouds; each
 * setting links its entry of docs/cloud-behaviour.md.
 */
export interface UcloudEmulatorSettings {
  /**
   * RSA size of CreateUHostKeyPair's keys: UCloud generates 2048 bits, the UCloud-Global white-label 4096
   * (docs/cloud-behaviour.md#ucloud-generated-keys).
   * @default 2048
   */
  readonly generatedKeyBits: number;
  /**
   * Accept a second key pair with a name already used in the region and project. UCloud does not say
   * whether names are unique (docs/cloud-behaviour.md#ucloud-name-uniqueness-unconfirmed); by default the
   * emulator refuses with its own code 8510.
   * @default false
   */
  readonly duplicateNames: boolean;
  /**
   * Refuse to delete a key pair bound to an instance (with the emulator's code 8514). UCloud's instance
   * model has `KeyPairState: Normal|Deleted`, so a real delete very likely succeeds and leaves the instance
   * with a "Deleted" key pair (docs/cloud-behaviour.md#ucloud-bound-key-pair-delete): that is the default,
   * and bindings do not block a delete. This switch plays the other possibility, for clients that must cope
   * with both.
   * @default false
   */
  readonly refuseBoundDeletes: boolean;
}

/** The RSA sizes UCloud-API clouds are known to generate. */
export const UCLOUD_GENERATED_KEY_SIZES: readonly number[] = [2048, 4096];

export const DEFAULT_UCLOUD_SETTINGS: UcloudEmulatorSettings = { generatedKeyBits: 2048, duplicateNames: false, refuseBoundDeletes: false };

type Params = Readonly<Record<string, string>>;
type Fields = Record<string, unknown>;

/** One action: the checked parameters in, the answer's fields out (or a UcloudFault). */
export type UcloudAction = (params: Params, context: EmulatorContext, settings: UcloudEmulatorSettings) => Fields;

export const UCLOUD_ACTIONS: Readonly<Record<string, UcloudAction>> = {
  CreateUHostKeyPair: createKeyPair,
  ImportUHostKeyPairs: importKeyPairs,
  DescribeUHostKeyPairs: describeKeyPairs,
  DeleteUHostKeyPairs: deleteKeyPairs,
};

/** Key pairs live per region and project: the scope string of the shared store. */
function scopeOf(params: Params): { scope: string; region: string; projectId: string } {
  const region = params.Region;
  // Documented as optional, but a key pair always belongs to one region; the emulator asks for it.
  if (!region) throw new UcloudFault(EMULATOR_RET_CODES.invalidParameter, 'Missing params [Region]');
  const projectId = params.ProjectId || DEFAULT_PROJECT_ID;
  return { scope: `${region}/${projectId}`, region, projectId };
}

function createKeyPair(params: Params, context: EmulatorContext, settings: UcloudEmulatorSettings): Fields {
  const { scope, region, projectId } = scopeOf(params);
  const name = checkedName(params, NAME_RULES.ucloud.create);
  checkRoomFor(name, scope, context, settings);
  const generated = context.newRsaKeyPair(settings.generatedKeyBits);
  const stored = storeKeyPair(context, { scope, region, projectId, name, publicKey: generated.publicKeyOpenSsh });
  // UCloud hands out unencrypted PKCS#8 PEM, `-----BEGIN PRIVATE KEY-----`
  // (docs/cloud-behaviour.md#ucloud-generated-keys).
  return { KeyPair: { ...describe(stored), PrivateKeyBody: generated.privateKeyPkcs8Pem } };
}

function importKeyPairs(params: Params, context: EmulatorContext, settings: UcloudEmulatorSettings): Fields {
  const { scope, region, projectId } = scopeOf(params);
  const name = checkedName(params, NAME_RULES.ucloud.import);
  const publicKeyBody = params.PublicKeyBody;
  if (!publicKeyBody) throw new UcloudFault(EMULATOR_RET_CODES.invalidParameter, 'Missing params [PublicKeyBody]');
  let publicKey: string;
  try {
    // "导入的密钥对仅支持ssh-rsa加密方式": UCloud imports ssh-rsa keys only
    // (docs/cloud-behaviour.md#importable-key-types).
    publicKey = readOpenSshPublicKey(publicKeyBody, IMPORTABLE_KEY_TYPES.ucloud).canonical;
  } catch (err) {
    if (!(err instanceof PublicKeyRefused)) throw err;
    const retCode = err.reason === 'malformed' ? EMULATOR_RET_CODES.publicKeyMalformed : EMULATOR_RET_CODES.publicKeyTypeUnsupported;
    throw new UcloudFault(retCode, `PublicKeyBody is not valid: ${err.message}`);
  }
  checkRoomFor(name, scope, context, settings);
  const stored = storeKeyPair(context, { scope, region, projectId, name, publicKey });
  return { KeyPairId: stored.id, KeyPairName: stored.name, KeyPairFingerPrint: stored.fingerprint };
}

function describeKeyPairs(params: Params, context: EmulatorContext): Fields {
  const { scope } = scopeOf(params);
  const offset = integerParam(params, 'Offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = integerParam(params, 'Limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  // Exact matches: UCloud does not document whether its filters are exact, and clients filter again anyway.
  const matching = context.store
    .describable(scope)
    .filter((keyPair) => !params.KeyPairName || keyPair.name === params.KeyPairName)
    .filter((keyPair) => !params.KeyPairFingerPrint || keyPair.fingerprint === params.KeyPairFingerPrint);
  return { KeyPairs: matching.slice(offset, offset + limit).map(describe), TotalCount: matching.length };
}

function deleteKeyPairs(params: Params, context: EmulatorContext, settings: UcloudEmulatorSettings): Fields {
  const { scope } = scopeOf(params);
  const ids = listParam(params, 'KeyPairIds');
  if (ids.length === 0) throw new UcloudFault(EMULATOR_RET_CODES.invalidParameter, 'Missing params [KeyPairIds]');
  if (ids.length > MAX_DELETE_IDS) throw invalidParam('KeyPairIds', `at most ${MAX_DELETE_IDS} per call`);
  // All or nothing: an unknown (or, when refused, a bound) id fails the whole call before anything is deleted.
  const existing = new Set(context.store.list(scope).map((keyPair) => keyPair.id));
  const missing = ids.find((id) => !existing.has(id));
  if (missing !== undefined) throw new UcloudFault(EMULATOR_RET_CODES.keyPairNotFound, `KeyPair [${missing}] not found`);
  if (settings.refuseBoundDeletes) {
    for (const id of ids) {
      const instanceId = context.store.takeDeleteBlocker(id);
      if (instanceId !== undefined) {
        throw new UcloudFault(EMULATOR_RET_CODES.keyPairInUse, `KeyPair [${id}] is used by UHost [${instanceId}]`);
      }
    }
  }
  // By default a bound pair is deleted like any other (its binding goes with it), as UCloud very likely does.
  for (const id of ids) context.store.remove(scope, id);
  return {};
}

/** The name, checked against UCloud's rule from the contract ("由字母，数字，符号组成，长度为1-63位"). */
function checkedName(params: Params, rule: TextRule): string {
  const name = params.KeyPairName;
  if (!name) throw new UcloudFault(EMULATOR_RET_CODES.invalidParameter, 'Missing params [KeyPairName]');
  if (ruleViolation(rule, name) !== undefined) throw invalidParam('KeyPairName', rule.description);
  return name;
}

/** Names are unique per region and project unless told otherwise, and each scope has a quota (both the emulator's reading). */
function checkRoomFor(name: string, scope: string, context: EmulatorContext, settings: UcloudEmulatorSettings): void {
  const existing = context.store.list(scope);
  if (!settings.duplicateNames && existing.some((keyPair) => keyPair.name === name)) {
    throw new UcloudFault(EMULATOR_RET_CODES.keyPairNameDuplicate, `KeyPair name [${name}] already exists`);
  }
  if (existing.length >= context.quotaPerScope) {
    throw new UcloudFault(EMULATOR_RET_CODES.quotaExceeded, `KeyPair quota exceeded (${context.quotaPerScope} per project and region)`);
  }
}

interface NewKeyPair {
  readonly scope: string;
  readonly region: string;
  readonly projectId: string;
  readonly name: string;
  readonly publicKey: string;
}

function storeKeyPair(context: EmulatorContext, keyPair: NewKeyPair): StoredKeyPair {
  const id = newKeyPairId(context);
  const stored: StoredKeyPair = {
    id,
    name: keyPair.name,
    publicKey: keyPair.publicKey,
    // As documented: md5(ProjectId|KeyPairId|PublicKey), read with literal `|` separators, lowercase hex.
    fingerprint: md5Hex(`${keyPair.projectId}|${id}|${keyPair.publicKey}`),
    createdAt: context.now().toISOString(),
    tags: {},
    attributes: { projectId: keyPair.projectId, region: keyPair.region },
  };
  context.store.add(keyPair.scope, stored);
  return stored;
}

/** `uhostkp-` and 8 lowercase hex characters, unique in the whole account (bindings name pairs by id). */
function newKeyPairId(context: EmulatorContext): string {
  const taken = new Set(context.store.listAll().map((keyPair) => keyPair.id));
  for (;;) {
    const id = `uhostkp-${context.randomUuid().replace(/-/g, '').slice(0, 8).toLowerCase()}`;
    if (!taken.has(id)) return id;
  }
}

/** The `KeyPair` model as Describe (and Create, plus the private key) answers it. */
function describe(keyPair: StoredKeyPair): Fields {
  return {
    ProjectId: keyPair.attributes.projectId,
    KeyPairId: keyPair.id,
    KeyPairName: keyPair.name,
    KeyPairFingerPrint: keyPair.fingerprint,
    CreateTime: Math.floor(Date.parse(keyPair.createdAt) / 1000),
  };
}
