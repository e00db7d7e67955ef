/**
 * For the publish suites: configs that differ in every stack (account ids,
 * bucket name), the app run as cdktf runs it (its own process, so it can be
 * killed or signalled), and a reader that checks a synth output the way
 * terraform and the access report would meet it: one config's complete output,
 * the manifest, both stacks and the config record agreeing.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { loadConfigWithSource } from "../../config/load";
import { AccessorStack, ACCESSOR_STACK_ID } from "../../stacks/accessor-stack";
import { BucketOwnerStack, BUCKET_OWNER_STACK_ID } from "../../stacks/bucket-owner-stack";
import type { BuiltApp } from "../../synth/synth-safely";
import { PROJECT_ROOT, rawConfig } from "./config";
import type { TfJson } from "./synth";

export const STACK_IDS = [BUCKET_OWNER_STACK_ID, ACCESSOR_STACK_ID] as const;

/** Config `n`: its own owner and accessor accounts and bucket, so every stack file tells which config made it. */
export function numberedConfig(n: number): Record<string, unknown> {
  return rawConfig({
    bucketOwner: { accountId: String(210000000000 + n), region: "eu-west-1" },
    accessor: { accountId: String(430000000000 + n), region: "eu-central-1" },
    bucket: { name: `publish-test-bucket-${n}` },
  });
}

/** Writes configs 1..count into `dir`; returns their paths (index i holds config i + 1). */
export function writeNumberedConfigs(dir: string, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, index) => {
    const file = path.join(dir, `config-${index + 1}.json`);
    writeFileSync(file, `${JSON.stringify(numberedConfig(index + 1), null, 2)}\n`);
    return file;
  });
}

export interface AppRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for an app run: this process's, without anything that would steer the synth unasked. */
export function appEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of ["CROSS_ACCOUNT_CONFIG", "CDKTF_OUTDIR", "CROSS_ACCOUNT_SYNTH_TEST_FAULT", "CROSS_ACCOUNT_SYNTH_LOCK_WAIT"]) {
    delete base[key];
  }
  return { ...base, CHECKPOINT_DISABLE: "1", ...env };
}

/** The app command cdktf runs (node + the project's loader + main.ts), in `cwd`, asynchronously. */
export function runMain(cwd: string, env: Record<string, string>, onStderr?: (text: string) => void): Promise<AppRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["-r", path.join(PROJECT_ROOT, "sucrase-cached-register.js"), path.join(PROJECT_ROOT, "main.ts")],
      { cwd, env: appEnv(env), encoding: "utf8", timeout: 120_000 },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ status, signal: child.signalCode, stdout, stderr });
      },
    );
    if (onStderr !== undefined) child.stderr?.on("data", (chunk: string) => onStderr(chunk));
  });
}

/** Starts the app paused at a test fault point; resolves with the child once it says it is paused. */
export function startPaused(
  cwd: string,
  env: Record<string, string>,
): { paused: Promise<void>; done: Promise<AppRun>; pid: () => number | undefined } {
  let pid: number | undefined;
  let resolvePaused: () => void = () => undefined;
  const paused = new Promise<void>((resolve) => (resolvePaused = resolve));
  let seen = "";
  const done = new Promise<AppRun>((resolve) => {
    const child = execFile(
      process.execPath,
      ["-r", path.join(PROJECT_ROOT, "sucrase-cached-register.js"), path.join(PROJECT_ROOT, "main.ts")],
      { cwd, env: appEnv(env), encoding: "utf8", timeout: 120_000 },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ status, signal: child.signalCode, stdout, stderr });
      },
    );
    pid = child.pid;
    child.stderr?.on("data", (chunk: string) => {
      seen += chunk;
      if (seen.includes("test fault: paused before")) resolvePaused();
    });
  });
  return { paused, done, pid: () => pid };
}

/** A build function for synthSafely in this process: the real stacks from config `file`. */
export function buildFrom(file: string): (outdir: string) => BuiltApp {
  return (outdir) => {
    const { config, source } = loadConfigWithSource({ CROSS_ACCOUNT_CONFIG: file });
    const app = new App({ outdir });
    const bucketOwnerStack = new BucketOwnerStack(app, BUCKET_OWNER_STACK_ID, { config });
    new AccessorStack(app, ACCESSOR_STACK_ID, { config, bucketOwnerStack });
    return { app, configSource: source, config };
  };
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

/**
 * Which numbered config the output in `outdir` is, after checking that it is
 * whole: the manifest lists exactly the two stacks, each stack file exists and
 * targets that config's account and bucket, and the config record names the
 * same config. Throws, saying what is mixed or missing, otherwise.
 */
export function outputConfigNumber(outdir: string): number {
  const manifest = readJson<{ stacks: Record<string, { synthesizedStackPath: string }> }>(
    path.join(outdir, "manifest.json"),
  );
  const listed = Object.keys(manifest.stacks).sort();
  if (JSON.stringify(listed) !== JSON.stringify([...STACK_IDS].sort())) {
    throw new Error(`manifest lists ${listed.join(", ")}`);
  }
  const onDisk = readdirSync(path.join(outdir, "stacks")).sort();
  if (JSON.stringify(onDisk) !== JSON.stringify(listed)) throw new Error(`stacks/ holds ${onDisk.join(", ")}`);
  const record = readJson<{ text: string }>(path.join(outdir, "cross-account-config.json"));
  const recorded = JSON.parse(record.text) as { bucket: { name: string } };
  const n = Number(/publish-test-bucket-(\d+)$/.exec(recorded.bucket.name)?.[1]);
  const expected = numberedConfig(n) as { bucketOwner: { accountId: string }; accessor: { accountId: string } };
  const owner = readJson<TfJson>(path.join(outdir, manifest.stacks[BUCKET_OWNER_STACK_ID]!.synthesizedStackPath));
  const accessor = readJson<TfJson>(path.join(outdir, manifest.stacks[ACCESSOR_STACK_ID]!.synthesizedStackPath));
  const found = {
    owner: owner.provider?.aws?.[0]?.allowed_account_ids,
    bucket: owner.resource?.aws_s3_bucket?.bucket?.bucket,
    accessor: accessor.provider?.aws?.[0]?.allowed_account_ids,
  };
  const wanted = {
    owner: [expected.bucketOwner.accountId],
    bucket: recorded.bucket.name,
    accessor: [expected.accessor.accountId],
  };
  if (JSON.stringify(found) !== JSON.stringify(wanted)) {
    throw new Error(`stacks ${JSON.stringify(found)} do not match the record's config ${n} ${JSON.stringify(wanted)}`);
  }
  return n;
}

/** What a synth left beside `outdir` (staging folders, lock files); empty when it cleaned up. */
export function leftovers(outdir: string): string[] {
  const parent = path.dirname(outdir);
  const base = path.basename(outdir);
  if (!existsSync(parent)) return [];
  return readdirSync(parent).filter((name) => name.startsWith(`${base}.`));
}
