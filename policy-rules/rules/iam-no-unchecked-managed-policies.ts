import { listOf } from "../../access-report/policy-json";
import type { Finding, PolicyRule } from "../rule";

/** Resources that attach managed policies by ARN, and the attribute that holds the ARN (or a list of them). */
const ATTACHMENTS: Readonly<Record<string, string>> = {
  aws_iam_role_policy_attachment: "policy_arn",
  aws_iam_group_policy_attachment: "policy_arn",
  aws_iam_user_policy_attachment: "policy_arn",
  aws_iam_policy_attachment: "policy_arn",
  aws_iam_role_policy_attachments_exclusive: "policy_arns",
  aws_iam_group_policy_attachments_exclusive: "policy_arns",
  aws_iam_user_policy_attachments_exclusive: "policy_arns",
  aws_ssoadmin_managed_policy_attachment: "managed_policy_arn",
  aws_iam_role: "managed_policy_arns",
};

/** A reference to an aws_iam_policy of this stack, whose document the other rules check. */
function isPolicyOfThisStack(policyArn: unknown): boolean {
  return typeof policyArn === "string" && /^\$\{aws_iam_policy\.[\w-]+\.arn\}$/.test(policyArn);
}

/**
 * Managed policies attached by ARN (AWS managed ones such as
 * AdministratorAccess, or another team's) are not in the app, so no rule and
 * not the access report can see what they allow. Only policies this stack
 * defines may be attached; anything else needs an explicit, reasoned
 * suppression.
 */
export const iamNoUncheckedManagedPolicies: PolicyRule = {
  id: "iam-no-unchecked-managed-policies",
  description: "Roles and groups get only policies defined (and so checked) in the app",
  controls: { checkov: ["CKV_AWS_274"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const [type, attribute] of Object.entries(ATTACHMENTS)) {
      for (const element of elements.ofType(type)) {
        for (const arn of listOf(element.config[attribute] as string | string[] | undefined)) {
          if (isPolicyOfThisStack(arn)) continue;
          findings.push({
            construct: element.construct,
            message: `${element.address}.${attribute}: attaches ${JSON.stringify(arn)}, a managed policy the rules and the access report cannot see (e.g. arn:aws:iam::aws:policy/AdministratorAccess); write the permissions as an inline policy, or suppress this rule with the reason`,
          });
        }
      }
    }
    return findings;
  },
};
