import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * Which modules a TypeScript source names, and where each resolves: read with the TypeScript compiler's
 * own parser and module resolution (under the project's tsconfig), so no form of import slips past a
 * regular expression and a path resolves to the file tsc would load.
 */

const ROOT = path.join(__dirname, '..', '..');

/** One module a source names; `specifier` is undefined when it is computed (`require(name)`), so it cannot be checked. */
export interface ModuleReference {
  readonly specifier: string | undefined;
  /** 1-based, for messages. */
  readonly line: number;
}

/**
 * Every module reference in `text`: `import … from`, side-effect `import '…'`, `export … from`,
 * `import x = require('…')`, `import('…')`, `require('…')`, and type-only `import('…').T`.
 */
export function moduleReferencesOf(fileName: string, text: string): ModuleReference[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const references: ModuleReference[] = [];
  const add = (node: ts.Node, expression: ts.Node | undefined): void => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    references.push({ specifier: expression && ts.isStringLiteralLike(expression) ? expression.text : undefined, line });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      add(node, node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && isModuleLoader(node.expression)) {
      add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return references;
}

/** `import(…)` and `require(…)`. */
function isModuleLoader(callee: ts.Expression): boolean {
  return callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
}

let projectOptions: ts.CompilerOptions | undefined;

/** The compiler options of tsconfig.dev.json, the configuration every source of the project compiles under. */
function compilerOptions(): ts.CompilerOptions {
  if (!projectOptions) {
    const configFile = path.join(ROOT, 'tsconfig.dev.json');
    const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
    projectOptions = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile).options;
  }
  return projectOptions;
}

/**
 * The absolute path `specifier` resolves to from `fromFile`, as tsc resolves it (a folder to its index, an
 * extension added), symlinks followed; a relative path that resolves to nothing is still placed where it
 * points, so a broken import into a folder counts as one. Undefined for a package that is not installed.
 */
export function resolveModule(specifier: string, fromFile: string): string | undefined {
  const resolved = ts.resolveModuleName(specifier, fromFile, compilerOptions(), ts.sys).resolvedModule?.resolvedFileName;
  const target = resolved ?? (specifier.startsWith('.') ? path.resolve(path.dirname(fromFile), specifier) : undefined);
  return target === undefined ? undefined : realPath(target);
}

/** Whether `file` is `directory` or anywhere beneath it (both real paths). */
export function isWithin(file: string, directory: string): boolean {
  const relative = path.relative(realPath(directory), file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Every `.ts` file under `directory`, recursively. */
export function typeScriptFilesUnder(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return typeScriptFilesUnder(file);
    return entry.isFile() && file.endsWith('.ts') ? [file] : [];
  });
}

/** The real path; for a path that does not exist, its nearest existing ancestor's real path with the rest appended. */
function realPath(file: string): string {
  const absolute = path.resolve(file);
  if (fs.existsSync(absolute)) return fs.realpathSync(absolute);
  const parent = path.dirname(absolute);
  return parent === absolute ? absolute : path.join(realPath(parent), path.basename(absolute));
}
