/**
 * `npm run synth [-- --output DIR]`: what `npx cdktf synth` does, without the
 * CLI. The CLI spends seconds starting itself and a shell before it runs the
 * app command from cdktf.json; this runs the same app (main.ts) in this
 * process, with the environment the CLI would give it (synth-environment.ts),
 * and prints what the CLI prints afterwards: the stacks' warnings and the
 * stacks written. The output is byte for byte the CLI's (a system test
 * compares them on every example config).
 *
 * What else the CLI does around the app: it removes stack folders that the new
 * synth no longer has (synth/ leaves them empty for it), and so does this; it
 * reports a missing manifest, and synth/ fails with its own message first; it
 * sends telemetry, which is off.
 */
import { type Dirent, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { readCdktfJson } from "./cdktf-json";
import { CommandError, runCommand } from "./command-error";
import { annotationLines, readManifest } from "./manifest";
import { deployLevels } from "./stack-order";
import { applyEnvironment, synthEnvironment } from "./synth-environment";

export const SYNTH_USAGE = `usage: npm run synth [-- --output DIR]
  Synthesizes the config named by CROSS_ACCOUNT_CONFIG (else the example config/example.json) into cdktf.out,
  or DIR: the same output as npx cdktf synth, in a fraction of its time. A failed synth (config problem,
  policy rule) prints one line per problem and leaves the previous output untouched.`;

function parse(args: readonly string[]): { output: string | undefined; help: boolean } {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { output: { type: "string", short: "o" }, help: { type: "boolean", short: "h" } },
      strict: true,
    });
    return { output: values.output, help: values.help === true };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new CommandError([`npm run synth: ${message} (it takes --output DIR; npm run synth -- --help)`]);
  }
}

/** As the CLI does after the app: stack folders the manifest no longer names go (synth/ left them empty). */
function removeOrphanedStackFolders(outdir: string, stackNames: readonly string[]): void {
  const stacksFolder = path.join(outdir, "stacks");
  let entries: Dirent[];
  try {
    entries = readdirSync(stacksFolder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.isDirectory() && !stackNames.includes(entry.name)) {
      rmSync(path.join(stacksFolder, entry.name), { recursive: true, force: true });
    }
  }
}

async function synth(): Promise<number> {
  const options = parse(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${SYNTH_USAGE}\n`);
    return 0;
  }
  const cdktfJson = readCdktfJson(process.cwd());
  const outdir = options.output ?? cdktfJson.output;
  applyEnvironment(synthEnvironment(outdir, cdktfJson, process.env), process.env);

  const { synthesized } = await import("../main");
  await synthesized;
  // The app prints its problems and sets the exit code itself.
  if (process.exitCode !== undefined && Number(process.exitCode) !== 0) {
    return Number(process.exitCode);
  }
  const stacks = readManifest(path.resolve(outdir), outdir) ?? [];
  removeOrphanedStackFolders(
    path.resolve(outdir),
    stacks.map((stack) => stack.name),
  );
  const lines = [
    ...annotationLines(stacks),
    `Generated Terraform code for the stacks: ${deployLevels(stacks)
      .flat()
      .map((stack) => stack.name)
      .join(", ")} (in ${outdir})`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

if (require.main === module) void runCommand("npm run synth", synth);
