/**
 * Builds copies of the project in a scratch folder:
 * - a verbatim copy (same sources, same cdktf.json), and
 * - a template-shaped copy: the cdktf TypeScript template's `npx ts-node main.ts`
 *   app (type-checked at run time) with every provider import going through the
 *   package index.
 * Both share this project's node_modules through a symlink. The copies are taken
 * from the working tree, so the bench always measures the code as it is now.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { indexNamespaces, PROVIDER_PACKAGE, rewriteProviderImports } from "./rewrite-provider-imports";

/** The cdktf TypeScript template's app command. */
export const TEMPLATE_APP_COMMAND = "npx ts-node main.ts";

/** Top-level entries never copied: dependencies, VCS, output, state, and what the app does not run. */
const SKIPPED_ENTRIES = new Set([
  "node_modules",
  ".git",
  "bench",
  "__tests__",
  "coverage",
  "dist",
  ".gen",
  ".terraform",
  "package-lock.json",
]);

function skipped(name: string): boolean {
  return (
    SKIPPED_ENTRIES.has(name) || name.startsWith("cdktf.out") || name.endsWith(".staging") || name.includes(".tfstate")
  );
}

/** Copies the project's working tree (minus SKIPPED_ENTRIES) and links its node_modules. */
export function copyProject(projectRoot: string, destination: string): void {
  mkdirSync(destination, { recursive: true });
  for (const entry of readdirSync(projectRoot)) {
    if (skipped(entry)) continue;
    cpSync(path.join(projectRoot, entry), path.join(destination, entry), {
      recursive: true,
      filter: (from) => !skipped(path.basename(from)),
    });
  }
  symlinkSync(path.join(projectRoot, "node_modules"), path.join(destination, "node_modules"), "dir");
}

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const file = path.join(folder, entry);
    if (entry === "node_modules") return [];
    if (statSync(file).isDirectory()) return typeScriptFiles(file);
    return /\.(ts|mts|cts|tsx)$/.test(entry) && !entry.endsWith(".d.ts") ? [file] : [];
  });
}

/** The index namespaces of the installed provider (submodule path -> namespace). */
export function installedNamespaces(projectRoot: string): Map<string, string> {
  const packageJson = require.resolve(`${PROVIDER_PACKAGE}/package.json`, { paths: [projectRoot] });
  const manifest = JSON.parse(readFileSync(packageJson, "utf8")) as { types?: string; main?: string };
  const types = manifest.types ?? (manifest.main ?? "index.js").replace(/\.js$/, ".d.ts");
  const indexDts = path.join(path.dirname(packageJson), types);
  return indexNamespaces(readFileSync(indexDts, "utf8"), indexDts);
}

/** What turning a copy into the template's shape did. */
export interface TemplateShape {
  /** Files whose provider imports were rewritten, relative to the copy. */
  readonly rewrittenFiles: readonly string[];
  /** Index namespaces imported across the copy. */
  readonly namespaces: readonly string[];
}

/**
 * Turns a verbatim copy into the template's shape, in place: provider imports
 * through the package index, cdktf.json's app = `npx ts-node main.ts`.
 * Throws when a file cannot be rewritten or when no file imports the index.
 */
export function makeTemplateShaped(copyRoot: string, namespaces: ReadonlyMap<string, string>): TemplateShape {
  const rewrittenFiles: string[] = [];
  const used = new Set<string>();
  let importsIndex = false;
  for (const file of typeScriptFiles(copyRoot)) {
    const before = readFileSync(file, "utf8");
    const relative = path.relative(copyRoot, file);
    const result = rewriteProviderImports(relative, before, namespaces);
    importsIndex ||= result.importsIndex;
    result.namespaces.forEach((namespace) => used.add(namespace));
    if (result.text !== before) {
      writeFileSync(file, result.text);
      rewrittenFiles.push(relative);
    }
  }
  if (!importsIndex) {
    throw new Error(
      `no file of the copy imports "${PROVIDER_PACKAGE}" after the rewrite: the copy would not be template-shaped`,
    );
  }
  const cdktfJsonPath = path.join(copyRoot, "cdktf.json");
  const cdktfJson = JSON.parse(readFileSync(cdktfJsonPath, "utf8")) as Record<string, unknown>;
  writeFileSync(cdktfJsonPath, JSON.stringify({ ...cdktfJson, app: TEMPLATE_APP_COMMAND }, null, 2) + "\n");
  return { rewrittenFiles: rewrittenFiles.sort(), namespaces: [...used].sort() };
}

/** The `app` command of a cdktf.json. */
export function appCommand(projectRoot: string): string {
  const cdktfJson = JSON.parse(readFileSync(path.join(projectRoot, "cdktf.json"), "utf8")) as { app?: unknown };
  if (typeof cdktfJson.app !== "string" || cdktfJson.app.trim() === "") {
    throw new Error(`${path.join(projectRoot, "cdktf.json")}: "app" is missing or not a command string`);
  }
  return cdktfJson.app;
}
