import "cdktf/lib/testing/adapters/jest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AccessReport } from "../access-report/report";
import { buildAccessModel } from "../access-report/access-model";
import { readSynthOutput } from "../access-report/synth-output";
import { runAccessReportCli } from "../access-report/cli";
import type { PolicyJson, StatementJson } from "../access-report/policy-json";
import type { CrossAccountConfig } from "../config/types";
import { mismatches, reportConfig, reportFor, row, synthApp, withChangedPolicy } from "./helpers/access-report-synth";

const OWNER = "111122223333";
const ACCESSOR = "444455556666";
const TARGET_ROLE_ARN = `arn:aws:iam::${OWNER}:role/shared-data-reader`;
const BUCKET_ARN = "arn:aws:s3:::example-shared-data-111122223333";

/** What each access level must allow on the bucket, written out here rather than derived from the code under test. */
const BUCKET_ROWS: Record<string, Record<string, "Allowed" | "Denied">> = {
  "read-only": {
    list: "Allowed",
    get: "Allowed",
    put: "Denied",
    delete: "Denied",
    "get-version": "Denied",
    "put-bucket-policy": "Denied",
    "delete-bucket": "Denied",
  },
  "read-write": {
    list: "Allowed",
    get: "Allowed",
    put: "Allowed",
    delete: "Allowed",
    "get-version": "Denied",
    "put-bucket-policy": "Denied",
    "delete-bucket": "Denied",
  },
  full: {
    list: "Allowed",
    get: "Allowed",
    put: "Allowed",
    delete: "Allowed",
    "get-version": "Allowed",
    "put-bucket-policy": "Denied",
    "delete-bucket": "Denied",
  },
};

const ALWAYS_DENIED = [
  "assume/accessor-account-admin",
  "assume/third-account-admin",
  "assume/other-role-in-owner-account",
  "assume/other-role-in-accessor-account",
  "other-bucket/list",
  "other-bucket/get",
  "bucket/plain-http",
  "bucket/anonymous-get",
  "bucket/anonymous-list",
  "bucket/instance-role-direct",
  "bucket/accessor-account-admin",
  "bucket/third-account-admin",
];

interface Synth {
  readonly config: CrossAccountConfig;
  readonly raw: Record<string, unknown>;
  readonly outdir: string;
  readonly report: AccessReport;
}

async function synthAndReport(overrides: Record<string, unknown>): Promise<Synth> {
  const { config, raw } = reportConfig(overrides);
  const outdir = synthApp(config);
  return { config, raw, outdir, report: await reportFor(outdir, config) };
}

const synths: Record<string, Synth> = {};
beforeAll(async () => {
  for (const level of ["read-only", "read-write", "full"]) synths[level] = await synthAndReport({ accessLevel: level });
});

