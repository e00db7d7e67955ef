import { listOf } from "../../access-report/policy-json";
import { allowStatements, trustPolicies } from "../policy-sources";
import type { Finding, PolicyRule } from "../rule";

/** The actions a trust policy grants: assuming the role, and the session extras that go with it. */
export const ASSUME_ROLE_FAMILY = [
  "sts:AssumeRole",
  "sts:AssumeRoleWithSAML",
  "sts:AssumeRoleWithWebIdentity",
  "sts:TagSession",
  "sts:SetSourceIdentity",
  "sts:SetContext",
].map((action) => action.toLowerCase());

/** A trust policy grants assuming the role and nothing else: no other actions, no wildcards. */
export const iamTrustPolicyAssumeRoleOnly: PolicyRule = {
  id: "iam-trust-policy-assume-role-only",
  description: "Trust policies allow only the sts:AssumeRole family",
  controls: {},
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const { statement, finding } of allowStatements(trustPolicies(elements))) {
      if (statement.NotAction !== undefined) {
        findings.push(finding('NotAction in a trust policy; allow "sts:AssumeRole" in Action instead'));
      }
      const others = listOf(statement.Action).filter((action) => !ASSUME_ROLE_FAMILY.includes(action.toLowerCase()));
      if (others.length > 0) {
        findings.push(
          finding(
            `allows ${others.map((a) => `"${a}"`).join(", ")}; a trust policy allows only "sts:AssumeRole" (and "sts:TagSession", "sts:SetSourceIdentity")`,
          ),
        );
      }
    }
    return findings;
  },
};
