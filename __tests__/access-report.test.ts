import "cdktf/lib/testing/adapters/jest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AccessReport } from "../access-report/report";
import { buildAccessModel } from "../access-report/access-model";
import { readSynthOutput } from "../access-report/synth-output";
import { runAccessReportCli } from "../access-report/cli";
import type { StatementJson } from "../access-report/policy-json";
import { CONFIG_RECORD_FILE } from "../config/config-record";
import { locateDeployment } from "../access-report/deployment";
import { effectiveAccess } from "../access-report/effective-access";
import { consumersFromConfig } from "../access-report/expectations";
import { ActionCatalog } from "../access-report/iam-actions";
import { ZoneOfTrust } from "../access-report/zone";
import {
  EXAMPLE_RAW_CONFIG,
  findingSummaries,
  mismatches,
  reportFor,
  row,
  synthWithRecord,
  withChangedPolicy,
  withChangedStack,
  type Synthesized,
} from "./helpers/access-report-synth";
import { LEVEL_ACTIONS } from "./helpers/policy";
import { appEnv } from "./helpers/synth-output";

const OWNER = "111122223333";
const ACCESSOR = "444455556666";
const TARGET_ROLE_ARN = `arn:aws:iam::${OWNER}:role/shared-data-reader`;
const INSTANCE_ROLE_ARN = `arn:aws:iam::${ACCESSOR}:role/shared-data-client-instance`;
const BUCKET_ARN = "arn:aws:s3:::example-shared-data-111122223333";

interface Synth extends Synthesized {
  readonly report: AccessReport;
}

const synths: Record<string, Synth> = {};
beforeAll(async () => {
  for (const level of ["read-only", "read-write", "full"]) {
    const synthesized = synthWithRecord({ ...EXAMPLE_RAW_CONFIG, accessLevel: level });
    synths[level] = { ...synthesized, report: await reportFor(synthesized.outdir, synthesized.config) };
  }
}, 180_000);

const BUCKET_POLICY = {
  stack: "bucket-owner",
  type: "aws_s3_bucket_policy",
  name: "bucket_policy",
  attribute: "policy",
};
const addStatement = (statement: StatementJson) => (document: { Statement: readonly StatementJson[] }) => ({
  ...document,
  Statement: [...document.Statement, statement],
});