describe.each(["read-only", "read-write", "full"])("access report of a real %s synth", (level) => {
  test("every check is as expected and there are no problems", () => {
    const { report } = synths[level]!;
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

  test.each(Object.entries(BUCKET_ROWS[level]!))("the target role's %s on the bucket is %s", (probe, decision) => {
    const bucketRow = row(synths[level]!.report, `bucket/${probe}`);
    expect(bucketRow.expected).toBe(decision);
    expect(bucketRow.evaluated).toBe(decision);
  });

  test("nobody else gets in: other principals, other buckets, plain HTTP and anonymous requests are denied", () => {
    for (const id of ALWAYS_DENIED) expect([id, row(synths[level]!.report, id).evaluated]).toEqual([id, "Denied"]);
  });
});

describe("what the report evaluates", () => {
  test("the instance role's Resource is resolved through the remote-state hand-off to the target role's ARN", () => {
    const model = buildAccessModel(readSynthOutput(synths["read-only"]!.outdir));
    const instanceRole = model.roles.find((r) => r.name === "shared-data-client-instance")!;
    expect(instanceRole.arn).toBe(`arn:aws:iam::${ACCESSOR}:role/shared-data-client-instance`);
    const statements = instanceRole.identityPolicies.flatMap((p) => p.document.Statement);
    expect(statements).toEqual([expect.objectContaining({ Action: "sts:AssumeRole", Resource: TARGET_ROLE_ARN })]);
    // Ids AWS generates (the instance's, in an output and the Session Manager policy) get stable stand-ins.
    expect(model.problems).toEqual([]);
    expect(model.resolver.unresolved).toEqual([]);
  });

  test("the context keys the evaluator needs are set explicitly", () => {
    const report = synths["read-only"]!.report;
    expect(row(report, "assume/instance-role").context).toEqual({
      "aws:PrincipalArn": `arn:aws:iam::${ACCESSOR}:role/shared-data-client-instance`,
      "aws:PrincipalAccount": ACCESSOR,
      "aws:PrincipalType": "AssumedRole",
      "aws:SecureTransport": "true",
    });
    expect(row(report, "bucket/plain-http").context["aws:SecureTransport"]).toBe("false");
  });

  test("a denied row names the deciding statement or the policy that lacks an Allow", () => {
    const report = synths["read-only"]!.report;
    expect(row(report, "bucket/plain-http").decidedBy).toEqual([
      "bucket policy: DenyInsecureTransport (explicit Deny)",
    ]);
    expect(row(report, "assume/accessor-account-admin").decidedBy).toEqual([
      "no Allow in trust policy of shared-data-reader",
    ]);
    expect(row(report, "bucket/put").decidedBy).toEqual([
      "no Allow in identity policies of the target role",
      "no Allow in bucket policy",
    ]);
  });
});

describe("deliberately broken policies are flagged", () => {
  const trustPolicy = {
    stack: "bucket-owner",
    type: "aws_iam_role",
    name: "target_role",
    attribute: "assume_role_policy",
  };
  const bucketPolicy = {
    stack: "bucket-owner",
    type: "aws_s3_bucket_policy",
    name: "bucket_policy",
    attribute: "policy",
  };
  const targetRolePolicy = {
    stack: "bucket-owner",
    type: "aws_iam_role_policy",
    name: "target_role_s3_access",
    attribute: "policy",
  };
  const instanceRolePolicy = {
    stack: "accessor",
    type: "aws_iam_role_policy",
    name: "instance_role_assume_target_role",
    attribute: "policy",
  };
  const addStatement = (statement: StatementJson) => (document: { Statement: readonly StatementJson[] }) => ({
    ...document,
    Statement: [...document.Statement, statement],
  });
  const broken = (where: typeof trustPolicy, change: Parameters<typeof withChangedPolicy>[2]) => {
    const { outdir, config } = synths["read-only"]!;
    return reportFor(withChangedPolicy(outdir, where, change), config);
  };

  test("a wildcard principal in the bucket policy: anonymous and third-account requests get in", async () => {
    const report = await broken(
      bucketPolicy,
      addStatement({
        Sid: "PublicRead",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `${BUCKET_ARN}/*`,
      }),
    );
    expect(report.ok).toBe(false);
    expect(mismatches(report)).toEqual([
      "bucket/anonymous-get",
      "bucket/accessor-account-admin",
      "bucket/third-account-admin",
    ]);
    expect(row(report, "bucket/anonymous-get").decidedBy).toEqual(["bucket policy: PublicRead"]);
  });

  test("a trust policy without the ArnEquals condition: any role of the accessor account can assume the target role", async () => {
    const report = await broken(trustPolicy, (document) => ({
      ...document,
      Statement: document.Statement.map(({ Condition: _dropped, ...statement }) => statement),
    }));
    expect(mismatches(report)).toEqual(["assume/accessor-account-admin"]);
    expect(row(report, "assume/accessor-account-admin").evaluated).toBe("Allowed");
  });

  test("a trust policy naming the wrong account: the instance role can no longer assume the target role", async () => {
    const report = await broken(
      trustPolicy,
      (document) => JSON.parse(JSON.stringify(document).split(ACCESSOR).join("999988887777")) as PolicyJson,
    );
    expect(mismatches(report)).toEqual(["assume/instance-role"]);
    expect(row(report, "assume/instance-role").decidedBy).toEqual(["no Allow in trust policy of shared-data-reader"]);
  });

  test("a bucket policy without the TLS deny: plain-HTTP requests get in", async () => {
    const report = await broken(bucketPolicy, (document) => ({
      ...document,
      Statement: document.Statement.filter((statement) => statement.Sid !== "DenyInsecureTransport"),
    }));
    expect(mismatches(report)).toEqual(["bucket/plain-http"]);
  });

  test("a read-only target role that may also write: flagged even though the bucket policy does not grant it (same account)", async () => {
    const report = await broken(
      targetRolePolicy,
      addStatement({ Sid: "Sneaky", Effect: "Allow", Action: "s3:PutObject", Resource: `${BUCKET_ARN}/*` }),
    );
    expect(mismatches(report)).toEqual(["bucket/put"]);
    expect(row(report, "bucket/put").decidedBy).toEqual(["shared-data-reader/s3-access: Sneaky"]);
  });

  test("s3:* on the bucket: bucket administration is flagged at any level", async () => {
    const report = await broken(
      targetRolePolicy,
      addStatement({ Effect: "Allow", Action: "s3:*", Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`] }),
    );
    expect(mismatches(report)).toEqual([
      "bucket/put",
      "bucket/delete",
      "bucket/get-version",
      "bucket/put-bucket-policy",
      "bucket/delete-bucket",
    ]);
  });

  test("an instance role that may assume any role: flagged", async () => {
    const report = await broken(
      instanceRolePolicy,
      addStatement({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }),
    );
    expect(mismatches(report)).toEqual(["assume/other-role-in-owner-account", "assume/other-role-in-accessor-account"]);
  });

  test("a reference the report cannot resolve is a problem and matches nothing (IAM would read ${...} as a policy variable)", async () => {
    const report = await broken(instanceRolePolicy, (document) => ({
      ...document,
      Statement: document.Statement.map((statement) => ({
        ...statement,
        Resource: "${aws_instance.instance.private_ip}",
      })),
    }));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.stringContaining(
        "aws_iam_role_policy.instance_role_assume_target_role.policy holds a reference the report cannot resolve",
      ),
    ]);
    expect(row(report, "assume/instance-role").evaluated).toBe("Denied");
  });

  test("a synth from another config is reported, not silently evaluated", async () => {
    const { config } = reportConfig({ targetRoleName: "someone-else" });
    const report = await reportFor(synths["read-only"]!.outdir, config);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(/no role named "someone-else" in account 111122223333/);
  });
});

describe("npm run access-report", () => {
  let configFile: string;
  beforeAll(() => {
    configFile = path.join(mkdtempSync(path.join(os.tmpdir(), "access-report-config-")), "config.json");
    writeFileSync(configFile, JSON.stringify(synths["read-only"]!.raw));
  });
  const env = () => ({ ...process.env, CROSS_ACCOUNT_CONFIG: configFile });

  test("prints the table, writes Markdown next to the synth output and exits 0 when everything is as expected", async () => {
    const { outdir } = synths["read-only"]!;
    const result = await runAccessReportCli([outdir], env());
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    expect(result.stdout).toContain(
      "Access level read-only: 20 of 20 checks as expected, 0 problem(s); access is as expected.",
    );
    const markdown = readFileSync(path.join(outdir, "access-report.md"), "utf8");
    expect(markdown).toContain("| ✅ | The instance role can assume the target role");
    expect(markdown).toContain("## Everyone else on the bucket");
  });

  test("--json prints the report as JSON; --out names the folder", async () => {
    const result = await runAccessReportCli(
      ["--out", synths["read-write"]!.outdir, "--json", "--config", writeConfig(synths["read-write"]!.raw)],
      process.env,
    );
    const report = JSON.parse(result.stdout) as AccessReport;
    expect(report.ok).toBe(true);
    expect(report.accessLevel).toBe("read-write");
    expect(row(report, "bucket/put")).toMatchObject({ expected: "Allowed", evaluated: "Allowed", asExpected: true });
  });

  test("exits 1 and names the mismatch when a policy is broken", async () => {
    const brokenDir = withChangedPolicy(
      synths["read-only"]!.outdir,
      { stack: "bucket-owner", type: "aws_s3_bucket_policy", name: "bucket_policy", attribute: "policy" },
      (document) => ({
        ...document,
        Statement: [
          ...document.Statement,
          { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:ListBucket", Resource: BUCKET_ARN },
        ],
      }),
    );
    const result = await runAccessReportCli([brokenDir], env());
    expect(result.exitCode).toBe(1);
    // The table says what each row asks, so two rows with the same action never look contradictory.
    expect(result.stdout).toMatch(
      /\n {2}MISMATCH {2}Anonymous requests cannot list the bucket +s3:ListBucket +Denied +Allowed +bucket policy: /,
    );
    expect(result.stdout).toMatch(
      /\n {2}ok +Plain-HTTP requests are denied, even from the target role +s3:GetObject +Denied +Denied +bucket policy: DenyInsecureTransport \(explicit Deny\)/,
    );
    expect(result.stdout).toContain(
      "MISMATCH bucket/anonymous-list: Anonymous requests cannot list the bucket: expected Denied (the bucket is not public), evaluated Allowed.",
    );
    expect(readFileSync(path.join(brokenDir, "access-report.md"), "utf8")).toContain(
      "| ❌ | Anonymous requests cannot list the bucket",
    );
  });

  test("a folder that is not a synth output: one line on stderr, exit 1", async () => {
    const result = await runAccessReportCli([os.tmpdir() + "/no-such-synth-output"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/no-such-synth-output: no manifest.json; this is not a cdktf synth output folder/);
  });

  test("an unknown option prints the usage and exits 1", async () => {
    const result = await runAccessReportCli(["--yaml"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Usage: npm run access-report");
  });

  test("the script runs uncompiled with node -r sucrase/register", () => {
    const { outdir } = synths["full"]!;
    const run = spawnSync(
      process.execPath,
      ["-r", "sucrase/register", "access-report/cli.ts", outdir, "--config", writeConfig(synths["full"]!.raw)],
      {
        cwd: path.join(__dirname, ".."),
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(existsSync(path.join(outdir, "access-report.md"))).toBe(true);
  });
});

function writeConfig(raw: Record<string, unknown>): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "access-report-config-")), "config.json");
  writeFileSync(file, JSON.stringify(raw));
  return file;
}
