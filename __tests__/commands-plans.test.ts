/**
 * What `npm run diff`, `npm run deploy` and `npm run destroy` do with a real
 * synthesized output, without running the cdktf CLI: the first line naming
 * the output, its config and the accounts in order; the exact CLI arguments
 * (always --skip-synth on that output, the user's flags passed through,
 * --ignore-missing-stack-dependencies only when the CLI needs it); and the
 * one-line refusals when there is nothing synthesized, no config record, or
 * CROSS_ACCOUNT_CONFIG names another config than the output was made from.
 * The real CLI runs these arguments in commands-cli.system.test.ts.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CommandError } from "../commands/command-error";
import { planDeploy } from "../commands/deploy";
import { planDestroy } from "../commands/destroy";
import { planDiffCommand } from "../commands/diff";
import { CommandContext, CommandPlan, executePlan } from "../commands/stack-run";
import { writeConfigRecord } from "../config/config-record";
import { synthSafely } from "../synth/synth-safely";
import { buildFrom, numberedConfig } from "./helpers/synth-output";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

let cwd = "";
const OWNER = "bucket-owner 210000000001 (eu-west-1)";
const ACCESSOR = "accessor 430000000001 (eu-central-1)";
const BASE = ["--skip-synth", "--output", "cdktf.out"];

function writeConfig(name: string, n: number): string {
  const file = path.join(cwd, name);
  writeFileSync(file, `${JSON.stringify(numberedConfig(n), null, 2)}\n`);
  return file;
}

beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), "commands-plans-"));
  const config = writeConfig("my-config.json", 1);
  writeConfig("other-config.json", 2);
  const result = await synthSafely(buildFrom(config), "cdktf.out", { cwd });
  expect(result).toEqual({ ok: true, lines: [] });
}, 120_000);

afterAll(() => rmSync(cwd, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

function context(env: NodeJS.ProcessEnv = {}): CommandContext {
  return { env, cwd };
}

function plan(result: CommandPlan | string): CommandPlan {
  if (typeof result === "string") throw new Error(`expected a plan, got the usage:\n${result}`);
  return result;
}

/** The one line a refusal prints. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CommandError) return error.lines.join("\n");
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("npm run deploy", () => {
  test("with no stack named: every stack, the owner first, on the synthesized output only", () => {
    const deploy = plan(planDeploy([], context()));
    expect(deploy.lines).toEqual([
      `Deploying "cdktf.out", synthesized from my-config.json: ${OWNER}, then ${ACCESSOR}`,
    ]);
    expect(deploy.runs).toEqual([["deploy", "bucket-owner", "accessor", ...BASE]]);
  });

  test("passes the user's flags through after the stacks; a flag's value is not taken for a stack", () => {
    const deploy = plan(
      planDeploy(["--auto-approve", "--var", "owner=a", "accessor", "--var-file=x.tfvars", "bucket-owner"], context()),
    );
    expect(deploy.runs).toEqual([
      ["deploy", "bucket-owner", "accessor", ...BASE, "--auto-approve", "--var", "owner=a", "--var-file", "x.tfvars"],
    ]);
  });

  test("one accessor alone: adds --ignore-missing-stack-dependencies and says why", () => {
    const deploy = plan(planDeploy(["accessor"], context()));
    expect(deploy.lines).toEqual([
      `Deploying "cdktf.out", synthesized from my-config.json: ${ACCESSOR}`,
      "Note: bucket-owner is not in this deploy and must be deployed already (the named stacks read its state); adding --ignore-missing-stack-dependencies, which the cdktf CLI needs to run a stack without them.",
    ]);
    expect(deploy.runs).toEqual([["deploy", "accessor", ...BASE, "--ignore-missing-stack-dependencies"]]);
  });

  test("--ignore-missing-stack-dependencies given for both stacks: one run per level, so the owner still goes first", () => {
    const deploy = plan(planDeploy(["--ignore-missing-stack-dependencies", "--auto-approve"], context()));
    const flags = ["--ignore-missing-stack-dependencies", "--auto-approve"];
    expect(deploy.runs).toEqual([
      ["deploy", "bucket-owner", ...BASE, ...flags],
      ["deploy", "accessor", ...BASE, ...flags],
    ]);
    expect(deploy.lines.at(-1)).toMatch(/each level runs on its own, in order, stopping at the first failure/);
  });

  test("a mistyped flag is refused before anything runs, with the flag it resembles", () => {
    expect(refusal(() => planDeploy(["--auto-aprove"], context()))).toBe(
      "npm run deploy: --auto-aprove is not a flag it takes; did you mean --auto-approve? (npm run deploy -- --help)",
    );
  });

  test("--help gives the usage, listing the flags passed to cdktf deploy", () => {
    const usage = planDeploy(["--help"], context());
    expect(typeof usage).toBe("string");
    expect(usage).toContain("--auto-approve");
    expect(usage).toContain("--outputs-file");
  });
});

describe("npm run destroy", () => {
  test("with no stack named: every stack, the accessor first", () => {
    const destroy = plan(planDestroy(["--auto-approve"], context()));
    expect(destroy.lines).toEqual([
      `Destroying "cdktf.out", synthesized from my-config.json: ${ACCESSOR}, then ${OWNER}`,
    ]);
    expect(destroy.runs).toEqual([["destroy", "accessor", "bucket-owner", ...BASE, "--auto-approve"]]);
  });

  test("the owner alone: adds --ignore-missing-stack-dependencies and names the accessor left standing", () => {
    const destroy = plan(planDestroy(["bucket-owner"], context()));
    expect(destroy.lines[1]).toBe(
      "Note: accessor reads the state of a stack destroyed here and stays; destroy it first unless that is what you want; adding --ignore-missing-stack-dependencies, which the cdktf CLI needs to run a stack without them.",
    );
    expect(destroy.runs).toEqual([["destroy", "bucket-owner", ...BASE, "--ignore-missing-stack-dependencies"]]);
  });

  test("the accessor alone needs no extra flag (nothing depends on it)", () => {
    expect(plan(planDestroy(["accessor"], context())).runs).toEqual([["destroy", "accessor", ...BASE]]);
  });
});

describe("npm run diff", () => {
  test("one CLI run per stack (cdktf diff plans one), in deploy order, going on after a failed plan", () => {
    const diff = plan(planDiffCommand(["--refresh-only"], context()));
    expect(diff.lines).toEqual([`Diffing "cdktf.out", synthesized from my-config.json: ${OWNER}, then ${ACCESSOR}`]);
    expect(diff.runs).toEqual([
      ["diff", "bucket-owner", ...BASE, "--refresh-only"],
      ["diff", "accessor", ...BASE, "--refresh-only"],
    ]);
    expect(diff.continueAfterFailure).toBe(true);
  });

  test("--auto-approve is not a diff flag", () => {
    expect(refusal(() => planDiffCommand(["--auto-approve"], context()))).toMatch(
      /^npm run diff: --auto-approve is not a flag it takes/,
    );
  });
});

describe("the config: the output's record, or a refusal", () => {
  test("CROSS_ACCOUNT_CONFIG naming the same file (any spelling) is accepted", () => {
    for (const named of ["my-config.json", "./my-config.json", path.join(cwd, "my-config.json")]) {
      expect(plan(planDeploy([], context({ CROSS_ACCOUNT_CONFIG: named }))).runs).toHaveLength(1);
    }
  });

  test("CROSS_ACCOUNT_CONFIG naming another config: refused in one line saying what differs and the fix", () => {
    for (const [verb, planOf] of [
      ["deploy", planDeploy],
      ["destroy", planDestroy],
      ["diff", planDiffCommand],
    ] as const) {
      expect(refusal(() => planOf([], context({ CROSS_ACCOUNT_CONFIG: "other-config.json" })))).toBe(
        `"cdktf.out" was synthesized from my-config.json, but CROSS_ACCOUNT_CONFIG names other-config.json: run npm run synth first to synthesize other-config.json, or unset CROSS_ACCOUNT_CONFIG to ${verb} what "cdktf.out" holds.`,
      );
    }
  });

  test("CROSS_ACCOUNT_CONFIG naming the same file, edited since the synth: refused", () => {
    const file = path.join(cwd, "my-config.json");
    const original = path.join(cwd, "my-config.original");
    copyFileSync(file, original);
    try {
      writeFileSync(file, `${JSON.stringify(numberedConfig(3), null, 2)}\n`);
      expect(refusal(() => planDeploy([], context({ CROSS_ACCOUNT_CONFIG: "my-config.json" })))).toBe(
        'my-config.json has changed since "cdktf.out" was synthesized from it: run npm run synth first, so that the deploy uses the config as it is now.',
      );
      // Unset, the output's own record is deployed, with a note that the file has moved on.
      expect(plan(planDeploy([], context())).lines[1]).toBe(
        'Note: my-config.json has changed since "cdktf.out" was synthesized; this deploy uses the config as synthesized (npm run synth takes the changes).',
      );
    } finally {
      copyFileSync(original, file);
    }
  });

  test("CROSS_ACCOUNT_CONFIG naming a file that is not there: it is not the output's config", () => {
    expect(refusal(() => planDeploy([], context({ CROSS_ACCOUNT_CONFIG: "missing.json" })))).toMatch(
      /^"cdktf.out" was synthesized from my-config.json, but CROSS_ACCOUNT_CONFIG names missing.json: /,
    );
  });

  test("CROSS_ACCOUNT_CONFIG set but empty: the config loader's line, not the example", () => {
    expect(() => planDeploy([], context({ CROSS_ACCOUNT_CONFIG: " " }))).toThrow(
      /^CROSS_ACCOUNT_CONFIG is set but empty/,
    );
  });

  test("no synthesized output: run npm run synth first", () => {
    expect(refusal(() => planDeploy(["--output", "never-synthesized"], context()))).toBe(
      'Nothing to deploy: "never-synthesized" does not exist; run npm run synth first.',
    );
    mkdirSync(path.join(cwd, "empty-out"));
    expect(refusal(() => planDestroy(["--output", "empty-out"], context({ CROSS_ACCOUNT_CONFIG: "x.json" })))).toBe(
      'Nothing to destroy: "empty-out" has no manifest.json; run npm run synth (CROSS_ACCOUNT_CONFIG is set) first.',
    );
  });

  test("an output without its config record: which config it holds is unknown, so run npm run synth first", async () => {
    const result = await synthSafely(buildFrom(path.join(cwd, "other-config.json")), "no-record", { cwd });
    expect(result.ok).toBe(true);
    unlinkSync(path.join(cwd, "no-record", "cross-account-config.json"));
    expect(refusal(() => planDiffCommand(["-o", "no-record"], context()))).toBe(
      '"no-record" has no cross-account-config.json, so which config it was made from is unknown: run npm run synth first.',
    );
  }, 120_000);
});

describe("an output with one stack per accessor (read from its manifest, not from a list in code)", () => {
  /** Writes an output as cdktf lays it out: manifest.json, one cdk.tf.json per stack, and the config record. */
  function writeOutput(folder: string, stacks: Record<string, { account: string; region: string; deps: string[] }>) {
    const manifest: Record<string, unknown> = {};
    for (const [name, stack] of Object.entries(stacks)) {
      const dir = path.join(cwd, folder, "stacks", name);
      mkdirSync(dir, { recursive: true });
      const provider = { aws: [{ alias: name, allowed_account_ids: [stack.account], region: stack.region }] };
      writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ provider }));
      manifest[name] = {
        name,
        dependencies: stack.deps,
        synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
        workingDirectory: `stacks/${name}`,
        annotations: [],
      };
    }
    writeFileSync(path.join(cwd, folder, "manifest.json"), JSON.stringify({ stacks: manifest, version: "0.21.0" }));
    const text = JSON.stringify(numberedConfig(4));
    writeConfigRecord(path.join(cwd, folder), { file: path.join(cwd, "many.json"), usedExample: false, text }, cwd);
  }

  beforeAll(() => {
    writeOutput("many-out", {
      "accessor-web": { account: "430000000003", region: "us-east-1", deps: ["bucket-owner"] },
      "accessor-batch": { account: "430000000002", region: "eu-central-1", deps: ["bucket-owner"] },
      "bucket-owner": { account: "210000000004", region: "eu-west-1", deps: [] },
    });
  }, HOOK_TIMEOUT_MS);

  test("deploy: the owner, then every accessor stack, in one CLI run that orders them", () => {
    const deploy = plan(planDeploy(["-o", "many-out"], context()));
    expect(deploy.lines[0]).toBe(
      'Deploying "many-out", synthesized from many.json: bucket-owner 210000000004 (eu-west-1), then accessor-batch 430000000002 (eu-central-1) and accessor-web 430000000003 (us-east-1)',
    );
    expect(deploy.runs).toEqual([
      ["deploy", "bucket-owner", "accessor-batch", "accessor-web", "--skip-synth", "--output", "many-out"],
    ]);
  });

  test("many accessor stacks: the first line names three of a level, then counts the rest", () => {
    const stacks: Record<string, { account: string; region: string; deps: string[] }> = {
      "bucket-owner": { account: "210000000004", region: "eu-west-1", deps: [] },
    };
    for (let n = 1; n <= 12; n += 1) {
      stacks[`accessor-team-${String(n).padStart(2, "0")}`] = {
        account: String(430000000000 + n),
        region: "eu-west-1",
        deps: ["bucket-owner"],
      };
    }
    writeOutput("twelve-out", stacks);
    const deploy = plan(planDeploy(["-o", "twelve-out"], context()));
    expect(deploy.lines[0]).toBe(
      'Deploying "twelve-out", synthesized from many.json: bucket-owner 210000000004 (eu-west-1), then accessor-team-01 430000000001 (eu-west-1), accessor-team-02 430000000002 (eu-west-1), accessor-team-03 430000000003 (eu-west-1) and 9 more',
    );
    expect(deploy.runs[0]).toHaveLength(1 + 13 + 3);
  });

  test("destroy: every accessor stack first; two accessors alone need no extra flag", () => {
    expect(plan(planDestroy(["-o", "many-out"], context())).runs[0]).toEqual([
      "destroy",
      "accessor-batch",
      "accessor-web",
      "bucket-owner",
      "--skip-synth",
      "--output",
      "many-out",
    ]);
    expect(plan(planDestroy(["accessor-web", "accessor-batch", "-o", "many-out"], context())).runs).toEqual([
      ["destroy", "accessor-batch", "accessor-web", "--skip-synth", "--output", "many-out"],
    ]);
  });

  test("deploying two accessors without the owner: one run, with the flag, the owner named", () => {
    const deploy = plan(planDeploy(["accessor-web", "accessor-batch", "-o", "many-out"], context()));
    expect(deploy.runs).toEqual([
      [
        "deploy",
        "accessor-batch",
        "accessor-web",
        "--skip-synth",
        "--output",
        "many-out",
        "--ignore-missing-stack-dependencies",
      ],
    ]);
    expect(deploy.lines[1]).toMatch(/^Note: bucket-owner is not in this deploy and must be deployed already/);
  });
});

