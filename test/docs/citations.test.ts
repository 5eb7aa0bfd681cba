import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Everything the repository cites must be in the repository: the design record is docs/design.md and the
 * clouds' and providers' behaviour docs/cloud-behaviour.md, each linked by anchor. No file may cite a
 * document a clone does not have, or a code from a table outside it, and every `docs/<file>.md#<anchor>`
 * link must lead somewhere.
 */
const ROOT = path.join(__dirname, '..', '..');

/** Built, generated or installed: never scanned. */
const SKIPPED = [/^node_modules\//, /^lib\//, /^dist\//, /^coverage\//, /^assets\//, /^test-reports\//, /^\.tf-providers\//, /^\.jsii-bindings\//, /(^|\/)cdktf\.out\//, /^bench\/results\//, /^package-lock\.json$/];

/** Documents outside the repository (spelled in pieces, so this file does not cite them itself). */
const OUTSIDE_DOCUMENTS = ['DESIGN', 'real' + '-behaviour', 'cloud-apis', 'tags-and-secret-stores', 'terraform-plugin-protocol'].map((name) => `${name}.md`);
/** An entry of an outside table: C or P and one or two digits, standing alone (not inside base64, hex or a name). */
const BARE_CODE = /(?<![A-Za-z0-9+/=_.$-])[CP][0-9]{1,2}(?![A-Za-z0-9+=_$])/g;
/** A numbered section of the outside design record: its name, then the section sign. */
const DESIGN_SECTION = new RegExp(`${'DESIGN'}(\\.md)?\\s*\u00a7|${'design'}\\s*\u00a7`, 'g');
/** A link into docs/ with an anchor, as code comments, tests and documents write it. */
const DOCS_ANCHOR_LINK = /docs\/([A-Za-z0-9_./-]+?\.md)#([A-Za-z0-9_-]+)/g;
/** A relative Markdown link, with or without an anchor: `[text](ownership.md#tags-in-place)`, `[text](#faults)`. */
const MARKDOWN_LINK = /\]\(([^)\s#]*)(?:#([^)\s]+))?\)/g;

/** The repository's files, committed or not (never what .gitignore leaves out); a walk where git is missing. */
function repositoryFiles(): string[] {
  let listed: string[];
  try {
    listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\0').filter(Boolean);
  } catch {
    listed = walk('');
  }
  return listed.filter((file) => !SKIPPED.some((pattern) => pattern.test(file)) && existsSync(path.join(ROOT, file)) && isText(file));
}

function walk(relative: string): string[] {
  return readdirSync(path.join(ROOT, relative)).flatMap((entry) => {
    if (entry === '.git') return [];
    const file = relative === '' ? entry : `${relative}/${entry}`;
    if (SKIPPED.some((pattern) => pattern.test(`${file}/`))) return [];
    return statSync(path.join(ROOT, file)).isDirectory() ? walk(file) : [file];
  });
}

function isText(file: string): boolean {
  const full = path.join(ROOT, file);
  if (!statSync(full).isFile()) return false;
  return !readFileSync(full).subarray(0, 8000).includes(0);
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Where `text` cites something outside the repository: `line: excerpt` for each. */
export function outsideCitations(text: string): string[] {
  const found: { index: number; what: string }[] = [];
  for (const document of OUTSIDE_DOCUMENTS) {
    for (let index = text.indexOf(document); index >= 0; index = text.indexOf(document, index + 1)) found.push({ index, what: document });
  }
  for (const match of text.matchAll(BARE_CODE)) found.push({ index: match.index!, what: match[0] });
  for (const match of text.matchAll(DESIGN_SECTION)) found.push({ index: match.index!, what: match[0] });
  return found.sort((a, b) => a.index - b.index).map(({ index, what }) => `${lineOf(text, index)}: ${what}`);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a Markdown file offers: explicit `id`/`name` attributes and its headings' slugs (with GitHub's -1, -2 for repeats). */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = headingSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOfFile(file: string): Set<string> {
  let anchors = anchorCache.get(file);
  if (anchors === undefined) {
    anchors = anchorsOf(readFileSync(file, 'utf8'));
    anchorCache.set(file, anchors);
  }
  return anchors;
}

/** Why a link to `target` (a path from the repository root) with `anchor` leads nowhere, or undefined. */
function brokenLink(target: string, anchor: string | undefined): string | undefined {
  const full = path.join(ROOT, target);
  if (!existsSync(full)) return `${target} does not exist`;
  if (anchor === undefined || !target.endsWith('.md')) return undefined;
  return anchorsOfFile(full).has(anchor) ? undefined : `${target} has no anchor #${anchor}`;
}

/** Hand-written Markdown, whose relative links are checked too (API.md and docs/api/ are generated). */
function isHandWrittenMarkdown(file: string): boolean {
  return file.endsWith('.md') && file !== 'API.md' && !file.startsWith('docs/api/');
}

const files = repositoryFiles().map((file) => ({ file, text: readFileSync(path.join(ROOT, file), 'utf8') }));

describe('the repository cites only what a clone has', () => {
  test('the scan sees the sources, the tests and the docs', () => {
    const scanned = files.map(({ file }) => file);
    expect(scanned).toEqual(expect.arrayContaining(['README.md', 'docs/design.md', 'docs/cloud-behaviour.md', '.projenrc.ts', 'src/index.ts', 'handler/main.ts']));
    expect(scanned.filter((file) => file.startsWith('node_modules/') || file.startsWith('assets/'))).toEqual([]);
  });

  test('the check finds outside documents, design sections and bare table codes', () => {
    const outside = `see ${'DESIGN'}.md and ${'real'}-behaviour.md`;
    const codes = ['(', 'C', '3)', ' and ', 'P', '2: ', 'C', '2/', 'C', '3'].join('');
    const section = `${'DESIGN'} \u00a77`;
    expect(outsideCitations(outside)).toHaveLength(2);
    expect(outsideCitations(codes)).toHaveLength(3);
    expect(outsideCitations(section)).toHaveLength(1);
    // Base64, hex and identifiers are not codes; RFC sections are not the design's.
    expect(outsideCitations(['AAAAB3Nza+', 'C', '1/x 0xC1 KEY_C1 P256 RFC 4253 \u00a76.6 docs/design.md'].join(''))).toEqual([]);
  });

  test('no file cites a document outside the repository, a section of one, or an entry of its tables', () => {
    const citations = files.flatMap(({ file, text }) => outsideCitations(text).map((where) => `${file}:${where}`));
    expect(citations).toEqual([]);
  });

  test('headings give GitHub\'s anchors', () => {
    expect([...anchorsOf('# Design\n## Rules from Terraform\'s semantics\n### `data "null_data_source"` still exists\n## UCloud: no tags\n## Tags\n## Tags\n```\n# not a heading\n```\n<a id="own-anchor"></a>')]).toEqual([
      'own-anchor',
      'design',
      'rules-from-terraforms-semantics',
      'data-null_data_source-still-exists',
      'ucloud-no-tags',
      'tags',
      'tags-1',
    ]);
  });

  test('every docs/<file>.md#<anchor> link leads to a file and an anchor in it', () => {
    const links = files.flatMap(({ file, text }) => [...text.matchAll(DOCS_ANCHOR_LINK)].map((match) => ({ file, line: lineOf(text, match.index!), target: `docs/${match[1]}`, anchor: match[2] })));
    expect(links.length).toBeGreaterThan(50);
    const broken = links.flatMap(({ file, line, target, anchor }) => {
      const why = brokenLink(target, anchor);
      return why === undefined ? [] : [`${file}:${line}: ${why}`];
    });
    expect(broken).toEqual([]);
  });

  test('every relative link of the hand-written Markdown leads to a file, and an anchor in it', () => {
    const broken = files
      .filter(({ file }) => isHandWrittenMarkdown(file))
      .flatMap(({ file, text }) =>
        [...text.matchAll(MARKDOWN_LINK)].flatMap((match) => {
          const [, target, anchor] = match;
          if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return [];
          const resolved = target === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(target)));
          const why = brokenLink(resolved, anchor);
          return why === undefined ? [] : [`${file}:${lineOf(text, match.index!)}: ${why}`];
        }),
      );
    expect(broken).toEqual([]);
  });

  test('every anchor of cloud-behaviour.md is linked from the code, the tests or the docs', () => {
    const explicit = [...readFileSync(path.join(ROOT, 'docs', 'cloud-behaviour.md'), 'utf8').matchAll(/<a id="([^"]+)"/g)].map((match) => match[1]);
    const linked = new Set(
      files.flatMap(({ file, text }) => [
        ...[...text.matchAll(DOCS_ANCHOR_LINK)].filter((match) => match[1] === 'cloud-behaviour.md').map((match) => match[2]),
        ...(file.startsWith('docs/') ? [...text.matchAll(/\]\((?:cloud-behaviour\.md)?#([A-Za-z0-9_-]+)\)/g)].map((match) => match[1]) : []),
      ]),
    );
    expect(explicit.filter((anchor) => !linked.has(anchor))).toEqual([]);
  });
});
