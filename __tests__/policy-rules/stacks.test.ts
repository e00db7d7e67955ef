import "cdktf/lib/testing/adapters/jest";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import type { IConstruct } from "constructs";
import { validateConfig } from "../../config/validate";
import type { CrossAccountConfig } from "../../config/types";
import { addStacks } from "../../stacks/app-stacks";
import { reportConfig, reportFor, synthApp } from "../helpers/access-report-synth";

/** Every stack of `config` (one per consumer), each synthesized (which runs the rules); every annotation left on them. */
function annotationsOfApp(config: CrossAccountConfig): { level: string; path: string; message: string }[] {
  const { owner, accessors } = addStacks(Testing.app(), config);
  return [owner, ...accessors].flatMap((stack: TerraformStack) => {
    Testing.synth(stack);
    return stack.node
      .findAll()
      .flatMap((construct: IConstruct) =>
        construct.node.metadata
          .filter((entry) => entry.type.startsWith("@cdktf/"))
          .map((entry) => ({ level: entry.type, path: construct.node.path, message: String(entry.data) })),
      );
  });
}

const EXAMPLES = readdirSync(path.join(__dirname, "../../examples")).filter((file) => file.endsWith(".json"));

describe("the app's own stacks pass every policy rule", () => {
  test.each(["read-only", "read-write", "full"])("the example config at %s", (accessLevel) => {
    expect(annotationsOfApp(reportConfig({ accessLevel }).config)).toEqual([]);
  });

  test.each(EXAMPLES)("examples/%s", (file) => {
    const raw: unknown = JSON.parse(readFileSync(path.join(__dirname, "../../examples", file), "utf8"));
    const { config, problems } = validateConfig(raw);
    expect(problems).toEqual([]);
    expect(annotationsOfApp(config!)).toEqual([]);
  });
});

describe("a public IP asked for in the config", () => {
  const { config } = reportConfig({ instance: { associatePublicIpAddress: true } });

  test("is reported as a suppressed finding with its reason, not as an error", () => {
    expect(annotationsOfApp(config)).toEqual([
      {
        level: "@cdktf/info",
        path: "accessor/instance/instance",
        message:
          "[ec2-no-public-ip] aws_instance.instance: associate_public_ip_address is true; set it to false, or suppress this rule with the reason it needs one (checkov CKV_AWS_88; Security Hub EC2.9) — suppressed: a public IP was asked for explicitly (associatePublicIpAddress: true)",
      },
    ]);
  });

  test("and the access report lists the suppression", async () => {
    const report = await reportFor(synthApp(config), config);
    expect(report.ok).toBe(true);
    expect(report.policyRuleFindings).toEqual([
      expect.objectContaining({
        stack: "accessor",
        level: "info",
        constructPath: "accessor/instance/instance",
        message: expect.stringContaining("suppressed: a public IP was asked for explicitly"),
      }),
    ]);
  });
});
