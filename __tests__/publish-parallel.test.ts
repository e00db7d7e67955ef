/**
 * One writer at a time: parallel synths of different configs into one output
 * folder each publish one config's complete output, in turn, and say so; a
 * synth waits a bounded time for a live holder of the lock and then fails
 * clearly; a lock or staging folder left by a dead process is cleared.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import * as path from "node:path";
import { OutputLock } from "../synth/lock";
import { OutputPaths } from "../synth/output-paths";
import { bootId, currentProcess, processStart } from "../synth/process-identity";
import { synthSafely } from "../synth/synth-safely";
import { snapshotTree } from "./helpers/cli";
import { buildFrom, leftovers, outputConfigNumber, runMain, writeNumberedConfigs } from "./helpers/synth-output";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

let root = "";
let configs: string[] = [];

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "publish-parallel-"));
  configs = writeNumberedConfigs(path.join(root, "configs"), 10);
}, HOOK_TIMEOUT_MS);

afterAll(() => rmSync(root, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

/** The pid of a process that has exited (so no process has it, for now). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

function folder(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

test("ten synths of ten configs at once into one folder: each publishes one config whole, in turn, and says so", async () => {
  const cwd = folder("ten");
  const outdir = path.join(cwd, "cdktf.out");
  const runs = await Promise.all(configs.map((config) => runMain(cwd, { CROSS_ACCOUNT_CONFIG: config })));
  runs.forEach((run, index) => {
    expect({ index, status: run.status, stderr: run.stderr }).toEqual({ index, status: 0, stderr: "" });
    // A config outside the working folder is named by its absolute path.
    expect(run.stdout).toContain(`Synthesizing ${configs[index]!}: bucket owner ${210000000001 + index} (eu-west-1)`);
  });
  // Those that found the lock taken said they waited.
  expect(runs.filter((run) => run.stdout.includes("Waiting for another synth into")).length).toBeGreaterThan(0);
  expect(outputConfigNumber(outdir)).toBeGreaterThanOrEqual(1);
  expect(leftovers(outdir)).toEqual([]);
}, 180_000);

describe("a live holder of the lock", () => {
  test("makes a synth wait, announce it, and give up after the bounded wait with the holder's details; nothing written", async () => {
    const cwd = folder("held");
    const outdir = path.join(cwd, "cdktf.out");
    expect((await synthSafely(buildFrom(configs[0]!), outdir, { cwd })).ok).toBe(true);
    const before = snapshotTree(outdir);
    const lock = await OutputLock.acquire(new OutputPaths(outdir), { waitMs: 0, log: () => undefined });
    const log: string[] = [];
    try {
      const result = await synthSafely(buildFrom(configs[1]!), outdir, { cwd, waitMs: 400, log: (l) => log.push(l) });
      const holder = `pid ${process.pid} on host ${hostname()}, started `;
      expect(log).toEqual([expect.stringContaining(`Waiting for another synth into "${outdir}" to finish (${holder}`)]);
      expect(result.ok).toBe(false);
      expect(result.lines).toEqual([
        expect.stringMatching(
          new RegExp(`^Another synth into ".*" is still running after 0 s \\(pid ${process.pid} on host `),
        ),
        `If it is not (its machine or container is gone), delete "${outdir}.lock" and run again; CROSS_ACCOUNT_SYNTH_LOCK_WAIT=<seconds> waits longer.`,
        `Nothing was written: the previous output in "${outdir}" is unchanged.`,
      ]);
    } finally {
      lock.release();
    }
    expect(snapshotTree(outdir)).toEqual(before);
    expect(leftovers(outdir)).toEqual([]);
  }, 60_000);

  test("a waiting synth goes on as soon as the holder releases the lock", async () => {
    const cwd = folder("released");
    const outdir = path.join(cwd, "cdktf.out");
    const lock = await OutputLock.acquire(new OutputPaths(outdir), { waitMs: 0, log: () => undefined });
    const log: string[] = [];
    const waiting = synthSafely(buildFrom(configs[2]!), outdir, {
      cwd,
      waitMs: 60_000,
      log: (line) => {
        log.push(line);
        // The holder finishes once the waiter has said that it waits.
        if (line.startsWith("Waiting for another synth into")) lock.release();
      },
    });
    expect(await waiting).toEqual({ ok: true, lines: [] });
    expect(log[0]).toMatch(/^Waiting for another synth into/);
    expect(outputConfigNumber(outdir)).toBe(3);
  }, 60_000);
});

describe("a lock or staging folder left by a process that is gone", () => {
  const lockOf = (fields: Record<string, unknown>) =>
    `${JSON.stringify({ ...currentProcess(), startedAt: "2026-01-01T00:00:00.000Z", token: "old", command: "x", ...fields })}\n`;

  test.each([
    ["a pid that no longer runs", () => lockOf({ pid: deadPid() }), "is no longer running"],
    ["a pid now used by another program", () => lockOf({ pid: process.ppid, processStart: "1" }), "another program"],
    ["a machine that has restarted since", () => lockOf({ bootId: "not-this-boot" }), "restarted"],
    ["an unreadable lock file 10 s old", () => "", "does not name a holder"],
  ])(
    "is broken when its holder is %s, with a line saying so; the synth goes on",
    async (_case, content, why) => {
      if (why === "restarted" && bootId() === undefined) return;
      if (why === "another program" && processStart(process.ppid) === undefined) return;
      const cwd = folder(`stale-${why.replace(/\W+/g, "-")}`);
      const outdir = path.join(cwd, "cdktf.out");
      writeFileSync(`${outdir}.lock`, content());
      const old = new Date(Date.now() - 60_000);
      utimesSync(`${outdir}.lock`, old, old);
      const log: string[] = [];
      const result = await synthSafely(buildFrom(configs[3]!), outdir, { cwd, waitMs: 5_000, log: (l) => log.push(l) });
      expect(result).toEqual({ ok: true, lines: [] });
      expect(log[0]).toMatch(new RegExp(`^Removed a stale lock on ".*cdktf.out" \\(.*\\): .*${why}`));
      expect(outputConfigNumber(outdir)).toBe(4);
      expect(leftovers(outdir)).toEqual([]);
    },
    60_000,
  );

  test("a lock held from another host is never broken automatically: the synth waits, then names that host", async () => {
    const cwd = folder("other-host");
    const outdir = path.join(cwd, "cdktf.out");
    writeFileSync(`${outdir}.lock`, lockOf({ host: "build-agent-7", pid: 4242 }));
    const result = await synthSafely(buildFrom(configs[4]!), outdir, { cwd, waitMs: 200 });
    expect(result.ok).toBe(false);
    expect(result.lines[0]).toMatch(/\(pid 4242 on host build-agent-7, started 2026-01-01T00:00:00.000Z\)\.$/);
    expect(result.lines.at(-1)).toBe(`Nothing was written: "${outdir}" was not created.`);
  }, 60_000);

  test("staging folders of dead synths (a SIGKILL, a power cut) are removed by the next synth", async () => {
    const cwd = folder("stale-staging");
    const outdir = path.join(cwd, "cdktf.out");
    const pid = deadPid();
    mkdirSync(path.join(`${outdir}.staging-${pid}`, "stacks", "accessor"), { recursive: true });
    writeFileSync(path.join(`${outdir}.staging-${pid}`, "stacks", "accessor", "cdk.tf.json"), "");
    const log: string[] = [];
    const result = await synthSafely(buildFrom(configs[5]!), outdir, { cwd, log: (l) => log.push(l) });
    expect(result).toEqual({ ok: true, lines: [] });
    expect(log).toContain(`Removed 1 leftover(s) of interrupted synths beside "${outdir}".`);
    expect(leftovers(outdir)).toEqual([]);
  }, 60_000);
});
