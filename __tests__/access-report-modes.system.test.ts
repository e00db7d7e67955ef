import "cdktf/lib/testing/adapters/jest";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { AccessReport } from "../access-report/report";
import {
  findingSummaries,
  mismatches,
  reportFor,
  row,
  synthWithRecord,
  type Synthesized,
} from "./helpers/access-report-synth";
import { runAccessReportCli } from "../access-report/cli";

/** Every checked-in config, of both forms: the examples and the example the app falls back to. */
const EXAMPLES: Record<string, string> = {
  ...Object.fromEntries(
    readdirSync(path.join(__dirname, "..", "examples"))
      .filter((file) => file.endsWith(".json"))
      .map((file) => [file.replace(/\.json$/, ""), path.join(__dirname, "..", "examples", file)]),
  ),
  "config/example": path.join(__dirname, "..", "config", "example.json"),
};

interface Synth extends Synthesized {
  readonly report: AccessReport;
}

const synths: Record<string, Synth> = {};
beforeAll(async () => {
  for (const [name, file] of Object.entries(EXAMPLES)) {
    const synthesized = synthWithRecord(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>);
    synths[name] = { ...synthesized, report: await reportFor(synthesized.outdir, synthesized.config) };
  }
}, 300_000);

test("every checked-in config is covered", () => {
  expect(Object.keys(EXAMPLES).sort()).toEqual([
    "config/example",
    "direct-grant",
    "existing-bucket",
    "hcp-terraform",
    "human-users",
    "kms",
    "local-quick-start",
    "many-consumers",
    "s3-backend-deploy-roles",
  ]);
});

describe.each(Object.keys(EXAMPLES))("example %s", (name) => {
  test("passes clean: no over-grant, no warning, no problem, every check as expected", () => {
    const { report } = synths[name]!;
    expect(findingSummaries(report)).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(mismatches(report)).toEqual([]);
    expect(report.warningCount).toBe(0);
    expect(report.ok).toBe(true);
  });

  test("and so does npm run access-report --strict on it", async () => {
    const result = await runAccessReportCli([synths[name]!.outdir, "--strict"], {});
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  }, 60_000);
});

describe("direct grant (no target role): the instance role is the workload", () => {
  test("every action is evaluated on both sides of the cross-account request", () => {
    const { report } = synths["direct-grant"]!;
    expect(report.rows.some((r) => r.id === "assume/instance-role")).toBe(false);
    expect(report.analysed.targetRole).toBeUndefined();
    const objects = row(report, "bucket/object-actions");
    expect(objects).toMatchObject({ principal: "instance role direct-share-instance", evaluated: "Allowed" });
    expect(objects.decidedBy).toEqual([
      "direct-share-instance/cross-account-s3-access: ObjectLevelAccess",
      "bucket policy of example-direct-share-111122223333: ObjectLevelAccess",
    ]);
  });
});

describe("SSE-KMS with a key the owner stack creates", () => {
  test("the target role uses the key through S3 only", () => {
    const { report } = synths["kms"]!;
    expect(report.analysed.kmsKey).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\//);
    expect(row(report, "kms/via-s3")).toMatchObject({
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      evaluated: "Allowed",
      asExpected: true,
    });
    expect(row(report, "kms/via-s3").context["kms:ViaService"]).toBe("s3.eu-west-1.amazonaws.com");
    expect(row(report, "guard/kms-outside-s3")).toMatchObject({ evaluated: "Denied", asExpected: true });
  });

  test("the Session Manager agent's actions are inside the zone of trust", () => {
    const { report } = synths["kms"]!;
    expect(report.analysed.policies.map((p) => p.name)).toContain("sensitive-data-instance/session-manager");
    expect(report.findings).toEqual([]);
  });
});

describe("people and a key prefix", () => {
  test("listed users (through their group) and roles can assume the target role; access stays under the prefix", () => {
    const { report } = synths["human-users"]!;
    expect(row(report, "assume/user-alice").decidedBy).toEqual([
      "group team-a-readers/assume-target-role: AssumeTargetRole",
      "trust policy of team-a-reader: AssumeFromAccessorPrincipals",
    ]);
    expect(row(report, "assume/person-role-AWSReservedSSO_DataReaders_0123456789abcdef").evaluated).toBe("Allowed");
    expect(row(report, "bucket/object-actions").resourceArn).toBe(
      "arn:aws:s3:::example-team-data-111122223333/team-a/access-report/example-object.txt",
    );
    expect(row(report, "guard/objects-outside-prefix")).toMatchObject({ evaluated: "Denied", asExpected: true });
    expect(row(report, "guard/list-outside-prefix")).toMatchObject({ evaluated: "Denied", asExpected: true });
    expect(report.analysed.people).toEqual([
      "arn:aws:iam::444455556666:user/alice",
      "arn:aws:iam::444455556666:user/bob",
      "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataReaders_0123456789abcdef",
    ]);
  });
});

describe("an existing bucket, key and instance role", () => {
  test("analysed with the statements to merge and AWS's default key policy, and says so", () => {
    const { report } = synths["existing-bucket"]!;
    expect(report.notes).toEqual([
      expect.stringContaining('output "bucket_policy_statements" as if they were merged'),
      expect.stringContaining("The KMS key exists already"),
    ]);
    expect(row(report, "assume/instance-role").decidedBy[0]).toBe(
      "archive-indexer/assume-target-role: AssumeTargetRole",
    );
  });
});
