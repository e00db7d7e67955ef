/**
 * Building stacks and modules from code: bad props throw one ConfigError with
 * every problem at once, each line prefixed with the construct path, using the
 * same messages as the config file's validation. Unresolved tokens are skipped.
 */
import { Fn, TerraformOutput, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { ConfigError } from "../config/problems";
import { findProblems } from "../config/validate";
import { accountIdRule, bucketNameRule, roleNameRule } from "../config/rules";
import type { AccessLevel, CrossAccountConfig } from "../config/types";
import { BucketOwnerStack } from "../stacks/bucket-owner-stack";
import { AccessorStack } from "../stacks/accessor-stack";
import { SecureBucket } from "../modules/secure-bucket";
import { TargetRole } from "../modules/target-role";
import { assumeRolePermission, InstanceRole } from "../modules/instance-role";
import { InstanceProfile } from "../modules/instance-profile";
import { AccessorInstance } from "../modules/accessor-instance";
import { rawConfig, validConfig } from "./helpers/config";
import { onlyResource, synthModule, testApp } from "./helpers/synth";

/** Runs `build` and returns the ConfigError it throws; fails the test if it throws nothing or something else. */
function configErrorOf(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

const BAD_RAW = rawConfig({
  bucketOwner: { accountId: "12345" },
  accessor: { region: "eu-wast-1" },
  bucket: { name: "Bad..Name" },
  accessLevel: "admin",
  targetRoleName: "has space",
});
const BAD_CONFIG: CrossAccountConfig = { ...validConfig(), ...BAD_RAW };

describe("stacks built from code with a bad config", () => {
  const expectedLines = (stackId: string) => findProblems(BAD_CONFIG).map((p) => `[${stackId}] ${p.message}`);

  test("the bucket owner stack reports every problem at once, with the stack path and the config's messages", () => {
    const error = configErrorOf(() => new BucketOwnerStack(testApp(), "bucket-owner", { config: BAD_CONFIG }));
    expect(error.problems.map((p) => p.message)).toEqual(expectedLines("bucket-owner"));
    expect(error.problems.length).toBeGreaterThanOrEqual(5);
    expect(error.message.split("\n")[0]).toBe("Invalid props for bucket-owner:");
    expect(error.message).toContain(
      '[bucket-owner] bucketOwner.accountId: "12345" is not a 12-digit AWS account id (e.g. "111122223333")',
    );
  });

  test("the accessor stack does the same with its own path", () => {
    const app = testApp();
    const owner = new BucketOwnerStack(app, "bucket-owner", { config: validConfig() });
    const error = configErrorOf(
      () => new AccessorStack(app, "accessor", { config: BAD_CONFIG, bucketOwnerStack: owner }),
    );
    expect(error.problems.map((p) => p.message)).toEqual(expectedLines("accessor"));
  });

  test("the problems carry the config field paths", () => {
    const error = configErrorOf(() => new BucketOwnerStack(testApp(), "bucket-owner", { config: BAD_CONFIG }));
    expect(new Set(error.problems.map((p) => p.path))).toEqual(
      new Set(["bucketOwner.accountId", "accessor.region", "bucket.name", "accessLevel", "targetRoleName"]),
    );
  });

  test("a good config builds both stacks without throwing", () => {
    const app = testApp();
    const owner = new BucketOwnerStack(app, "bucket-owner", { config: validConfig() });
    expect(() => new AccessorStack(app, "accessor", { config: validConfig(), bucketOwnerStack: owner })).not.toThrow();
  });
});

describe("modules built from code with bad props", () => {
  test("SecureBucket: the same messages as bucketNameRule, prefixed with the construct path", () => {
    const error = configErrorOf(() =>
      synthModule(
        (scope, provider) =>
          new SecureBucket(scope, "shared", { provider, bucketName: "-Bad..Name", partition: "aws" }),
      ),
    );
    expect(error.problems.map((p) => p.message)).toEqual(
      bucketNameRule("bucketName", "-Bad..Name").map((p) => `[stack/shared] ${p.message}`),
    );
    expect(error.problems).toHaveLength(3);
  });

  test("TargetRole: every bad prop at once", () => {
    const error = configErrorOf(() =>
      synthModule(
        (scope, provider) =>
          new TargetRole(scope, "target_role", {
            provider,
            roleName: "has space",
            partition: "aws",
            ownerAccountId: 111122223333 as unknown as string,
            accessorAccountId: "4444",
            trustedPrincipalArns: [],
            bucketArn: "arn:aws:s3:::b",
            accessLevel: "admin" as AccessLevel,
            maxSessionDurationSeconds: 43200,
          }),
      ),
    );
    expect(error.problems.map((p) => p.path)).toEqual([
      "roleName",
      "ownerAccountId",
      "accessorAccountId",
      "accessLevel",
      "maxSessionDurationSeconds",
      "trustedPrincipalArns",
    ]);
    expect(error.problems[0]!.message).toBe(`[stack/target_role] ${roleNameRule("roleName", "has space")[0]!.message}`);
    expect(error.problems[1]!.message).toBe(
      `[stack/target_role] ${accountIdRule("ownerAccountId", 111122223333)[0]!.message}`,
    );
    expect(error.problems[1]!.message).toContain("loses leading zeros");
  });

  test("InstanceRole and InstanceProfile reject bad names", () => {
    expect(() =>
      synthModule(
        (scope, provider) =>
          new InstanceRole(scope, "instance_role", {
            provider,
            roleName: "bad/name",
            partition: "aws",
            accountId: "444455556666",
            permissions: [assumeRolePermission("arn:aws:iam::111122223333:role/t")],
            policyName: "assume-target-role",
          }),
      ),
    ).toThrow('[stack/instance_role] roleName: "bad/name" is not a valid IAM role name');
    expect(() =>
      synthModule(
        (scope, provider) => new InstanceProfile(scope, "profile", { provider, profileName: "ok", roleName: "" }),
      ),
    ).toThrow('[stack/profile] roleName: "" is not a valid IAM role name');
  });

  test("a nested construct is named by its full path", () => {
    const error = configErrorOf(() =>
      synthModule((scope, provider) => {
        const group = new Construct(scope, "shared-data");
        new SecureBucket(group, "bucket", { provider, bucketName: "UPPER", partition: "aws" });
      }),
    );
    expect(error.problems.every((p) => p.message.startsWith("[stack/shared-data/bucket] bucketName: "))).toBe(true);
  });

  test("AccessorInstance: type, AMI, subnet, security groups, hop limit and volume size at once", () => {
    const error = configErrorOf(() =>
      synthModule(
        (scope, provider) =>
          new AccessorInstance(scope, "instance", {
            provider,
            name: "n",
            instanceProfileName: "p",
            instanceType: "huge",
            ami: { ssmParameter: "no-slash" },
            subnetId: "subnet-1",
            securityGroupIds: ["sg-12345678", "sg-x"],
            metadataHopLimit: 5,
            rootVolumeSizeGiB: 0,
          }),
      ),
    );
    expect(error.problems.map((p) => p.path)).toEqual([
      "instanceType",
      "ami.ssmParameter",
      "subnetId",
      "securityGroupIds[1]",
      "metadataHopLimit",
      "rootVolumeSizeGiB",
    ]);
  });
});

describe("unresolved tokens are skipped (only known at apply time)", () => {
  test("a bucket name from a Terraform variable", () => {
    const { json } = synthModule((scope, provider) => {
      const name = new TerraformVariable(scope, "bucket_name", { type: "string" });
      new SecureBucket(scope, "bucket", { provider, bucketName: name.stringValue, partition: "aws" });
    });
    expect(onlyResource(json, "aws_s3_bucket").bucket).toBe("${var.bucket_name}");
  });

  test("role names and account ids from references", () => {
    const { json } = synthModule((scope, provider) => {
      const account = new TerraformVariable(scope, "accessor_account", { type: "string" });
      const role = new TargetRole(scope, "target_role", {
        provider,
        roleName: Fn.lower("Shared-Data"),
        partition: "aws",
        ownerAccountId: Token.asString(Fn.element(["111122223333"], 0)),
        accessorAccountId: account.stringValue,
        trustedPrincipalArns: ["arn:aws:iam::444455556666:role/x"],
        bucketArn: "arn:aws:s3:::b",
        accessLevel: "read-only",
      });
      new TerraformOutput(scope, "name", { value: role.roleName });
    });
    expect(onlyResource(json, "aws_iam_role").name).toBe('${lower("Shared-Data")}');
  });

  test("a token next to a bad literal: only the literal is reported", () => {
    const error = configErrorOf(() =>
      synthModule((scope, provider) => {
        const name = new TerraformVariable(scope, "role", { type: "string" });
        new InstanceProfile(scope, "profile", { provider, profileName: name.stringValue, roleName: "bad name" });
      }),
    );
    expect(error.problems.map((p) => p.path)).toEqual(["roleName"]);
  });
});
