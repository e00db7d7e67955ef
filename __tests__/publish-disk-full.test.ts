/**
 * A really full disk: the output folder on a small tmpfs, filled to leave
 * less and less room, and a synth of a larger config (SSE-KMS adds a key and
 * its policy) at each size. Wherever the disk runs out (the lock file, the
 * staging folder, the carry-over), the synth either publishes the new output
 * whole or says the disk is full and leaves the old output byte for byte.
 *
 * Mounting needs root on Linux (as on the project's machines and CI); where it
 * is refused the suite is skipped, and publish-faults.test.ts still injects
 * ENOSPC at every step.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { synthSafely, SynthResult } from "../synth/synth-safely";
import { snapshotTree } from "./helpers/cli";
import { buildFrom, leftovers, numberedConfig, outputConfigNumber, writeNumberedConfigs } from "./helpers/synth-output";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

function canMountTmpfs(): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(path.join(tmpdir(), "tmpfs-probe-"));
  try {
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]).status === 0;
    if (mounted) spawnSync("umount", [probe]);
    return mounted;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const withTmpfs = canMountTmpfs() ? describe : describe.skip;

withTmpfs("the output folder on a small file system", () => {
  let root = "";
  let small = "";
  let golden = "";
  let larger = "";
  const outcomes: Array<{ room: number; result: SynthResult }> = [];

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "publish-disk-full-"));
    const [config1] = writeNumberedConfigs(path.join(root, "configs"), 1);
    larger = path.join(root, "configs", "larger.json");
    writeFileSync(larger, JSON.stringify(numberedConfig(2, { encryption: "SSE-KMS" }), null, 2));
    golden = path.join(root, "golden", "cdktf.out");
    mkdirSync(path.dirname(golden), { recursive: true });
    expect((await synthSafely(buildFrom(config1!), golden, { cwd: path.dirname(golden) })).ok).toBe(true);
    mkdirSync(path.join(golden, "stacks", "accessor", ".terraform"), { recursive: true });
    writeFileSync(path.join(golden, "stacks", "accessor", ".terraform", "terraform.tfstate"), "{}\n");
    small = path.join(root, "small");
    mkdirSync(small);
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", small]).status).toBe(0);
  }, 60_000);

  afterAll(() => {
    if (small !== "") spawnSync("umount", ["-l", small]);
    if (root !== "") rmSync(root, { recursive: true, force: true });
  }, HOOK_TIMEOUT_MS);

  test("at every amount of room left: the new output whole, or 'the disk is full' and the old output as it was", async () => {
    const outdir = path.join(small, "project", "cdktf.out");
    for (let room = 0; room <= 40 * 1024; room += 4 * 1024) {
      rmSync(path.join(small, "project"), { recursive: true, force: true });
      cpSync(golden, outdir, { recursive: true });
      const before = snapshotTree(outdir);
      const { bavail, bsize } = statfsSync(small);
      writeFileSync(path.join(small, "filler"), Buffer.alloc(Math.max(0, bavail * bsize - room)));
      const result = await synthSafely(buildFrom(larger), outdir, { cwd: path.dirname(outdir) });
      rmSync(path.join(small, "filler"));
      outcomes.push({ room, result });
      if (result.ok) {
        expect(outputConfigNumber(outdir)).toBe(2);
        expect(snapshotTree(outdir)["stacks/accessor/.terraform/terraform.tfstate"]).toBe(
          before["stacks/accessor/.terraform/terraform.tfstate"],
        );
      } else {
        expect([room, result.lines.length, result.lines[0]]).toEqual([
          room,
          2,
          expect.stringMatching(
            /^Could not write the synth output: the disk is full \((while writing|while creating the lock file|open|mkdir|link) ".*"\)\.$/,
          ),
        ]);
        expect(result.lines[1]).toBe(`Nothing was written: the previous output in "${outdir}" is unchanged.`);
        expect(snapshotTree(outdir)).toEqual(before);
      }
      expect(leftovers(outdir)).toEqual([]);
    }
    // Both outcomes happened: the sizes span "too full to stage" to "room enough".
    expect(outcomes.some(({ result }) => result.ok)).toBe(true);
    expect(outcomes.some(({ result }) => !result.ok)).toBe(true);
  }, 120_000);
});
