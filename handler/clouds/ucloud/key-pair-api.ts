import {
  createUHostKeyPair,
  deleteUHostKeyPairs,
  describeAllUHostKeyPairs,
  DescribedUcloudKeyPair,
  importUHostKeyPairs,
  UcloudKeyPairFields,
} from './actions';
import { UcloudClient } from './client';
import { isDocumentedUcloudRetCode, ucloudMalformedAnswerError } from './errors';
import { ucloudFingerprintProvesKey } from './fingerprint';
import { IMPORTABLE_KEY_TYPES } from '../../../src/contract';
import { CloudApiError } from '../../http/cloud-api-error';
import { parseOpenSshPublicKey, PublicKeyRejected } from '../../keys/public-key';
import type { CloudConnection } from '../cloud-connection';
import type {
  CloudKeyPair,
  CreatedCloudKeyPair,
  CreateKeyPairInput,
  DeleteKeyPairResult,
  ImportKeyPairInput,
  KeyPairApi,
  KeyPairCapabilities,
  TagChange,
} from '../key-pair-api';

/**
 * UCloud key pairs carry no tags, and no UCloud answer ever holds a public key. Whether a name may be used
 * twice is undocumented (docs/cloud-behaviour.md#ucloud-name-uniqueness-unconfirmed): assume it may.
 */
const UCLOUD_CAPABILITIES: KeyPairCapabilities = { tags: false, uniqueNames: false };

/** The code of the refusal `updateTags` throws before any request (this project's code, not UCloud's). */
export const UCLOUD_TAGS_NOT_SUPPORTED_CODE = 'TagsNotSupported';

/** The KeyPairApi of UCloud UHost (and every cloud speaking the UCloud API at another endpoint). */
export function createUcloudKeyPairApi(connection: CloudConnection): KeyPairApi {
  return new UcloudKeyPairApi(connection);
}

/**
 * UCloud documents no key pair error codes (docs/cloud-behaviour.md#ucloud-documents-no-key-pair-codes): a
 * duplicate name, a bad key, an unknown id or a pair still in use come back as codes whose meaning nobody
 * promised. So nothing here
 * reads one: a refused create or import is explained by a describe by name, and a delete refused in such a
 * code (or left without an answer) is settled by describing the pair: gone is gone, present is `unknown`.
 */
class UcloudKeyPairApi implements KeyPairApi {
  readonly cloud = 'ucloud' as const;
  readonly region: string;
  readonly capabilities = UCLOUD_CAPABILITIES;

  private readonly client: UcloudClient;

  constructor(private readonly connection: CloudConnection) {
    this.region = connection.region;
    this.client = new UcloudClient(connection);
  }

  /** UCloud returns no public key: its fingerprint, which hashes the key with the project and id, is the proof. */
  holdsPublicKey(keyPair: CloudKeyPair, publicKeyLine: string): boolean {
    return ucloudFingerprintProvesKey(keyPair.scope ?? this.connection.scope, keyPair.id, keyPair.fingerprint, publicKeyLine);
  }

  async create(input: CreateKeyPairInput): Promise<CreatedCloudKeyPair> {
    let answer;
    try {
      answer = await createUHostKeyPair(this.client, input.name);
    } catch (err) {
      throw await this.explainedRefusal(err, input.name);
    }
    const keyPair = await this.completed('CreateUHostKeyPair', answer.keyPair, input.name, answer.requestId);
    return { ...keyPair, privateKey: answer.privateKey };
  }

  async importPublicKey(input: ImportKeyPairInput): Promise<CloudKeyPair> {
    const publicKey = input.publicKey.trim();
    checkImportable(publicKey);
    let answer;
    try {
      answer = await importUHostKeyPairs(this.client, input.name, publicKey);
    } catch (err) {
      throw await this.explainedRefusal(err, input.name);
    }
    return this.completed('ImportUHostKeyPairs', answer.keyPair, input.name, answer.requestId);
  }

  async findByName(name: string): Promise<CloudKeyPair[]> {
    // UCloud does not say whether its name filter is exact, so the pages are filtered again here
    // (docs/cloud-behaviour.md#name-filters-are-not-exact).
    const all = await describeAllUHostKeyPairs(this.client, { keyPairName: name });
    return all.filter((keyPair) => keyPair.keyPairName === name).map(toCloudKeyPair);
  }

