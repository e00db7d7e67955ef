/**
 * `npm run check-config`: validate the config named by CROSS_ACCOUNT_CONFIG
 * without writing anything; the problems are the only output (one per line on
 * stderr, exit 1).
 *
 * Limits that depend on the policies built from the config (a trust policy
 * that outgrows IAM's quota, a bucket policy over 20 KB) are found by the
 * policy rules on the built stacks, so this check builds every stack in memory
 * and runs the rules, as synth does, without writing anything.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import { ConfigError } from "./problems";
import { loadConfig } from "./load";
import type { CrossAccountConfig } from "./types";
import { addStacks } from "../stacks/app-stacks";

const ERROR_LEVEL = "@cdktf/error";

/** The policy rules' errors for the stacks of `config`, as `[construct path] message` lines. */
export function policyRuleErrors(config: CrossAccountConfig, projectRoot: string): string[] {
  // cdktf's App creates its output folder; give it a temporary one nothing is written to.
  const outdir = mkdtempSync(path.join(tmpdir(), "check-config-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    const { owner, accessors } = addStacks(app, config, { projectRoot });
    const stacks: TerraformStack[] = [owner, ...accessors];
    stacks.forEach((stack) => invokeAspects(stack));
    return app.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === ERROR_LEVEL)
          .map((entry) => `[${construct.node.path}] ${String(entry.data)}`),
      );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every problem with the config, as the lines to print; empty when synth can go ahead. */
export function checkConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string[] {
  try {
    const errors = policyRuleErrors(loadConfig(env, cwd), cwd);
    return errors.length === 0 ? [] : ["Policy rules failed:", ...errors];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message.split("\n");
  }
}

/** Every input problem is a ConfigError; anything else is a defect here, still reported in one line, without a stack trace. */
function unexpected(error: unknown): string[] {
  const message = error instanceof Error ? error.message : String(error);
  const detail = process.env.CROSS_ACCOUNT_DEBUG === "1" && error instanceof Error ? [error.stack ?? ""] : [];
  return [`The config could not be checked: ${message}`, ...detail];
}

if (require.main === module) {
  let lines: string[];
  try {
    lines = checkConfig();
  } catch (error) {
    lines = unexpected(error);
  }
  if (lines.length > 0) {
    process.stderr.write(`${lines.join("\n")}\nNothing was synthesized.\n`);
    process.exitCode = 1;
  }
}
