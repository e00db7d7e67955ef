/**
 * What diff, deploy and destroy share: open the synthesized output (never
 * synthesize again), pick the stacks and their order from its manifest, say
 * on the first line which output, which config and which accounts, then run
 * the cdktf CLI on exactly that output (`--skip-synth --output DIR`).
 */
import { readCdktfJson } from "./cdktf-json";
import { runCommand } from "./command-error";
import { CommandLine, Flag, flagArgs, Verb } from "./cli-options";
import type { CdktfRunner } from "./run-cdktf";
import type { ManifestStack } from "./manifest";
import {
  deployLevels,
  destroyLevels,
  selectedLevels,
  selectStacks,
  unselectedDependants,
  unselectedDependencies,
} from "./stack-order";
import { describeRecord, describeStack, openSynthesizedOutput, TargetedStack } from "./synthesized-output";

const IGNORE_MISSING = "ignore-missing-stack-dependencies";

/** What a command will do: lines to print first, then cdktf CLI runs, one after another. */
export interface CommandPlan {
  /** The first names the output, its config and the accounts; the rest are notes. */
  readonly lines: readonly string[];
  /** Each run's arguments to the cdktf CLI, e.g. `["deploy", "bucket-owner", "accessor", "--skip-synth", …]`. */
  readonly runs: ReadonlyArray<readonly string[]>;
  /** Whether the remaining runs still go ahead after one fails (diff: plans change nothing). */
  readonly continueAfterFailure: boolean;
}

/** Where the command runs and with what environment. */
export interface CommandContext {
  readonly env: NodeJS.ProcessEnv;
  /** The project folder (npm runs scripts there). */
  readonly cwd: string;
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
}

/** Stacks of one level named on the first line before "and N more", as the synth's line names consumers. */
const NAMED_PER_LEVEL = 3;

/** `bucket-owner 111122223333 (eu-west-1), then accessor 444455556666 (eu-west-1)`. */
function describeLevels(levels: ReadonlyArray<readonly TargetedStack[]>): string {
  return levels
    .map((level) => {
      const named = level.slice(0, NAMED_PER_LEVEL).map(describeStack);
      const more = level.length - named.length;
      return more > 0 ? `${named.join(", ")} and ${more} more` : listOf(named);
    })
    .join(", then ");
}

const PRESENT: Readonly<Record<Verb, string>> = { diff: "Diffing", deploy: "Deploying", destroy: "Destroying" };

/** The first line: `Deploying "cdktf.out", synthesized from examples/kms.json: bucket-owner …, then accessor …`. */
function firstLine(verb: Verb, shown: string, record: string, levels: ReadonlyArray<readonly TargetedStack[]>): string {
  return `${PRESENT[verb]} "${shown}", synthesized from ${record}: ${describeLevels(levels)}`;
}

function opened(verb: Verb, line: CommandLine, context: CommandContext) {
  const shown = line.output ?? readCdktfJson(context.cwd).output;
  const output = openSynthesizedOutput(shown, verb, context.env, context.cwd);
  const selected = selectStacks(output.stacks, line.stacks, shown);
  return { output, selected };
}

function baseArgs(verb: Verb, names: readonly string[], shown: string): string[] {
  return [verb, ...names, "--skip-synth", "--output", shown];
}

/**
 * deploy and destroy: every stack (none named) or the named ones, in order.
 * One CLI run orders them by their dependencies itself. Naming a stack without
 * a stack it depends on (deploy) or without a stack that depends on it
 * (destroy) needs --ignore-missing-stack-dependencies, with which the CLI
 * starts all given stacks at once; so then each level gets a run of its own.
 */
