/**
 * End to end with the real CLI (`npx cdktf synth`) on copies of the project:
 * a broken config exits non-zero with one line per problem on stderr, no
 * stack trace, and leaves the previous output byte for byte as it was; the
 * example config synthesizes into `--output DIR`; and the synthesized JSON is
 * byte-identical from two different checkout folders.
 *
 * Each CLI run costs 5-8 s, so there are two, run side by side: checkout A
 * gets its "previous good output" from the app command in cdktf.json (what
 * the CLI runs) and then the CLI on a broken config; checkout B gets the CLI
 * on the example config. A's and B's good outputs must be byte-identical.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { cdktfSynth, CliRun, copyProject, npmRun, runAppCommand, snapshotTree, stagingLeftovers } from "./helpers/cli";
import { rawConfig } from "./helpers/config";
import type { TfJson } from "./helpers/synth";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

interface Example {
  bucketOwner: { accountId: string };
  accessor: { accountId: string };
  bucket: { name: string };
  targetRoleName: string;
  instanceRoleName: string;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

jest.setTimeout(180_000);

const OUTPUT = "synth-out";
const STACK_FILES = ["manifest.json", "stacks/bucket-owner/cdk.tf.json", "stacks/accessor/cdk.tf.json"];

const BROKEN = rawConfig({
  bucketOwner: { accountId: 111122223333 },
  accessor: { region: "eu-wast-1" },
  bucket: { name: "Shared..Data" },
  acessLevel: "read-write",
});
const BROKEN_LINES = [
  'acessLevel: unknown key; did you mean "accessLevel"?',
  "bucketOwner.accountId: 111122223333 is a number; write the account id as a 12-digit string in quotes, because a number loses leading zeros",
  'accessor.region: "eu-wast-1" is not a known AWS region',
  'bucket.name: "Shared..Data" must not contain two adjacent periods',
];

let root = "";
let checkoutA = "";
let checkoutB = "";
let previous: CliRun;
let broken: CliRun;
let good: CliRun;
let before: Record<string, string> = {};
let after: Record<string, string> = {};

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "synth-cli-"));
  checkoutA = copyProject(path.join(root, "home", "alice", "cross-account-s3-access"));
  checkoutB = copyProject(path.join(root, "ci", "build-7", "checkout"));

  // A: the previous good output, plus what a previous deploy leaves next to the JSON.
  previous = runAppCommand(checkoutA, OUTPUT);
  const outdirA = path.join(checkoutA, OUTPUT);
  mkdirSync(path.join(outdirA, "stacks", "bucket-owner", ".terraform"), { recursive: true });
  writeFileSync(
    path.join(outdirA, "stacks", "bucket-owner", ".terraform", "terraform.tfstate"),
    '{"backend":"local"}\n',
  );
  before = snapshotTree(outdirA);

  const brokenConfig = path.join(root, "broken.json");
  writeFileSync(brokenConfig, JSON.stringify(BROKEN, null, 2));
  [broken, good] = await Promise.all([
    cdktfSynth(checkoutA, ["--output", OUTPUT], { CROSS_ACCOUNT_CONFIG: brokenConfig }),
    cdktfSynth(checkoutB, ["--output", OUTPUT]),
  ]);
  after = snapshotTree(outdirA);
}, HOOK_TIMEOUT_MS);

afterAll(() => {
  if (root !== "") rmSync(root, { recursive: true, force: true });
}, HOOK_TIMEOUT_MS);

test("the previous output was synthesized (the app command exits 0)", () => {
  expect({ status: previous.status, stderr: previous.stderr }).toEqual({ status: 0, stderr: "" });
  for (const file of STACK_FILES) expect(Object.keys(before)).toContain(file);
});

describe("cdktf synth with a broken config", () => {
  test("exits non-zero", () => {
    expect(broken.status).not.toBe(0);
    expect(broken.status).not.toBeNull();
  });

  test("prints one line per problem on stderr", () => {
    const lines = broken.stderr.split("\n").map((line) => line.trim());
    for (const expected of BROKEN_LINES) {
      expect([expected, lines.some((line) => line.startsWith(expected))]).toEqual([expected, true]);
    }
  });

  test("shows no JavaScript stack trace", () => {
    const output = broken.stdout + broken.stderr;
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(output).not.toContain("ConfigError:");
  });

  test("leaves the previous output folder byte for byte as it was, .terraform included", () => {
    expect(Object.keys(before)).toContain("stacks/bucket-owner/.terraform/terraform.tfstate");
    expect(after).toEqual(before);
    expect(stagingLeftovers(checkoutA, OUTPUT)).toEqual([]);
  });
});

describe("npm run synth with a broken config (the app runs without the CLI, so nothing wraps its lines)", () => {
  test("stderr holds only the problems: a heading, one line each, and what happened; exit 1; output untouched", async () => {
    const brokenConfig = path.join(root, "broken.json");
    const run = await npmRun(checkoutA, "synth", ["--output", OUTPUT], { CROSS_ACCOUNT_CONFIG: brokenConfig });
    expect(run.status).toBe(1);
    const lines = run.stderr.trimEnd().split("\n");
    const problems = lines.slice(1, -1);
    expect(lines[0]).toBe(`${brokenConfig}: ${problems.length} problem(s) in the configuration:`);
    // Every line between is one problem: a field path, a colon, what is wrong.
    for (const line of problems) expect(line).toMatch(/^[\w.:-]+: \S/);
    for (const expected of BROKEN_LINES) {
      expect([expected, problems.some((line) => line.startsWith(expected))]).toEqual([expected, true]);
    }
    expect(lines.at(-1)).toBe(`Nothing was written: the previous output in "${OUTPUT}" is unchanged.`);
    expect(run.stdout).toBe("");
    expect(snapshotTree(path.join(checkoutA, OUTPUT))).toEqual(before);
  });
});

describe("cdktf synth --output DIR with the example config", () => {
  test("exits 0", () => {
    expect({ status: good.status, stderr: good.stderr.slice(-2000) }).toEqual({
      status: 0,
      stderr: expect.any(String),
    });
  });

  test("shows the app's line naming the config (the example, since none is set) and both accounts", () => {
    expect(good.stdout).toContain(
      `Synthesizing config/example.json, the example config (CROSS_ACCOUNT_CONFIG is not set): bucket owner 111122223333 (eu-west-1), accessor 444455556666 (eu-west-1) → ${OUTPUT}`,
    );
  });

  test("writes the manifest and both stacks into DIR, nothing into the default cdktf.out, no staging left", () => {
    for (const file of STACK_FILES) expect(existsSync(path.join(checkoutB, OUTPUT, file))).toBe(true);
    expect(existsSync(path.join(checkoutB, "cdktf.out"))).toBe(false);
    expect(stagingLeftovers(checkoutB, OUTPUT)).toEqual([]);
  });

  test("the written stacks carry the example's names and account ids, and relative state paths", () => {
    const example = readJson(path.join(checkoutB, "config", "example.json")) as Example;
    const owner = readJson(path.join(checkoutB, OUTPUT, STACK_FILES[1]!)) as TfJson;
    const accessor = readJson(path.join(checkoutB, OUTPUT, STACK_FILES[2]!)) as TfJson;
    expect(owner.provider?.aws?.[0]?.allowed_account_ids).toEqual([example.bucketOwner.accountId]);
    expect(accessor.provider?.aws?.[0]?.allowed_account_ids).toEqual([example.accessor.accountId]);
    expect(owner.resource?.aws_s3_bucket?.bucket?.bucket).toBe(example.bucket.name);
    expect(owner.resource?.aws_iam_role?.target_role?.name).toBe(example.targetRoleName);
    expect(accessor.resource?.aws_iam_role?.instance_role?.name).toBe(example.instanceRoleName);
    expect(owner.terraform?.backend?.local).toEqual({ path: "../../../terraform.bucket-owner.tfstate" });
    expect(accessor.data?.terraform_remote_state?.bucket_owner_state?.config).toEqual({
      path: "../../../terraform.bucket-owner.tfstate",
    });
  });

  test("records the accessor's dependency on the bucket owner in the manifest", () => {
    const manifest = readJson(path.join(checkoutB, OUTPUT, "manifest.json")) as {
      stacks: Record<string, { dependencies: string[] }>;
    };
    expect(manifest.stacks.accessor?.dependencies).toEqual(["bucket-owner"]);
  });
});

describe("two checkout folders", () => {
  test("give byte-identical JSON", () => {
    for (const file of STACK_FILES) {
      const a = readFileSync(path.join(checkoutA, OUTPUT, file), "utf8");
      const b = readFileSync(path.join(checkoutB, OUTPUT, file), "utf8");
      expect([file, b]).toEqual([file, a]);
    }
  });

  test("and no absolute path of either checkout appears in it", () => {
    for (const file of STACK_FILES) {
      const text = readFileSync(path.join(checkoutB, OUTPUT, file), "utf8");
      expect(text).not.toContain(root);
      expect(text).not.toContain(tmpdir());
    }
  });
});
