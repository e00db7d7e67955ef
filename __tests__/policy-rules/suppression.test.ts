import "cdktf/lib/testing/adapters/jest";
import { existsSync, mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Aspects, App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { ALL_RULES, PolicyRules, suppressRule } from "../../policy-rules";
import { synthSafely } from "../../synth/synth-safely";
import { annotationsOf, findingsOf, OWNER_ACCOUNT, ruleStack, secureBucket } from "../helpers/policy-rules-harness";

const FORCE_DESTROY =
  "[s3-no-force-destroy] aws_s3_bucket.bucket: force_destroy is true, so destroy would delete every object; remove it (expected: unset or false)";

describe("suppressRule", () => {
  test("a suppressed finding is reported as info with its reason, and is no longer an error", () => {
    const context = ruleStack();
    const bucket = secureBucket(context);
    bucket.forceDestroy = true;
    suppressRule(bucket, "s3-no-force-destroy", "scratch bucket for CI fixtures, emptied on purpose");
    expect(findingsOf(context.stack, "s3-no-force-destroy")).toEqual([
      {
        level: "info",
        path: "rules/bucket",
        message: `${FORCE_DESTROY} — suppressed: scratch bucket for CI fixtures, emptied on purpose`,
      },
    ]);
  });

  test("a suppression on a scope covers the constructs under it", () => {
    const context = ruleStack();
    const workers = new Construct(context.stack, "workers");
    new Instance(workers, "instance", {
      provider: context.provider,
      ami: "ami-0123456789abcdef0",
      instanceType: "t3.micro",
      associatePublicIpAddress: true,
      metadataOptions: { httpTokens: "required" },
      rootBlockDevice: { encrypted: true },
    });
    suppressRule(workers, "ec2-no-public-ip", "bastion hosts in a public subnet, reached over SSH");
    expect(findingsOf(context.stack, "ec2-no-public-ip")).toEqual([
      expect.objectContaining({
        level: "info",
        path: "rules/workers/instance",
        message: expect.stringContaining("suppressed: bastion hosts"),
      }),
    ]);
  });

  test("a suppression of one rule leaves the others reporting", () => {
    const context = ruleStack();
    const bucket = secureBucket(context, ["versioning"]);
    bucket.forceDestroy = true;
    suppressRule(bucket, "s3-versioning-enabled", "a cache bucket whose objects are rebuilt on demand");
    expect(annotationsOf(context.stack).map((a) => [a.level, a.message.split(" ")[0]])).toEqual([
      ["info", "[s3-versioning-enabled]"],
      ["error", "[s3-no-force-destroy]"],
    ]);
  });

  test("a suppression needs a real reason", () => {
    const context = ruleStack();
    expect(() => suppressRule(secureBucket(context), "s3-no-force-destroy", "ok")).toThrow(
      /suppressRule\(rules\/bucket, "s3-no-force-destroy"\): reason "ok" is too short; say why the rule does not apply/,
    );
  });

  test("a suppression naming a rule that does not exist is a warning", () => {
    const context = ruleStack();
    suppressRule(secureBucket(context), "s3-force-destroy", "typo in the rule id, the real one has a no- prefix");
    expect(annotationsOf(context.stack)).toEqual([
      expect.objectContaining({
        level: "warning",
        message: expect.stringContaining('suppression names unknown rule "s3-force-destroy"'),
      }),
    ]);
  });
});

describe("the aspect during synth", () => {
  test("findings are recorded once, however often the stack is synthesized", () => {
    const context = ruleStack();
    secureBucket(context).forceDestroy = true;
    annotationsOf(context.stack);
    expect(annotationsOf(context.stack)).toHaveLength(1);
  });

  function badApp(outdir: string): App {
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, "rules");
    const provider = new AwsProvider(stack, "aws", { region: "eu-west-1", allowedAccountIds: [OWNER_ACCOUNT] });
    Aspects.of(stack).add(new PolicyRules({ rules: ALL_RULES.filter((rule) => rule.id === "s3-no-force-destroy") }));
    new S3Bucket(stack, "bucket", { provider, bucket: "example-rules-bucket", forceDestroy: true });
    return app;
  }

  test("an error fails app.synth() with the construct path and the rule id", () => {
    const app = badApp(mkdtempSync(path.join(os.tmpdir(), "policy-rules-")));
    expect(() => app.synth()).toThrow(`[rules/bucket] ${FORCE_DESTROY}`);
  });

  test("outside the CLI synth-safely reports the findings alone, without cdktf's advice to ignore them", async () => {
    const outdir = path.join(mkdtempSync(path.join(os.tmpdir(), "policy-rules-")), "cdktf.out");
    const result = await synthSafely(badApp, outdir);
    expect(result).toEqual({
      ok: false,
      lines: [
        "Policy rules failed:",
        `[rules/bucket] ${FORCE_DESTROY}`,
        `Nothing was written: "${outdir}" was not created.`,
      ],
    });
  });

  test("under the cdktf CLI (which continues on error annotations) synth-safely fails and leaves the output folder alone", async () => {
    const outdir = path.join(mkdtempSync(path.join(os.tmpdir(), "policy-rules-")), "cdktf.out");
    const previous = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
    try {
      const result = await synthSafely(badApp, outdir);
      expect(result.ok).toBe(false);
      expect(result.lines.slice(0, 2)).toEqual(["Policy rules failed:", `[rules/bucket] ${FORCE_DESTROY}`]);
      expect(existsSync(outdir)).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
      else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = previous;
    }
  });
});
