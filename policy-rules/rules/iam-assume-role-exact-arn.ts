import { listOf, statementCoversAction } from "../../access-report/policy-json";
import { allowStatements, identityPolicies } from "../policy-sources";
import type { Finding, PolicyRule } from "../rule";

/** An exact role ARN (no wildcard), or a Terraform reference that yields one. */
function isExactRoleArn(resource: string): boolean {
  if (/^\$\{[^{}]+\}$/.test(resource)) return true;
  return /^arn:[\w-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(resource);
}

/**
 * Permission to call sts:AssumeRole names the exact roles: a wildcard lets the
 * principal assume any role whose trust policy trusts its account, today's or
 * tomorrow's.
 */
export const iamAssumeRoleExactArn: PolicyRule = {
  id: "iam-assume-role-exact-arn",
  description: "sts:AssumeRole permissions name exact role ARNs",
  controls: {},
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const { statement, finding } of allowStatements(identityPolicies(elements))) {
      if (!statementCoversAction(statement, "sts:AssumeRole")) continue;
      if (statement.NotResource !== undefined) {
        findings.push(finding("sts:AssumeRole with NotResource; name the role ARNs in Resource"));
      }
      const loose = listOf(statement.Resource).filter((resource) => !isExactRoleArn(resource));
      if (loose.length > 0) {
        findings.push(
          finding(
            `sts:AssumeRole on ${loose.map((r) => `"${r}"`).join(", ")}; name each role ARN exactly (e.g. "arn:aws:iam::111122223333:role/target-role")`,
          ),
        );
      }
    }
    return findings;
  },
};
