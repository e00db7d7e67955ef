/**
 * Runs the app so that a failed synth never touches the previous output.
 *
 * `cdktf synth` itself does not clear its output folder: it runs the app with
 * CDKTF_OUTDIR set, and only after the app succeeds removes folders of stacks
 * that no longer exist. But the app writes each stack's JSON as it goes, and
 * under the CLI error annotations (policy rule failures) do not stop those
 * writes (the CLI sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS). So the app
 * synthesizes into a staging folder beside the output folder (same depth, so
 * relative state paths are the same) and copies it over the output only when
 * there is no error. Config problems are found before anything is built.
 */
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { ConfigError } from "./config/problems";
import type { ConfigSource } from "./config/load";
import { writeConfigRecord } from "./config/config-record";

const ERROR_LEVEL = "@cdktf/error";

interface ManifestAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

interface Manifest {
  readonly stacks: Readonly<Record<string, { readonly annotations?: readonly ManifestAnnotation[] }>>;
}

/** The output folder the CLI asked for, or cdktf's default. */
export function requestedOutdir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CDKTF_OUTDIR ?? "cdktf.out";
}

/**
 * The staging folder: a sibling of the output folder (so relative state paths
 * are the same), named per process so two synths at once cannot collide.
 */
export function stagingOutdir(outdir: string, pid: number = process.pid): string {
  const trimmed = outdir.replace(/[\\/]+$/, "");
  return `${trimmed}.staging-${pid}`;
}

/** Error annotations recorded in a synthesized manifest, as `[path] message` lines. */
export function errorAnnotations(outdir: string): string[] {
  const manifestPath = path.join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  return Object.values(manifest.stacks).flatMap((stack) =>
    (stack.annotations ?? [])
      .filter((annotation) => annotation.level === ERROR_LEVEL)
      .map((annotation) => `[${annotation.constructPath}] ${annotation.message}`),
  );
}

/** Thrown when synthesized stacks carry error annotations. */
export class SynthRuleError extends Error {
  constructor(public readonly lines: readonly string[]) {
    super(lines.join("\n"));
    this.name = "SynthRuleError";
  }
}

/** What a build function gives back: the app, and the config file it was built from (recorded beside the stacks). */
export interface BuiltApp {
  readonly app: App;
  readonly configSource?: ConfigSource;
}

/**
 * Builds the app into the staging folder, synthesizes, checks annotations and
 * publishes. Returns the problem lines instead of throwing.
 */
export function synthSafely(
  build: (outdir: string) => App | BuiltApp,
  outdir: string,
): { ok: boolean; lines: string[] } {
  const staging = stagingOutdir(outdir);
  rmSync(staging, { recursive: true, force: true });
  try {
    const built = build(staging);
    const { app, configSource } = built instanceof App ? { app: built, configSource: undefined } : built;
    app.synth();
    if (configSource !== undefined) writeConfigRecord(staging, configSource);
    const errors = errorAnnotations(staging);
    if (errors.length > 0) throw new SynthRuleError(errors);
    // Copy over, file by file, so each stack's .terraform folder (providers, lock) survives.
    cpSync(staging, outdir, { recursive: true, force: true });
    return { ok: true, lines: [] };
  } catch (error) {
    return { ok: false, lines: describe(error, outdir) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function describe(error: unknown, outdir: string): string[] {
  const untouched = `Nothing was written: the previous output in "${outdir}" is unchanged.`;
  if (error instanceof ConfigError) {
    return [...error.message.split("\n"), untouched];
  }
  if (error instanceof SynthRuleError) {
    return ["Policy rules failed:", ...error.lines, untouched];
  }
  const message = error instanceof Error ? error.message : String(error);
  // Outside the CLI, app.synth() throws on error annotations itself, with advice to ignore them; keep only the findings.
  const annotated = /^Encountered Annotations with level "ERROR":\n([\s\S]*?)\n\n/.exec(message)?.[1];
  if (annotated !== undefined) return ["Policy rules failed:", ...annotated.split("\n"), untouched];
  const detail = process.env.CROSS_ACCOUNT_DEBUG === "1" && error instanceof Error ? [error.stack ?? ""] : [];
  return [`Synthesis failed: ${message}`, ...detail, untouched];
}

/** Entry point for main.ts: synthesizes, or prints the problems on stderr and exits 1. */
export function runApp(build: (outdir: string) => App | BuiltApp): void {
  const result = synthSafely(build, requestedOutdir());
  if (!result.ok) {
    process.stderr.write(result.lines.join("\n") + "\n");
    process.exitCode = 1;
  }
}
