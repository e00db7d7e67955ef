import type { Finding, PolicyRule } from "../rule";

/** force_destroy lets `terraform destroy` empty a bucket of its data; a shared bucket never sets it. */
export const s3NoForceDestroy: PolicyRule = {
  id: "s3-no-force-destroy",
  description: "S3 buckets do not set force_destroy",
  controls: {},
  level: "error",
  check({ elements }) {
    return elements
      .ofType("aws_s3_bucket")
      .filter((bucket) => bucket.config.force_destroy === true)
      .map((bucket): Finding => ({
        construct: bucket.construct,
        message: `${bucket.address}: force_destroy is true, so destroy would delete every object; remove it (expected: unset or false)`,
      }));
  },
};