export function planStackRun(verb: "deploy" | "destroy", line: CommandLine, context: CommandContext): CommandPlan {
  const { output, selected } = opened(verb, line, context);
  const all = verb === "deploy" ? deployLevels(output.stacks) : destroyLevels(output.stacks);
  const levels = selectedLevels(all, selected) as TargetedStack[][];
  const missing =
    verb === "deploy" ? unselectedDependencies(output.stacks, selected) : unselectedDependants(output.stacks, selected);
  const lines = [firstLine(verb, output.shown, describeRecord(output.record), levels), ...output.notes];

  const userIgnores = line.flags.some((flag) => flag.name === IGNORE_MISSING);
  let flags: Flag[] = [...line.flags];
  if (missing.length > 0 && !userIgnores) {
    flags = [{ name: IGNORE_MISSING }, ...flags];
    const relation =
      verb === "deploy"
        ? `${listOf(missing)} ${missing.length === 1 ? "is" : "are"} not in this deploy and must be deployed already (the named stacks read ${missing.length === 1 ? "its" : "their"} state)`
        : `${listOf(missing)} ${missing.length === 1 ? "reads" : "read"} the state of a stack destroyed here and ${missing.length === 1 ? "stays" : "stay"}; destroy ${missing.length === 1 ? "it" : "them"} first unless that is what you want`;
    lines.push(`Note: ${relation}; adding --${IGNORE_MISSING}, which the cdktf CLI needs to run a stack without them.`);
  }
  const ignoring = flags.some((flag) => flag.name === IGNORE_MISSING);
  const names = (level: readonly ManifestStack[]) => level.map((stack) => stack.name);
  const runs =
    ignoring && levels.length > 1
      ? levels.map((level) => [...baseArgs(verb, names(level), output.shown), ...flagArgs(flags)])
      : [[...baseArgs(verb, levels.flatMap(names), output.shown), ...flagArgs(flags)]];
  if (runs.length > 1) {
    lines.push(
      `Note: with --${IGNORE_MISSING} the cdktf CLI no longer orders stacks, so each level runs on its own, in order, stopping at the first failure.`,
    );
  }
  return { lines, runs, continueAfterFailure: false };
}

/** diff: `cdktf diff` plans one stack per run; every stack (none named) or the named ones, in deploy order. */
export function planDiff(line: CommandLine, context: CommandContext): CommandPlan {
  const { output, selected } = opened("diff", line, context);
  const levels = selectedLevels(deployLevels(output.stacks), selected) as TargetedStack[][];
  const lines = [firstLine("diff", output.shown, describeRecord(output.record), levels), ...output.notes];
  const runs = levels.flat().map((stack) => [...baseArgs("diff", [stack.name], output.shown), ...flagArgs(line.flags)]);
  return { lines, runs, continueAfterFailure: true };
}

/** Prints the plan's lines, then runs the CLI runs in turn; resolves to the exit code (the first failure's). */
export async function executePlan(
  plan: CommandPlan,
  runner: CdktfRunner,
  write: (line: string) => void = (text) => process.stdout.write(`${text}\n`),
): Promise<number> {
  plan.lines.forEach((text) => write(text));
  let exitCode = 0;
  const failed: string[] = [];
  for (const args of plan.runs) {
    write(`Running: cdktf ${args.join(" ")}`);
    const code = await runner(args);
    if (code === 0) continue;
    if (exitCode === 0) exitCode = code;
    failed.push(`cdktf ${args.slice(0, 2).join(" ")}`);
    if (!plan.continueAfterFailure) break;
  }
  if (failed.length > 0 && plan.runs.length > 1) write(`Failed (exit ${exitCode}): ${failed.join(", ")}.`);
  return exitCode;
}

/** A command's entry: plans from the process's arguments, prints the usage for --help, else runs the plan. */
export function runPlannedCommand(
  command: string,
  plan: (args: readonly string[], context: CommandContext) => CommandPlan | string,
  runner: CdktfRunner,
): Promise<void> {
  return runCommand(command, async () => {
    const planned = plan(process.argv.slice(2), { env: process.env, cwd: process.cwd() });
    if (typeof planned === "string") {
      process.stdout.write(`${planned}\n`);
      return 0;
    }
    return executePlan(planned, runner);
  });
}
