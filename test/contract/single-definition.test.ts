import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import {
  HANDLER_ENV,
  KEY_PAIR_ID_RULES,
  LOOKUP_QUERY_KEYS,
  NAME_RULES,
  OWNERSHIP_TAG_KEY,
  READ_QUERY_KEYS,
  RECORD_KEYS,
  REGION_RULE,
  RESULT_KEYS,
  SCOPE_RULES,
  SECRET_NAME_RULES,
  TAG_ENTRY_KEYS,
  TAG_RULES,
  TAGS_REVISION_TAG_KEY,
  TextRule,
  TRIGGER_KEYS,
} from '../../src/contract';

/**
 * The contract is defined once: a key name or a rule written again anywhere else (handler, emulator,
 * constructs) could drift from it unnoticed — the attribute-name bug cdk-ec2-key-pair shipped.
 */
const ROOT = path.join(__dirname, '..', '..');
const SCANNED = ['src', 'handler', 'emulator'];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const file = path.join(directory, entry);
    if (statSync(file).isDirectory()) return entry === 'contract' ? [] : sourceFiles(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

const sources = SCANNED.flatMap((folder) => sourceFiles(path.join(ROOT, folder))).map((file) => ({
  file: path.relative(ROOT, file),
  // Code only: a doc comment may name a key for readers (API.md shows it); code must import it.
  text: readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''),
}));

/** Names specific enough that a quoted copy can only be a second definition (not `cloud` or `region`). */
const keyNames = [
  ...Object.values(TRIGGER_KEYS),
  ...Object.values(RESULT_KEYS),
  ...Object.values(READ_QUERY_KEYS),
  ...Object.values(HANDLER_ENV),
  ...Object.values(RECORD_KEYS),
  ...Object.values(TAG_ENTRY_KEYS),
  ...Object.values(LOOKUP_QUERY_KEYS),
  OWNERSHIP_TAG_KEY,
  TAGS_REVISION_TAG_KEY,
].filter((name) => /[_:-]/.test(name));

const rules: TextRule[] = [
  ...Object.values(NAME_RULES).flatMap((byKind) => [byKind.create, byKind.import]),
  ...Object.values(TAG_RULES).flatMap((tagRules) => [tagRules!.key, tagRules!.value]),
  ...Object.values(SCOPE_RULES),
  ...Object.values(SECRET_NAME_RULES),
  ...Object.values(KEY_PAIR_ID_RULES).map((rule) => rule!),
  REGION_RULE,
];

describe('the construct↔handler contract', () => {
  test('the scan sees the code it guards', () => {
    expect(sources.length).toBeGreaterThan(40);
    expect(keyNames).toEqual(expect.arrayContaining([
      'key_pair_name',
      'fingerprint_sha256',
      'CDKTF_KEYPAIR_TRIGGERS',
      'cdktf-keypair:owner',
      'cdktf-keypair:tags-revision',
      'recorded_key_pair_id',
      'lookup_key_pair_id',
      'CDKTF_KEYPAIR_TAG_ENTRIES',
    ]));
  });

  test.each(keyNames)('the key "%s" is written only in the contract', (name) => {
    const copies = sources.filter(({ text }) => text.includes(`'${name}'`) || text.includes(`"${name}"`) || text.includes(`\`${name}\``));
    expect(copies.map(({ file }) => file)).toEqual([]);
  });

  test('no name, tag, scope, region or secret name rule is written twice', () => {
    const fragments = rules.flatMap((rule) => [rule.pattern, rule.description]);
    const copies = sources.flatMap(({ file, text }) =>
      fragments.filter((fragment) => text.includes(fragment) || text.includes(fragment.replace(/\\\\/g, '\\'))).map((fragment) => `${file}: ${fragment}`),
    );
    expect(copies).toEqual([]);
  });

  test('the list of clouds is derived from the public enum, never listed again', () => {
    const listed = /['"](alicloud|tencentcloud|ucloud)['"]\s*,\s*['"](alicloud|tencentcloud|ucloud)['"]\s*,\s*['"](alicloud|tencentcloud|ucloud)['"]/;
    expect(sources.filter(({ text }) => listed.test(text)).map(({ file }) => file)).toEqual([]);
  });
});
