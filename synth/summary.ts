/**
 * The one line every synth prints first: which config file it used and which
 * two accounts (and regions) the output targets, so a synth of the wrong file
 * or of the checked-in example is seen before anything is deployed.
 */
import * as path from "node:path";
import type { ConfigSource } from "../config/load";
import { accessorsOf } from "../config/accessors";
import type { CrossAccountConfig } from "../config/types";

/** Consumers named on the line before "and N more": enough to recognise a config, short enough to read. */
const NAMED_CONSUMERS = 3;

/** The accessor side of the line: the one accessor, or the list's consumers by name. */
export function accessorsSummary(config: CrossAccountConfig): string {
  if (config.accessors === undefined) return `accessor ${config.accessor.accountId} (${config.accessor.region})`;
  const consumers = accessorsOf(config);
  const named = consumers
    .slice(0, NAMED_CONSUMERS)
    .map((consumer) => `${consumer.name} ${consumer.account.accountId} (${consumer.account.region})`);
  const more = consumers.length > NAMED_CONSUMERS ? ` and ${consumers.length - NAMED_CONSUMERS} more` : "";
  return `${consumers.length} consumer${consumers.length === 1 ? "" : "s"}: ${named.join(", ")}${more}`;
}

/** `file` relative to `cwd` when it is inside it (with forward slashes), else absolute. */
export function shownPath(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  return inside ? relative.split(path.sep).join("/") : file;
}

/**
 * e.g. `Synthesizing examples/kms.json: bucket owner 111122223333 (eu-west-1),
 * accessor 444455556666 (eu-west-1) → cdktf.out`; with an accessors list,
 * `…, 3 consumers: team-a 444455556666 (eu-west-1), … → cdktf.out`.
 */
export function synthSummary(
  source: ConfigSource,
  config: CrossAccountConfig,
  outdir: string,
  cwd: string = process.cwd(),
): string {
  const file = shownPath(source.file, cwd);
  const which = source.usedExample ? `${file}, the example config (CROSS_ACCOUNT_CONFIG is not set)` : file;
  return `Synthesizing ${which}: ${accountsSummary(config)} → ${outdir}`;
}

/** Both sides of the config, as every command's first line names them: `bucket owner … (…), accessor … (…)`. */
export function accountsSummary(config: CrossAccountConfig): string {
  return `bucket owner ${config.bucketOwner.accountId} (${config.bucketOwner.region}), ${accessorsSummary(config)}`;
}
