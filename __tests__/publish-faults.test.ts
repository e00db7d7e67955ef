/**
 * A synth is all or nothing under a crash or a full disk at every step.
 *
 * The test seam CROSS_ACCOUNT_SYNTH_TEST_FAULT="<step>:<action>" (synth/test-fault.ts)
 * fails the synth just before a step: `kill` SIGKILLs the app (a crash, no
 * cleanup), `ENOSPC` makes the step fail as a full disk does. Each case starts
 * from a complete output of config 1 with what a deploy leaves in it
 * (.terraform, the provider lock file) and what the access report writes
 * (access-report.md), and synthesizes config 2.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { synthSafely } from "../synth/synth-safely";
import { FAULT_ENV, FAULT_POINTS, FaultPoint } from "../synth/test-fault";
import { snapshotTree } from "./helpers/cli";
import {
  AppRun,
  buildFrom,
  leftovers,
  outputConfigNumber,
  runMain,
  writeNumberedConfigs,
} from "./helpers/synth-output";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

let root = "";
let configs: string[] = [];

let golden = "";

/** A folder with the complete output of config 1, deployed (.terraform, lock file) and reported on. */
function oldOutput(name: string): string {
  const outdir = path.join(root, name, "cdktf.out");
  // A copy of one synth: its paths are relative, and copying is much faster than synthesizing again.
  cpSync(golden, outdir, { recursive: true });
  return outdir;
}

async function synthGolden(): Promise<void> {
  golden = path.join(root, "golden", "cdktf.out");
  mkdirSync(path.dirname(golden), { recursive: true });
  const result = await synthSafely(buildFrom(configs[0]!), golden, { cwd: path.dirname(golden) });
  expect(result).toEqual({ ok: true, lines: [] });
  const stack = path.join(golden, "stacks", "bucket-owner");
  mkdirSync(path.join(stack, ".terraform", "providers"), { recursive: true });
  writeFileSync(path.join(stack, ".terraform", "terraform.tfstate"), '{"backend":{"type":"local"}}\n');
  writeFileSync(path.join(stack, ".terraform", "providers", "terraform-provider-aws"), "provider binary\n");
  writeFileSync(path.join(stack, ".terraform.lock.hcl"), 'provider "registry.terraform.io/hashicorp/aws" {}\n');
  writeFileSync(path.join(golden, "access-report.md"), "# Access report for config 1\n");
}

const DEPLOYED = ["stacks/bucket-owner/.terraform/terraform.tfstate", "stacks/bucket-owner/.terraform.lock.hcl"];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "publish-faults-"));
  configs = writeNumberedConfigs(path.join(root, "configs"), 3);
  await synthGolden();
}, 60_000);

afterAll(() => {
  delete process.env[FAULT_ENV];
  rmSync(root, { recursive: true, force: true });
}, HOOK_TIMEOUT_MS);

/** Steps after which the new output is in place (a crash there leaves the new output published). */
const AFTER_SWAP: readonly FaultPoint[] = ["remove-previous", "release-lock"];

