/**
 * SecureBucket (modules/secure-bucket.ts): the secure defaults of the shared
 * bucket are on without being asked for.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecureBucket } from "../modules/secure-bucket";
import { ConfigError } from "../config/problems";
import { allBlocks, onlyResource, resourceTypes, synthModule, TEST_PROVIDER_REF } from "./helpers/synth";

const NAME = "secure-bucket-test-data";

describe("SecureBucket", () => {
  let bucket: SecureBucket | undefined;
  const { synth, json } = synthModule((scope, provider) => {
    bucket = new SecureBucket(scope, "bucket", { provider, bucketName: NAME, partition: "aws" });
  });

  test("creates exactly the bucket and its four settings resources", () => {
    expect(resourceTypes(json)).toEqual([
      "aws_s3_bucket",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
    ]);
    for (const [address, body] of allBlocks(json)) {
      expect([address, body.provider]).toEqual([address, TEST_PROVIDER_REF]);
    }
  });

  test("the bucket has the configured name, prevent_destroy and no force_destroy", () => {
    expect(synth).toHaveResourceWithProperties(S3Bucket, { bucket: NAME, lifecycle: { prevent_destroy: true } });
    const body = onlyResource(json, "aws_s3_bucket");
    expect(body).not.toHaveProperty("force_destroy");
    expect(body).not.toHaveProperty("acl");
    expect(body).not.toHaveProperty("policy");
  });

  test("all four Block Public Access switches are on, for this bucket", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: "${aws_s3_bucket.bucket.id}",
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("ACLs are disabled: object ownership BucketOwnerEnforced", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket: "${aws_s3_bucket.bucket.id}",
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  test("default encryption is configured", () => {
    const body = onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration");
    expect(body.bucket).toBe("${aws_s3_bucket.bucket.id}");
    const rules = body.rule as Array<{ apply_server_side_encryption_by_default: { sse_algorithm: string } }>;
    expect(rules).toHaveLength(1);
    expect(["AES256", "aws:kms", "aws:kms:dsse"]).toContain(
      rules[0]!.apply_server_side_encryption_by_default.sse_algorithm,
    );
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
  });

  test("versioning is Enabled", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: "${aws_s3_bucket.bucket.id}",
      versioning_configuration: { status: "Enabled" },
    });
  });

  test("logical ids come from the construct id, not from a hash", () => {
    expect(Object.keys(json.resource!.aws_s3_bucket!)).toEqual(["bucket"]);
    expect(Object.keys(json.resource!.aws_s3_bucket_public_access_block!)).toEqual(["bucket_public_access_block"]);
    expect(Object.keys(json.resource!.aws_s3_bucket_ownership_controls!)).toEqual(["bucket_ownership_controls"]);
  });

  test("exposes the name and an ARN known at synth time", () => {
    expect(bucket!.bucketName).toBe(NAME);
    expect(bucket!.bucketArn).toBe(`arn:aws:s3:::${NAME}`);
  });

  test("the bucket policy prerequisites are the bucket, its public access block and its ownership controls", () => {
    const kinds = bucket!.policyPrerequisites.map(
      (dep) => (dep as unknown as { terraformResourceType: string }).terraformResourceType,
    );
    expect(kinds).toEqual(
      expect.arrayContaining(["aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls"]),
    );
  });

  test("the ARN follows the partition", () => {
    let arn = "";
    synthModule((scope, provider) => {
      arn = new SecureBucket(scope, "bucket", { provider, bucketName: NAME, partition: "aws-cn" }).bucketArn;
    });
    expect(arn).toBe(`arn:aws-cn:s3:::${NAME}`);
  });

  test("a bad bucket name throws a ConfigError naming the construct path and the prop", () => {
    expect(() =>
      synthModule((scope, provider) => {
        new SecureBucket(scope, "bucket", { provider, bucketName: "Bad_Name", partition: "aws" });
      }),
    ).toThrow(ConfigError);
    expect(() =>
      synthModule((scope, provider) => {
        new SecureBucket(scope, "bucket", { provider, bucketName: "Bad_Name", partition: "aws" });
      }),
    ).toThrow('[stack/bucket] bucketName: "Bad_Name" may contain only lowercase letters, digits, dots and hyphens');
  });
});
