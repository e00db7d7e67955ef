/**
 * BucketOwnerStack (stacks/bucket-owner-stack.ts), synthesized whole from a
 * config: account A's bucket, target role and bucket policy, with the names
 * and ids from the config, stable addresses and described snake_case outputs.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import {
  exampleRaw,
  toConfig,
  validConfig,
  OWNER_ACCOUNT,
  ACCESSOR_ACCOUNT,
  BUCKET_NAME,
  TARGET_ROLE,
  INSTANCE_ROLE,
} from "./helpers/config";
import { allBlocks, onlyResource, resourcesOf, synthApp } from "./helpers/synth";
import { EXPECTED_ACTIONS, list, parsePolicy, statementsWith } from "./helpers/policy";

const BUCKET_ARN = `arn:aws:s3:::${BUCKET_NAME}`;
const TARGET_ROLE_ARN = `arn:aws:iam::${OWNER_ACCOUNT}:role/${TARGET_ROLE}`;

describe("bucket owner stack from the example config", () => {
  const raw = exampleRaw() as {
    bucketOwner: { accountId: string };
    accessor: { accountId: string };
    bucket: { name: string };
    targetRoleName: string;
    instanceRoleName: string;
  };
  const { ownerSynth, ownerJson } = synthApp(toConfig(exampleRaw()));

  test("the bucket and the target role carry exactly the configured names", () => {
    expect(ownerSynth).toHaveResourceWithProperties(S3Bucket, { bucket: raw.bucket.name });
    expect(ownerSynth).toHaveResourceWithProperties(IamRole, { name: raw.targetRoleName });
    expect(ownerSynth).toHaveResourceWithProperties(S3BucketPolicy, { bucket: raw.bucket.name });
  });

  test("the trust policy names the configured accessor account and instance role", () => {
    const statement = parsePolicy(onlyResource(ownerJson, "aws_iam_role").assume_role_policy).Statement[0]!;
    expect(statement.Principal).toEqual({ AWS: `arn:aws:iam::${raw.accessor.accountId}:root` });
    expect(statement.Condition).toEqual({
      ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${raw.accessor.accountId}:role/${raw.instanceRoleName}` },
    });
  });
});

describe("bucket owner stack", () => {
  const { ownerSynth, ownerJson } = synthApp(validConfig());

  test("creates the six resources of account A, one each, at stable addresses", () => {
    const addresses = allBlocks(ownerJson)
      .map(([address]) => address)
      .sort();
    expect(addresses).toEqual([
      "aws_iam_role.target_role",
      "aws_iam_role_policy.target_role_s3_access",
      "aws_s3_bucket.bucket",
      "aws_s3_bucket_ownership_controls.bucket_ownership_controls",
      "aws_s3_bucket_policy.bucket_policy",
      "aws_s3_bucket_public_access_block.bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration.bucket_encryption",
      "aws_s3_bucket_versioning.bucket_versioning",
    ]);
  });

  test("the bucket is protected: prevent_destroy, no force_destroy, public access blocked, BucketOwnerEnforced, encrypted, versioned", () => {
    expect(onlyResource(ownerJson, "aws_s3_bucket")).toEqual(
      expect.objectContaining({ bucket: BUCKET_NAME, lifecycle: { prevent_destroy: true } }),
    );
    expect(onlyResource(ownerJson, "aws_s3_bucket")).not.toHaveProperty("force_destroy");
    expect(onlyResource(ownerJson, "aws_s3_bucket_public_access_block")).toEqual(
      expect.objectContaining({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    );
    expect(onlyResource(ownerJson, "aws_s3_bucket_ownership_controls").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
    expect(onlyResource(ownerJson, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(onlyResource(ownerJson, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
  });

  test("the target role: configured name, trust to the accessor's instance role, one-hour sessions", () => {
    expect(ownerSynth).toHaveResourceWithProperties(IamRole, { name: TARGET_ROLE, max_session_duration: 3600 });
    const trust = parsePolicy(onlyResource(ownerJson, "aws_iam_role").assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCESSOR_ACCOUNT}:root` },
        Action: "sts:AssumeRole",
        Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/${INSTANCE_ROLE}` } },
      }),
    ]);
  });

  test("the bucket policy depends_on the public access block and the ownership controls", () => {
    expect(onlyResource(ownerJson, "aws_s3_bucket_policy").depends_on).toEqual(
      expect.arrayContaining([
        "aws_s3_bucket_public_access_block.bucket_public_access_block",
        "aws_s3_bucket_ownership_controls.bucket_ownership_controls",
      ]),
    );
  });

  test("the bucket policy grants the target role by its exact ARN and denies plain HTTP", () => {
    const policy = parsePolicy(onlyResource(ownerJson, "aws_s3_bucket_policy").policy);
    for (const allow of statementsWith(policy, "Allow")) expect(allow.Principal).toEqual({ AWS: TARGET_ROLE_ARN });
    expect(statementsWith(policy, "Deny")).toEqual([
      expect.objectContaining({ Principal: "*", Condition: { Bool: { "aws:SecureTransport": false } } }),
    ]);
  });

  test("outputs target_role_arn, bucket_name and bucket_arn, each with a description", () => {
    const outputs = ownerJson.output!;
    expect(Object.keys(outputs).sort()).toEqual(["bucket_arn", "bucket_name", "target_role_arn"]);
    expect(outputs.target_role_arn!.value).toBe("${aws_iam_role.target_role.arn}");
    expect(outputs.bucket_name!.value).toBe(BUCKET_NAME);
    expect(outputs.bucket_arn!.value).toBe(BUCKET_ARN);
    for (const [name, output] of Object.entries(outputs)) {
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect((output.description ?? "").length).toBeGreaterThan(20);
    }
  });

  test("every policy is a readable JSON document, not a jsonencode(...) expression", () => {
    const policies = [
      onlyResource(ownerJson, "aws_iam_role").assume_role_policy,
      onlyResource(ownerJson, "aws_iam_role_policy").policy,
      onlyResource(ownerJson, "aws_s3_bucket_policy").policy,
    ];
    for (const policy of policies) {
      expect(typeof policy).toBe("string");
      expect(policy as string).not.toMatch(/\$\{|jsonencode/);
      expect(parsePolicy(policy).Version).toBe("2012-10-17");
    }
  });

  test("the state is local, at a relative path", () => {
    const local = ownerJson.terraform?.backend?.local as { path: string };
    expect(local.path).toBe("../../../terraform.bucket-owner.tfstate");
  });
});

describe.each(["read-only", "read-write"] as const)("bucket owner stack with accessLevel %s", (level) => {
  const { ownerJson } = synthApp(validConfig({ accessLevel: level }));
  const rolePolicy = parsePolicy(onlyResource(ownerJson, "aws_iam_role_policy").policy);
  const bucketPolicy = parsePolicy(onlyResource(ownerJson, "aws_s3_bucket_policy").policy);
  const sorted = (values: string[]) => [...values].sort();
  const actionsOn = (statements: ReturnType<typeof statementsWith>, resource: string) =>
    sorted(statements.filter((s) => list(s.Resource).includes(resource)).flatMap((s) => list(s.Action)));

  test("the target role's permissions are exactly the level's actions", () => {
    expect(actionsOn(rolePolicy.Statement, BUCKET_ARN)).toEqual([...EXPECTED_ACTIONS[level].bucket]);
    expect(actionsOn(rolePolicy.Statement, `${BUCKET_ARN}/*`)).toEqual([...EXPECTED_ACTIONS[level].object]);
  });

  test("the bucket policy grants the same actions", () => {
    const allows = statementsWith(bucketPolicy, "Allow");
    expect(actionsOn(allows, BUCKET_ARN)).toEqual([...EXPECTED_ACTIONS[level].bucket]);
    expect(actionsOn(allows, `${BUCKET_ARN}/*`)).toEqual([...EXPECTED_ACTIONS[level].object]);
  });
});

test("with accessLevel full, the bucket policy and the role grant the same actions, none of them wildcards", () => {
  const { ownerJson } = synthApp(validConfig({ accessLevel: "full" }));
  const roleActions = parsePolicy(onlyResource(ownerJson, "aws_iam_role_policy").policy)
    .Statement.flatMap((s) => list(s.Action))
    .sort();
  const bucketActions = statementsWith(parsePolicy(onlyResource(ownerJson, "aws_s3_bucket_policy").policy), "Allow")
    .flatMap((s) => list(s.Action))
    .sort();
  expect(bucketActions).toEqual(roleActions);
  expect(roleActions.length).toBeGreaterThan(6);
  for (const action of roleActions) expect(action).not.toContain("*");
});

test("a region in another partition changes every ARN's partition", () => {
  const { ownerJson } = synthApp(
    validConfig({ bucketOwner: { region: "us-gov-west-1" }, accessor: { region: "us-gov-east-1" } }),
  );
  expect(ownerJson.output!.bucket_arn!.value).toBe(`arn:aws-us-gov:s3:::${BUCKET_NAME}`);
  const trust = parsePolicy(onlyResource(ownerJson, "aws_iam_role").assume_role_policy).Statement[0]!;
  expect(trust.Principal).toEqual({ AWS: `arn:aws-us-gov:iam::${ACCESSOR_ACCOUNT}:root` });
  expect(Object.keys(resourcesOf(ownerJson, "aws_s3_bucket"))).toEqual(["bucket"]);
});