describe("running the plan", () => {
  const deploy: CommandPlan = {
    lines: ["first line"],
    runs: [
      ["deploy", "bucket-owner"],
      ["deploy", "accessor"],
    ],
    continueAfterFailure: false,
  };

  test("prints the lines and each command, and stops a deploy at the first failure with its exit code", async () => {
    const printed: string[] = [];
    const ran: string[][] = [];
    const code = await executePlan(
      deploy,
      (args) => {
        ran.push([...args]);
        return Promise.resolve(3);
      },
      (line) => printed.push(line),
    );
    expect(code).toBe(3);
    expect(ran).toEqual([["deploy", "bucket-owner"]]);
    expect(printed).toEqual([
      "first line",
      "Running: cdktf deploy bucket-owner",
      "Failed (exit 3): cdktf deploy bucket-owner.",
    ]);
  });

  test("a diff goes on after a failed plan and exits with the first failure's code", async () => {
    const ran: string[] = [];
    const codes = [0, 1];
    const code = await executePlan(
      { ...deploy, continueAfterFailure: true },
      (args) => {
        ran.push(args[1] ?? "");
        return Promise.resolve(codes.shift() ?? 0);
      },
      () => undefined,
    );
    expect({ code, ran }).toEqual({ code: 1, ran: ["bucket-owner", "accessor"] });
  });
});
