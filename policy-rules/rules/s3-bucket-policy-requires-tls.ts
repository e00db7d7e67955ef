import { isWildcardPrincipal, listOf, StatementJson } from "../../access-report/policy-json";
import { statementCoversAction } from "../../access-report/policy-json";
import { bucketPolicies } from "../policy-sources";
import type { Finding, PolicyRule } from "../rule";

function isFalse(value: unknown): boolean {
  return listOf(value).some((v) => v === false || (typeof v === "string" && v.toLowerCase() === "false"));
}

/**
 * The statement AWS recommends ("Enforce encryption of data in transit" in the
 * S3 user guide): Deny, to everyone, every S3 action on the bucket and its
 * objects, when aws:SecureTransport is false.
 */
export function deniesInsecureTransport(statement: StatementJson): boolean {
  if (statement.Effect !== "Deny" || !isWildcardPrincipal(statement.Principal)) return false;
  if (!statementCoversAction(statement, "s3:GetObject") || !statementCoversAction(statement, "s3:PutObject"))
    return false;
  const resources = listOf(statement.Resource);
  const coversBucket = resources.some((r) => r === "*" || !/:::[^/]+\/./.test(r));
  const coversObjects = resources.some((r) => r === "*" || /\/\*$/.test(r));
  const condition = statement.Condition ?? {};
  const tlsCondition = ["Bool", "BoolIfExists"].some((operator) =>
    Object.entries(condition[operator] ?? {}).some(
      ([key, value]) => key.toLowerCase() === "aws:securetransport" && isFalse(value),
    ),
  );
  return coversBucket && coversObjects && tlsCondition;
}

/** Every bucket policy denies plain-HTTP requests, and every bucket has a policy that does. */
export const s3BucketPolicyRequiresTls: PolicyRule = {
  id: "s3-bucket-policy-requires-tls",
  description: "Bucket policies deny every request with aws:SecureTransport = false",
  controls: { securityHub: ["S3.5"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    const policies = bucketPolicies(elements);
    for (const source of policies) {
      if (!source.document.Statement.some(deniesInsecureTransport)) {
        findings.push({
          construct: source.element.construct,
          message: `${source.where}: no statement denies plain HTTP; add {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [<bucket ARN>, "<bucket ARN>/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}`,
        });
      }
    }
    for (const bucket of elements.ofType("aws_s3_bucket")) {
      const hasPolicy =
        bucket.config.policy !== undefined ||
        elements
          .ofType("aws_s3_bucket_policy")
          .some((policy) => elements.designates(policy.config.bucket, bucket, ["bucket"]));
      if (!hasPolicy) {
        findings.push({
          construct: bucket.construct,
          message: `${bucket.address}: has no bucket policy, so nothing denies plain-HTTP requests; add an aws_s3_bucket_policy that denies aws:SecureTransport = false`,
        });
      }
    }
    return findings;
  },
};
