import { UcloudFault } from './envelope';
import { integerParam, invalidParam, listParam } from './request';
import { UCLOUD_RET_CODES } from '../../../handler/clouds/ucloud/errors';
import type { EmulatorContext, StoredKeyPair } from '../../cloud-emulator';
import { generateRsaKeyPair, md5Hex, parseOpenSshPublicKey, PublicKeyRejected } from '../../key-material';

/** The project a request without ProjectId lands in ("不填写为默认项目": the account's default project). */
export const DEFAULT_PROJECT_ID = 'org-default';
/** UCloud's page size limits for DescribeUHostKeyPairs. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
/** DeleteUHostKeyPairs takes "up to 100" ids. */
const MAX_DELETE_IDS = 100;
/** UCloud documents no accepted key types; the emulator takes what its console offers, and refuses DSA. */
const ACCEPTED_KEY_TYPES = ['rsa', 'ecdsa', 'ed25519'] as const;

type Params = Readonly<Record<string, string>>;
type Fields = Record<string, unknown>;

/** One action: the checked parameters in, the answer's fields out (or a UcloudFault). */
export type UcloudAction = (params: Params, context: EmulatorContext) => Fields;

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
  if (!region) throw new UcloudFault(UCLOUD_RET_CODES.invalidParameter, 'Missing params [Region]');
  const projectId = params.ProjectId || DEFAULT_PROJECT_ID;
  return { scope: `${region}/${projectId}`, region, projectId };
}

function createKeyPair(params: Params, context: EmulatorContext): Fields {
  const { scope, region, projectId } = scopeOf(params);
  const name = checkedName(params);
  checkRoomFor(name, scope, context);
  const generated = generateRsaKeyPair();
  const stored = storeKeyPair(context, { scope, region, projectId, name, publicKey: generated.publicKeyOpenSsh });
  // UCloud does not document the private key's format; the emulator hands out classic PKCS#1 PEM.
  return { KeyPair: { ...describe(stored), PrivateKeyBody: generated.privateKeyPkcs1Pem } };
}

function importKeyPairs(params: Params, context: EmulatorContext): Fields {
  const { scope, region, projectId } = scopeOf(params);
  const name = checkedName(params);
  const publicKeyBody = params.PublicKeyBody;
  if (!publicKeyBody) throw new UcloudFault(UCLOUD_RET_CODES.invalidParameter, 'Missing params [PublicKeyBody]');
  let publicKey: string;
  try {
    publicKey = parseOpenSshPublicKey(publicKeyBody, ACCEPTED_KEY_TYPES).canonical;
  } catch (err) {
    if (!(err instanceof PublicKeyRejected)) throw err;
    const retCode = err.reason === 'malformed' ? UCLOUD_RET_CODES.publicKeyMalformed : UCLOUD_RET_CODES.publicKeyTypeUnsupported;
    throw new UcloudFault(retCode, `PublicKeyBody is not valid: ${err.message}`);
  }
  checkRoomFor(name, scope, context);
  const stored = storeKeyPair(context, { scope, region, projectId, name, publicKey });
  return { KeyPairId: stored.id, KeyPairName: stored.name, KeyPairFingerPrint: stored.fingerprint };
}

function describeKeyPairs(params: Params, context: EmulatorContext): Fields {
  const { scope } = scopeOf(params);
  const offset = integerParam(params, 'Offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = integerParam(params, 'Limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  // Exact matches: UCloud does not document whether its filters are exact, and clients filter again anyway.
  const matching = context.store
    .list(scope)
    .filter((keyPair) => !params.KeyPairName || keyPair.name === params.KeyPairName)
    .filter((keyPair) => !params.KeyPairFingerPrint || keyPair.fingerprint === params.KeyPairFingerPrint);
  return { KeyPairs: matching.slice(offset, offset + limit).map(describe), TotalCount: matching.length };
}

function deleteKeyPairs(params: Params, context: EmulatorContext): Fields {
  const { scope } = scopeOf(params);
  const ids = listParam(params, 'KeyPairIds');
  if (ids.length === 0) throw new UcloudFault(UCLOUD_RET_CODES.invalidParameter, 'Missing params [KeyPairIds]');
  if (ids.length > MAX_DELETE_IDS) throw invalidParam('KeyPairIds', `at most ${MAX_DELETE_IDS} per call`);
  // All or nothing: an unknown id fails the whole call before anything is deleted.
  const existing = new Set(context.store.list(scope).map((keyPair) => keyPair.id));
  const missing = ids.find((id) => !existing.has(id));
  if (missing !== undefined) throw new UcloudFault(UCLOUD_RET_CODES.keyPairNotFound, `KeyPair [${missing}] not found`);
  for (const id of ids) context.store.remove(scope, id);
  return {};
}

/** "由字母，数字，符号组成，长度为1-63位": 1–63 characters (code points; the model allows Chinese too). */
function checkedName(params: Params): string {
  const name = params.KeyPairName;
  if (!name) throw new UcloudFault(UCLOUD_RET_CODES.invalidParameter, 'Missing params [KeyPairName]');
  const length = [...name].length;
  if (length > 63 || name.trim() === '') throw invalidParam('KeyPairName', 'must be 1-63 characters');
  return name;
}

/** Names are unique per region and project, and each scope has a quota (both the emulator's reading). */
function checkRoomFor(name: string, scope: string, context: EmulatorContext): void {
  const existing = context.store.list(scope);
  if (existing.some((keyPair) => keyPair.name === name)) {
    throw new UcloudFault(UCLOUD_RET_CODES.keyPairNameDuplicate, `KeyPair name [${name}] already exists`);
  }
  if (existing.length >= context.quotaPerScope) {
    throw new UcloudFault(UCLOUD_RET_CODES.quotaExceeded, `KeyPair quota exceeded (${context.quotaPerScope} per project and region)`);
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
  const id = newKeyPairId(context, keyPair.scope);
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

/** `uhostkp-` and 8 lowercase hex characters, unique in the scope. */
function newKeyPairId(context: EmulatorContext, scope: string): string {
  const taken = new Set(context.store.list(scope).map((keyPair) => keyPair.id));
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
