/**
 * Reading synthesized Terraform blocks. Since AWS provider v4 a bucket's
 * settings are separate resources that name the bucket
 * (`bucket = aws_s3_bucket.x.id`), and nested blocks synthesize as an object
 * or a one-item list.
 */
import type { ElementView, StackElements } from "./stack-elements";

/** The resources of `type` in the stack that configure `bucket`. */
export function settingsOf(elements: StackElements, bucket: ElementView, type: string): readonly ElementView[] {
  return elements.ofType(type).filter((setting) => elements.designates(setting.config.bucket, bucket, ["bucket"]));
}

/** A nested block as synthesized: an object, or a list whose first item is the block. */
export function block(value: unknown): Readonly<Record<string, unknown>> | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === "object" && first !== null ? (first as Record<string, unknown>) : undefined;
}