  async describeById(id: string): Promise<CloudKeyPair | undefined> {
    // No id filter exists: every page is read until the id turns up, and all of them before "absent".
    const [found] = await describeAllUHostKeyPairs(this.client, {}, (keyPair) => keyPair.keyPairId === id);
    return found?.keyPairId === id ? toCloudKeyPair(found) : undefined;
  }

  /**
   * Always refused, before any request (even an empty change: asking is a caller's bug): UHost key pairs
   * carry no tags, and UCloud's key pair API has no tag, label or modify action (its four actions are
   * Create, Import, Describe and Delete).
   */
  async updateTags(keyPair: Pick<CloudKeyPair, 'id' | 'name'>, _change: TagChange): Promise<void> {
    throw new CloudApiError({
      cloud: 'ucloud',
      action: 'UpdateTags',
      code: UCLOUD_TAGS_NOT_SUPPORTED_CODE,
      message: `UCloud key pairs carry no tags, so the tags of ${keyPair.id || keyPair.name} cannot be changed (no request was sent)`,
      retryable: false,
      outcome: 'permanent',
      remedy: 'Remove the tags from this UCloud key pair: UCloud UHost key pairs have no tags, labels or description',
    });
  }

  async delete(keyPair: Pick<CloudKeyPair, 'id' | 'name'>): Promise<DeleteKeyPairResult> {
    try {
      const { requestId } = await deleteUHostKeyPairs(this.client, [keyPair.id]);
      return { alreadyGone: false, ...(requestId ? { requestId } : {}) };
    } catch (err) {
      if (!(err instanceof CloudApiError) || !deleteNeedsConfirmation(err)) throw err;
      // UCloud may answer anything for an unknown id, or for a pair still used by an instance
      // (docs/cloud-behaviour.md#ucloud-bound-key-pair-delete): only a describe says whether it is still there.
      let stillThere: CloudKeyPair | undefined;
      try {
        stillThere = await this.describeById(keyPair.id);
      } catch {
        throw err.with({ outcome: 'unknown', remedy: `${unconfirmedRemedy(keyPair)}; describing it to check failed too` });
      }
      if (stillThere === undefined) return { alreadyGone: true, ...(err.requestId ? { requestId: err.requestId } : {}) };
      throw err.with({
        outcome: 'unknown',
        retryable: false,
        remedy:
          `${unconfirmedRemedy(keyPair)}, and a describe shows it still exists. UCloud documents no code for a key pair ` +
          'still used by an instance: if one uses it, delete or reinstall that instance first, then retry',
      });
    }
  }

  /**
   * A create or import was refused in a code (or bare HTTP status) UCloud does not document. A refusal is
   * final, so nothing was made (`permanent`); a describe by name says whether the name was already taken,
   * the likely reason, without trusting the code.
   */
  private async explainedRefusal(err: unknown, name: string): Promise<unknown> {
    if (!(err instanceof CloudApiError) || !isUndocumentedAnswer(err)) return err;
    let existing: CloudKeyPair[];
    try {
      existing = await this.findByName(name);
    } catch {
      return err;
    }
    return err.with({
      outcome: existing.length === 0 ? 'permanent' : 'name-taken',
      retryable: false,
      remedy:
        existing.length === 0
          ? `No key pair named "${name}" exists afterwards, so nothing was created; the message above says why UCloud refused`
          : `A key pair named "${name}" already exists (${existing.map((found) => found.id).join(', ')}): pick another name, ` +
            'or delete the existing pair if it is not in use',
    });
  }

