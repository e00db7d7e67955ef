/**
 * Runs the real cdktf CLI on a copy of the project, for end-to-end tests.
 * The copy holds the project's sources and config (not node_modules, which
 * is symlinked, nor output folders or state), so each test controls its own
 * output folder and the real checkout is never written to.
 */
import { execFile, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
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

/** Runs `command args…` in `cwd` without a shell; resolves with its exit code and output. */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeout = 240_000,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd, env, encoding: "utf8", timeout, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") {
          reject(new Error(`${command} ${args.join(" ")} did not run: ${error.message}`));
          return;
        }
        resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/** This process's environment for a command run: telemetry and colours off, no config or output chosen unasked. */
export function commandEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.CROSS_ACCOUNT_CONFIG;
  delete base.CDKTF_OUTDIR;
  return { ...base, CHECKPOINT_DISABLE: "1", CI: "1", NO_COLOR: "1", FORCE_COLOR: "0", ...env };
}

/**
 * `npx cdktf synth <args>` in `cwd`, with telemetry off and only the given
 * config variable. Asynchronous, so independent CLI runs can overlap.
 */
export function cdktfSynth(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return run("npx", ["cdktf", "synth", ...args], cwd, commandEnv(env));
}

/** A shell command line in `cwd`, as a person pastes it from the README (bash, telemetry off). */
export function shellRun(cwd: string, commandLine: string, env: Record<string, string> = {}): Promise<CliRun> {
  return run("bash", ["-c", commandLine], cwd, commandEnv(env));
}

/**
 * Writes an executable stand-in for terraform at `file` (the cdktf CLI takes it through TERRAFORM_BINARY_NAME):
 * it logs each call with the stack folder it ran in to $FAKE_TERRAFORM_LOG, answers `version` with the real
 * terraform, lets `init` and `providers` pass, and refuses anything that would plan or change infrastructure,
 * so no AWS account is touched and the first refused call shows which stack the CLI took first.
 */
export function writeRefusingTerraform(file: string): string {
  writeFileSync(
    file,
    [
      "#!/bin/sh",
      'printf \'%s %s\\n\' "$(basename "$PWD")" "$*" >> "$FAKE_TERRAFORM_LOG"',
      'case "$1" in',
      '  version|-v|-version) exec terraform "$@" ;;',
      '  init|providers) echo "fake terraform: $1 done"; exit 0 ;;',
      '  *) echo "fake terraform: refusing to $1 in $(basename "$PWD")" >&2; exit 1 ;;',
      "esac",
      "",
    ].join("\n"),
  );
  chmodSync(file, 0o755);
  return file;
}

/** `npm run --silent <script> -- <args>` in `cwd`, as a user runs the project's commands. */
export function npmRun(
  cwd: string,
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  return run("npm", ["run", "--silent", script, "--", ...args], cwd, commandEnv(env));
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
