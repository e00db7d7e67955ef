/**
 * The policy rules on the `accessors` form's policies: the bucket policy's
 * delegation to the owner's own access points is not public (and nothing
 * else with Principal "*" is), access point policies are resource policies
 * the rules read, and access points keep every public access setting on.
 */
import "cdktf/lib/testing/adapters/jest";
import { Fn } from "cdktf";
import { S3AccessPoint } from "@cdktf/provider-aws/lib/s3-access-point";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3ControlAccessPointPolicy } from "@cdktf/provider-aws/lib/s3control-access-point-policy";
import type { StatementJson } from "../../access-report/policy-json";
import {
  BUCKET_ARN,
  BUCKET_NAME,
  DENY_INSECURE_TRANSPORT,
  findingsOf,
  OWNER_ACCOUNT,
  policyJson,
  RuleStack,
  ruleStack,
  secureBucket,
} from "../helpers/policy-rules-harness";

const ACCESS_POINT_ARN = `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/team-a`;
const READER = `arn:aws:iam::${OWNER_ACCOUNT}:role/team-a-reader`;

/** AWS's delegation statement ("Delegating access control to access points"), to `account`'s access points. */
function delegation(account: string | string[], operator = "StringEquals"): StatementJson {
  return {
    Sid: "DelegateToOwnAccessPoints",
    Effect: "Allow",
    Principal: "*",
    Action: ["s3:ListBucket", "s3:GetObject"],
    Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
    Condition: { [operator]: { "s3:DataAccessPointAccount": account } },
  };
}

function bucketWithPolicy(...statements: StatementJson[]): RuleStack {
  const context = ruleStack();
  const bucket = secureBucket(context, ["policy"]);
  new S3BucketPolicy(context.stack, "bucket-policy", {
    provider: context.provider,
    bucket: bucket.id,
    policy: policyJson(...statements),
  });
  return context;
}

/** An access point with every public access setting on (or `settings` instead), and `policy` if given. */
function accessPoint(
  options: { policy?: string; settings?: Record<string, boolean> | null; inlinePolicy?: string } = {},
): RuleStack {
  const context = ruleStack();
  secureBucket(context);
  const settings =
    options.settings === null
      ? undefined
      : (options.settings ?? {
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
  const ap = new S3AccessPoint(context.stack, "access-point", {
    provider: context.provider,
    name: "team-a",
    bucket: BUCKET_NAME,
    publicAccessBlockConfiguration: settings,
    policy: options.inlinePolicy,
  });
  if (options.policy !== undefined) {
    new S3ControlAccessPointPolicy(context.stack, "access-point-policy", {
      provider: context.provider,
      accessPointArn: ap.arn,
      policy: options.policy,
    });
  }
  return context;
}

describe("s3-bucket-policy-no-public-principal: the delegation to access points", () => {
  const RULE = "s3-bucket-policy-no-public-principal";

  test("Compliance: delegation to the bucket owner's own access points (the account the stack is pinned to)", () => {
    expect(findingsOf(bucketWithPolicy(DENY_INSECURE_TRANSPORT, delegation(OWNER_ACCOUNT)).stack, RULE)).toEqual([]);
    expect(findingsOf(bucketWithPolicy(DENY_INSECURE_TRANSPORT, delegation([OWNER_ACCOUNT])).stack, RULE)).toEqual([]);
  });

  test("Noncompliance: delegation to another account's access points hands it the bucket", () => {
    expect(findingsOf(bucketWithPolicy(DENY_INSECURE_TRANSPORT, delegation("444455556666")).stack, RULE)).toEqual([
      {
        level: "error",
        path: "rules/bucket-policy",
        message: `[${RULE}] aws_s3_bucket_policy.bucket-policy.policy statement 2 (Sid DelegateToOwnAccessPoints): Allow to Principal "*" through the access points of account 444455556666, not this bucket's owner ${OWNER_ACCOUNT}, hands access to the bucket to that account; delegate only to the owner's own access points (StringEquals s3:DataAccessPointAccount = ${OWNER_ACCOUNT}) (checkov CKV_AWS_70; Security Hub S3.2, S3.3)`,
      },
    ]);
  });

  test.each([
    [
      "StringEqualsIfExists (also matches direct requests, which carry no access point)",
      "StringEqualsIfExists",
      OWNER_ACCOUNT,
    ],
    ["StringLike with a wildcard account", "StringLike", "*"],
    ["StringNotEquals", "StringNotEquals", "444455556666"],
    ["StringEquals on a value that is not an account id", "StringEquals", "*"],
  ])("Noncompliance: %s is public", (_what, operator, account) => {
    const findings = findingsOf(bucketWithPolicy(DENY_INSECURE_TRANSPORT, delegation(account, operator)).stack, RULE);
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('Allow to Principal "*" makes the bucket public'),
    ]);
  });

  test("Noncompliance: in an access point policy the delegation shape is no exemption", () => {
    const policy = policyJson({ ...delegation(OWNER_ACCOUNT), Resource: `${ACCESS_POINT_ARN}/object/*` });
    expect(findingsOf(accessPoint({ policy }).stack, RULE).map((f) => f.message)).toEqual([
      `[${RULE}] aws_s3control_access_point_policy.access-point-policy.policy statement 1 (Sid DelegateToOwnAccessPoints): Allow to Principal "*" makes the access point public; name the role instead (e.g. {"AWS": "arn:aws:iam::111122223333:role/reader"}) (checkov CKV_AWS_70; Security Hub S3.2, S3.3)`,
    ]);
  });

  test("Compliance and Noncompliance: access point policies, inline or their own resource, are read", () => {
    const grant: StatementJson = {
      Effect: "Allow",
      Principal: { AWS: READER },
      Action: "s3:GetObject",
      Resource: `${ACCESS_POINT_ARN}/object/team-a/*`,
    };
    expect(findingsOf(accessPoint({ policy: policyJson(grant) }).stack, RULE)).toEqual([]);
    expect(
      findingsOf(accessPoint({ inlinePolicy: policyJson({ ...grant, Principal: { AWS: "*" } }) }).stack, RULE),
    ).toHaveLength(1);
  });
});

describe("iam-policies-readable: access point policies", () => {
  test("Noncompliance: an access point policy built with jsonencode() is unreadable", () => {
    const policy = Fn.jsonencode({ Version: "2012-10-17", Statement: [] });
    expect(findingsOf(accessPoint({ policy }).stack, "iam-policies-readable").map((f) => f.path)).toEqual([
      "rules/access-point-policy",
    ]);
  });
});

describe("s3-block-public-access: access points", () => {
  const RULE = "s3-block-public-access";

  test("Compliance: all four switches on", () => {
    expect(findingsOf(accessPoint().stack, RULE)).toEqual([]);
  });

  test("Noncompliance: a switch off", () => {
    const settings = {
      blockPublicAcls: true,
      blockPublicPolicy: false,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    };
    expect(findingsOf(accessPoint({ settings }).stack, RULE)).toEqual([
      {
        level: "error",
        path: "rules/access-point",
        message: `[${RULE}] aws_s3_access_point.access-point: public_access_block_configuration block_public_policy is false; set all four switches to true (they cannot be changed after the access point is created) (checkov CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56, CKV2_AWS_6; Security Hub S3.8)`,
      },
    ]);
  });

  test("Noncompliance: no settings written, so nothing a reviewer can see", () => {
    expect(findingsOf(accessPoint({ settings: null }).stack, RULE).map((f) => f.message)).toEqual([
      expect.stringContaining('block_public_acls is "unset", block_public_policy is "unset"'),
    ]);
  });
});