describe.each(["read-only", "read-write", "full"] as const)("access report of a real %s synth", (level) => {
  test("no over-grant, no problem, every check as expected", () => {
    const { report } = synths[level]!;
    expect(findingSummaries(report)).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(mismatches(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.accessLevel).toBe(level);
  });

  test("the instance role can assume the target role: both the identity policy and the trust policy allow it", () => {
    const assume = row(synths[level]!.report, "assume/instance-role");
    expect(assume.evaluated).toBe("Allowed");
    expect(assume.decidedBy).toEqual([
      "shared-data-client-instance/assume-target-role: AssumeTargetRole",
      "trust policy of shared-data-reader: AssumeFromAccessorPrincipals",
    ]);
  });

  test("the target role can do every action of the level, each evaluated on its own", () => {
    const report = synths[level]!.report;
    const bucketRow = row(report, "bucket/bucket-actions");
    const objectRow = row(report, "bucket/object-actions");
    expect(bucketRow.actions).toEqual(LEVEL_ACTIONS[level].bucket);
    expect(objectRow.actions).toEqual(LEVEL_ACTIONS[level].object);
    for (const checked of [bucketRow, objectRow]) {
      expect(checked.results.map((r) => [r.action, r.evaluation.decision])).toEqual(
        checked.actions.map((action) => [action, "Allowed"]),
      );
    }
    expect(bucketRow.resourceArn).toBe(BUCKET_ARN);
    expect(objectRow.resourceArn).toBe(`${BUCKET_ARN}/access-report/example-object.txt`);
  });

  test("plain-HTTP requests are denied for every action of the level, by the TLS deny", () => {
    const report = synths[level]!.report;
    for (const id of ["guard/plain-http-bucket", "guard/plain-http-objects"]) {
      expect(row(report, id)).toMatchObject({ expected: "Denied", evaluated: "Denied", asExpected: true });
      expect(row(report, id).decidedBy).toEqual([
        "bucket policy of example-shared-data-111122223333: DenyInsecureTransport (explicit Deny)",
      ]);
    }
  });
});

describe("what the report analyses", () => {
  test("the instance role's Resource is resolved through the remote-state hand-off to the target role's ARN", () => {
    const model = buildAccessModel(readSynthOutput(synths["read-only"]!.outdir));
    const instanceRole = model.roles.find((r) => r.name === "shared-data-client-instance")!;
    expect(instanceRole.arn).toBe(INSTANCE_ROLE_ARN);
    const statements = instanceRole.identityPolicies.flatMap((p) => p.document.Statement);
    expect(statements).toEqual([expect.objectContaining({ Action: "sts:AssumeRole", Resource: TARGET_ROLE_ARN })]);
    // Ids AWS generates (the instance's, in an output and the Session Manager policy) get stable stand-ins.
    expect(model.problems).toEqual([]);
    expect(model.resolver.unresolved).toEqual([]);
  });

  test("it names what it analysed: bucket, accounts and regions, roles, key, level, every policy", () => {
    const { analysed } = synths["read-only"]!.report;
    expect(analysed).toMatchObject({
      bucket: { name: "example-shared-data-111122223333", arn: BUCKET_ARN, account: OWNER, region: "eu-west-1" },
      accessor: { account: ACCESSOR, region: "eu-west-1" },
      accessLevel: "read-only",
      accessMode: "role-chain",
      targetRole: TARGET_ROLE_ARN,
      instanceRole: INSTANCE_ROLE_ARN,
      people: [],
    });
    expect(analysed.kmsKey).toBeUndefined();
    expect(analysed.policies.map((p) => `${p.source} (${p.statements})`).sort()).toEqual([
      "aws_iam_role.instance_role (1)",
      "aws_iam_role.target_role (1)",
      "aws_iam_role_policy.instance_role_assume_target_role (1)",
      "aws_iam_role_policy.target_role_s3_access (2)",
      "aws_s3_bucket_policy.bucket_policy (3)",
    ]);
  });

  test("the context keys the evaluator needs are set explicitly", () => {
    const report = synths["read-only"]!.report;
    expect(row(report, "assume/instance-role").context).toEqual({
      "aws:PrincipalArn": INSTANCE_ROLE_ARN,
      "aws:PrincipalAccount": ACCESSOR,
      "aws:PrincipalType": "AssumedRole",
      "aws:SecureTransport": "true",
    });
    expect(row(report, "guard/plain-http-objects").context["aws:SecureTransport"]).toBe("false");
  });

  test("a row the policies do not allow names the policies that lack an Allow", async () => {
    const { outdir, config } = synths["read-only"]!;
    const broken = withChangedPolicy(
      outdir,
      { stack: "bucket-owner", type: "aws_iam_role_policy", name: "target_role_s3_access", attribute: "policy" },
      (document) => ({ ...document, Statement: document.Statement.filter((s) => s.Sid !== "ObjectLevelAccess") }),
    );
    const withoutBucketGrant = withChangedPolicy(broken, BUCKET_POLICY, (document) => ({
      ...document,
      Statement: document.Statement.filter((s) => s.Sid !== "ObjectLevelAccess"),
    }));
    const report = await reportFor(withoutBucketGrant, config);
    expect(mismatches(report)).toEqual(["bucket/object-actions"]);
    expect(row(report, "bucket/object-actions").decidedBy).toEqual([
      "no Allow in identity policies of the target role shared-data-reader",
      "no Allow in bucket policy of example-shared-data-111122223333",
    ]);
  });
});

describe("a grant to a principal no probe list would name", () => {
  // The reviewer's case: one statement for an account that appears nowhere else.
  const thirdAccountRead = addStatement({
    Sid: "PartnerReads",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::730335212345:root" },
    Action: "s3:GetObject",
    Resource: `${BUCKET_ARN}/*`,
  });

  test("is an effective over-grant naming the principal, the action, the resource and the statement", async () => {
    const { outdir, config } = synths["read-only"]!;
    const report = await reportFor(withChangedPolicy(outdir, BUCKET_POLICY, thirdAccountRead), config);
    expect(report.ok).toBe(false);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      severity: "error",
      verdict: "effective",
      principalKey: "account:730335212345",
      actions: ["s3:GetObject"],
      resource: `${BUCKET_ARN}/*`,
      statement: {
        sid: "PartnerReads",
        source: "aws_s3_bucket_policy.bucket_policy",
        label:
          'bucket policy of example-shared-data-111122223333, statement "PartnerReads" (aws_s3_bucket_policy.bucket_policy)',
      },
      reason: "principal",
    });
    // The evaluator judged it with the other account's own policies assumed to allow it.
    expect(report.findings[0]!.probes[0]).toMatchObject({
      principal: "a principal of account 730335212345",
      action: "s3:GetObject",
      evaluation: { decision: "Allowed" },
    });
  });

  test("the CLI exits 1 and says so", async () => {
    const { outdir } = synths["read-only"]!;
    const result = await runAccessReportCli([withChangedPolicy(outdir, BUCKET_POLICY, thirdAccountRead)], {});
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      'OVER-GRANT any principal of account 730335212345 its own policies allow (arn:…:iam::730335212345:root) may s3:GetObject on arn:aws:s3:::example-shared-data-111122223333/*: outside the zone of trust. Stated in bucket policy of example-shared-data-111122223333, statement "PartnerReads" (aws_s3_bucket_policy.bucket_policy). Effective:',
    );
    expect(result.stdout).toContain("1 over-grant(s), 0 warning(s), 0 problem(s); access is NOT as expected.");
  });

  test("a statement that changes nothing (a third account the condition narrows away) is not flagged", async () => {
    const { outdir, config } = synths["read-only"]!;
    const report = await reportFor(
      withChangedPolicy(
        outdir,
        { stack: "bucket-owner", type: "aws_iam_role", name: "target_role", attribute: "assume_role_policy" },
        (document) => ({
          ...document,
          Statement: document.Statement.map((s) => ({
            ...s,
            Principal: { AWS: [`arn:aws:iam::${ACCESSOR}:root`, "730335212345"] },
          })),
        }),
      ),
      config,
    );
    expect(findingSummaries(report)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

describe("problems and the second line of defence", () => {
  test("a reference the report cannot resolve is a problem and matches nothing (IAM would read ${...} as a policy variable)", async () => {
    const { outdir, config } = synths["read-only"]!;
    const broken = withChangedPolicy(
      outdir,
      { stack: "accessor", type: "aws_iam_role_policy", name: "instance_role_assume_target_role", attribute: "policy" },
      (document) => ({
        ...document,
        Statement: document.Statement.map((statement) => ({
          ...statement,
          Resource: "${aws_instance.instance.private_ip}",
        })),
      }),
    );
    const report = await reportFor(broken, config);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.stringContaining(
        "aws_iam_role_policy.instance_role_assume_target_role.policy holds a reference the report cannot resolve",
      ),
    ]);
    expect(row(report, "assume/instance-role").evaluated).toBe("Denied");
  });

  test("a KMS grant or a policy on a resource the report does not model is named as a problem", async () => {
    const { outdir, config } = synths["read-only"]!;
    const broken = withChangedStack(outdir, "bucket-owner", (json) => {
      json.resource.aws_kms_grant = { extra: { key_id: "k", grantee_principal: "arn:aws:iam::730335212345:root" } };
      json.resource.aws_sqs_queue_policy = {
        queue: { queue_url: "q", policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) },
      };
    });
    const report = await reportFor(broken, config);
    expect(report.problems).toEqual([
      "bucket-owner: aws_kms_grant.extra: a KMS grant lets its grantee use the key outside the key policy; the report does not analyse it",
      "bucket-owner: aws_sqs_queue_policy.queue carries a policy the report does not analyse (aws_sqs_queue_policy); its grants are not checked",
    ]);
    expect(report.ok).toBe(false);
  });

  test("the evaluator's table catches an allowed request the statements' analysis did not explain", async () => {
    const { outdir, config } = synths["read-only"]!;
    const broken = withChangedPolicy(
      outdir,
      BUCKET_POLICY,
      addStatement({
        Sid: "PartnerReads",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::730335212345:root" },
        Action: "s3:GetObject",
        Resource: `${BUCKET_ARN}/*`,
      }),
    );
    // As if the analysis of statements had missed it: the table alone must still flag it.
    const model = buildAccessModel(readSynthOutput(broken));
    const deployment = locateDeployment(model, consumersFromConfig(config));
    const zone = new ZoneOfTrust(deployment);
    const { entries, findings } = await effectiveAccess(deployment, zone, model, new ActionCatalog(), []);
    expect(entries).toContainEqual(
      expect.objectContaining({
        principal: "a principal of account 730335212345",
        resourceArn: `${BUCKET_ARN}/x`,
        allowed: ["s3:GetObject"],
        unintended: ["s3:GetObject"],
      }),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        severity: "error",
        side: "effective access",
        actions: ["s3:GetObject"],
        resource: `${BUCKET_ARN}/x`,
        message: expect.stringContaining("bucket policy of example-shared-data-111122223333: PartnerReads"),
      }),
    ]);
  });
});

