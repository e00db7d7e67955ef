/**
 * Runs the real cdktf CLI on a copy of the project, for end-to-end tests.
 * The copy holds the project's sources and config (not node_modules, which
 * is symlinked, nor output folders or state), so each test controls its own
 * output folder and the real checkout is never written to.
 */
import { execFile, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
} from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./config";

const NOT_COPIED = new Set(["node_modules", ".git", "__tests__", "cdktf.out", "coverage", "dist", ".gen"]);

/** Copies what `cdktf synth` needs into `target` and links node_modules. */
export function copyProject(target: string): string {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(PROJECT_ROOT)) {
    if (NOT_COPIED.has(entry) || entry.includes(".staging-") || entry.includes(".tfstate")) continue;
    cpSync(path.join(PROJECT_ROOT, entry), path.join(target, entry), {
      recursive: true,
      filter: (source) => !source.includes(".tfstate") && path.basename(source) !== ".terraform",
    });
  }
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(target, "node_modules"), "dir");
  return target;
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npx cdktf synth <args>` in `cwd`, with telemetry off and only the given
 * config variable. Asynchronous, so independent CLI runs can overlap.
 */
export function cdktfSynth(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const base = { ...process.env };
  delete base.CROSS_ACCOUNT_CONFIG;
  delete base.CDKTF_OUTDIR;
  return new Promise((resolve, reject) => {
    execFile(
      "npx",
      ["cdktf", "synth", ...args],
      {
        cwd,
        env: { ...base, CHECKPOINT_DISABLE: "1", CI: "1", NO_COLOR: "1", FORCE_COLOR: "0", ...env },
        encoding: "utf8",
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") {
          reject(new Error(`npx cdktf synth did not run: ${error.message}`));
          return;
        }
        resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/**
 * The app command from the copy's cdktf.json (what `cdktf synth` runs), run
 * directly with CDKTF_OUTDIR as the CLI sets it: the same JSON, a fraction of
 * the CLI's start-up time.
 */
export function runAppCommand(cwd: string, outdir: string): CliRun {
  const { app } = JSON.parse(readFileSync(path.join(cwd, "cdktf.json"), "utf8")) as { app: string };
  const base = { ...process.env };
  delete base.CROSS_ACCOUNT_CONFIG;
  const result = spawnSync(app, {
    cwd,
    shell: true,
    env: { ...base, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Every file under `dir` (relative path → bytes as base64; a symbolic link → "-> target"), for
 * byte-for-byte comparison.
 */
export function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const full = path.join(current, entry);
      const stats = lstatSync(full);
      if (stats.isSymbolicLink()) files[path.relative(dir, full)] = `-> ${readlinkSync(full)}`;
      else if (stats.isDirectory()) walk(full);
      else files[path.relative(dir, full)] = readFileSync(full).toString("base64");
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** What a synth left beside `output` in `folder`: staging folders (`<output>.staging-<pid>…`) or its lock file. */
export function stagingLeftovers(folder: string, output: string): string[] {
  return readdirSync(folder).filter(
    (entry) => entry.startsWith(`${output}.staging`) || entry.startsWith(`${output}.lock`),
  );
}
