/**
 * The project's commands against the real cdktf CLI, on a copy of the project:
 *
 * - `npm run synth`, which runs the app without the CLI, writes byte for byte
 *   what `npx cdktf synth` writes, for every example config;
 * - `npm run deploy`, `destroy` and `diff` hand the CLI exactly the synthesized
 *   output (the app never runs again) and the CLI runs the stacks in the
 *   right order. Terraform is replaced (TERRAFORM_BINARY_NAME) by a script
 *   that logs each call with the stack folder it ran in, lets `init` pass and
 *   fails anything that would plan or change infrastructure: no AWS account
 *   is touched, and the first failing call shows which stack the CLI took first.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { cdktfSynth, copyProject, npmRun, snapshotTree, writeRefusingTerraform } from "./helpers/cli";
import { PROJECT_ROOT } from "./helpers/config";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

let root = "";
let project = "";

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "commands-cli-"));
  project = copyProject(path.join(root, "project"));
}, HOOK_TIMEOUT_MS);

afterAll(() => {
  if (root !== "") rmSync(root, { recursive: true, force: true });
}, HOOK_TIMEOUT_MS);

/** Every example config, by the CROSS_ACCOUNT_CONFIG a user would set (undefined: the checked-in example). */
const CONFIGS: ReadonlyArray<readonly [string, string | undefined]> = [
  ["config/example.json (CROSS_ACCOUNT_CONFIG unset)", undefined],
  ...readdirSync(path.join(PROJECT_ROOT, "examples"))
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => [`examples/${name}`, `examples/${name}`] as const),
];

describe("a consumer removed from the config", () => {
  // The CLI lists the stack folders before the app and removes the ones the new manifest lacks afterwards; with the
  // output swapped whole, it failed with ENOENT on the folder the synth had already dropped.
  test.each([
    ["npx cdktf synth", "cdktf"],
    ["npm run synth", "npm"],
  ] as const)(
    "%s: the next synth succeeds and the removed consumer's stack folder is gone",
    async (_label, runner) => {
      const many = JSON.parse(readFileSync(path.join(project, "examples", "many-consumers.json"), "utf8")) as {
        accessors: Array<{ name: string }>;
      };
      const fewer = { ...many, accessors: many.accessors.slice(0, 2) };
      const removed = many.accessors[2]!.name;
      writeFileSync(path.join(project, `fewer-${runner}.json`), JSON.stringify(fewer));
      const output = `dropped-${runner}`;
      const run = (config: string) =>
        runner === "cdktf"
          ? cdktfSynth(project, ["--output", output], { CROSS_ACCOUNT_CONFIG: config })
          : npmRun(project, "synth", ["--output", output], { CROSS_ACCOUNT_CONFIG: config });
      expect((await run("examples/many-consumers.json")).status).toBe(0);
      expect(existsSync(path.join(project, output, "stacks", `accessor-${removed}`))).toBe(true);
      const second = await run(`fewer-${runner}.json`);
      expect({ status: second.status, stderr: second.stderr.slice(-1000) }).toEqual({
        status: 0,
        stderr: expect.any(String),
      });
      expect(readdirSync(path.join(project, output, "stacks")).sort()).toEqual(
        ["bucket-owner", ...fewer.accessors.map((accessor) => `accessor-${accessor.name}`)].sort(),
      );
    },
    240_000,
  );
});

describe("npm run synth writes byte for byte what npx cdktf synth writes", () => {
  test.each(CONFIGS)(
    "%s",
    async (label, config) => {
      const env: Record<string, string> = config === undefined ? {} : { CROSS_ACCOUNT_CONFIG: config };
      const name = label.replace(/[^a-z0-9]+/gi, "-");
      const [cli, npm] = await Promise.all([
        cdktfSynth(project, ["--output", `cli-${name}`], env),
        npmRun(project, "synth", ["--output", `npm-${name}`], env),
      ]);
      expect({ status: cli.status, stderr: cli.stderr.slice(-2000) }).toEqual({
        status: 0,
        stderr: expect.any(String),
      });
      expect({ status: npm.status, stderr: npm.stderr }).toEqual({ status: 0, stderr: "" });

      const fromCli = snapshotTree(path.join(project, `cli-${name}`));
      const fromNpm = snapshotTree(path.join(project, `npm-${name}`));
      expect(Object.keys(fromNpm)).toEqual(
        expect.arrayContaining(["manifest.json", "cross-account-config.json", "stacks/bucket-owner/cdk.tf.json"]),
      );
      expect(fromNpm).toEqual(fromCli);

      // The same first line as the app prints under the CLI (but for the output folder), then the stacks written.
      const lines = npm.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^Synthesizing .*: bucket owner \d{12} \([a-z0-9-]+\), .* → npm-/);
      expect(cli.stdout).toContain((lines[0] ?? "").replace(`→ npm-${name}`, `→ cli-${name}`));
      // The bucket owner first, then the accessor stacks that depend on it.
      const manifest = JSON.parse(
        fromNpm["manifest.json"] ? Buffer.from(fromNpm["manifest.json"], "base64").toString() : "{}",
      ) as {
        stacks: Record<string, unknown>;
      };
      const accessors = Object.keys(manifest.stacks)
        .filter((stack) => stack !== "bucket-owner")
        .sort();
      expect(accessors.length).toBeGreaterThan(0);
      expect(lines.at(-1)).toBe(
        `Generated Terraform code for the stacks: ${["bucket-owner", ...accessors].join(", ")} (in npm-${name})`,
      );
    },
    600_000,
  );
});

