/**
 * `npm run destroy [-- STACK… ] [--auto-approve] [--output DIR] [cdktf destroy flags]`
 *
 * Destroys the stacks of the synthesized output (`cdktf destroy --skip-synth`):
 * every stack when none is named, the accessors before the bucket owner whose
 * state they read. See commands/stack-run.ts for the order and the refusals.
 */
import { flagList, parseCommandLine } from "./cli-options";
import { runCdktf } from "./run-cdktf";
import { CommandContext, CommandPlan, runPlannedCommand, planStackRun } from "./stack-run";

export const DESTROY_USAGE = `usage: npm run destroy [-- STACK...] [--auto-approve] [--output DIR] [cdktf destroy flags]
  Destroys the stacks of what npm run synth wrote (cdktf.out, or --output DIR): every stack when none is named
  (the accessors first), else the named ones. Refuses when CROSS_ACCOUNT_CONFIG names another config than the
  output was made from. Flags passed to cdktf destroy:
${flagList("destroy", "    ")}`;

/** The destroy for these arguments, or the usage text for --help. */
export function planDestroy(args: readonly string[], context: CommandContext): CommandPlan | string {
  const line = parseCommandLine("destroy", args);
  return line.help ? DESTROY_USAGE : planStackRun("destroy", line, context);
}

if (require.main === module) void runPlannedCommand("npm run destroy", planDestroy, runCdktf);
