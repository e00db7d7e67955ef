/**
 * `npm run diff [-- STACK… ] [--output DIR] [cdktf diff flags]`
 *
 * Plans the synthesized output as it is (`cdktf diff --skip-synth`), one stack
 * per CLI run because `cdktf diff` takes one: every stack when none is named,
 * in deploy order, going on after a failed plan (a plan changes nothing).
 */
import { flagList, parseCommandLine } from "./cli-options";
import { runCdktf } from "./run-cdktf";
import { CommandContext, CommandPlan, runPlannedCommand, planDiff } from "./stack-run";

export const DIFF_USAGE = `usage: npm run diff [-- STACK...] [--output DIR] [cdktf diff flags]
  Plans (terraform plan) what npm run synth wrote (cdktf.out, or --output DIR), exactly as synthesized: every
  stack when none is named (in deploy order; an accessor's plan reads the bucket owner's deployed state), else
  the named ones. Refuses when CROSS_ACCOUNT_CONFIG names another config than the output was made from.
  Flags passed to cdktf diff:
${flagList("diff", "    ")}`;

/** The diff for these arguments, or the usage text for --help. */
export function planDiffCommand(args: readonly string[], context: CommandContext): CommandPlan | string {
  const line = parseCommandLine("diff", args);
  return line.help ? DIFF_USAGE : planDiff(line, context);
}

if (require.main === module) void runPlannedCommand("npm run diff", planDiffCommand, runCdktf);
