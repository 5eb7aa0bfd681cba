import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StoredKeyPair } from '../../emulator/cloud-emulator';
import { EmulatorState } from '../../emulator/key-pair-store';

function keyPair(id: string, name = id): StoredKeyPair {
  return { id, name, publicKey: 'ssh-rsa AAAA', fingerprint: 'fp', createdAt: '2026-01-01T00:00:00Z', tags: {}, attributes: {} };
}

describe('EmulatorState', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('keeps clouds and scopes apart', () => {
    // GIVEN
    const state = new EmulatorState();
    // WHEN
    state.storeFor('alicloud').add('cn-hangzhou', keyPair('a'));
    state.storeFor('alicloud').add('cn-beijing', keyPair('b'));
    state.storeFor('tencentcloud').add('cn-hangzhou', keyPair('c'));
    // THEN
    expect(state.storeFor('alicloud').list('cn-hangzhou').map((k) => k.id)).toEqual(['a']);
    expect(state.storeFor('tencentcloud').list('cn-hangzhou').map((k) => k.id)).toEqual(['c']);
    expect(state.listKeyPairs('alicloud').map((k) => `${k.scope}/${k.id}`)).toEqual(['cn-hangzhou/a', 'cn-beijing/b']);
    expect(state.listKeyPairs('ucloud')).toEqual([]);
  });

  test('remove answers whether something was removed', () => {
    const store = new EmulatorState().storeFor('ucloud');
    store.add('cn-bj2/org-1', keyPair('x'));
    expect(store.remove('cn-bj2/org-1', 'x')).toBe(true);
    expect(store.remove('cn-bj2/org-1', 'x')).toBe(false);
    expect(store.list('cn-bj2/org-1')).toEqual([]);
  });

  test('a state file carries key pairs across restarts, and reset empties it', () => {
    // GIVEN an emulator state on a file
    const file = path.join(dir, 'nested', 'state.json');
    new EmulatorState(file).storeFor('tencentcloud').add('ap-guangzhou', keyPair('skey-1'));
    // WHEN a new one starts on the same file
    const restarted = new EmulatorState(file);
    // THEN it sees the key pair, and the file is private to its owner
    expect(restarted.storeFor('tencentcloud').list('ap-guangzhou').map((k) => k.id)).toEqual(['skey-1']);
    expect(fs.statSync(file).mode.toString(8).slice(-3)).toBe('600');
    restarted.reset();
    expect(new EmulatorState(file).listKeyPairs('tencentcloud')).toEqual([]);
  });

  test('sees changes another process wrote to the state file', () => {
    const file = path.join(dir, 'state.json');
    const reader = new EmulatorState(file);
    const writer = new EmulatorState(file);
    writer.storeFor('alicloud').add('cn-shanghai', keyPair('k1'));
    expect(reader.storeFor('alicloud').list('cn-shanghai').map((k) => k.id)).toEqual(['k1']);
  });

  test('refuses a file that is not an emulator state file', () => {
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, JSON.stringify({ something: 'else' }));
    expect(() => new EmulatorState(file)).toThrow(/not a version 1 state file/);
  });
});
