/**
 * `npm run schema`: writes cross-account-config.schema.json and the reference in
 * docs/configuration.md from the tables of fields.ts, formatted as Prettier formats them (so
 * `npm run lint` passes). `npm run schema -- --check` writes nothing and fails when either
 * checked-in file differs from what it would write; config-schema.test.ts runs it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { configJsonSchema, SCHEMA_PATH } from "./json-schema";
import { configReferenceMarkdown, REFERENCE_END, REFERENCE_PATH, REFERENCE_START } from "./config-reference";

async function formatted(text: string, file: string): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

/** The schema file's text. */
export async function schemaFileText(): Promise<string> {
  return formatted(JSON.stringify(configJsonSchema()), SCHEMA_PATH);
}

/** `page` (docs/configuration.md) with its generated reference replaced by the current one. */
export async function referencePageText(page: string): Promise<string> {
  const start = page.indexOf(REFERENCE_START);
  const end = page.indexOf(REFERENCE_END);
  if (start === -1 || end < start) {
    throw new Error(`${REFERENCE_PATH} has lost the lines that mark its generated reference`);
  }
  const text = page.slice(0, start) + configReferenceMarkdown() + page.slice(end + REFERENCE_END.length);
  return formatted(text, REFERENCE_PATH);
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Writes both files (or, with `check`, only compares them); returns the files that were out of date. */
export async function writeSchemaFiles(check: boolean): Promise<string[]> {
  const wanted: Array<[string, string]> = [
    [SCHEMA_PATH, await schemaFileText()],
    [REFERENCE_PATH, await referencePageText(readOrEmpty(REFERENCE_PATH))],
  ];
  const stale = wanted.filter(([file, text]) => readOrEmpty(file) !== text);
  if (!check) for (const [file, text] of stale) writeFileSync(file, text);
  return stale.map(([file]) => path.relative(process.cwd(), file));
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const stale = await writeSchemaFiles(check);
  if (stale.length === 0) {
    process.stdout.write("The config schema and docs/configuration.md are up to date.\n");
  } else if (check) {
    process.stderr.write(`Out of date: ${stale.join(", ")}; run npm run schema.\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`Wrote ${stale.join(", ")}.\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`npm run schema failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
