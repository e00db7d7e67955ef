import { TerraformElement } from "cdktf";

/**
 * Gives a Terraform element a deliberate, readable address such as
 * `aws_s3_bucket.bucket` instead of cdktf's path-and-hash id. Addresses come
 * from construct ids chosen on purpose, so renaming a TypeScript variable never
 * renames (destroys and re-creates) a resource.
 */
export function nameElement<T extends TerraformElement>(element: T, constructId: string, suffix?: string): T {
  const base = constructId.replace(/[^A-Za-z0-9_]/g, "_");
  element.overrideLogicalId(suffix === undefined ? base : `${base}_${suffix}`);
  return element;
}
