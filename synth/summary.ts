/**
 * The one line every synth prints first: which config file it used and which
 * two accounts (and regions) the output targets, so a synth of the wrong file
 * or of the checked-in example is seen before anything is deployed.
 */
import * as path from "node:path";
import type { ConfigSource } from "../config/load";
import type { CrossAccountConfig } from "../config/types";

/** `file` relative to `cwd` when it is inside it (with forward slashes), else absolute. */
export function shownPath(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  return inside ? relative.split(path.sep).join("/") : file;
}

/**
 * e.g. `Synthesizing examples/kms.json: bucket owner 111122223333 (eu-west-1),
 * accessor 444455556666 (eu-west-1) → cdktf.out`.
 */
export function synthSummary(
  source: ConfigSource,
  config: CrossAccountConfig,
  outdir: string,
  cwd: string = process.cwd(),
): string {
  const file = shownPath(source.file, cwd);
  const which = source.usedExample ? `${file}, the example config (CROSS_ACCOUNT_CONFIG is not set)` : file;
  const owner = `bucket owner ${config.bucketOwner.accountId} (${config.bucketOwner.region})`;
  const accessor = `accessor ${config.accessor.accountId} (${config.accessor.region})`;
  return `Synthesizing ${which}: ${owner}, ${accessor} → ${outdir}`;
}
