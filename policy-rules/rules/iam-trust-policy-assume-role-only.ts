import { listOf } from "../../access-report/policy-json";
import { statementName, trustPolicies } from "../policy-sources";
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
    for (const source of trustPolicies(elements)) {
      source.document.Statement.forEach((statement, index) => {
        if (statement.Effect !== "Allow") return;
        const where = `${source.where} ${statementName(statement, index)}`;
        if (statement.NotAction !== undefined) {
          findings.push({
            construct: source.element.construct,
            message: `${where}: NotAction in a trust policy; allow "sts:AssumeRole" in Action instead`,
          });
        }
        const others = listOf(statement.Action).filter((action) => !ASSUME_ROLE_FAMILY.includes(action.toLowerCase()));
        if (others.length > 0) {
          findings.push({
            construct: source.element.construct,
            message: `${where}: allows ${others.map((a) => `"${a}"`).join(", ")}; a trust policy allows only "sts:AssumeRole" (and "sts:TagSession", "sts:SetSourceIdentity")`,
          });
        }
      });
    }
    return findings;
  },
};