  /**
   * The key pair a create or import answer describes, completed by a describe by name when the answer
   * lacks the id or the fingerprint. Without an id, the one pair with that name (narrowed by fingerprint or
   * creation time when the answer has them) is taken; none or several is an error with outcome `unknown`.
   */
  private async completed(action: string, answer: UcloudKeyPairFields, name: string, requestId: string | undefined): Promise<CloudKeyPair> {
    if (answer.keyPairId !== undefined && answer.fingerprint !== undefined) {
      const { keyPairId: id, fingerprint } = answer;
      return { id, name: answer.keyPairName ?? name, fingerprint, tags: {}, ...(requestId ? { requestId } : {}) };
    }
    let named: DescribedUcloudKeyPair[];
    try {
      named = (await describeAllUHostKeyPairs(this.client, { keyPairName: name })).filter((keyPair) => keyPair.keyPairName === name);
    } catch {
      if (answer.keyPairId === undefined) {
        throw ucloudMalformedAnswerError(action, `the answer has no KeyPairId, and describing "${name}" to find it failed`, 'unknown', requestId, lookUpRemedy(name));
      }
      named = [];
    }
    if (answer.keyPairId !== undefined) {
      // The id is what matters; the fingerprint stays empty if the new pair is not listed yet.
      const listed = named.find((keyPair) => keyPair.keyPairId === answer.keyPairId);
      return {
        id: answer.keyPairId,
        name: answer.keyPairName ?? name,
        fingerprint: listed?.fingerprint ?? '',
        tags: {},
        ...(requestId ? { requestId } : {}),
      };
    }
    let candidates = named;
    if (candidates.length > 1 && answer.fingerprint !== undefined) {
      candidates = candidates.filter((keyPair) => keyPair.fingerprint === answer.fingerprint);
    }
    if (candidates.length > 1 && answer.createTime !== undefined) {
      candidates = candidates.filter((keyPair) => keyPair.createTime === answer.createTime);
    }
    if (candidates.length === 1) return { ...toCloudKeyPair(candidates[0]), ...(requestId ? { requestId } : {}) };
    throw ucloudMalformedAnswerError(
      action,
      candidates.length === 0
        ? `the answer has no KeyPairId, and no key pair named "${name}" is listed`
        : `the answer has no KeyPairId, and ${candidates.length} key pairs are named "${name}" (${candidates.map((keyPair) => keyPair.keyPairId).join(', ')}): cannot tell which one was just made`,
      'unknown',
      requestId,
      lookUpRemedy(name),
    );
  }
}

/**
 * Whether a failure is a final answer whose meaning UCloud does not document: a RetCode missing from its
 * list, or a bare HTTP 4xx (with or without a readable body). The service has finished with the request, so a describe right after it tells
 * what it did. (A timeout, a 5xx or the gateway's 110/130/150 are not final: the action may still land.)
 */
function isUndocumentedAnswer(err: CloudApiError): boolean {
  if (/^\d+$/.test(err.code)) return !isDocumentedUcloudRetCode(err.code);
  const status = err.httpStatus ?? 0;
  return status >= 400 && status < 500 && status !== 429;
}

/** A delete is confirmed by a describe after an undocumented answer, or after no usable answer at all. */
function deleteNeedsConfirmation(err: CloudApiError): boolean {
  return err.outcome === 'unknown' || isUndocumentedAnswer(err);
}

/**
 * UCloud imports `ssh-rsa` keys only (docs/cloud-behaviour.md#importable-key-types): refuse anything else
 * before a request, with the rule in the message.
 */
function checkImportable(publicKey: string): void {
  try {
    parseOpenSshPublicKey(publicKey, IMPORTABLE_KEY_TYPES.ucloud);
  } catch (err) {
    if (!(err instanceof PublicKeyRejected)) throw err;
    throw new CloudApiError({
      cloud: 'ucloud',
      action: 'ImportUHostKeyPairs',
      code: 'PublicKeyRejected',
      message: `the public key was not sent: ${err.message}`,
      retryable: false,
      outcome: 'permanent',
      remedy:
        err.reason === 'unsupported-type'
          ? 'UCloud imports ssh-rsa keys only ("导入的密钥对仅支持ssh-rsa加密方式"): use an RSA key'
          : 'The public key must be one line in OpenSSH format (`ssh-rsa AAAA… comment`); check the file you passed',
    });
  }
}

function toCloudKeyPair(keyPair: DescribedUcloudKeyPair): CloudKeyPair {
  return {
    id: keyPair.keyPairId,
    name: keyPair.keyPairName,
    fingerprint: keyPair.fingerprint ?? '',
    tags: {},
    ...(keyPair.projectId ? { scope: keyPair.projectId } : {}),
    ...(keyPair.requestId ? { requestId: keyPair.requestId } : {}),
  };
}

function unconfirmedRemedy(keyPair: Pick<CloudKeyPair, 'id' | 'name'>): string {
  return `UCloud documents no key pair error codes, so this answer does not say whether ${keyPair.id} ("${keyPair.name}") was deleted`;
}

function lookUpRemedy(name: string): string {
  return `The key pair "${name}" was probably created: look it up in the UCloud console, and delete it if it is not in use`;
}
