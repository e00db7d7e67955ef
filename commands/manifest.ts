/**
 * A synth output's manifest.json (written by cdktf's App.synth): which stacks
 * it holds, where each stack's Terraform JSON is, which stacks each depends
 * on, and the annotations (warnings, info) the constructs left. The commands
 * read stacks and their order from here, never from a list in code, so a
 * config that adds stacks (one accessor stack per accessor) needs no change.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CommandError } from "./command-error";

export const MANIFEST_FILE = "manifest.json";

export interface ManifestAnnotation {
  readonly constructPath: string;
  /** "@cdktf/info", "@cdktf/warn" or "@cdktf/error". */
  readonly level: string;
  readonly message: string;
}

export interface ManifestStack {
  readonly name: string;
  /** Names of the stacks this one needs deployed first (it reads their state). */
  readonly dependencies: readonly string[];
  /** The stack's Terraform JSON, relative to the output folder. */
  readonly synthesizedStackPath: string;
  /** Where terraform runs for this stack, relative to the output folder. */
  readonly workingDirectory: string;
  readonly annotations: readonly ManifestAnnotation[];
}

interface RawManifest {
  readonly stacks?: Record<string, Partial<ManifestStack> | undefined>;
}

/** The stacks of the manifest in `outdir`, in the manifest's order; undefined when there is no manifest. */
export function readManifest(outdir: string, shown: string = outdir): ManifestStack[] | undefined {
  const file = path.join(outdir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new CommandError([`"${shown}/${MANIFEST_FILE}" cannot be read (${code ?? String(error)}).`]);
  }
  let raw: RawManifest;
  try {
    raw = JSON.parse(text) as RawManifest;
  } catch {
    throw new CommandError([
      `"${shown}/${MANIFEST_FILE}" is not valid JSON (cut short or edited?): run npm run synth to write it anew.`,
    ]);
  }
  return Object.entries(raw.stacks ?? {}).map(([name, stack]) => ({
    name: stack?.name ?? name,
    dependencies: stack?.dependencies ?? [],
    synthesizedStackPath: stack?.synthesizedStackPath ?? path.join("stacks", name, "cdk.tf.json"),
    workingDirectory: stack?.workingDirectory ?? path.join("stacks", name),
    annotations: stack?.annotations ?? [],
  }));
}

const LEVELS: Readonly<Record<string, string>> = {
  "@cdktf/info": "INFO",
  "@cdktf/warn": "WARN",
  "@cdktf/error": "ERROR",
};

/** Each annotation as the cdktf CLI prints it after a synth: `WARN [bucket-owner/bucket]: message`. */
export function annotationLines(stacks: readonly ManifestStack[]): string[] {
  return stacks.flatMap((stack) =>
    stack.annotations.map(
      (annotation) =>
        `${LEVELS[annotation.level] ?? annotation.level} [${annotation.constructPath}]: ${annotation.message}`,
    ),
  );
}
