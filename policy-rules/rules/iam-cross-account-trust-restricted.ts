import { awsPrincipals, listOf, StatementJson } from "../../access-report/policy-json";
import { allowStatements, trustPolicies } from "../policy-sources";
import type { Finding, PolicyRule } from "../rule";

const RESTRICTING_OPERATORS = ["arnequals", "arnlike", "stringequals", "stringlike"];

/** The account a whole-account principal names ("arn:aws:iam::444455556666:root" or "444455556666"), if it is one. */
function wholeAccount(principal: string): string | undefined {
  return /^(\d{12})$/.exec(principal)?.[1] ?? /^arn:[\w-]+:iam::(\d{12}):root$/.exec(principal)?.[1];
}

/** True when the statement narrows aws:PrincipalArn to named principals of `account` (no wildcard anywhere). */
function restrictsPrincipalArn(statement: StatementJson, account: string): boolean {
  return Object.entries(statement.Condition ?? {}).some(
    ([operator, keys]) =>
      RESTRICTING_OPERATORS.includes(operator.toLowerCase()) &&
      Object.entries(keys).some(([key, value]) => {
        if (key.toLowerCase() !== "aws:principalarn") return false;
        const arns = listOf(value as string | string[]).map(String);
        return (
          arns.length > 0 && arns.every((arn) => new RegExp(`^arn:[\\w-]+:(iam|sts)::${account}:[^*?]+$`).test(arn))
        );
      }),
  );
}

/**
 * A trust policy that trusts another account's root lets every principal of
 * that account that has sts:AssumeRole permission assume the role. It must
 * name the role (a role ARN principal) or narrow the account with a condition
 * on aws:PrincipalArn; it never trusts "*".
 */
export const iamCrossAccountTrustRestricted: PolicyRule = {
  id: "iam-cross-account-trust-restricted",
  description: 'Cross-account trust names the role or restricts aws:PrincipalArn; never Principal "*"',
  controls: { checkov: ["CKV_AWS_60", "CKV_AWS_61"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    for (const { source, statement, finding } of allowStatements(trustPolicies(elements))) {
      const ownAccount = elements.accountOf(source.element);
      for (const principal of awsPrincipals(statement.Principal)) {
        if (principal === "*") {
          findings.push(
            finding(
              'trusts Principal "*" (every AWS account); trust the accessor account root and restrict aws:PrincipalArn with ArnEquals (e.g. "arn:aws:iam::444455556666:role/instance-role")',
            ),
          );
          continue;
        }
        const account = wholeAccount(principal);
        if (account === undefined || account === ownAccount || restrictsPrincipalArn(statement, account)) continue;
        findings.push(
          finding(
            `trusts all of account ${account} ("${principal}") without a condition on aws:PrincipalArn; add {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::${account}:role/<role>"}} or name the role`,
          ),
        );
      }
    }
    return findings;
  },
};
