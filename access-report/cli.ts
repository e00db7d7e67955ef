/**
 * `npm run access-report [-- [--out] <synth dir>] [--json] [--config <file>]`
 *
 * Reads a synth output folder (default cdktf.out), evaluates who can do what,
 * prints the table (or JSON with --json), writes <synth dir>/access-report.md
 * for the pull request, and exits 1 when any check differs from what the
 * configured access level implies. The expectations come from the same config
 * the app synthesizes from: CROSS_ACCOUNT_CONFIG, or --config, or the example.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CONFIG_ENV_VAR, loadConfig } from "../config/load";
import { ConfigError } from "../config/problems";
import { expectationsFromConfig } from "./expectations";
import { renderJson, renderMarkdown, renderTable } from "./render";
import { buildAccessReport } from "./report";
import { SynthOutputError } from "./synth-output";

export const MARKDOWN_FILE_NAME = "access-report.md";

const USAGE = `Usage: npm run access-report -- [--out <synth dir>] [--json] [--config <config.json>]
  --out, positional  the cdktf synth output folder (default: cdktf.out)
  --json             print the report as JSON instead of a table
  --config           the config the output was synthesized from (default: $${CONFIG_ENV_VAR}, else config/example.json)
Writes <synth dir>/${MARKDOWN_FILE_NAME}; exits 1 when a check differs from the configured access level.`;

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command with `argv` (without node and script); returns what to print instead of printing it. */
export async function runAccessReportCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string" },
        json: { type: "boolean", default: false },
        config: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return { exitCode: 1, stdout: "", stderr: `${(error as Error).message}\n${USAGE}\n` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { exitCode: 0, stdout: `${USAGE}\n`, stderr: "" };
  if (positionals.length > 1 || (positionals.length === 1 && values.out !== undefined)) {
    return {
      exitCode: 1,
      stdout: "",
      stderr: `give the synth output folder once (got ${[...positionals, values.out].filter(Boolean).join(", ")})\n${USAGE}\n`,
    };
  }
  const outdir = values.out ?? positionals[0] ?? "cdktf.out";
  try {
    const config = loadConfig(values.config === undefined ? env : { ...env, [CONFIG_ENV_VAR]: values.config });
    const report = await buildAccessReport(outdir, expectationsFromConfig(config));
    const markdownFile = path.join(report.outdir, MARKDOWN_FILE_NAME);
    writeFileSync(markdownFile, renderMarkdown(report));
    const stdout = values.json
      ? renderJson(report)
      : `${renderTable(report)}Markdown written to ${path.relative(process.cwd(), markdownFile)}\n`;
    return { exitCode: report.ok ? 0 : 1, stdout, stderr: "" };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SynthOutputError) {
      return { exitCode: 1, stdout: "", stderr: `${error.message}\n` };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { exitCode: 1, stdout: "", stderr: `access report failed: ${message}\n` };
  }
}

if (require.main === module) {
  void runAccessReportCli(process.argv.slice(2)).then((result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  });
}
