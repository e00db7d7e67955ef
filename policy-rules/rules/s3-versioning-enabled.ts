import type { Finding, PolicyRule } from "../rule";
import { block, settingsOf } from "../terraform-blocks";

/** Every bucket keeps object versions, so an overwrite or delete can be undone. */
export const s3VersioningEnabled: PolicyRule = {
  id: "s3-versioning-enabled",
  description: "S3 bucket versioning is Enabled",
  controls: { checkov: ["CKV_AWS_21"], securityHub: ["S3.14"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const bucket of elements.ofType("aws_s3_bucket")) {
      const settings = settingsOf(elements, bucket, "aws_s3_bucket_versioning");
      const inlineEnabled = block(bucket.config.versioning)?.enabled === true;
      if (settings.length === 0 && !inlineEnabled) {
        findings.push({
          construct: bucket.construct,
          message: `${bucket.address}: has no aws_s3_bucket_versioning; add one with versioning_configuration { status = "Enabled" }`,
        });
      }
      for (const setting of settings) {
        const status = block(setting.config.versioning_configuration)?.status;
        if (status !== "Enabled") {
          findings.push({
            construct: setting.construct,
            message: `${setting.address}: versioning_configuration.status is ${JSON.stringify(status ?? "unset")}; expected "Enabled"`,
          });
        }
      }
    }
    return findings;
  },
};
