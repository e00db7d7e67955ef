/**
 * A synth is all or nothing: the output folder changes from the old complete
 * synth to the new complete synth in one rename, or not at all, whatever
 * happens (a config or policy-rule error, a full disk, a crash, a signal, a
 * parallel synth). See docs/synth-output.md for what a reader can rely on.
 *
 * `cdktf synth` runs the app with CDKTF_OUTDIR set and reads the manifest
 * from that folder afterwards (it does not clear it first). The app writes
 * each stack's JSON as it goes, and under the CLI error annotations (policy
 * rule failures) do not stop those writes (the CLI sets
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS). So, holding the output's lock:
 * recover from any cut-short publish, synthesize into a sibling staging
 * folder, record the config, check the annotations, then publish (publish.ts).
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { writeConfigRecord } from "../config/config-record";
import type { ConfigSource } from "../config/load";
import { ConfigError } from "../config/problems";
import type { CrossAccountConfig } from "../config/types";
import { errnoCode, fsCause } from "./fs-errors";
import { describeHolder, LockLostError, LockTimeoutError, lockWaitMs, LOCK_WAIT_ENV, OutputLock } from "./lock";
import { checkOutputFolder, createParents, OutputFolderError, removeCreatedParents } from "./output-folder";
import { OutputPaths } from "./output-paths";
import { Publication, recover } from "./publish";
import { onInterrupt, yieldToSignals } from "./signals";
import { synthSummary } from "./summary";
import { faultPoint } from "./test-fault";

const ERROR_LEVEL = "@cdktf/error";

interface ManifestAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

interface Manifest {
  readonly stacks: Readonly<Record<string, { readonly annotations?: readonly ManifestAnnotation[] }>>;
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

/** What a build function gives back: the app, and the config it was built from (recorded beside the stacks). */
export interface BuiltApp {
  readonly app: App;
  /** The config file, recorded as cross-account-config.json in the output. */
  readonly configSource?: ConfigSource;
  /** The validated config, for the line naming the accounts. */
  readonly config?: CrossAccountConfig;
}

export interface SynthOptions {
  /** Prints a progress line (the accounts synthesized, a wait for the lock, a recovery); default: nothing. */
  readonly log?: (line: string) => void;
  /** How long to wait for another synth's lock, in milliseconds; default from CROSS_ACCOUNT_SYNTH_LOCK_WAIT, else 60 s. */
  readonly waitMs?: number;
  /** The folder relative paths are resolved against; default: the working directory. */
  readonly cwd?: string;
}

/** The outcome: ok, or the lines to print on stderr, the last one saying what the output folder holds. */
export interface SynthResult {
  readonly ok: boolean;
  readonly lines: string[];
}

/**
 * Builds the app into a staging folder, synthesizes, checks annotations and
 * publishes, all under the output folder's lock. Never throws: problems come
 * back as lines, ending with the truth about what was (not) written.
 */
