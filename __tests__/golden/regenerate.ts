/**
 * `npm run golden:regenerate [-- <case id> …]`: rewrites the golden stacks of
 * every checked-in config (or of the cases named) from what the app
 * synthesizes now. Run it only for a change that is meant to alter the
 * synthesized Terraform, and say in the commit why the output changed.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { GOLDEN_DIR, goldenCases, goldenFile, synthesizeStacks } from "../helpers/golden-stacks";

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const cases = goldenCases().filter((c) => wanted.length === 0 || wanted.includes(c.id));
  const unknown = wanted.filter((id) => !cases.some((c) => c.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown case(s) ${unknown.join(", ")}; known: ${goldenCases()
        .map((c) => c.id)
        .join(", ")}`,
    );
  }
  for (const goldenCase of cases) {
    const stacks = await synthesizeStacks(goldenCase.configFile);
    rmSync(path.join(GOLDEN_DIR, goldenCase.id), { recursive: true, force: true });
    mkdirSync(path.join(GOLDEN_DIR, goldenCase.id), { recursive: true });
    for (const [stackId, text] of stacks) writeFileSync(goldenFile(goldenCase.id, stackId), text);
    process.stdout.write(`${goldenCase.id}: ${[...stacks.keys()].join(", ")}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
