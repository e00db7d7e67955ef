/**
 * Every default of the configuration, in one place. The README's configuration
 * table lists the same values.
 */
import type { AccessLevel } from "./types";

export const DEFAULT_ACCESS_LEVEL: AccessLevel = "read-only";
export const DEFAULT_CLI_PROFILE_NAME = "cross-account-s3";
export const DEFAULT_INSTANCE_TYPE = "t3.micro";
export const DEFAULT_METADATA_HOP_LIMIT = 1;

/**
 * IAM's "Role trust policy length" quota: 2,048 characters by default, 4,096 at
 * most after a Service Quotas increase ("IAM and AWS STS quotas" in the IAM user guide).
 */
export const DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA = 2048;
export const MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA = 4096;

/** Tags on every resource; config `tags` are merged over them. */
export const DEFAULT_TAGS: Readonly<Record<string, string>> = {
  ManagedBy: "cdktf",
  Project: "cross-account-s3-access",
};

/**
 * Amazon Linux 2023's public SSM parameter for the instance type's CPU
 * architecture: Graviton families carry a "g" after the generation digit
 * (t4g, m7g, c7gn, r8g), and a1 is the first Graviton; they need the arm64 image.
 */
export function defaultAmiSsmParameter(instanceType: string): string {
  const family = instanceType.split(".")[0] ?? "";
  const arch = family === "a1" || /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) ? "arm64" : "x86_64";
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;
}

/** The folder of the default S3 state keys: `cross-account-s3-access/<stack id>.tfstate`. */
export const DEFAULT_STATE_KEY_PREFIX = "cross-account-s3-access";
/** HCP Terraform's host; Terraform Enterprise users set their own. */
export const DEFAULT_CLOUD_HOSTNAME = "app.terraform.io";

/** Stack ids, as `cdktf deploy bucket-owner accessor` names them. */
export const BUCKET_OWNER_STACK_ID = "bucket-owner";
export const ACCESSOR_STACK_ID = "accessor";
