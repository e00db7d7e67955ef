/**
 * SIGINT, SIGTERM and SIGHUP at any step of a synth: the staging folder is
 * removed, a half-done swap is rolled back, the lock is released, the message
 * says what the output holds, and the exit code is 128 + the signal number.
 *
 * The app is paused just before a step with the test seam
 * CROSS_ACCOUNT_SYNTH_TEST_FAULT="<step>:pause" (synth/test-fault.ts), then signalled.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { OutputLock } from "../synth/lock";
import { OutputPaths } from "../synth/output-paths";
import { synthSafely } from "../synth/synth-safely";
import { FAULT_ENV, FaultPoint } from "../synth/test-fault";
import { snapshotTree } from "./helpers/cli";
import {
  AppRun,
  buildFrom,
  leftovers,
  outputConfigNumber,
  spawnMain,
  writeNumberedConfigs,
} from "./helpers/synth-output";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof EXIT_CODES;

interface Case {
  readonly point: FaultPoint;
  readonly signal: Signal;
}

/**
 * One case per phase a synth can be in when the signal is handled (each undoes differently), SIGTERM (what cdktf
 * sends an aborted app) and SIGHUP among them: writing the staging folder, half-way through the carry-over, staging
 * complete, the old output set aside, the new one swapped in, everything done but the lock.
 */
const CASES: readonly Case[] = [
  { point: "synth", signal: "SIGINT" },
  { point: "carry-over", signal: "SIGHUP" },
  { point: "set-aside", signal: "SIGTERM" },
  { point: "swap", signal: "SIGINT" },
  { point: "remove-previous", signal: "SIGINT" },
  { point: "release-lock", signal: "SIGTERM" },
];

/** Steps after which the new output is published. */
const PUBLISHED: readonly FaultPoint[] = ["remove-previous", "release-lock"];

let root = "";
let golden = "";
let configs: string[] = [];
const results = new Map<string, { outdir: string; before: Record<string, string>; run: AppRun }>();
let waitingRun: AppRun | undefined;
let waitingOutdir = "";

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "publish-signals-"));
  configs = writeNumberedConfigs(path.join(root, "configs"), 2);
  golden = path.join(root, "golden", "cdktf.out");
  mkdirSync(path.dirname(golden), { recursive: true });
  expect((await synthSafely(buildFrom(configs[0]!), golden, { cwd: path.dirname(golden) })).ok).toBe(true);
  const stack = path.join(golden, "stacks", "accessor");
  mkdirSync(path.join(stack, ".terraform"), { recursive: true });
  writeFileSync(path.join(stack, ".terraform", "terraform.tfstate"), '{"backend":{"type":"local"}}\n');

  const runs = CASES.map(async ({ point, signal }) => {
    const outdir = path.join(root, `${signal}-${point}`, "cdktf.out");
    cpSync(golden, outdir, { recursive: true });
    const before = snapshotTree(outdir);
    const app = spawnMain(path.dirname(outdir), { CROSS_ACCOUNT_CONFIG: configs[1]!, [FAULT_ENV]: `${point}:pause` });
    await app.printed(`test fault: paused before ${point}`);
    app.child.kill(signal);
    results.set(`${signal} ${point}`, { outdir, before, run: await app.done });
  });

  // A synth waiting for another's lock.
  waitingOutdir = path.join(root, "waiting", "cdktf.out");
  cpSync(golden, waitingOutdir, { recursive: true });
  const lock = await OutputLock.acquire(new OutputPaths(waitingOutdir), { waitMs: 0, log: () => undefined });
  const waiter = spawnMain(path.dirname(waitingOutdir), { CROSS_ACCOUNT_CONFIG: configs[1]! });
  await waiter.printed("Waiting for another synth into");
  waiter.child.kill("SIGINT");
  waitingRun = await waiter.done;
  lock.release();

  await Promise.all(runs);
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

test.each(CASES.map(({ point, signal }) => [signal, point]))(
  "%s before %s: undone (or, once published, finished), said so, exit 128 + signal number",
  (signal, point) => {
    const { outdir, before, run } = results.get(`${signal} ${point}`)!;
    const published = PUBLISHED.includes(point);
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: EXIT_CODES[signal],
      stderr: [
        `test fault: paused before ${point}`,
        `Interrupted by ${signal}.`,
        published
          ? `The new output was published to "cdktf.out".`
          : `Nothing was written: the previous output in "cdktf.out" is unchanged.`,
        "",
      ].join("\n"),
    });
    if (published) {
      expect(outputConfigNumber(outdir)).toBe(2);
      const after = snapshotTree(outdir);
      const kept = "stacks/accessor/.terraform/terraform.tfstate";
      expect([kept, after[kept]]).toEqual([kept, before[kept]]);
    } else {
      expect(snapshotTree(outdir)).toEqual(before);
    }
    expect(leftovers(outdir)).toEqual([]);
  },
);

test("SIGINT while waiting for another synth's lock: nothing written, the other synth's lock left alone", () => {
  expect({ status: waitingRun?.status, stderr: waitingRun?.stderr }).toEqual({
    status: 130,
    stderr: `Interrupted by SIGINT.\nNothing was written: the previous output in "cdktf.out" is unchanged.\n`,
  });
  expect(outputConfigNumber(waitingOutdir)).toBe(1);
  expect(leftovers(waitingOutdir)).toEqual([]);
});
