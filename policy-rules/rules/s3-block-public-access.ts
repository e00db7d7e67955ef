import type { Finding, PolicyRule } from "../rule";
import { block, settingsOf } from "../terraform-blocks";

const SWITCHES = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

/**
 * Every bucket has a public access block with all four switches on, and so
 * does every access point: its settings are fixed when it is created, and S3
 * applies the most restrictive of the access point's, the bucket's and the
 * account's ("Blocking public access to your Amazon S3 storage").
 */
export const s3BlockPublicAccess: PolicyRule = {
  id: "s3-block-public-access",
  description: "S3 Block Public Access: all four switches true on every bucket and access point",
  controls: { checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"], securityHub: ["S3.8"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const bucket of elements.ofType("aws_s3_bucket")) {
      if (settingsOf(elements, bucket, "aws_s3_bucket_public_access_block").length === 0) {
        findings.push({
          construct: bucket.construct,
          message: `${bucket.address}: has no aws_s3_bucket_public_access_block; add one with ${SWITCHES.map((s) => `${s} = true`).join(", ")}`,
        });
      }
    }
    for (const block of elements.ofType("aws_s3_bucket_public_access_block")) {
      const off = SWITCHES.filter((name) => block.config[name] !== true);
      if (off.length > 0) {
        findings.push({
          construct: block.construct,
          message: `${block.address}: ${off.map((name) => `${name} is ${JSON.stringify(block.config[name] ?? "unset")}`).join(", ")}; set all four switches to true`,
        });
      }
    }
    for (const accessPoint of elements.ofType("aws_s3_access_point")) {
      const settings = block(accessPoint.config.public_access_block_configuration);
      const off = SWITCHES.filter((name) => settings?.[name] !== true);
      if (off.length > 0) {
        findings.push({
          construct: accessPoint.construct,
          message: `${accessPoint.address}: public_access_block_configuration ${off.map((name) => `${name} is ${JSON.stringify(settings?.[name] ?? "unset")}`).join(", ")}; set all four switches to true (they cannot be changed after the access point is created)`,
        });
      }
    }
    return findings;
  },
};
