/**
 * Which config the report checks a synth output against: always the one the
 * synth used, which it recorded beside the stacks (config/config-record.ts).
 * A config named on the command line (--config) or in CROSS_ACCOUNT_CONFIG is
 * only a claim about that record: when it says something else, the report
 * refuses, in one line with the fix, rather than check one config's output
 * against another config's expectations.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { CONFIG_RECORD_FILE, configSha256, readConfigRecord, sourceOfRecord } from "../config/config-record";
import { CONFIG_ENV_VAR, configEnvValue, configFromSource, readConfigSource } from "../config/load";
import { ConfigError } from "../config/problems";
import type { CrossAccountConfig } from "../config/types";
import type { ConfigOrigin } from "./report";
import { SynthOutputError } from "./synth-output";

/** The config a report uses, and where it came from. */
export interface ReportConfig {
  readonly config: CrossAccountConfig;
  readonly origin: ConfigOrigin;
}

/** JSON with sorted keys, so two validated configs compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

const short = (sha: string): string => sha.slice(0, 12);

/** A path as a person typed it: relative to `cwd` when inside it, else absolute. */
function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/**
 * The config of the synth output in `outdir`. `given` is --config, else
 * CROSS_ACCOUNT_CONFIG from `env`; each must match the record (same text, or
 * the same config once validated, so reformatting the file does not matter).
 */
export function reportConfig(
  outdir: string,
  given: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): ReportConfig {
  const folder = shownPath(outdir, cwd);
  if (!existsSync(path.join(outdir, "manifest.json"))) {
    throw new SynthOutputError([
      `${folder}: no manifest.json; this is not a cdktf synth output folder (run "npm run synth" first, or pass the folder: npm run access-report -- --out <dir>)`,
    ]);
  }
  let record;
  try {
    record = readConfigRecord(outdir);
  } catch (error) {
    throw new SynthOutputError([
      `${path.join(folder, CONFIG_RECORD_FILE)}: cannot be read (${(error as Error).message}); re-synthesize: npm run synth`,
    ]);
  }
  // Set but empty is an error here as in every command: a script's unset variable, not "no config named".
  const named = given ?? configEnvValue(env);
  const via = given !== undefined ? "--config" : CONFIG_ENV_VAR;
  if (record === undefined) {
    const synth = named === undefined ? "npm run synth" : `${CONFIG_ENV_VAR}=${named} npm run synth`;
    throw new SynthOutputError([
      `${folder}: no ${CONFIG_RECORD_FILE}, so the report cannot tell which config it was synthesized from (it predates the record); re-synthesize: ${synth}`,
    ]);
  }
  const recorded = sourceOfRecord(record, cwd);
  let recordedConfig: CrossAccountConfig | undefined;
  let recordedProblem: ConfigError | undefined;
  try {
    recordedConfig = configFromSource(recorded);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    recordedProblem = error;
  }

  if (named === undefined) {
    if (recordedConfig === undefined) {
      throw new ConfigError(
        recordedProblem?.problems ?? [],
        `${path.join(folder, CONFIG_RECORD_FILE)}: the recorded config (${record.configFile}) is no longer valid; fix it and re-synthesize:`,
      );
    }
    return {
      config: recordedConfig,
      origin: { file: record.configFile, sha256: record.sha256, via: "recorded by the synth" },
    };
  }

  const source = readConfigSource({ [CONFIG_ENV_VAR]: named }, cwd);
  const config = configFromSource(source);
  const sha256 = configSha256(source.text);
  const shown = shownPath(source.file, cwd);
  if (sha256 === record.sha256 || (recordedConfig !== undefined && canonical(config) === canonical(recordedConfig))) {
    return { config, origin: { file: shown, sha256, via: `${via}, matches the synth's record` } };
  }
  throw new SynthOutputError([
    `${folder} was synthesized from ${record.configFile} (sha256 ${short(record.sha256)}), not from ${shown} (${via}, sha256 ${short(sha256)}): ` +
      `re-synthesize with ${CONFIG_ENV_VAR}=${shown} npm run synth, or run the report without ${via} to check the recorded config`,
  ]);
}
