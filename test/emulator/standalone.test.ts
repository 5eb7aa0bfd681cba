import * as fs from 'node:fs';
import * as path from 'node:path';
import { isWithin, moduleReferencesOf, resolveModule, typeScriptFilesUnder } from '../support/module-imports';

/**
 * The emulator stands on its own: nothing under emulator/ loads handler code. An emulator that read keys
 * with the client's parser, or checked signatures with the client's signer, would accept exactly the
 * mistakes the client makes. What both sides must agree on comes from src/contract, so src/ may not load
 * the handler either, or the emulator would reach it through the contract.
 */

const ROOT = fs.realpathSync(path.join(__dirname, '..', '..'));
const HANDLER = path.join(ROOT, 'handler');
const EMULATOR = path.join(ROOT, 'emulator');
const SRC = path.join(ROOT, 'src');
const NODE_MODULES = path.join(ROOT, 'node_modules');

/** The module references in `text` (the source of `file`) that reach into handler/, or are computed and so cannot be checked. */
function handlerImportsOf(file: string, text: string): string[] {
  return moduleReferencesOf(file, text).flatMap(({ specifier, line }) => {
    const where = `${path.relative(ROOT, file)}:${line}`;
    if (specifier === undefined) return [`${where} loads a module whose name is computed`];
    const target = resolveModule(specifier, file);
    return target !== undefined && isWithin(target, HANDLER) ? [`${where} '${specifier}'`] : [];
  });
}

function handlerImportsUnder(directory: string): string[] {
  return typeScriptFilesUnder(directory).flatMap((file) => handlerImportsOf(file, fs.readFileSync(file, 'utf8')));
}

/** A project source (not a package, not a declaration file) that the walk below follows. */
function isProjectSource(file: string): boolean {
  return isWithin(file, ROOT) && !isWithin(file, NODE_MODULES) && file.endsWith('.ts') && !file.endsWith('.d.ts');
}

/** Every project source the emulator loads, directly or through other files, with the chain of files that leads to it. */
function loadedByEmulator(): Map<string, readonly string[]> {
  const chains = new Map<string, readonly string[]>();
  const pending = typeScriptFilesUnder(EMULATOR).map((file) => fs.realpathSync(file));
  for (const file of pending) chains.set(file, [file]);
  while (pending.length > 0) {
    const file = pending.pop()!;
    for (const { specifier } of moduleReferencesOf(file, fs.readFileSync(file, 'utf8'))) {
      const target = specifier === undefined ? undefined : resolveModule(specifier, file);
      if (target === undefined || !isProjectSource(target) || chains.has(target)) continue;
      chains.set(target, [...chains.get(file)!, target]);
      pending.push(target);
    }
  }
  return chains;
}

describe('the emulator stands on its own', () => {
  test('the scanner sees every form of import, and resolves them as tsc does', () => {
    // GIVEN a file that would sit in emulator/clouds/ucloud/, naming the handler in every way TypeScript allows
    const planted = path.join(EMULATOR, 'clouds', 'ucloud', 'planted.ts');
    const text = [
      "import { signUcloudParams } from '../../../handler/clouds/ucloud/signer';",
      "import type { PublicKeyInfo } from '../../../handler/keys/public-key';",
      "import '../../../handler/main';",
      "export * from '../../../handler/keys';",
      "import sshpk = require('../../../handler/keys/sshpk');",
      "const later = () => import('../../../handler/tuning');",
      "const errors = require('../../../handler/clouds/ucloud/errors');",
      "type Info = import('../../../handler/keys/public-key').PublicKeyInfo;",
      "import { run } from '../../../emulator/../handler/run';",
      "const hidden = require(['..', 'handler'].join('/'));",
      "import { CLOUD_NAMES } from '../../../src/contract';",
      "import { UcloudFault } from './envelope';",
      "import { createHash } from 'node:crypto';",
      "import * as sshpkPackage from 'sshpk';",
    ].join('\n');

    // WHEN
    const found = handlerImportsOf(planted, text);

    // THEN the first ten lines, and nothing else
    expect(found).toEqual([
      "emulator/clouds/ucloud/planted.ts:1 '../../../handler/clouds/ucloud/signer'",
      "emulator/clouds/ucloud/planted.ts:2 '../../../handler/keys/public-key'",
      "emulator/clouds/ucloud/planted.ts:3 '../../../handler/main'",
      "emulator/clouds/ucloud/planted.ts:4 '../../../handler/keys'",
      "emulator/clouds/ucloud/planted.ts:5 '../../../handler/keys/sshpk'",
      "emulator/clouds/ucloud/planted.ts:6 '../../../handler/tuning'",
      "emulator/clouds/ucloud/planted.ts:7 '../../../handler/clouds/ucloud/errors'",
      "emulator/clouds/ucloud/planted.ts:8 '../../../handler/keys/public-key'",
      "emulator/clouds/ucloud/planted.ts:9 '../../../emulator/../handler/run'",
      'emulator/clouds/ucloud/planted.ts:10 loads a module whose name is computed',
    ]);
  });

  test('the scan sees the whole emulator', () => {
    const files = typeScriptFilesUnder(EMULATOR).map((file) => path.relative(ROOT, file));
    expect(files.length).toBeGreaterThan(30);
    expect(files).toEqual(expect.arrayContaining(['emulator/index.ts', 'emulator/main.ts', 'emulator/clouds/ucloud/signature.ts']));
  });

  test('no file under emulator/ imports from handler/', () => {
    expect(handlerImportsUnder(EMULATOR)).toEqual([]);
  });

  test('no file under src/ (the constructs and the contract the emulator shares) imports from handler/', () => {
    expect(handlerImportsUnder(SRC)).toEqual([]);
  });

  test('nothing the emulator loads, through any chain of project files, is under handler/', () => {
    // WHEN
    const loaded = loadedByEmulator();
    const intoHandler = [...loaded.entries()]
      .filter(([file]) => isWithin(file, HANDLER))
      .map(([, chain]) => chain.map((file) => path.relative(ROOT, file)).join(' → '));

    // THEN
    expect(intoHandler).toEqual([]);
    // The walk does leave emulator/: it reaches the contract, and the enum the contract derives cloud names from.
    expect([...loaded.keys()].map((file) => path.relative(ROOT, file))).toEqual(expect.arrayContaining(['src/contract/index.ts', 'src/cloud.ts']));
  });
});
