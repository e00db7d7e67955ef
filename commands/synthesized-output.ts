/**
 * What diff, deploy and destroy operate on: the synthesized output folder,
 * exactly as `npm run synth` published it, and the record of the config it
 * was made from (config/config-record.ts). They never synthesize again, so
 * they cannot apply a config other than the one the output states; and when
 * CROSS_ACCOUNT_CONFIG names another config than the record (or the same file
 * since edited), they refuse, because the user means a config that was never
 * synthesized.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import * as path from "node:path";
import { CONFIG_RECORD_FILE, ConfigRecord, configSha256, readConfigRecord } from "../config/config-record";
import { CONFIG_ENV_VAR, configPath, readConfigSource } from "../config/load";
import { shownPath } from "../synth/summary";
import { CommandError } from "./command-error";
import { ManifestStack, readManifest } from "./manifest";

/** A stack with the AWS accounts and regions its providers are pinned to. */
export interface TargetedStack extends ManifestStack {
  /** `allowed_account_ids` of the stack's AWS providers. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

export interface SynthesizedOutput {
  /** The output folder, absolute. */
  readonly outdir: string;
  /** The output folder as given (for messages and the CLI's --output). */
  readonly shown: string;
  readonly record: ConfigRecord;
  readonly stacks: readonly TargetedStack[];
  /** Lines to print after the first: e.g. the config file has changed since the synth. */
  readonly notes: readonly string[];
}

interface StackJson {
  readonly provider?: {
    readonly aws?: ReadonlyArray<{ readonly allowed_account_ids?: readonly string[]; readonly region?: string }>;
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function targets(outdir: string, shown: string, stack: ManifestStack): TargetedStack {
  const file = path.join(outdir, stack.synthesizedStackPath);
  let json: StackJson;
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as StackJson;
  } catch {
    throw new CommandError([
      `"${shown}/${stack.synthesizedStackPath}" (stack ${stack.name}) is missing or not valid JSON: run npm run synth to write the output anew.`,
    ]);
  }
  const providers = json.provider?.aws ?? [];
  return {
    ...stack,
    accounts: unique(providers.flatMap((provider) => provider.allowed_account_ids ?? [])),
    regions: unique(providers.flatMap((provider) => (provider.region === undefined ? [] : [provider.region]))),
  };
}

/** `bucket-owner 111122223333 (eu-west-1)`: a stack and the account(s) it can change. */
export function describeStack(stack: TargetedStack): string {
  const accounts = stack.accounts.length > 0 ? stack.accounts.join(", ") : "(no AWS account pinned)";
  const regions = stack.regions.length > 0 ? ` (${stack.regions.join(", ")})` : "";
  return `${stack.name} ${accounts}${regions}`;
}

/** `examples/kms.json` or `config/example.json, the example config (CROSS_ACCOUNT_CONFIG was not set)`. */
export function describeRecord(record: ConfigRecord): string {
  return record.usedExample
    ? `${record.configFile}, the example config (${CONFIG_ENV_VAR} was not set)`
    : record.configFile;
}

/** The same file, also through a symbolic link or a different spelling of the path. */
function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * Refuses when CROSS_ACCOUNT_CONFIG is set and is not the config the output
 * was made from (another file, or the same file changed since). When it is
 * not set, the output's own record is used; a note says when that file has
 * changed since the synth.
 */
export function checkConfigMatches(
  record: ConfigRecord,
  shown: string,
  verb: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): string[] {
  const recorded = path.resolve(cwd, record.configFile);
  const named = env[CONFIG_ENV_VAR];
  if (named === undefined) {
    let now: string | undefined;
    try {
      now = configSha256(readConfigSource({ [CONFIG_ENV_VAR]: recorded }, cwd).text);
    } catch {
      now = undefined; // moved or deleted since: the record still holds the config as synthesized
    }
    return now === undefined || now === record.sha256
      ? []
      : [
          `Note: ${record.configFile} has changed since "${shown}" was synthesized; this ${verb} uses the config as synthesized (npm run synth takes the changes).`,
        ];
  }
  // Set but empty: the config loader's own one-line message.
  const file = configPath(env, cwd);
  const shownNamed = shownPath(file, cwd);
  if (!sameFile(file, recorded)) {
    throw new CommandError([
      `"${shown}" was synthesized from ${describeRecord(record)}, but ${CONFIG_ENV_VAR} names ${shownNamed}: run npm run synth first to synthesize ${shownNamed}, or unset ${CONFIG_ENV_VAR} to ${verb} what "${shown}" holds.`,
    ]);
  }
  // Unreadable, too large …: the config loader's own one-line message.
  const source = readConfigSource(env, cwd);
  if (configSha256(source.text) !== record.sha256) {
    throw new CommandError([
      `${shownNamed} has changed since "${shown}" was synthesized from it: run npm run synth first, so that the ${verb} uses the config as it is now.`,
    ]);
  }
  return [];
}

/**
 * Opens the output folder `shown` (relative to `cwd`) for `verb`: its record,
 * its stacks with their accounts. Throws a one-line CommandError when there
 * is nothing synthesized, no record, or CROSS_ACCOUNT_CONFIG names another config.
 */
export function openSynthesizedOutput(
  shown: string,
  verb: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): SynthesizedOutput {
  const outdir = path.resolve(cwd, shown);
  const synthAgain = env[CONFIG_ENV_VAR] === undefined ? "npm run synth" : `npm run synth (${CONFIG_ENV_VAR} is set)`;
  const stacks = readManifest(outdir, shown);
  if (stacks === undefined) {
    const why = existsSync(outdir) ? "has no manifest.json" : "does not exist";
    throw new CommandError([`Nothing to ${verb}: "${shown}" ${why}; run ${synthAgain} first.`]);
  }
  let record: ConfigRecord | undefined;
  try {
    record = readConfigRecord(outdir);
  } catch {
    throw new CommandError([
      `"${shown}/${CONFIG_RECORD_FILE}" is not valid JSON (edited or cut short?): run ${synthAgain} first.`,
    ]);
  }
  if (record === undefined) {
    throw new CommandError([
      `"${shown}" has no ${CONFIG_RECORD_FILE}, so which config it was made from is unknown: run ${synthAgain} first.`,
    ]);
  }
  if (stacks.length === 0) throw new CommandError([`"${shown}" holds no stacks: run ${synthAgain} first.`]);
  const notes = checkConfigMatches(record, shown, verb, env, cwd);
  return { outdir, shown, record, stacks: stacks.map((stack) => targets(outdir, shown, stack)), notes };
}