describe("npm run access-report", () => {
  test("reads the config the synth recorded, prints what it analysed, writes Markdown and exits 0", async () => {
    const { outdir } = synths["read-only"]!;
    const result = await runAccessReportCli([outdir], {});
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    // First, as in every command: the config and both accounts.
    expect(result.stdout.split("\n")[0]).toBe(
      `Access report for ${outdir}, synthesized from config.json: bucket owner ${OWNER} (eu-west-1), accessor ${ACCESSOR} (eu-west-1)`,
    );
    // The file as the synth recorded it: relative to the folder the synth ran in.
    expect(result.stdout).toContain("Config:        config.json (recorded by the synth, sha256 ");
    expect(result.stdout).toContain(
      "Bucket:        example-shared-data-111122223333 in account 111122223333 (eu-west-1)",
    );
    expect(result.stdout).toContain(`Target role:   ${TARGET_ROLE_ARN}`);
    expect(result.stdout).toContain(`Instance role: ${INSTANCE_ROLE_ARN}`);
    expect(result.stdout).toContain("KMS key:       none (SSE-S3)");
    expect(result.stdout).toContain(
      "Access level read-only: 5 of 5 checks as expected, 0 over-grant(s), 0 warning(s), 0 problem(s); access is as expected.",
    );
    const markdown = readFileSync(path.join(outdir, "access-report.md"), "utf8");
    expect(markdown).toContain("| ✅ | The instance role can assume the target role");
    expect(markdown).toContain("## Guardrails");
  });

  test("--config or CROSS_ACCOUNT_CONFIG naming the same config is accepted (reformatted text too)", async () => {
    const { outdir, configFile, raw } = synths["read-write"]!;
    expect((await runAccessReportCli(["--out", outdir, "--config", configFile], {})).exitCode).toBe(0);
    const reformatted = path.join(mkdtempSync(path.join(os.tmpdir(), "access-report-config-")), "same.json");
    writeFileSync(reformatted, JSON.stringify(raw));
    const result = await runAccessReportCli([outdir], { CROSS_ACCOUNT_CONFIG: reformatted });
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    expect(result.stdout).toContain("(CROSS_ACCOUNT_CONFIG, matches the synth's record, sha256");
  });

  test("a config other than the recorded one is refused in one line that says how to fix it", async () => {
    const { outdir } = synths["read-only"]!;
    const other = synths["full"]!.configFile;
    for (const [argv, env, via] of [
      [[outdir, "--config", other], {}, "--config"],
      [[outdir], { CROSS_ACCOUNT_CONFIG: other }, "CROSS_ACCOUNT_CONFIG"],
    ] as const) {
      const result = await runAccessReportCli(argv, env);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${outdir} was synthesized from config.json \\(sha256 [0-9a-f]{12}\\), not from ${other} \\(${via}, sha256 [0-9a-f]{12}\\): re-synthesize with CROSS_ACCOUNT_CONFIG=${other} npm run synth, or run the report without ${via} to check the recorded config$`,
          ),
        ),
      ]);
    }
  });

  test("CROSS_ACCOUNT_CONFIG set but empty is the config loader's error, as for every command", async () => {
    const { outdir } = synths["read-only"]!;
    for (const value of ["", "  "]) {
      const result = await runAccessReportCli([outdir], { CROSS_ACCOUNT_CONFIG: value });
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(
        "CROSS_ACCOUNT_CONFIG is set but empty; set it to the path of your config JSON (e.g. CROSS_ACCOUNT_CONFIG=config/my-config.json npm run synth), or unset it to synthesize the example config",
      );
    }
  });

  test("a folder synthesized before the record existed gets a message to re-synthesize", async () => {
    const { outdir } = synths["read-only"]!;
    const copy = withChangedPolicy(outdir, BUCKET_POLICY, (document) => document);
    rmSync(path.join(copy, CONFIG_RECORD_FILE));
    const result = await runAccessReportCli([copy], {});
    expect(result).toMatchObject({ exitCode: 1, stdout: "" });
    expect(result.stderr).toBe(
      `${copy}: no ${CONFIG_RECORD_FILE}, so the report cannot tell which config it was synthesized from (it predates the record); re-synthesize: npm run synth\n`,
    );
  });

  test("--json prints the report as JSON", async () => {
    const result = await runAccessReportCli(["--out", synths["read-write"]!.outdir, "--json"], {});
    const report = JSON.parse(result.stdout) as AccessReport;
    expect(report.ok).toBe(true);
    expect(report.accessLevel).toBe("read-write");
    expect(row(report, "bucket/object-actions")).toMatchObject({
      expected: "Allowed",
      evaluated: "Allowed",
      asExpected: true,
    });
  });

  test("a warning (stated, not effective) passes, and fails with --strict", async () => {
    const { outdir } = synths["read-only"]!;
    // The instance role's own policy does not let it use S3: the grant is stated, not effective.
    const broken = withChangedPolicy(
      outdir,
      BUCKET_POLICY,
      addStatement({
        Sid: "InstanceRoleDirect",
        Effect: "Allow",
        Principal: { AWS: INSTANCE_ROLE_ARN },
        Action: "s3:GetObject",
        Resource: `${BUCKET_ARN}/*`,
      }),
    );
    const lenient = await runAccessReportCli([broken], {});
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout).toContain(
      `WARNING ${INSTANCE_ROLE_ARN} may s3:GetObject on ${BUCKET_ARN}/*: beyond what the config grants (the instance role and the configured people assume the target role). Stated in bucket policy of example-shared-data-111122223333, statement "InstanceRoleDirect" (aws_s3_bucket_policy.bucket_policy). Stated, not effective: no Allow in identity policies of ${INSTANCE_ROLE_ARN}.`,
    );
    expect(lenient.stdout).toContain("access is as expected, with warnings to review.");
    const strict = await runAccessReportCli([broken, "--strict"], {});
    expect(strict.exitCode).toBe(1);
    expect(strict.stdout).toContain("(--strict); access is NOT as expected.");
  });

  test("a folder that is not a synth output: one line on stderr, exit 1", async () => {
    const result = await runAccessReportCli([os.tmpdir() + "/no-such-synth-output"], {});
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/no-such-synth-output: no manifest.json; this is not a cdktf synth output folder/);
  });

  test("an unknown option prints the usage and exits 1", async () => {
    const result = await runAccessReportCli(["--yaml"], {});
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Usage: npm run access-report");
  });

  test("the script runs uncompiled with node -r sucrase/register", () => {
    const { outdir } = synths["full"]!;
    const run = spawnSync(process.execPath, ["-r", "sucrase/register", "access-report/cli.ts", outdir], {
      cwd: path.join(__dirname, ".."),
      encoding: "utf8",
      env: appEnv({}),
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(existsSync(path.join(outdir, "access-report.md"))).toBe(true);
  }, 60_000);
});