describe("killed (SIGKILL) just before each step of a synth", () => {
  const runs = new Map<FaultPoint, { outdir: string; run: AppRun; before: Record<string, string> }>();

  beforeAll(async () => {
    const prepared = FAULT_POINTS.map((point) => {
      const outdir = oldOutput(`kill-${point}`);
      return { point, outdir, before: snapshotTree(outdir) };
    });
    const finished = await Promise.all(
      prepared.map(({ point, outdir }) =>
        runMain(path.dirname(outdir), { CROSS_ACCOUNT_CONFIG: configs[1]!, [FAULT_ENV]: `${point}:kill` }),
      ),
    );
    prepared.forEach(({ point, outdir, before }, index) => runs.set(point, { outdir, run: finished[index]!, before }));
  }, 180_000);

  test.each(FAULT_POINTS.map((point) => [point]))(
    "before %s: the output is the old or the new one, whole; the next synth, even one that fails, repairs the rest first",
    async (point) => {
      const { outdir, run, before } = runs.get(point)!;
      expect({ signal: run.signal, stderr: run.stderr }).toEqual({ signal: "SIGKILL", stderr: "" });

      if (point === "swap") {
        // Between the two renames: the output folder is missing, never mixed; the complete new one waits beside it.
        expect(leftovers(outdir)).toEqual(
          expect.arrayContaining([expect.stringMatching(/\.ready$/), expect.stringMatching(/\.previous$/)]),
        );
      } else if (AFTER_SWAP.includes(point)) {
        expect(outputConfigNumber(outdir)).toBe(2);
      } else {
        expect(snapshotTree(outdir)).toEqual(before);
      }

      // A synth whose config is broken still completes or rolls back the cut-short publish, before anything else.
      const broken = path.join(root, `broken-${point}.json`);
      writeFileSync(broken, '{"bucketOwner": {"accountId": "1"}}');
      const failed = await synthSafely(buildFrom(broken), outdir, { cwd: path.dirname(outdir) });
      expect(failed.ok).toBe(false);
      expect(failed.lines.at(-1)).toBe(`Nothing was written: the previous output in "${outdir}" is unchanged.`);
      const recovered = outputConfigNumber(outdir);
      expect(recovered).toBe(point === "swap" || AFTER_SWAP.includes(point) ? 2 : 1);
      expect(leftovers(outdir)).toEqual([]);

      // What a deploy left survives the crash and the re-synth; what was derived from config 1 does not.
      const next = await synthSafely(buildFrom(configs[2]!), outdir, { cwd: path.dirname(outdir) });
      expect(next).toEqual({ ok: true, lines: [] });
      expect(outputConfigNumber(outdir)).toBe(3);
      const after = snapshotTree(outdir);
      for (const file of DEPLOYED) expect([file, after[file]]).toEqual([file, before[file]]);
      expect(Object.keys(after)).not.toContain("access-report.md");
      expect(leftovers(outdir)).toEqual([]);
    },
    60_000,
  );
});

describe("a full disk (ENOSPC) at each step of a synth", () => {
  test.each(FAULT_POINTS.map((point) => [point]))(
    "at %s: the message tells the truth and the output is either untouched or the new one",
    async (point) => {
      const outdir = oldOutput(`enospc-${point}`);
      const before = snapshotTree(outdir);
      const notes: string[] = [];
      process.env[FAULT_ENV] = `${point}:ENOSPC`;
      let result;
      try {
        result = await synthSafely(buildFrom(configs[1]!), outdir, {
          cwd: path.dirname(outdir),
          log: (line) => notes.push(line),
        });
      } finally {
        delete process.env[FAULT_ENV];
      }
      if (AFTER_SWAP.includes(point)) {
        // The new output is in place; the failed clean-up is a note, and the next synth finishes it.
        expect(result).toEqual({ ok: true, lines: [] });
        expect(notes.at(-1)).toMatch(/the disk is full/);
        expect(outputConfigNumber(outdir)).toBe(2);
        const after = snapshotTree(outdir);
        for (const file of DEPLOYED) expect([file, after[file]]).toEqual([file, before[file]]);
        const next = await synthSafely(buildFrom(configs[2]!), outdir, { cwd: path.dirname(outdir) });
        expect(next).toEqual({ ok: true, lines: [] });
        expect(outputConfigNumber(outdir)).toBe(3);
      } else {
        expect(result.ok).toBe(false);
        expect(result.lines).toEqual([
          expect.stringMatching(
            /^Could not write the synth output: the disk is full \(while (writing|publishing) ".*"\)\.$/,
          ),
          `Nothing was written: the previous output in "${outdir}" is unchanged.`,
        ]);
        expect(snapshotTree(outdir)).toEqual(before);
      }
      expect(leftovers(outdir)).toEqual([]);
    },
    60_000,
  );
});