export async function synthSafely(
  build: (outdir: string) => App | BuiltApp,
  outdir: string,
  options: SynthOptions = {},
): Promise<SynthResult> {
  const log = options.log ?? (() => undefined);
  const cwd = options.cwd ?? process.cwd();
  const paths = new OutputPaths(outdir, cwd);
  let hadOutput: boolean | undefined;
  let createdParent: string | undefined;
  let lock: OutputLock | undefined;
  let publication: Publication | undefined;
  /** What the synth is doing, for a file system error that names no file (a failed write). */
  let doing = `checking "${paths.shown}"`;

  /** Undoes what was done so far and says what the output folder holds now. */
  const undo = (): string => {
    const outcome =
      publication?.rollBack() ??
      (hadOutput === true
        ? `Nothing was written: the previous output in "${paths.shown}" is unchanged.`
        : hadOutput === false
          ? `Nothing was written: "${paths.shown}" was not created.`
          : "Nothing was written.");
    lock?.release();
    lock = undefined;
    if (publication?.phase !== "published" && publication?.phase !== "done") removeCreatedParents(paths, createdParent);
    return outcome;
  };
  const unregister = onInterrupt(() => [undo()]);

  try {
    hadOutput = checkOutputFolder(paths, cwd);
    createdParent = createParents(paths);
    doing = `creating the lock file "${paths.lockFile}"`;
    lock = await OutputLock.acquire(paths, { waitMs: options.waitMs ?? lockWaitMs(), log });
    doing = `recovering a cut-short publish beside "${paths.shown}"`;
    for (const line of recover(paths)) log(line);
    // Again under the lock: a recovery or the synth that held the lock may have changed it.
    hadOutput = checkOutputFolder(paths, cwd);
    publication = new Publication(paths, hadOutput, lock);
    const staging = paths.staging();
    doing = `writing "${staging}"`;
    rmSync(staging, { recursive: true, force: true });
    publication.phase = "staging";

    const built = build(staging);
    const { app, configSource, config } = built instanceof App ? { app: built } : built;
    if (configSource !== undefined && config !== undefined) {
      log(synthSummary(configSource, config, paths.shown, cwd));
    }
    await faultPoint("synth");
    app.synth();
    await faultPoint("write-record");
    if (configSource !== undefined) writeConfigRecord(staging, configSource, cwd);
    const errors = errorAnnotations(staging);
    if (errors.length > 0) throw new SynthRuleError(errors);

    // A signal that came during the synth stops it here, before the output is touched.
    await yieldToSignals();
    doing = `publishing "${staging}" as "${paths.shown}"`;
    await publication.publish();
    for (const note of publication.notes) log(note);
    await faultPoint("release-lock");
    return { ok: true, lines: [] };
  } catch (error) {
    if (publication?.phase === "done") {
      // Published already: what failed afterwards (releasing the lock) is for the next synth to clear up.
      log(`The new output was published to "${paths.shown}"; afterwards: ${describe(error, paths, doing).join(" ")}`);
      return { ok: true, lines: [] };
    }
    return { ok: false, lines: [...describe(error, paths, doing), undo()] };
  } finally {
    unregister();
    lock?.release();
  }
}

/** The cause of a failed synth, one line per problem (the outcome line is added by the caller). */
export function describe(error: unknown, paths: OutputPaths, doing: string): string[] {
  if (error instanceof ConfigError) return error.message.split("\n");
  if (error instanceof SynthRuleError) return ["Policy rules failed:", ...error.lines];
  if (error instanceof OutputFolderError) return [error.message];
  if (error instanceof LockTimeoutError) {
    return [
      `Another synth into "${paths.shown}" is still running after ${Math.round(error.waitedMs / 1000)} s (${describeHolder(error.holder)}).`,
      `If it is not (its machine or container is gone), delete "${error.lockFile}" and run again; ${LOCK_WAIT_ENV}=<seconds> waits longer.`,
    ];
  }
  if (error instanceof LockLostError) {
    return [
      `Another process removed this synth's lock "${error.lockFile}" (it judged the lock stale); stopped before replacing the output.`,
    ];
  }
  const code = errnoCode(error);
  if (code !== undefined) {
    const { path: file, dest, syscall } = error as NodeJS.ErrnoException & { dest?: string };
    const where =
      file === undefined ? `while ${doing}` : `${syscall ?? "at"} "${file}"${dest === undefined ? "" : ` → "${dest}"`}`;
    return [`Could not write the synth output: ${fsCause(error, file)} (${where}).`];
  }
  const message = error instanceof Error ? error.message : String(error);
  // Outside the CLI, app.synth() throws on error annotations itself, with advice to ignore them; keep only the findings.
  const annotated = /^Encountered Annotations with level "ERROR":\n([\s\S]*?)\n\n/.exec(message)?.[1];
  if (annotated !== undefined) return ["Policy rules failed:", ...annotated.split("\n")];
  const detail = process.env.CROSS_ACCOUNT_DEBUG === "1" && error instanceof Error ? [error.stack ?? ""] : [];
  return [`Synthesis failed: ${message}`, ...detail];
}
