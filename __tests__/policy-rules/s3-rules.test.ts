import "cdktf/lib/testing/adapters/jest";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3BucketAcl } from "@cdktf/provider-aws/lib/s3-bucket-acl";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { StatementJson } from "../../access-report/policy-json";
import {
  BUCKET_ARN,
  BucketPart,
  DENY_INSECURE_TRANSPORT,
  findingsOf,
  GRANT_READER,
  policyJson,
  RuleStack,
  ruleStack,
  secureBucket,
} from "../helpers/policy-rules-harness";

/** A secure bucket whose policy holds `statements` instead of the compliant ones. */
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

/** A secure bucket without `part`. */
function bucketWithout(part: BucketPart): RuleStack {
  const context = ruleStack();
  secureBucket(context, [part]);
  return context;
}

const BUCKET_RULES = [
  "s3-block-public-access",
  "s3-bucket-owner-enforced",
  "s3-default-encryption",
  "s3-versioning-enabled",
  "s3-no-force-destroy",
  "s3-bucket-policy-no-public-principal",
  "s3-bucket-policy-requires-tls",
];

test.each(BUCKET_RULES)("%s Compliance: a bucket with every secure setting", (rule) => {
  const context = ruleStack();
  secureBucket(context);
  expect(findingsOf(context.stack, rule)).toEqual([]);
});

