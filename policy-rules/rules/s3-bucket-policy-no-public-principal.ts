import { isWildcardPrincipal, listOf, StatementJson } from "../../access-report/policy-json";
import { accessPointPolicies, allowStatements, bucketPolicies } from "../policy-sources";
import type { Finding, PolicyRule } from "../rule";

/** The condition key of AWS's delegation to access points ("Delegating access control to access points"). */
const ACCESS_POINT_ACCOUNT = "s3:dataaccesspointaccount";

/**
 * The accounts an Allow to "*" is limited to by `StringEquals` on
 * s3:DataAccessPointAccount, when every value is a fixed account id; undefined
 * when the statement has no such condition. Only plain StringEquals counts:
 * StringEqualsIfExists, a negated or a set operator would also match requests
 * that carry no access point account (direct requests to the bucket).
 */
function accessPointAccounts(statement: StatementJson): readonly string[] | undefined {
  const keys = Object.entries(statement.Condition ?? {}).find(([operator]) => operator === "StringEquals")?.[1];
  const entry = Object.entries(keys ?? {}).find(([key]) => key.toLowerCase() === ACCESS_POINT_ACCOUNT);
  if (entry === undefined) return undefined;
  const values = listOf(entry[1] as string | readonly string[]);
  return values.length > 0 && values.every((value) => typeof value === "string" && /^\d{12}$/.test(value))
    ? values
    : undefined;
}

/**
 * A bucket or access point policy never allows everyone: `Principal: "*"` or
 * `{"AWS": "*"}` with Allow makes the resource public (anonymous and every AWS
 * account), and Allow with NotPrincipal grants everyone not listed.
 *
 * One shape is not public, and is accepted in a bucket policy only: the
 * delegation to the bucket owner's own access points, an Allow to "*" with
 * StringEquals s3:DataAccessPointAccount = the account the stack deploys to.
 * S3 counts a policy that grants only to a fixed s3:DataAccessPointAccount as
 * non-public ("The meaning of public" in the S3 user guide), so Block Public
 * Access leaves it in force, and every request it lets in must also be
 * allowed by one of the owner's access point policies, which these rules read
 * too. Another account there would hand the bucket to that account's access
 * points, so it is a finding. Access point policies get no such exemption.
 */
export const s3BucketPolicyNoPublicPrincipal: PolicyRule = {
  id: "s3-bucket-policy-no-public-principal",
  description:
    'Bucket and access point policies do not Allow Principal "*" (except the delegation to own access points)',
  controls: { checkov: ["CKV_AWS_70"], securityHub: ["S3.2", "S3.3"] },
  level: "error",
  check({ elements }) {
    const findings: Finding[] = [];
    const bucketStatements = allowStatements(bucketPolicies(elements)).map((s) => ({ ...s, bucketPolicy: true }));
    const accessPointStatements = allowStatements(accessPointPolicies(elements)).map((s) => ({
      ...s,
      bucketPolicy: false,
    }));
    for (const { source, statement, finding, bucketPolicy } of [...bucketStatements, ...accessPointStatements]) {
      if (isWildcardPrincipal(statement.Principal)) {
        const accounts = bucketPolicy ? accessPointAccounts(statement) : undefined;
        const own = elements.accountOf(source.element);
        if (accounts !== undefined && own !== undefined && accounts.every((account) => account === own)) continue;
        const others = accounts?.filter((account) => account !== own) ?? [];
        findings.push(
          finding(
            others.length > 0
              ? `Allow to Principal ${JSON.stringify(statement.Principal)} through the access points of account ${others.join(", ")}, not this bucket's owner${own === undefined ? "" : ` ${own}`}, hands access to the bucket to that account; delegate only to the owner's own access points (StringEquals s3:DataAccessPointAccount = ${own ?? "the owner's account id"})`
              : `Allow to Principal ${JSON.stringify(statement.Principal)} makes the ${bucketPolicy ? "bucket" : "access point"} public; name the role instead (e.g. {"AWS": "arn:aws:iam::111122223333:role/reader"})`,
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
