/**
 * Direct grant (issue 6): no target role. A cross-account request needs an
 * Allow on both sides, so the bucket policy grants the accessor account root
 * narrowed by ArnEquals to the instance role, and the instance role's own
 * policy allows the same bucket actions on the bucket ARN from remote state.
 * Both sides are pinned here, for every access level, and with SSE-KMS.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import type { AccessLevel } from "../config/types";
import { ACCESS_LEVELS, BUCKET_NAME, problemMessages, rawConfig } from "./helpers/config";
import { allActions, LEVEL_ACTIONS, list, ParsedStatement } from "./helpers/policy";
import type { SynthesizedApp } from "./helpers/synth";
import {
  ACCESSOR_ROOT,
  DENY_INSECURE_TRANSPORT,
  block,
  BUCKET_ARN,
  INSTANCE_ROLE_ARN,
  OWNER_ADMINISTERS_KEY,
  ownerOutputRef,
  policyOf,
  statementsOf,
  synthWith,
} from "./helpers/org-configs";

const NARROWED_TO_INSTANCE_ROLE = { ArnEquals: { "aws:PrincipalArn": INSTANCE_ROLE_ARN } };

/** Bucket-level and object-level actions written out from issue 3, per level. */
const byLevel = {} as Record<AccessLevel, SynthesizedApp>;
let withKms: SynthesizedApp;
beforeAll(() => {
  for (const level of ACCESS_LEVELS) byLevel[level] = synthWith({ accessMode: "direct", accessLevel: level });
  withKms = synthWith({ accessMode: "direct", accessLevel: "read-write", bucket: { encryption: "SSE-KMS" } });
});

const bucketPolicy = (app: SynthesizedApp): ParsedStatement[] =>
  statementsOf(policyOf(app.ownerJson, "aws_s3_bucket_policy", "bucket_policy"));
const identityPolicy = (app: SynthesizedApp): ParsedStatement[] =>
  statementsOf(policyOf(app.accessorJson, "aws_iam_role_policy", "instance_role_cross_account_s3_access"));

describe.each(ACCESS_LEVELS)("direct grant, %s", (level) => {
  test("the owner account has no target role and no target_role_arn output", () => {
    const { ownerJson } = byLevel[level];
    expect(ownerJson.resource?.aws_iam_role).toBeUndefined();
    expect(ownerJson.resource?.aws_iam_role_policy).toBeUndefined();
    expect(ownerJson.output).not.toHaveProperty("target_role_arn");
  });

  test("bucket side: the bucket policy grants the accessor root, narrowed to the instance role ARN", () => {
    expect(bucketPolicy(byLevel[level])).toEqual([
      DENY_INSECURE_TRANSPORT,
      {
        Sid: "BucketLevelAccess",
        Effect: "Allow",
        Principal: { AWS: ACCESSOR_ROOT },
        Action: LEVEL_ACTIONS[level].bucket,
        Resource: BUCKET_ARN,
        Condition: NARROWED_TO_INSTANCE_ROLE,
      },
      {
        Sid: "ObjectLevelAccess",
        Effect: "Allow",
        Principal: { AWS: ACCESSOR_ROOT },
        Action: LEVEL_ACTIONS[level].object,
        Resource: `${BUCKET_ARN}/*`,
        Condition: NARROWED_TO_INSTANCE_ROLE,
      },
    ]);
  });

  test("the bucket policy waits for the bucket settings only (there is no role to wait for)", () => {
    expect(block(byLevel[level].ownerJson, "aws_s3_bucket_policy", "bucket_policy").depends_on).toEqual([
      "aws_s3_bucket.bucket",
      "aws_s3_bucket_public_access_block.bucket_public_access_block",
      "aws_s3_bucket_ownership_controls.bucket_ownership_controls",
    ]);
  });

  test("identity side: the instance role allows exactly the bucket actions on the bucket ARN from remote state", () => {
    expect(identityPolicy(byLevel[level])).toEqual([
      {
        Sid: "BucketLevelAccess",
        Effect: "Allow",
        Action: LEVEL_ACTIONS[level].bucket,
        Resource: ownerOutputRef("bucket_arn"),
      },
      {
        Sid: "ObjectLevelAccess",
        Effect: "Allow",
        Action: LEVEL_ACTIONS[level].object,
        Resource: `${ownerOutputRef("bucket_arn")}/*`,
      },
    ]);
  });

  test("both sides allow the same actions, statement by statement", () => {
    const grants = bucketPolicy(byLevel[level]).filter((s) => s.Effect === "Allow");
    expect(identityPolicy(byLevel[level]).map((s) => list(s.Action))).toEqual(grants.map((s) => list(s.Action)));
  });

  test("no sts:AssumeRole anywhere in the accessor, and no CLI profile for a chain", () => {
    const { accessorJson } = byLevel[level];
    const policies = Object.keys(accessorJson.resource?.aws_iam_role_policy ?? {});
    expect(policies).toEqual(["instance_role_cross_account_s3_access"]);
    expect(allActions(policyOf(accessorJson, "aws_iam_role_policy", policies[0]!))).not.toContain("sts:AssumeRole");
    expect(accessorJson.output).not.toHaveProperty("cli_profile");
    expect(block(accessorJson, "aws_instance", "instance")).not.toHaveProperty("user_data");
  });

  test("verify commands use the instance's own credentials", () => {
    expect(byLevel[level].accessorJson.output?.verify_commands?.value).toEqual([
      "aws sts get-caller-identity",
      `aws s3 ls s3://${BUCKET_NAME}`,
    ]);
  });
});