describe("s3-block-public-access", () => {
  const RULE = "s3-block-public-access";

  test("Noncompliance: no public access block", () => {
    expect(findingsOf(bucketWithout("publicAccessBlock").stack, RULE)).toEqual([
      {
        level: "error",
        path: "rules/bucket",
        message:
          "[s3-block-public-access] aws_s3_bucket.bucket: has no aws_s3_bucket_public_access_block; add one with block_public_acls = true, block_public_policy = true, ignore_public_acls = true, restrict_public_buckets = true (checkov CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56, CKV2_AWS_6; Security Hub S3.8)",
      },
    ]);
  });

  test("Noncompliance: one switch off", () => {
    const context = ruleStack();
    const bucket = secureBucket(context, ["publicAccessBlock"]);
    new S3BucketPublicAccessBlock(context.stack, "public-access-block", {
      provider: context.provider,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: false,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(findingsOf(context.stack, RULE)).toEqual([
      expect.objectContaining({
        path: "rules/public-access-block",
        message: expect.stringContaining("block_public_policy is false; set all four switches to true"),
      }),
    ]);
  });
});

describe("s3-bucket-owner-enforced", () => {
  const RULE = "s3-bucket-owner-enforced";

  test("Noncompliance: no ownership controls", () => {
    expect(findingsOf(bucketWithout("ownership").stack, RULE)).toEqual([
      expect.objectContaining({
        path: "rules/bucket",
        message: expect.stringContaining("has no aws_s3_bucket_ownership_controls"),
      }),
    ]);
  });

  test("Noncompliance: ACLs left on (ObjectWriter), and an ACL set", () => {
    const context = ruleStack();
    const bucket = secureBucket(context, ["ownership"]);
    new S3BucketOwnershipControls(context.stack, "ownership", {
      provider: context.provider,
      bucket: bucket.id,
      rule: { objectOwnership: "ObjectWriter" },
    });
    new S3BucketAcl(context.stack, "acl", { provider: context.provider, bucket: bucket.id, acl: "private" });
    const findings = findingsOf(context.stack, RULE);
    expect(findings.map((f) => f.path)).toEqual(["rules/ownership", "rules/acl"]);
    expect(findings[0]?.message).toContain(
      'rule.object_ownership is "ObjectWriter"; expected "BucketOwnerEnforced" (checkov CKV2_AWS_65; Security Hub S3.12)',
    );
  });
});

describe("s3-default-encryption", () => {
  const RULE = "s3-default-encryption";

  test("Compliance: SSE-KMS", () => {
    const context = ruleStack();
    const bucket = secureBucket(context, ["encryption"]);
    new S3BucketServerSideEncryptionConfigurationA(context.stack, "encryption", {
      provider: context.provider,
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/s3" } }],
    });
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Noncompliance: no default encryption configuration", () => {
    expect(findingsOf(bucketWithout("encryption").stack, RULE)).toEqual([
      expect.objectContaining({ path: "rules/bucket", message: expect.stringContaining("(checkov CKV_AWS_19)") }),
    ]);
  });
});

describe("s3-versioning-enabled", () => {
  const RULE = "s3-versioning-enabled";

  test("Noncompliance: no versioning", () => {
    expect(findingsOf(bucketWithout("versioning").stack, RULE)).toHaveLength(1);
  });

  test("Noncompliance: versioning suspended", () => {
    const context = ruleStack();
    const bucket = secureBucket(context, ["versioning"]);
    new S3BucketVersioningA(context.stack, "versioning", {
      provider: context.provider,
      bucket: bucket.id,
      versioningConfiguration: { status: "Suspended" },
    });
    expect(findingsOf(context.stack, RULE)).toEqual([
      expect.objectContaining({
        path: "rules/versioning",
        message:
          '[s3-versioning-enabled] aws_s3_bucket_versioning.versioning: versioning_configuration.status is "Suspended"; expected "Enabled" (checkov CKV_AWS_21; Security Hub S3.14)',
      }),
    ]);
  });
});

describe("s3-no-force-destroy", () => {
  test("Noncompliance: force_destroy = true", () => {
    const context = ruleStack();
    secureBucket(context).forceDestroy = true;
    expect(findingsOf(context.stack, "s3-no-force-destroy")).toEqual([
      expect.objectContaining({ path: "rules/bucket", message: expect.stringContaining("force_destroy is true") }),
    ]);
  });
});

describe("s3-bucket-policy-no-public-principal", () => {
  const RULE = "s3-bucket-policy-no-public-principal";

  test('Noncompliance: Allow to Principal "*"', () => {
    const context = bucketWithPolicy(DENY_INSECURE_TRANSPORT, { ...GRANT_READER, Principal: "*" });
    expect(findingsOf(context.stack, RULE)).toEqual([
      {
        level: "error",
        path: "rules/bucket-policy",
        message:
          '[s3-bucket-policy-no-public-principal] aws_s3_bucket_policy.bucket-policy.policy statement 2 (Sid ReaderGetsObjects): Allow to Principal "*" makes the bucket public; name the role instead (e.g. {"AWS": "arn:aws:iam::111122223333:role/reader"}) (checkov CKV_AWS_70; Security Hub S3.2, S3.3)',
      },
    ]);
  });

  test('Noncompliance: Allow to {"AWS": "*"} and Allow with NotPrincipal', () => {
    const context = bucketWithPolicy(
      DENY_INSECURE_TRANSPORT,
      { ...GRANT_READER, Principal: { AWS: ["*"] } },
      {
        Effect: "Allow",
        NotPrincipal: { AWS: "arn:aws:iam::111122223333:role/x" },
        Action: "s3:GetObject",
        Resource: `${BUCKET_ARN}/*`,
      },
    );
    expect(findingsOf(context.stack, RULE)).toHaveLength(2);
  });
});

describe("s3-bucket-policy-requires-tls", () => {
  const RULE = "s3-bucket-policy-requires-tls";

  test('Compliance: the deny written with BoolIfExists and {"AWS": "*"}, in an aws_iam_policy_document', () => {
    const context = ruleStack();
    const bucket = secureBucket(context, ["policy"]);
    const document = new DataAwsIamPolicyDocument(context.stack, "document", {
      provider: context.provider,
      statement: [
        {
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [BUCKET_ARN, `${BUCKET_ARN}/*`],
          condition: [{ test: "BoolIfExists", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new S3BucketPolicy(context.stack, "bucket-policy", {
      provider: context.provider,
      bucket: bucket.id,
      policy: document.json,
    });
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Noncompliance: a bucket without any bucket policy", () => {
    expect(findingsOf(bucketWithout("policy").stack, RULE)).toEqual([
      expect.objectContaining({
        path: "rules/bucket",
        message: expect.stringContaining("has no bucket policy, so nothing denies plain-HTTP requests"),
      }),
    ]);
  });

  test("Noncompliance: a policy that only grants", () => {
    expect(findingsOf(bucketWithPolicy(GRANT_READER).stack, RULE)).toEqual([
      expect.objectContaining({
        path: "rules/bucket-policy",
        message: expect.stringContaining("no statement denies plain HTTP"),
      }),
    ]);
  });

  test("Noncompliance: a deny that misses the objects, or denies the wrong value", () => {
    const bucketOnly = bucketWithPolicy({ ...DENY_INSECURE_TRANSPORT, Resource: BUCKET_ARN }, GRANT_READER);
    const wrongValue = bucketWithPolicy(
      { ...DENY_INSECURE_TRANSPORT, Condition: { Bool: { "aws:SecureTransport": "true" } } },
      GRANT_READER,
    );
    expect(findingsOf(bucketOnly.stack, RULE)).toHaveLength(1);
    expect(findingsOf(wrongValue.stack, RULE)).toHaveLength(1);
  });
});
