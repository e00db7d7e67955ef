import { isWildcardPrincipal } from "../../access-report/policy-json";
import { allowStatements, bucketPolicies } from "../policy-sources";
import type { Finding, PolicyRule } from "../rule";

/**
 * A bucket policy never allows everyone: `Principal: "*"` or `{"AWS": "*"}`
 * with Allow makes the bucket public (anonymous and every AWS account), and
 * Allow with NotPrincipal grants everyone not listed.
 */
export const s3BucketPolicyNoPublicPrincipal: PolicyRule = {
  id: "s3-bucket-policy-no-public-principal",
  description: 'Bucket policies do not Allow Principal "*" / {"AWS": "*"}',
  controls: { checkov: ["CKV_AWS_70"], securityHub: ["S3.2", "S3.3"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const { statement, finding } of allowStatements(bucketPolicies(elements))) {
      if (isWildcardPrincipal(statement.Principal)) {
        findings.push(
          finding(
            `Allow to Principal ${JSON.stringify(statement.Principal)} makes the bucket public; name the role instead (e.g. {"AWS": "arn:aws:iam::111122223333:role/reader"})`,
          ),
        );
      }
      if (statement.NotPrincipal !== undefined) {
        findings.push(
          finding("Allow with NotPrincipal grants everyone not listed; name the principals in Principal instead"),
        );
      }
    }
    return findings;
  },
};
