import type { PolicyRule } from "../rule";

/** Resources that create IAM users, their long-lived credentials or their own policies. */
const USER_TYPES: Readonly<Record<string, string>> = {
  aws_iam_user: "creates an IAM user",
  aws_iam_access_key: "creates a long-lived access key",
  aws_iam_user_login_profile: "creates a console password",
  aws_iam_user_policy: "attaches a policy to a user",
  aws_iam_user_policy_attachment: "attaches a policy to a user",
};

/**
 * Access goes through roles with temporary credentials, never IAM users or
 * access keys. Adding existing users to a group (aws_iam_user_group_membership)
 * is allowed: it creates neither.
 */
export const iamNoUsersOrAccessKeys: PolicyRule = {
  id: "iam-no-users-or-access-keys",
  description: "No IAM users, access keys or user policies",
  controls: { checkov: ["CKV_AWS_273", "CKV_AWS_40"], securityHub: ["IAM.2"] },
  level: "error",
  check({ elements }) {
    return Object.entries(USER_TYPES).flatMap(([type, what]) =>
      elements.ofType(type).map((element) => ({
        construct: element.construct,
        message: `${element.address}: ${what}; use a role with temporary credentials (an instance profile, or IAM Identity Center for people)`,
      })),
    );
  },
};