describe("diff, deploy and destroy through the real cdktf CLI", () => {
  const OUTPUT = "out-commands";
  const CONFIG = "examples/local-quick-start.json";
  let log = "";
  let fakeTerraform = "";

  beforeAll(async () => {
    const synth = await npmRun(project, "synth", ["--output", OUTPUT], { CROSS_ACCOUNT_CONFIG: CONFIG });
    expect({ status: synth.status, stderr: synth.stderr }).toEqual({ status: 0, stderr: "" });
    // From here on the app must not run: --skip-synth means the CLI deploys what npm run synth wrote.
    const cdktfJson = path.join(project, "cdktf.json");
    const settings = JSON.parse(readFileSync(cdktfJson, "utf8")) as Record<string, unknown>;
    settings.app = `node -e "require('fs').writeFileSync('app-ran', ''); process.exit(1)"`;
    writeFileSync(cdktfJson, JSON.stringify(settings, null, 2));

    fakeTerraform = writeRefusingTerraform(path.join(root, "terraform"));
  }, 300_000);

  afterEach(() => {
    expect(existsSync(path.join(project, "app-ran"))).toBe(false);
  }, HOOK_TIMEOUT_MS);

  /** Runs `npm run <verb> -- <args>` with the stand-in terraform; returns the run and the calls it logged. */
  async function runVerb(verb: string, args: readonly string[]) {
    log = path.join(root, `${verb}-${args.join("-").replace(/[^a-z0-9]+/gi, "-")}.log`);
    writeFileSync(log, "");
    const run = await npmRun(project, verb, ["--output", OUTPUT, ...args], {
      TERRAFORM_BINARY_NAME: fakeTerraform,
      FAKE_TERRAFORM_LOG: log,
    });
    const calls = readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => /^(bucket-owner|accessor) /.test(line));
    // What the CLI asked terraform to do beyond preparing the folders, in order.
    const actions = calls.filter((line) => !/^\S+ (init|providers|version|-v)\b/.test(line));
    return { run, calls, actions };
  }

  test("deploy, no stack named: the first line names the output, config and accounts; the owner goes first", async () => {
    const { run, actions } = await runVerb("deploy", ["--auto-approve"]);
    expect(run.stdout.split("\n")[0]).toBe(
      `Deploying "${OUTPUT}", synthesized from ${CONFIG}: bucket-owner 111122223333 (eu-west-1), then accessor 444455556666 (eu-west-1)`,
    );
    expect(run.stdout).toContain(
      `Running: cdktf deploy bucket-owner accessor --skip-synth --output ${OUTPUT} --auto-approve`,
    );
    // The owner's apply fails (stand-in terraform), so the accessor that needs its state never starts.
    expect(actions[0]).toMatch(/^bucket-owner apply\b/);
    expect(actions.filter((line) => line.startsWith("accessor"))).toEqual([]);
    expect(run.status).not.toBe(0);
  }, 300_000);

  test("destroy, no stack named: the accessor goes first, the owner waits for it", async () => {
    const { run, actions } = await runVerb("destroy", ["--auto-approve"]);
    expect(run.stdout.split("\n")[0]).toMatch(
      /^Destroying "out-commands", synthesized from .*: accessor .*, then bucket-owner/,
    );
    expect(actions[0]).toMatch(/^accessor /);
    expect(actions.filter((line) => line.startsWith("bucket-owner"))).toEqual([]);
    expect(run.status).not.toBe(0);
  }, 300_000);

  test("deploy of the accessor alone: the CLI takes it with the flag added, and runs only the accessor", async () => {
    const { run, calls, actions } = await runVerb("deploy", ["accessor", "--auto-approve"]);
    expect(run.stdout).toContain("adding --ignore-missing-stack-dependencies");
    expect(run.stdout + run.stderr).not.toContain("are not included in the stacks to run");
    expect(actions[0]).toMatch(/^accessor apply\b/);
    expect(calls.filter((line) => line.startsWith("bucket-owner"))).toEqual([]);
  }, 300_000);

  test("diff, no stack named: one plan per stack, the owner's first, the accessor's despite the owner's failure", async () => {
    const { run, actions } = await runVerb("diff", []);
    expect(actions.map((line) => line.split(" ").slice(0, 2).join(" "))).toEqual([
      "bucket-owner plan",
      "accessor plan",
    ]);
    expect(run.stdout).toContain("Failed (exit 1): cdktf diff bucket-owner, cdktf diff accessor.");
    expect(run.status).toBe(1);
  }, 300_000);

  test("a config other than the output's: refused before the CLI starts", async () => {
    const run = await npmRun(project, "deploy", ["--output", OUTPUT], { CROSS_ACCOUNT_CONFIG: "examples/kms.json" });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `"${OUTPUT}" was synthesized from ${CONFIG}, but CROSS_ACCOUNT_CONFIG names examples/kms.json: run npm run synth first to synthesize examples/kms.json, or unset CROSS_ACCOUNT_CONFIG to deploy what "${OUTPUT}" holds.\n`,
    );
  }, 120_000);
});
