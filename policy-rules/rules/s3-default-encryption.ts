import { listOf } from "../../access-report/policy-json";
import type { Finding, PolicyRule } from "../rule";
import { block, settingsOf } from "../terraform-blocks";

const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

function algorithmOf(configuration: Readonly<Record<string, unknown>> | undefined): unknown {
  return listOf(configuration?.rule)
    .map((rule) => block(block(rule)?.apply_server_side_encryption_by_default)?.sse_algorithm)
    .find((algorithm) => algorithm !== undefined);
}

/** Every bucket states its default encryption (SSE-S3 or SSE-KMS). */
export const s3DefaultEncryption: PolicyRule = {
  id: "s3-default-encryption",
  description: "S3 buckets set default encryption (AES256 or aws:kms)",
  controls: { checkov: ["CKV_AWS_19"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const bucket of elements.ofType("aws_s3_bucket")) {
      const settings = settingsOf(elements, bucket, "aws_s3_bucket_server_side_encryption_configuration");
      const inline = block(bucket.config.server_side_encryption_configuration);
      const algorithms = [
        ...settings.map((s) => algorithmOf(s.config)),
        ...(inline === undefined ? [] : [algorithmOf(inline)]),
      ];
      if (algorithms.length === 0) {
        findings.push({
          construct: bucket.construct,
          message: `${bucket.address}: has no aws_s3_bucket_server_side_encryption_configuration; add one with sse_algorithm "AES256" or "aws:kms"`,
        });
      }
      for (const setting of settings) {
        const algorithm = algorithmOf(setting.config);
        if (!ALGORITHMS.includes(String(algorithm))) {
          findings.push({
            construct: setting.construct,
            message: `${setting.address}: sse_algorithm is ${JSON.stringify(algorithm ?? "unset")}; expected one of ${ALGORITHMS.join(", ")}`,
          });
        }
      }
    }
    return findings;
  },
};
