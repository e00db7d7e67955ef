/**
 * For the publish suites: configs that differ in every stack (account ids,
 * bucket name), the app run as cdktf runs it (its own process, so it can be
 * killed or signalled), and a reader that checks a synth output the way
 * terraform and the access report would meet it: one config's complete output,
 * the manifest, both stacks and the config record agreeing.
 */
import { ChildProcess, execFile } from "node:child_process";
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
export function numberedConfig(n: number, bucket: Record<string, unknown> = {}): Record<string, unknown> {
  return rawConfig({
    bucketOwner: { accountId: String(210000000000 + n), region: "eu-west-1" },
    accessor: { accountId: String(430000000000 + n), region: "eu-central-1" },
    bucket: { name: `publish-test-bucket-${n}`, ...bucket },
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
  for (const key of [
    "CROSS_ACCOUNT_CONFIG",
    "CDKTF_OUTDIR",
    "CROSS_ACCOUNT_SYNTH_TEST_FAULT",
    "CROSS_ACCOUNT_SYNTH_LOCK_WAIT",
  ]) {
    delete base[key];
  }
  return { ...base, CHECKPOINT_DISABLE: "1", ...env };
}

/** A running app: its process, its end, and a way to wait for a line it prints. */
export interface MainProcess {
  readonly child: ChildProcess;
  readonly done: Promise<AppRun>;
  /** Resolves once stdout or stderr has contained `text`. */
  readonly printed: (text: string) => Promise<void>;
}

/** Starts the app command cdktf runs (node + the project's loader + main.ts) in `cwd`. */
export function spawnMain(cwd: string, env: Record<string, string>): MainProcess {
  let seen = "";
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const child = execFile(
    process.execPath,
    ["-r", path.join(PROJECT_ROOT, "sucrase-cached-register.js"), path.join(PROJECT_ROOT, "main.ts")],
    { cwd, env: appEnv(env), encoding: "utf8", timeout: 120_000 },
  );
  const watch = (chunk: string) => {
    seen += chunk;
    for (const waiter of waiters.filter((w) => seen.includes(w.text))) waiter.resolve();
  };
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: string) => {
    stdout += chunk;
    watch(chunk);
  });
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
    watch(chunk);
  });
  const done = new Promise<AppRun>((resolve) => {
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  const printed = (text: string) =>
    seen.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve }));
  return { child, done, printed };
}

/** The app command, run to its end. */
export function runMain(cwd: string, env: Record<string, string>): Promise<AppRun> {
  return spawnMain(cwd, env).done;
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

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

/**
 * Which numbered config the output in `outdir` is, after checking that it is
 * whole: the manifest lists exactly the two stacks, each stack file exists and
 * targets that config's account and bucket, and the config record names the
 * same config. Throws, saying what is mixed or missing, otherwise.
 */
export function outputConfigNumber(outdir: string): number {
  const manifest = readJson(path.join(outdir, "manifest.json")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  const listed = Object.keys(manifest.stacks).sort();
  if (JSON.stringify(listed) !== JSON.stringify([...STACK_IDS].sort())) {
    throw new Error(`manifest lists ${listed.join(", ")}`);
  }
  const onDisk = readdirSync(path.join(outdir, "stacks")).sort();
  if (JSON.stringify(onDisk) !== JSON.stringify(listed)) throw new Error(`stacks/ holds ${onDisk.join(", ")}`);
  const record = readJson(path.join(outdir, "cross-account-config.json")) as { text: string };
  const recorded = JSON.parse(record.text) as { bucket: { name: string } };
  const n = Number(/publish-test-bucket-(\d+)$/.exec(recorded.bucket.name)?.[1]);
  const expected = numberedConfig(n) as { bucketOwner: { accountId: string }; accessor: { accountId: string } };
  const owner = readJson(path.join(outdir, manifest.stacks[BUCKET_OWNER_STACK_ID]!.synthesizedStackPath)) as TfJson;
  const accessor = readJson(path.join(outdir, manifest.stacks[ACCESSOR_STACK_ID]!.synthesizedStackPath)) as TfJson;
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
