/**
 * Golden copies of the stacks every checked-in config synthesizes: each
 * examples/*.json and config/example.json is synthesized by running the app
 * command itself (what `cdktf synth` runs, with CDKTF_OUTDIR set), and every
 * `cdk.tf.json` it writes is kept byte for byte under __tests__/golden/<case>/.
 * The golden copies of the single-accessor examples were made before the
 * accessor list existed: the test that compares against them proves that
 * configs written for one accessor synthesize exactly what they always did.
 * Those of `accessors` examples were made with it, and guard it from here on.
 * Regenerate on purpose only: `npm run golden:regenerate`.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "./config";

export const GOLDEN_DIR = path.join(PROJECT_ROOT, "__tests__", "golden");

/** A checked-in config and the folder its golden stacks live in. */
export interface GoldenCase {
  /** "config-example" or "example-<name>": the folder under __tests__/golden. */
  readonly id: string;
  /** Absolute path of the config file. */
  readonly configFile: string;
}

/** config/example.json and every examples/*.json, in a fixed order. */
export function goldenCases(): GoldenCase[] {
  const examples = readdirSync(path.join(PROJECT_ROOT, "examples"))
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({
      id: `example-${path.basename(file, ".json")}`,
      configFile: path.join(PROJECT_ROOT, "examples", file),
    }));
  return [{ id: "config-example", configFile: path.join(PROJECT_ROOT, "config", "example.json") }, ...examples];
}

/** Stack id → the exact text of its cdk.tf.json. */
export type StackTexts = ReadonlyMap<string, string>;

/**
 * Runs the app command on `configFile` in an empty temporary folder (the
 * project root as far as local state paths go, so they come out relative and
 * the same on every machine) and returns what it wrote for each stack.
 */
export async function synthesizeStacks(configFile: string): Promise<StackTexts> {
  const workDir = mkdtempSync(path.join(tmpdir(), "golden-stacks-"));
  try {
    const env = {
      ...process.env,
      CROSS_ACCOUNT_CONFIG: configFile,
      CDKTF_OUTDIR: "cdktf.out",
      CHECKPOINT_DISABLE: "1",
    };
    const app = [
      "-r",
      path.join(PROJECT_ROOT, "loader", "sucrase-cached-register.js"),
      path.join(PROJECT_ROOT, "main.ts"),
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, app, { cwd: workDir, env, encoding: "utf8" }, (error, _stdout, stderr) => {
        if (error === null) resolve();
        else reject(new Error(`the app did not synthesize ${configFile}:\n${stderr}`));
      });
    });
    const stacksDir = path.join(workDir, "cdktf.out", "stacks");
    return new Map(
      readdirSync(stacksDir)
        .sort()
        .map((stackId) => [stackId, readFileSync(path.join(stacksDir, stackId, "cdk.tf.json"), "utf8")] as const),
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The golden file of one stack of one case. */
export function goldenFile(caseId: string, stackId: string): string {
  return path.join(GOLDEN_DIR, caseId, `${stackId}.tf.json`);
}

/** The golden stacks of a case as checked in (empty when the case has none yet). */
export function goldenStacks(caseId: string): StackTexts {
  const dir = path.join(GOLDEN_DIR, caseId);
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(".tf.json"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw error;
  }
  return new Map(
    files
      .sort()
      .map((file) => [file.slice(0, -".tf.json".length), readFileSync(path.join(dir, file), "utf8")] as const),
  );
}
