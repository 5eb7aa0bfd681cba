import type { CloudName } from '../../src/contract';

/**
 * The clouds' key pair actions, as their API references name them and the emulator's journal records them:
 * what tests count and filter requests by. (The handler's clients keep their own names; a test that took
 * them from there could not catch a wrong one.)
 */
export const CREATE_ACTION: Readonly<Record<CloudName, string>> = { alicloud: 'CreateKeyPair', tencentcloud: 'CreateKeyPair', ucloud: 'CreateUHostKeyPair' };
export const IMPORT_ACTION: Readonly<Record<CloudName, string>> = { alicloud: 'ImportKeyPair', tencentcloud: 'ImportKeyPair', ucloud: 'ImportUHostKeyPairs' };
export const DESCRIBE_ACTION: Readonly<Record<CloudName, string>> = {
  alicloud: 'DescribeKeyPairs',
  tencentcloud: 'DescribeKeyPairs',
  ucloud: 'DescribeUHostKeyPairs',
};
export const DELETE_ACTION: Readonly<Record<CloudName, string>> = { alicloud: 'DeleteKeyPairs', tencentcloud: 'DeleteKeyPairs', ucloud: 'DeleteUHostKeyPairs' };

/** The actions that make a key pair, per cloud: its create (the cloud generates the key) and its import. */
export const CREATE_ACTIONS: Readonly<Record<CloudName, readonly string[]>> = {
  alicloud: [CREATE_ACTION.alicloud, IMPORT_ACTION.alicloud],
  tencentcloud: [CREATE_ACTION.tencentcloud, IMPORT_ACTION.tencentcloud],
  ucloud: [CREATE_ACTION.ucloud, IMPORT_ACTION.ucloud],
};
