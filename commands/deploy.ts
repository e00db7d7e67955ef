/**
 * `npm run deploy [-- STACK… ] [--auto-approve] [--output DIR] [cdktf deploy flags]`
 *
 * Deploys the synthesized output as it is (`cdktf deploy --skip-synth`): every
 * stack when none is named, the bucket owner before the accessors that read
 * its state. See commands/stack-run.ts for the order and the refusals.
 */
import { flagList, parseCommandLine } from "./cli-options";
import { runCdktf } from "./run-cdktf";
import { CommandContext, CommandPlan, runPlannedCommand, planStackRun } from "./stack-run";

export const DEPLOY_USAGE = `usage: npm run deploy [-- STACK...] [--auto-approve] [--output DIR] [cdktf deploy flags]
  Deploys what npm run synth wrote (cdktf.out, or --output DIR), exactly as synthesized: every stack when none
  is named (the bucket owner first), else the named ones. Refuses when CROSS_ACCOUNT_CONFIG names another
  config than the output was made from. Flags passed to cdktf deploy:
${flagList("deploy", "    ")}`;

/** The deploy for these arguments, or the usage text for --help. */
export function planDeploy(args: readonly string[], context: CommandContext): CommandPlan | string {
  const line = parseCommandLine("deploy", args);
  return line.help ? DEPLOY_USAGE : planStackRun("deploy", line, context);
}

if (require.main === module) void runPlannedCommand("npm run deploy", planDeploy, runCdktf);
