/**
 * Rewrites submodule imports of the AWS provider
 *   import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
 * into the cdktf TypeScript template's shape, which loads the provider's whole
 * package index:
 *   import { s3Bucket } from "@cdktf/provider-aws";
 *   import S3Bucket = s3Bucket.S3Bucket;
 * An `import X = ns.Y` alias names both the value and the type, so the rest of
 * the file compiles unchanged. The rewrite works on the TypeScript syntax tree,
 * not on text patterns, and refuses (throws) any form it does not handle, so a
 * product change can never silently leave a submodule import in the copy.
 */
import * as ts from "typescript";

/** The package the template imports from. */
export const PROVIDER_PACKAGE = "@cdktf/provider-aws";
const SUBMODULE_PREFIX = `${PROVIDER_PACKAGE}/lib/`;

/** A submodule path as the index names it: "s3-bucket" for ".../lib/s3-bucket/index.js". */
export function submoduleOf(specifier: string): string | undefined {
  if (!specifier.startsWith(SUBMODULE_PREFIX)) return undefined;
  return specifier
    .slice(SUBMODULE_PREFIX.length)
    .replace(/\.(js|d\.ts)$/, "")
    .replace(/\/index$/, "");
}

/**
 * The package index's namespaces, from its `export * as s3Bucket from './s3-bucket'`
 * declarations: submodule path -> namespace name.
 */
export function indexNamespaces(indexDtsText: string, fileName = "index.d.ts"): Map<string, string> {
  const source = ts.createSourceFile(fileName, indexDtsText, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const namespaces = new Map<string, string>();
  for (const statement of source.statements) {
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause !== undefined &&
      ts.isNamespaceExport(statement.exportClause) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      const submodule = statement.moduleSpecifier.text.replace(/^\.\//, "").replace(/\/index$/, "");
      namespaces.set(submodule, statement.exportClause.name.text);
    }
  }
  if (namespaces.size === 0) {
    throw new Error(`${fileName}: no "export * as <namespace> from './<submodule>'" declarations found`);
  }
  return namespaces;
}

/** What the rewrite did to one file. */
export interface RewriteResult {
  /** The rewritten source text (the input when nothing was rewritten). */
  readonly text: string;
  /** Index namespaces the file now imports, e.g. ["provider", "s3Bucket"]. */
  readonly namespaces: readonly string[];
  /** Whether the file imports from the package index after the rewrite. */
  readonly importsIndex: boolean;
}

/** Thrown for an import form the rewrite cannot turn into the template's shape. */
export class RewriteError extends Error {
  constructor(fileName: string, source: ts.SourceFile, node: ts.Node, message: string) {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    super(`${fileName}:${line + 1}:${character + 1}: ${message}`);
    this.name = "RewriteError";
  }
}

/** Names bound at module scope (the only ones an index namespace import could clash with). */
function moduleScopeNames(source: ts.SourceFile, skip: ReadonlySet<ts.Statement>): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) {
      names.add(name.text);
      return;
    }
    for (const element of name.elements) {
      if (!ts.isOmittedExpression(element)) addBinding(element.name);
    }
  };
  for (const statement of source.statements) {
    if (skip.has(statement)) continue;
    if (ts.isVariableStatement(statement)) {
      statement.declarationList.declarations.forEach((declaration) => addBinding(declaration.name));
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isModuleDeclaration(statement) ||
        ts.isImportEqualsDeclaration(statement)) &&
      statement.name !== undefined &&
      ts.isIdentifier(statement.name)
    ) {
      names.add(statement.name.text);
    } else if (ts.isImportDeclaration(statement) && statement.importClause !== undefined) {
      const clause = statement.importClause;
      if (clause.name !== undefined) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings !== undefined && ts.isNamedImports(bindings))
        bindings.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return names;
}

/**
 * Rewrites every provider submodule import of one file into an index import.
 * `namespaces` maps submodule paths to index namespace names (see indexNamespaces).
 */
export function rewriteProviderImports(
  fileName: string,
  text: string,
  namespaces: ReadonlyMap<string, string>,
): RewriteResult {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const fail = (node: ts.Node, message: string): never => {
    throw new RewriteError(fileName, source, node, message);
  };

  // 1. The top-level submodule imports, each with its namespace.
  const rewritten: { statement: ts.ImportDeclaration; namespace: string }[] = [];
  let importsIndex = false;
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (specifier === PROVIDER_PACKAGE) importsIndex = true;
    const submodule = submoduleOf(specifier);
    if (submodule === undefined) continue;
    const namespace = namespaces.get(submodule);
    if (namespace === undefined) {
      fail(statement, `"${specifier}" is not exported by the ${PROVIDER_PACKAGE} index, so it has no template form`);
    }
    rewritten.push({ statement, namespace: namespace as string });
  }

  // 2. Any other mention of a submodule (re-export, require, dynamic import, jest.mock, ...) is refused.
  const handled = new Set<ts.Node>(rewritten.map(({ statement }) => statement.moduleSpecifier));
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && !handled.has(node)) {
      if (submoduleOf(node.text) !== undefined) {
        fail(
          node,
          `"${node.text}" is used in a form the template rewrite does not handle (only top-level import declarations)`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);

  if (rewritten.length === 0) return { text, namespaces: [], importsIndex };

  // 3. Index namespace names, renamed when the file binds the same name at module scope.
  const taken = moduleScopeNames(source, new Set(rewritten.map(({ statement }) => statement)));
  const aliasLines = new Map<ts.ImportDeclaration, string[]>();
  const localNamespace = new Map<string, string>();
  for (const { statement } of rewritten) {
    const clause = statement.importClause;
    if (clause?.name !== undefined) fail(statement, "default imports from provider submodules are not supported");
    const bindings = clause?.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings)) bindings.elements.forEach((e) => taken.add(e.name.text));
    if (bindings !== undefined && ts.isNamespaceImport(bindings)) taken.add(bindings.name.text);
  }
  for (const { namespace } of rewritten) {
    if (localNamespace.has(namespace)) continue;
    let local = namespace;
    for (let n = 1; taken.has(local); n += 1) local = `${namespace}Namespace${n > 1 ? n : ""}`;
    taken.add(local);
    localNamespace.set(namespace, local);
  }
  for (const { statement, namespace } of rewritten) {
    const local = localNamespace.get(namespace) as string;
    const bindings = statement.importClause?.namedBindings;
    const lines: string[] = [];
    if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
      lines.push(`import ${bindings.name.text} = ${local};`);
    } else if (bindings !== undefined && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        lines.push(`import ${element.name.text} = ${local}.${imported};`);
      }
    }
    // A side-effect-only import (`import "…/lib/x"`) is covered by loading the index.
    aliasLines.set(statement, lines);
  }

  // 4. One index import where the first submodule import was; aliases replace each import in place.
  const specifiers = [...localNamespace]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([namespace, local]) => (namespace === local ? namespace : `${namespace} as ${local}`));
  const indexImport = `import { ${specifiers.join(", ")} } from "${PROVIDER_PACKAGE}";`;
  let output = "";
  let cursor = 0;
  rewritten.forEach(({ statement }, i) => {
    const lines = [...(i === 0 ? [indexImport] : []), ...(aliasLines.get(statement) ?? [])];
    output += text.slice(cursor, statement.getStart(source)) + lines.join("\n");
    cursor = statement.getEnd();
  });
  output += text.slice(cursor);
  return { text: output, namespaces: [...localNamespace.keys()].sort(), importsIndex: true };
}
