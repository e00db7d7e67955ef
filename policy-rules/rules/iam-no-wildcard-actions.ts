import { listOf, StatementJson } from "../../access-report/policy-json";
import { allowStatements, identityPolicies } from "../policy-sources";
import type { Finding, PolicyRule } from "../rule";

/** Resources that name only the app's own buckets (or their objects). */
function limitedToAppBuckets(statement: StatementJson, bucketNames: readonly string[]): boolean {
  const resources = listOf(statement.Resource);
  if (statement.NotResource !== undefined || resources.length === 0) return false;
  return resources.every((resource) => {
    const literal = /^arn:[\w-]+:s3:::([^/*?]+)(\/.*)?$/.exec(resource);
    if (literal !== null) return bucketNames.includes(literal[1] ?? "");
    // A reference to a bucket's ARN: a bucket resource or data source, or the owner's bucket_arn output.
    return /^\$\{(data\.)?aws_s3_bucket\.[\w-]+\.arn\}(\/.*)?$|^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.bucket_arn\}(\/.*)?$/.test(
      resource,
    );
  });
}

/**
 * Identity policies name their actions: `*` grants administrator access and
 * `service:*` every present and future action of a service. The one exception
 * is accessLevel "full", which may use `s3:*` on this app's bucket only.
 */
export const iamNoWildcardActions: PolicyRule = {
  id: "iam-no-wildcard-actions",
  description: 'Identity policies do not Allow Action "*" or "service:*" (full access: s3:* on this bucket only)',
  controls: { checkov: ["CKV_AWS_62", "CKV_AWS_63"], securityHub: ["IAM.1", "IAM.21"] },
  level: "error",
  check({ elements, accessLevel, appBucketNames }) {
    const findings: Finding[] = [];
    for (const { statement, finding } of allowStatements(identityPolicies(elements))) {
      if (statement.NotAction !== undefined) {
        findings.push(
          finding("Allow with NotAction grants every action not listed; list the allowed actions in Action instead"),
        );
      }
      for (const action of listOf(statement.Action)) {
        if (action !== "*" && !/^[\w-]+:\*$/.test(action)) continue;
        if (action.toLowerCase() === "s3:*" && accessLevel === "full" && limitedToAppBuckets(statement, appBucketNames))
          continue;
        const allowance =
          action.toLowerCase() === "s3:*" ? ' (accessLevel "full" may use s3:* on this app\'s bucket ARNs only)' : "";
        findings.push(
          finding(`Allow with Action "${action}"; name the actions one by one (e.g. "s3:GetObject")${allowance}`),
        );
      }
    }
    return findings;
  },
};
