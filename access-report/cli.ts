/**
 * `npm run access-report [-- [--out] <synth dir>] [--json] [--strict] [--config <file>]`
 *
 * Reads a synth output folder (default cdktf.out) and the config the synth
 * recorded beside it, finds every grant the policies state beyond what the
 * config means to allow, judges each with the IAM evaluator, checks the
 * intended chain end to end, prints the report (or JSON with --json), writes
 * <synth dir>/access-report.md for the pull request, and exits 1 on any
 * error (an effective over-grant, an under-grant, a problem), or with
 * --strict on a warning too (an over-grant another policy blocks).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CONFIG_ENV_VAR } from "../config/load";
import { ConfigError } from "../config/problems";
import { renderJson, renderMarkdown, renderTable } from "./render";
import { buildAccessReport } from "./report";
import { reportConfig } from "./report-config";
import { SynthOutputError } from "./synth-output";
import { shownPath } from "../synth/summary";

export const MARKDOWN_FILE_NAME = "access-report.md";

const USAGE = `Usage: npm run access-report -- [--out <synth dir>] [--json] [--strict] [--config <config.json>]
  --out, positional  the cdktf synth output folder (default: cdktf.out)
  --json             print the report as JSON instead of a table
  --strict           also fail on warnings (over-grants another policy blocks)
  --config           the config the output was synthesized from; checked against the record the synth
                     wrote (default: $${CONFIG_ENV_VAR} if set, else the recorded config itself)
Writes <synth dir>/${MARKDOWN_FILE_NAME}; exits 1 on an over-grant, an under-grant or a problem.`;

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command with `argv` (without node and script); returns what to print instead of printing it. */
export async function runAccessReportCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<CliResult> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string" },
        json: { type: "boolean", default: false },
        strict: { type: "boolean", default: false },
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
  const outdir = path.resolve(cwd, values.out ?? positionals[0] ?? "cdktf.out");
  try {
    const { config, origin } = reportConfig(outdir, values.config, env, cwd);
    const report = await buildAccessReport(outdir, config, origin);
    const markdownFile = path.join(report.outdir, MARKDOWN_FILE_NAME);
    writeFileSync(markdownFile, renderMarkdown(report, values.strict));
    const stdout = values.json
      ? renderJson(report)
      : `${renderTable(report, values.strict, shownPath(outdir, cwd))}Markdown written to ${path.relative(cwd, markdownFile)}\n`;
    const passes = report.ok && (!values.strict || report.warningCount === 0);
    return { exitCode: passes ? 0 : 1, stdout, stderr: "" };
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
