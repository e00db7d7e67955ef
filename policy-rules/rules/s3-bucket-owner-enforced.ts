import type { Finding, PolicyRule } from "../rule";
import { block, settingsOf } from "../terraform-blocks";

/** ACLs are disabled (object ownership BucketOwnerEnforced), so only policies grant access. */
export const s3BucketOwnerEnforced: PolicyRule = {
  id: "s3-bucket-owner-enforced",
  description: "S3 object ownership is BucketOwnerEnforced (ACLs disabled)",
  controls: { checkov: ["CKV2_AWS_65"], securityHub: ["S3.12"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const bucket of elements.ofType("aws_s3_bucket")) {
      const controls = settingsOf(elements, bucket, "aws_s3_bucket_ownership_controls");
      if (controls.length === 0) {
        findings.push({
          construct: bucket.construct,
          message: `${bucket.address}: has no aws_s3_bucket_ownership_controls; add one with rule { object_ownership = "BucketOwnerEnforced" }`,
        });
      }
      for (const acl of settingsOf(elements, bucket, "aws_s3_bucket_acl")) {
        findings.push({
          construct: acl.construct,
          message: `${acl.address}: sets an ACL on ${bucket.address}; ACLs are disabled, grant access in the bucket policy`,
        });
      }
    }
    for (const controls of elements.ofType("aws_s3_bucket_ownership_controls")) {
      const ownership = block(controls.config.rule)?.object_ownership;
      if (ownership !== "BucketOwnerEnforced") {
        findings.push({
          construct: controls.construct,
          message: `${controls.address}: rule.object_ownership is ${JSON.stringify(ownership ?? "unset")}; expected "BucketOwnerEnforced"`,
        });
      }
    }
    return findings;
  },
};
