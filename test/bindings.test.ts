import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesUnder } from './support/files';

const ROOT = path.join(__dirname, '..');

/** The fenced code blocks of a Markdown text: the fence's language and the code. */
function codeBlocks(markdown: string): Array<{ language: string; code: string }> {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)].map((match) => ({
    language: match[1].trim().split(/\s+/)[0],
    code: match[2],
  }));
}

describe('jsii bindings', () => {
  test('the public API generates in Python, Java, .NET and Go (code only, offline)', () => {
    // GIVEN the compiled assembly (`npx projen test` compiles before jest)
    expect(fs.existsSync(path.join(ROOT, '.jsii'))).toBe(true);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-bindings-'));
    try {
      // WHEN
      execFileSync(
        path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'),
        ['--code-only', '--target', 'python', '--target', 'java', '--target', 'dotnet', '--target', 'go', '--outdir', outdir],
        { cwd: ROOT, stdio: 'pipe', env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' } },
      );
      // THEN each language carries the public enum, with its members
      const expectations: Record<string, RegExp> = {
        python: /class KeyPairCloud\(enum\.Enum\)/,
        java: /public enum KeyPairCloud/,
        dotnet: /public enum KeyPairCloud/,
        go: /type KeyPairCloud string/,
      };
      // AND each package's README (the PyPI page, the Go module's) shows the examples in its own language,
      // translated through the rosetta tablet that `compile` writes (jsii-rosetta extract --strict)
      const readmes = [
        { language: 'python', file: path.join(outdir, 'python', 'README.md'), property: 'key_pair_name="bastion"' },
        { language: 'go', file: path.join(outdir, 'go', 'cdktfkeypair', 'README.md'), property: 'KeyPairName: jsii.String("bastion")' },
      ];
      for (const { language, file, property } of readmes) {
        const blocks = codeBlocks(fs.readFileSync(file, 'utf8'));
        const own = blocks.filter((block) => block.language === language);
        expect({
          language,
          typescriptBlocks: blocks.filter((block) => ['ts', 'typescript'].includes(block.language)).length,
          ownBlocksWithTypeScriptSyntax: own.filter((block) => /\bkeyPairName:|\bnew [A-Z]|^\s*(const|let) /m.test(block.code)).length,
          untranslated: own.filter((block) => /automatically generated from non-compiling source/.test(block.code)).length,
          hasOwnSyntax: own.some((block) => block.code.includes(property)),
        }).toEqual({ language, typescriptBlocks: 0, ownBlocksWithTypeScriptSyntax: 0, untranslated: 0, hasOwnSyntax: true });
      }
      for (const [language, declaration] of Object.entries(expectations)) {
        const sources = filesUnder(path.join(outdir, language)).map((file) => fs.readFileSync(file, 'utf8')).join('\n');
        expect({ language, declares: declaration.test(sources), hasMembers: /TENCENTCLOUD/.test(sources) }).toEqual({
          language,
          declares: true,
          hasMembers: true,
        });
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
