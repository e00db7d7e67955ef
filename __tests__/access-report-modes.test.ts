import "cdktf/lib/testing/adapters/jest";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { AccessReport } from "../access-report/report";
import type { CrossAccountConfig } from "../config/types";
import { mismatches, reportConfig, reportFor, row, synthApp, withChangedPolicy } from "./helpers/access-report-synth";

/** The checked-in example of each mode, as a person would write it. */
function example(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(__dirname, "..", "examples", `${name}.json`), "utf8")) as Record<
    string,
    unknown
  >;
}

interface Synth {
  readonly config: CrossAccountConfig;
  readonly outdir: string;
  readonly report: AccessReport;
}

const synths: Record<string, Synth> = {};
beforeAll(async () => {
  for (const name of ["direct-grant", "kms", "human-users", "existing-bucket"]) {
    const { config } = reportConfig(example(name));
    const outdir = synthApp(config);
    synths[name] = { config, outdir, report: await reportFor(outdir, config) };
  }
});

describe("direct grant (no target role): the instance role is the workload", () => {
  test("every check is as expected, evaluated on both sides of the cross-account request", () => {
    const { report } = synths["direct-grant"]!;
    expect(report.problems).toEqual([]);
    expect(mismatches(report)).toEqual([]);
    expect(report.rows.some((r) => r.id === "assume/instance-role")).toBe(false);
    expect(row(report, "bucket/put")).toMatchObject({
      principal: "instance role",
      expected: "Allowed",
      evaluated: "Allowed",
    });
    expect(row(report, "bucket/put").decidedBy).toEqual([
      "direct-share-instance/cross-account-s3-access: ObjectLevelAccess",
      "bucket policy: ObjectLevelAccess",
    ]);
  });

  test("a bucket policy that trusts the accessor account without narrowing it to the instance role is flagged", async () => {
    const { outdir, config } = synths["direct-grant"]!;
    const broken = withChangedPolicy(
      outdir,
      { stack: "bucket-owner", type: "aws_s3_bucket_policy", name: "bucket_policy", attribute: "policy" },
      (document) => ({
        ...document,
        Statement: document.Statement.map((statement) =>
          statement.Effect === "Allow" ? { ...statement, Condition: undefined } : statement,
        ),
      }),
    );
    expect(mismatches(await reportFor(broken, config))).toEqual(["bucket/accessor-account-admin"]);
  });
});

describe("SSE-KMS with a key the owner stack creates", () => {
  test("the target role uses the key through S3 only, and a third account not at all", () => {
    const { report } = synths["kms"]!;
    expect(mismatches(report)).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(row(report, "kms/decrypt-via-s3")).toMatchObject({ expected: "Allowed", evaluated: "Allowed" });
    expect(row(report, "kms/generate-data-key-via-s3")).toMatchObject({ expected: "Allowed", evaluated: "Allowed" });
    expect(row(report, "kms/decrypt-directly")).toMatchObject({ expected: "Denied", evaluated: "Denied" });
    expect(row(report, "kms/third-account-admin").decidedBy).toEqual(["no Allow in key policy of bucket_key"]);
    expect(row(report, "kms/decrypt-via-s3").context["kms:ViaService"]).toBe("s3.eu-west-1.amazonaws.com");
  });

  test("the example's Session Manager policy is evaluated too, and gives the instance role no other role to assume", () => {
    const { report } = synths["kms"]!;
    for (const id of ["assume/other-role-in-owner-account", "assume/other-role-in-accessor-account"]) {
      expect(row(report, id)).toMatchObject({ principal: "instance role", expected: "Denied", evaluated: "Denied" });
    }
    expect(row(report, "assume/instance-role")).toMatchObject({ expected: "Allowed", evaluated: "Allowed" });
    expect(row(report, "assume/instance-role").decidedBy).toContain(
      "sensitive-data-instance/assume-target-role: AssumeTargetRole",
    );
  });

  test("a key policy that lets anyone use the key through S3 is flagged", async () => {
    const { outdir, config } = synths["kms"]!;
    const broken = withChangedPolicy(
      outdir,
      { stack: "bucket-owner", type: "aws_kms_key", name: "bucket_key", attribute: "policy" },
      (document) => ({
        ...document,
        Statement: document.Statement.map((statement) =>
          statement.Sid === "BucketAccessorUsesKeyThroughS3"
            ? {
                ...statement,
                Principal: { AWS: "*" },
                Condition: { StringEquals: statement.Condition?.StringEquals ?? {} },
              }
            : statement,
        ),
      }),
    );
    expect(mismatches(await reportFor(broken, config))).toEqual(["kms/third-account-admin"]);
  });

  test("neither the key policy nor the role's policy grants the key: 'list works, get fails' shows up", async () => {
    const { outdir, config } = synths["kms"]!;
    const keyPolicy = { stack: "bucket-owner", type: "aws_kms_key", name: "bucket_key", attribute: "policy" };
    const rolePolicy = {
      stack: "bucket-owner",
      type: "aws_iam_role_policy",
      name: "target_role_kms_use",
      attribute: "policy",
    };
    const withoutGrant = withChangedPolicy(outdir, keyPolicy, (document) => ({
      ...document,
      Statement: document.Statement.filter((statement) => statement.Sid !== "BucketAccessorUsesKeyThroughS3"),
    }));
    const broken = withChangedPolicy(withoutGrant, rolePolicy, (document) => ({
      ...document,
      Statement: document.Statement.map((statement) => ({ ...statement, Action: "kms:DescribeKey" })),
    }));
    const report = await reportFor(broken, config);
    expect(mismatches(report)).toEqual(["kms/decrypt-via-s3", "kms/generate-data-key-via-s3"]);
    expect(row(report, "bucket/list").evaluated).toBe("Allowed");
  });
});

describe("people and a key prefix", () => {
  test("listed users (through their group) and roles can assume the target role; access stays under the prefix", () => {
    const { report } = synths["human-users"]!;
    expect(mismatches(report)).toEqual([]);
    expect(row(report, "assume/user-alice").decidedBy).toEqual([
      "group team-a-readers/assume-target-role: AssumeTargetRole",
      "trust policy of team-a-reader: AssumeFromAccessorPrincipals",
    ]);
    expect(row(report, "assume/person-role-AWSReservedSSO_DataReaders_0123456789abcdef").evaluated).toBe("Allowed");
    expect(row(report, "bucket/get").resourceArn).toBe(
      "arn:aws:s3:::example-team-data-111122223333/team-a/access-report/example-object.txt",
    );
    expect(row(report, "bucket/outside-prefix")).toMatchObject({ expected: "Denied", evaluated: "Denied" });
    expect(row(report, "bucket/list-outside-prefix")).toMatchObject({ expected: "Denied", evaluated: "Denied" });
  });
});

describe("an existing bucket, key and instance role", () => {
  test("evaluated with the statements to merge and AWS's default key policy, and says so", () => {
    const { report } = synths["existing-bucket"]!;
    expect(mismatches(report)).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.notes).toEqual([
      expect.stringContaining('output "bucket_policy_statements" as if they were merged'),
      expect.stringContaining("The KMS key exists already"),
    ]);
    expect(row(report, "assume/instance-role").decidedBy[0]).toBe(
      "archive-indexer/assume-target-role: AssumeTargetRole",
    );
  });
});
