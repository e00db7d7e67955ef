/**
 * The record of which config a synth output was made from, written beside the
 * stacks (`<outdir>/cross-account-config.json`). The access report, diff and
 * deploy read it, so they can never check or apply one config's output against
 * another config. It holds the config's text itself, so the record still says
 * what was synthesized after the file is edited or moved.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { ConfigSource } from "./load";

/** File name of the record inside a synth output folder. */
export const CONFIG_RECORD_FILE = "cross-account-config.json";

export interface ConfigRecord {
  /** What this file is, for a person who opens it. */
  readonly description: string;
  /** The config file, relative to the folder the synth ran in when inside it, else absolute. */
  readonly configFile: string;
  /** True when CROSS_ACCOUNT_CONFIG was not set and the checked-in example was synthesized. */
  readonly usedExample: boolean;
  /** SHA-256 of the config text, to compare with a config given later. */
  readonly sha256: string;
  /** The config text exactly as synthesized. */
  readonly text: string;
}

/** SHA-256 (hex) of a config text. */
export function configSha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The record of `source`, with the file named relative to `cwd` when it is inside it. */
export function configRecord(source: ConfigSource, cwd: string = process.cwd()): ConfigRecord {
  const relative = path.relative(cwd, source.file);
  const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  return {
    description:
      "The config this synth output was made from. npm run access-report, diff and deploy read it; do not edit.",
    configFile: inside ? relative.split(path.sep).join("/") : source.file,
    usedExample: source.usedExample,
    sha256: configSha256(source.text),
    text: source.text,
  };
}

/** Writes the record of `source` into the synth output folder `outdir`. */
export function writeConfigRecord(outdir: string, source: ConfigSource, cwd: string = process.cwd()): void {
  writeFileSync(path.join(outdir, CONFIG_RECORD_FILE), `${JSON.stringify(configRecord(source, cwd), null, 2)}\n`);
}

/** The record in `outdir`, or undefined when the folder has none (made before records existed, or not a synth). */
export function readConfigRecord(outdir: string): ConfigRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(outdir, CONFIG_RECORD_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return JSON.parse(text) as ConfigRecord;
}

/** The record as a config source, resolved against `cwd` (the folder the command runs in). */
export function sourceOfRecord(record: ConfigRecord, cwd: string = process.cwd()): ConfigSource {
  return { file: path.resolve(cwd, record.configFile), usedExample: record.usedExample, text: record.text };
}
