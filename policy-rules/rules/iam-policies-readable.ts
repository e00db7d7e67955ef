import { unreadablePolicies } from "../policy-sources";
import type { PolicyRule } from "../rule";

/**
 * Every policy is a document the rules can read. A policy written with
 * Terraform's jsonencode(), a variable or file() is only known at plan time,
 * so every other rule would pass it unchecked: a wildcard principal in such a
 * bucket policy would go unnoticed.
 */
export const iamPoliciesReadable: PolicyRule = {
  id: "iam-policies-readable",
  description: "Every IAM, bucket, key and access point policy is a JSON document the rules can read",
  controls: {},
  level: "error",
  check({ elements }) {
    return unreadablePolicies(elements).map(({ element, where }) => ({
      construct: element.construct,
      message: `${where} is not a JSON policy document the rules can read (e.g. built with jsonencode(), a variable or file()), so no rule checked what it allows; write it as a JSON string (JSON.stringify of the document) or an aws_iam_policy_document data source in this stack, or suppress this rule with the reason`,
    }));
  },
};
