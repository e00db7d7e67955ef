/**
 * The output folder: created with its parents, refused with a clear line when
 * it cannot be a synth's own folder, replaced whole with what a deploy made
 * in it carried over (hard links, not copies), and kept aside while terraform
 * still runs in the old one. Every synth names its config and accounts first.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { synthSafely, SynthOptions } from "../synth/synth-safely";
import { EXAMPLE_CONFIG_PATH } from "../config/load";
import { snapshotTree } from "./helpers/cli";
import { buildFrom, leftovers, outputConfigNumber, runMain, writeNumberedConfigs } from "./helpers/synth-output";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

let root = "";
let configs: string[] = [];

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "publish-output-"));
  configs = writeNumberedConfigs(path.join(root, "configs"), 3);
}, HOOK_TIMEOUT_MS);

afterAll(() => rmSync(root, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

function folder(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const synth = (config: string, outdir: string, options: SynthOptions) =>
  synthSafely(buildFrom(config), outdir, options);

describe("where the output goes", () => {
  test("--output a/b/new creates the missing parent folders", async () => {
    const cwd = folder("parents");
    const result = await synth(configs[0]!, "a/b/new", { cwd });
    expect(result).toEqual({ ok: true, lines: [] });
    expect(outputConfigNumber(path.join(cwd, "a", "b", "new"))).toBe(1);
  }, 60_000);

  test("a config error with missing parent folders creates nothing", async () => {
    const cwd = folder("parents-broken");
    const broken = path.join(cwd, "broken.json");
    writeFileSync(broken, "{}");
    const result = await synth(broken, "a/b/new", { cwd });
    expect(result.ok).toBe(false);
    expect(result.lines.at(-1)).toBe('Nothing was written: "a/b/new" was not created.');
    expect(existsSync(path.join(cwd, "a"))).toBe(false);
  }, 60_000);

  test.each([
    [
      "under a regular file",
      "notes.txt/out",
      'The output folder "notes.txt/out" cannot be reached: "{cwd}/notes.txt" is a file, not a folder.',
    ],
    [
      "a regular file",
      "notes.txt",
      'The output folder "notes.txt" is a file, not a folder; remove it or choose another --output.',
    ],
    [
      "the project folder",
      ".",
      'The output folder "." is the project folder or contains it; every synth replaces the output folder whole, so give one of its own (e.g. --output cdktf.out).',
    ],
    [
      "a folder above the project",
      "..",
      'The output folder ".." is the project folder or contains it; every synth replaces the output folder whole, so give one of its own (e.g. --output cdktf.out).',
    ],
    [
      "a symbolic link",
      "linked",
      'The output folder "linked" is a symbolic link; every synth replaces the output folder whole, which would replace the link; give the folder it points to instead.',
    ],
    [
      "a folder of other files",
      "src",
      'The output folder "src" holds other files and no synth output (no manifest.json); every synth replaces the output folder whole, so choose a new or empty folder.',
    ],
  ])(
    "refused when it is %s: one line, no stack trace, nothing written",
    async (what, output, message) => {
      const cwd = folder(`refused-${what.replace(/\W+/g, "-")}`);
      writeFileSync(path.join(cwd, "notes.txt"), "keep me\n");
      mkdirSync(path.join(cwd, "real-output"));
      symlinkSync(path.join(cwd, "real-output"), path.join(cwd, "linked"));
      mkdirSync(path.join(cwd, "src"));
      writeFileSync(path.join(cwd, "src", "main.ts"), "// user code\n");
      const before = snapshotTree(cwd);
      const result = await synth(configs[0]!, output, { cwd });
      expect(result).toEqual({ ok: false, lines: [message.replace("{cwd}", cwd), "Nothing was written."] });
      expect(snapshotTree(cwd)).toEqual(before);
      expect(readlinkSync(path.join(cwd, "linked"))).toBe(path.join(cwd, "real-output"));
    },
    60_000,
  );

  test("an empty folder is a fine output folder", async () => {
    const cwd = folder("empty");
    mkdirSync(path.join(cwd, "out"));
    expect(await synth(configs[0]!, "out", { cwd })).toEqual({ ok: true, lines: [] });
    expect(outputConfigNumber(path.join(cwd, "out"))).toBe(1);
  }, 60_000);
});

describe("what a re-synth keeps and drops", () => {
  let cwd = "";
  let outdir = "";
  const providerFile =
    "stacks/bucket-owner/.terraform/providers/registry.terraform.io/hashicorp/aws/terraform-provider-aws";
  let inodeBefore = 0;
  let log: string[] = [];

  beforeAll(async () => {
    cwd = folder("keeps");
    outdir = path.join(cwd, "cdktf.out");
    expect((await synth(configs[0]!, "cdktf.out", { cwd })).ok).toBe(true);
    const provider = path.join(outdir, providerFile);
    mkdirSync(path.dirname(provider), { recursive: true });
    writeFileSync(provider, "#!/bin/sh\n", { mode: 0o755 });
    symlinkSync("../../../cache/aws", path.join(outdir, "stacks", "bucket-owner", ".terraform", "plugin-link"));
    writeFileSync(path.join(outdir, "stacks", "accessor", ".terraform.lock.hcl"), "# lock\n");
    writeFileSync(path.join(outdir, "stacks", "accessor", "plan"), "old plan\n");
    writeFileSync(path.join(outdir, "access-report.md"), "# report of config 1\n");
    inodeBefore = statSync(provider).ino;
    log = [];
    expect(await synth(configs[1]!, "cdktf.out", { cwd, log: (line) => log.push(line) })).toEqual({
      ok: true,
      lines: [],
    });
  }, 60_000);

  test("the new output is the new config's, whole", () => {
    expect(outputConfigNumber(outdir)).toBe(2);
    expect(leftovers(outdir)).toEqual([]);
  });

  test("each stack's .terraform (same files, hard-linked, modes and links as they were) and lock file carry over", () => {
    const provider = path.join(outdir, providerFile);
    expect(statSync(provider).ino).toBe(inodeBefore);
    expect(statSync(provider).mode & 0o777).toBe(0o755);
    expect(readlinkSync(path.join(outdir, "stacks", "bucket-owner", ".terraform", "plugin-link"))).toBe(
      "../../../cache/aws",
    );
    expect(snapshotTree(outdir)["stacks/accessor/.terraform.lock.hcl"]).toBe(
      Buffer.from("# lock\n").toString("base64"),
    );
  });

  test("what was derived from the old synth (the access report, a saved plan) does not survive", () => {
    const files = Object.keys(snapshotTree(outdir));
    expect(files).not.toContain("access-report.md");
    expect(files).not.toContain("stacks/accessor/plan");
  });

  test("the synth's first line names the config and the two accounts with their regions", () => {
    expect(log[0]).toBe(
      `Synthesizing configs/config-2.json: bucket owner 210000000002 (eu-west-1), accessor 430000000002 (eu-central-1) → cdktf.out`.replace(
        "configs/config-2.json",
        configs[1]!,
      ),
    );
  });
});

test("with no CROSS_ACCOUNT_CONFIG, the first line says the example config was used", async () => {
  const cwd = folder("example");
  const run = await runMain(cwd, {});
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  expect(run.stdout.split("\n")[0]).toBe(
    `Synthesizing ${EXAMPLE_CONFIG_PATH}, the example config (CROSS_ACCOUNT_CONFIG is not set): bucket owner 111122223333 (eu-west-1), accessor 444455556666 (eu-west-1) → cdktf.out`,
  );
}, 60_000);

const linux = process.platform === "linux" ? describe : describe.skip;

linux("terraform still running in the old output (a deploy in another terminal)", () => {
  test("keeps the old output aside until it ends, so its state path still resolves; the next synth removes it", async () => {
    const cwd = folder("busy");
    const outdir = path.join(cwd, "cdktf.out");
    expect((await synth(configs[0]!, "cdktf.out", { cwd })).ok).toBe(true);
    const stackDir = path.join(outdir, "stacks", "bucket-owner");
    const busy = spawn("sleep", ["60"], { cwd: stackDir, stdio: "ignore" });
    try {
      const log: string[] = [];
      expect(await synth(configs[1]!, "cdktf.out", { cwd, log: (line) => log.push(line) })).toEqual({
        ok: true,
        lines: [],
      });
      const previous = `${outdir}.staging-${process.pid}.previous`;
      expect(log.at(-1)).toBe(
        `Kept the previous output at "${previous}" while process ${busy.pid} runs in it (terraform?); the next synth removes it.`,
      );
      // The running process's folder moved with the old output; its relative state path (../../../) still lands in the project.
      const busyCwd = readlinkSync(`/proc/${busy.pid}/cwd`);
      expect(busyCwd).toBe(path.join(previous, "stacks", "bucket-owner"));
      expect(path.resolve(busyCwd, "../../..")).toBe(cwd);
      expect(outputConfigNumber(outdir)).toBe(2);
    } finally {
      busy.kill("SIGKILL");
      await new Promise((resolve) => busy.on("close", resolve));
    }
    expect(await synth(configs[2]!, "cdktf.out", { cwd })).toEqual({ ok: true, lines: [] });
    expect(leftovers(outdir)).toEqual([]);
  }, 60_000);
});
