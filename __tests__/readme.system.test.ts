/**
 * The README cannot drift from the project: its code blocks are parsed and every command in them is run or checked.
 *
 * - `sh` blocks are the quick start: pasted line by line into bash in a copy of the project, in order. `npm ci` and
 *   `npm test` are what CI runs around this suite, so they are checked against `.ci/run` instead of run again.
 *   `npm run deploy` runs through the real cdktf CLI with terraform replaced by a stand-in that refuses to plan or
 *   apply: everything up to the first AWS call is real.
 * - `console` blocks hold commands that need a deployed stack or the instance: each is checked against what the
 *   quick start synthesized (the verify commands are its `verify_commands` output; every address a `state rm`
 *   names exists in the owner stack of the quick start or, for the key, of the SSE-KMS example).
 * - The `ini` block is the CLI profile the quick start's instance gets.
 * A command this suite does not know fails it, so a new line in the README needs a check here.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { copyProject, CliRun, shellRun, writeRefusingTerraform } from "./helpers/cli";
import { PROJECT_ROOT } from "./helpers/config";
import { loadExample } from "./helpers/org-configs";
import { synthApp, TfJson } from "./helpers/synth";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

interface CodeBlock {
  readonly language: string;
  readonly lines: readonly string[];
}

const README = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { language: string; lines: string[] } | undefined;
  for (const line of markdown.split("\n")) {
    const fence = /^```(\S*)\s*$/.exec(line);
    if (fence !== null && open === undefined) open = { language: fence[1] ?? "", lines: [] };
    else if (fence !== null && open !== undefined) {
      blocks.push(open);
      open = undefined;
    } else open?.lines.push(line);
  }
  return blocks;
}

/** A block's commands: lines joined where they end in a backslash, blank lines and comments left out. */
function commandsOf(block: CodeBlock): string[] {
  return block.lines
    .join("\n")
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

const blocks = codeBlocks(README);
const quickStart = blocks.filter((block) => block.language === "sh").flatMap(commandsOf);
const ciCommands = readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8")
  .split("\n")
  .map((line) => line.trim());

describe("the README is a front door", () => {
  test("under 200 lines; prose paragraphs of at most 6 lines", () => {
    const lines = README.split("\n");
    expect(lines.length).toBeLessThan(200);
    let inCode = false;
    let paragraph = 0;
    for (const line of lines) {
      if (line.startsWith("```")) inCode = !inCode;
      const prose = !inCode && line.trim() !== "" && !/^(\||#|- |```)/.test(line) && !/^ {2}/.test(line);
      paragraph = prose ? paragraph + 1 : 0;
      expect(paragraph).toBeLessThanOrEqual(6);
    }
  });

  test("the quick start sets up with the two commands CI runs", () => {
    expect(quickStart.slice(0, 2)).toEqual(["npm ci", "npm test"]);
    expect(ciCommands).toEqual(expect.arrayContaining(["npm ci --no-audit --no-fund", "npm test"]));
  });

  test("every linked docs page exists", () => {
    const links = [...README.matchAll(/\]\((docs\/[^)#]+)/g)].map((match) => match[1] ?? "");
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(existsSync(path.join(PROJECT_ROOT, link))).toBe(true);
  });
});

describe("the quick start, pasted into a copy of the project", () => {
  let root = "";
  let project = "";
  let terraformLog = "";
  const runs = new Map<string, CliRun>();
  let accessorJson: TfJson;
  let ownerJson: TfJson;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "readme-"));
    project = copyProject(path.join(root, "project"));
    terraformLog = path.join(root, "terraform.log");
    writeFileSync(terraformLog, "");
    const terraform = writeRefusingTerraform(path.join(root, "terraform"));
    for (const command of quickStart.slice(2)) {
      const env = { TERRAFORM_BINARY_NAME: terraform, FAKE_TERRAFORM_LOG: terraformLog };
      runs.set(command, await shellRun(project, command, env));
    }
    const read = (stack: string): TfJson =>
      JSON.parse(readFileSync(path.join(project, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8")) as TfJson;
    ownerJson = read("bucket-owner");
    accessorJson = read("accessor");
  }, 600_000);

  afterAll(() => {
    if (root !== "") rmSync(root, { recursive: true, force: true });
  }, HOOK_TIMEOUT_MS);

  /** The first line a command itself printed, after npm's banner (`> package@version script`, a blank line). */
  function firstLine(run: CliRun): string {
    return run.stdout.split("\n").find((line) => line.trim() !== "" && !line.startsWith("> ")) ?? "";
  }

  /** The run of the one quick-start command matching `pattern`. */
  function runOf(pattern: RegExp): CliRun {
    const matching = [...runs.keys()].filter((command) => pattern.test(command));
    expect(matching).toHaveLength(1);
    return runs.get(matching[0]!)!;
  }

  test("every command is one this suite knows", () => {
    const known = [
      /^cp examples\/\S+\.json config\/\S+\.json$/,
      /npm run synth$/,
      /^npm run access-report$/,
      /^npm run deploy$/,
    ];
    expect([...runs.keys()].filter((command) => !known.some((pattern) => pattern.test(command)))).toEqual([]);
  });

  test("cp: the config starts as a copy of an example, whose $schema still resolves from config/", () => {
    expect(runOf(/^cp /).status).toBe(0);
    const copied = JSON.parse(readFileSync(path.join(project, "config", "my-config.json"), "utf8")) as {
      $schema: string;
    };
    expect(existsSync(path.resolve(project, "config", copied.$schema))).toBe(true);
  });

  test("synth: its first line names the copied config and both accounts; the output is written", () => {
    const run = runOf(/npm run synth$/);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(firstLine(run)).toBe(
      "Synthesizing config/my-config.json: bucket owner 111122223333 (eu-west-1), accessor 444455556666 (eu-west-1) → cdktf.out",
    );
    expect(existsSync(path.join(project, "cdktf.out", "cross-account-config.json"))).toBe(true);
  });

  test("access report: it checks the synthesized config, and access is as expected", () => {
    const run = runOf(/^npm run access-report$/);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(firstLine(run)).toBe(
      "Access report for cdktf.out, synthesized from config/my-config.json: bucket owner 111122223333 (eu-west-1), accessor 444455556666 (eu-west-1)",
    );
    expect(run.stdout).toContain("Config:        config/my-config.json (recorded by the synth");
    expect(run.stdout).toMatch(/access is as expected/);
  });

  test("deploy: the owner first, exactly what was synthesized, stopped only where AWS would be reached", () => {
    const run = runOf(/^npm run deploy$/);
    expect(firstLine(run)).toBe(
      'Deploying "cdktf.out", synthesized from config/my-config.json: bucket-owner 111122223333 (eu-west-1), then accessor 444455556666 (eu-west-1)',
    );
    const actions = readFileSync(terraformLog, "utf8")
      .split("\n")
      .filter((line) => /^(bucket-owner|accessor) /.test(line) && !/^\S+ (init|providers|version|-v)\b/.test(line));
    expect(actions[0]).toMatch(/^bucket-owner (plan|apply)\b/);
    // The stand-in refused the plan (its log above); the CLI reports that and stops before the accessor.
    expect(run.stderr).toContain("Invoking Terraform CLI failed with exit code 1");
    expect(actions.some((line) => line.startsWith("accessor "))).toBe(false);
    expect(run.status).not.toBe(0);
  });

  test("the console commands on the instance are the accessor's verify_commands", () => {
    const verify = blocks
      .filter((block) => block.language === "console")
      .flatMap(commandsOf)
      .filter((command) => command.startsWith("aws "));
    expect(verify).toEqual(accessorJson.output?.verify_commands?.value);
  });

  test("every address the destroy steps take out of the state exists in the owner stack", () => {
    const stateRm = blocks
      .filter((block) => block.language === "console")
      .flatMap(commandsOf)
      .filter((command) => command.startsWith("terraform "));
    expect(stateRm.length).toBeGreaterThan(0);
    const kmsOwner = synthApp(loadExample("kms")).ownerJson;
    const addresses = (json: TfJson): string[] =>
      Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    const known = new Set([...addresses(ownerJson), ...addresses(kmsOwner)]);
    for (const command of stateRm) {
      const [, chdir, ...rest] = /^terraform -chdir=(\S+) state rm (.+)$/.exec(command) ?? [];
      expect(chdir).toBe("cdktf.out/stacks/bucket-owner");
      expect(existsSync(path.join(project, chdir!))).toBe(true);
      for (const address of (rest[0] ?? "").split(" ")) expect(known).toContain(address);
    }
    // Every resource with prevent_destroy is taken out, so destroy can remove the rest.
    const protectedAddresses = [ownerJson, kmsOwner].flatMap((json) =>
      Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
        Object.entries(byName)
          .filter(([, body]) => (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy)
          .map(([name]) => `${type}.${name}`),
      ),
    );
    const removed = stateRm.join(" ");
    for (const address of protectedAddresses) expect(removed).toContain(address);
  });

  test("the ini block is the CLI profile the quick start's instance gets, with the target role's ARN", () => {
    const ini = blocks
      .find((block) => block.language === "ini")!
      .lines.join("\n")
      .trim();
    const profile = String(accessorJson.output?.cli_profile?.value).replace(
      "${data.terraform_remote_state.bucket_owner_state.outputs.target_role_arn}",
      "arn:aws:iam::111122223333:role/quick-start-reader",
    );
    expect(ini).toBe(profile.trim());
  });
});