describe("direct grant with SSE-KMS", () => {
  test("key side: the key policy lets the accessor root, narrowed to the instance role, use the key through S3", () => {
    const key = block(withKms.ownerJson, "aws_kms_key", "bucket_key");
    expect(statementsOf(policyOf(withKms.ownerJson, "aws_kms_key", "bucket_key"))).toEqual([
      OWNER_ADMINISTERS_KEY,
      {
        Sid: "BucketAccessorUsesKeyThroughS3",
        Effect: "Allow",
        Principal: { AWS: ACCESSOR_ROOT },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
          ArnEquals: { "aws:PrincipalArn": INSTANCE_ROLE_ARN },
        },
      },
    ]);
    // The account root always exists, so the key has nothing to wait for.
    expect(key).not.toHaveProperty("depends_on");
  });

  test("identity side: the instance role may use the key from remote state through S3 in the bucket's region", () => {
    expect(identityPolicy(withKms)[2]).toEqual({
      Sid: "UseBucketKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: ownerOutputRef("kms_key_arn"),
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
    expect(identityPolicy(withKms)).toHaveLength(3);
  });

  test("the owner outputs the key ARN for the hand-off", () => {
    expect(withKms.ownerJson.output?.kms_key_arn?.value).toBe("${aws_kms_key.bucket_key.arn}");
  });

  test("the bucket policy is the same grant as without KMS", () => {
    expect(withKms.ownerSynth).toHaveResourceWithProperties(S3BucketPolicy, { bucket: BUCKET_NAME });
    expect(bucketPolicy(withKms)).toEqual(bucketPolicy(byLevel["read-write"]));
  });
});

describe("config rule: accessMode", () => {
  test.each(["role-chain", "direct"])("Compliance: %s", (accessMode) => {
    expect(problemMessages(rawConfig({ accessMode }))).toEqual([]);
  });

  test.each([["assume-role"], [true]])("Noncompliance: %j", (accessMode) => {
    expect(problemMessages(rawConfig({ accessMode }))).toEqual([
      `accessMode: ${JSON.stringify(accessMode)} must be one of "role-chain", "direct" (e.g. "role-chain")`,
    ]);
  });

  test.each([
    ["Direct", "direct"],
    ["rolechain", "role-chain"],
  ])("Noncompliance: %j, with the mode meant", (accessMode, meant) => {
    expect(problemMessages(rawConfig({ accessMode }))).toEqual([
      `accessMode: ${JSON.stringify(accessMode)} must be one of "role-chain", "direct"; did you mean "${meant}"?`,
    ]);
  });
});
