/**
 * The app's loader (loader/) keeps cdktf's archiver out of the synthesizing
 * process, under the app's loader and under jest, while an archive asset still
 * zips as before (cdktf zips in a child node process of its own).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App, AssetType, TerraformAsset, TerraformStack } from "cdktf";
import { PROJECT_ROOT } from "./helpers/config";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const LOADER = path.join(PROJECT_ROOT, "loader", "sucrase-cached-register.js");
let dir = "";

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "loader-"));
  mkdirSync(path.join(dir, "files"));
  writeFileSync(path.join(dir, "files", "hello.txt"), "hello from an asset\n");
}, HOOK_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

/** The zip files under `folder`. */
function zipsUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".zip"));
}

test("under jest, an archive asset is still zipped", () => {
  const outdir = path.join(dir, "jest-out");
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "assets");
  new TerraformAsset(stack, "files", { path: path.join(dir, "files"), type: AssetType.ARCHIVE });
  app.synth();
  const zips = zipsUnder(outdir);
  expect(zips).toHaveLength(1);
  const zip = readFileSync(path.join(outdir, zips[0]!));
  // A zip's local file header, then the file's name.
  expect(zip.subarray(0, 4).toString("binary")).toBe("PK\u0003\u0004");
  expect(zip.includes(Buffer.from("hello.txt"))).toBe(true);
});

test("under the app's loader, cdktf loads without archiver, and an archive asset is still zipped", () => {
  const script = `
    const { App, AssetType, TerraformAsset, TerraformStack } = require("cdktf");
    const loaded = () => Object.keys(require.cache).some((file) => file.includes("/node_modules/archiver/"));
    const beforeSynth = loaded();
    const app = new App({ outdir: process.argv[1] });
    new TerraformAsset(new TerraformStack(app, "assets"), "files", { path: process.argv[2], type: AssetType.ARCHIVE });
    app.synth();
    console.log(JSON.stringify({ beforeSynth, afterSynth: loaded() }));
  `;
  const outdir = path.join(dir, "loader-out");
  const stdout = execFileSync(process.execPath, ["-r", LOADER, "-e", script, outdir, path.join(dir, "files")], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(JSON.parse(stdout)).toEqual({ beforeSynth: false, afterSynth: false });
  expect(zipsUnder(outdir)).toHaveLength(1);
}, 60_000);
