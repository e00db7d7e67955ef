/**
 * Who an Allow statement of a resource-based policy admits, worked out from
 * its Principal (or NotPrincipal) element and the conditions that narrow it,
 * the way IAM Access Analyzer reasons about external access: an account's
 * root or id admits any principal of that account its own policies allow; an
 * ARN admits that principal; "*" admits everyone, including unsigned
 * requests where the service allows them (S3), unless aws:PrincipalArn,
 * aws:PrincipalAccount or aws:PrincipalOrgID narrow it ("AWS JSON policy
 * elements: Principal" and "AWS global condition context keys").
 */
import { arnOverlaps, globMatches } from "./arn-pattern";
import { conditionEntries, hasIfExistsOn, narrowingPatterns } from "./conditions";
import { listOf, type StatementJson } from "./policy-json";

/** A set of callers a statement lets in. */
export type Admitted =
  /** A role, user or role session, or a pattern of them (ArnLike). */
  | { readonly kind: "principal"; readonly pattern: string }
  /**
   * Any principal of an account. `delegated`: the account itself is the
   * principal (root or id), so the account's own IAM policies decide who; else
   * "*" narrowed to the account grants every principal in it directly.
   */
  | { readonly kind: "account"; readonly account: string; readonly delegated: boolean }
  /** Every signed caller of every account. */
  | { readonly kind: "anyone" }
  /** Unsigned (anonymous) requests. */
  | { readonly kind: "anonymous" }
  | { readonly kind: "organization"; readonly ids: readonly string[] }
  | { readonly kind: "service"; readonly service: string; readonly sourceAccounts?: readonly string[] }
  /** Web-identity or SAML users of a provider. */
  | { readonly kind: "federated"; readonly provider: string }
  | { readonly kind: "canonical-user"; readonly id: string }
  /** NotPrincipal: everyone except these. */
  | { readonly kind: "all-except"; readonly except: readonly string[] }
  /**
   * "*" narrowed by s3:DataAccessPointAccount or s3:DataAccessPointArn: whoever
   * the access points of `account` (or the one named) let in ("Delegating
   * access control to access points" in the S3 user guide).
   */
  | { readonly kind: "access-points"; readonly account: string; readonly arn?: string };

const ACCOUNT_ROOT = /^arn:[^:]+:iam::(\d{12}):root$/;

/** The account of an account principal ("111122223333" or its root ARN), else undefined. */
export function accountOfRootPrincipal(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  return ACCOUNT_ROOT.exec(value)?.[1];
}

/** The account segment of an ARN (pattern), or undefined when it has none. */
export function accountOfArn(arn: string): string | undefined {
  return arn.split(":")[4];
}

/** Replaces a wildcard account segment of a principal ARN pattern by `account`. */
function inAccount(pattern: string, account: string): string | undefined {
  const parts = pattern.split(":");
  const segment = parts[4];
  if (segment === undefined || !globMatches(segment, account)) return undefined;
  parts[4] = account;
  return parts.join(":");
}

/**
 * Everyone an Allow statement of a resource policy admits. Conditions on
 * other keys (source IP, TLS, tags) are left to the evaluator: they decide
 * when, not who.
 */
export function admittedPrincipals(statement: StatementJson): Admitted[] {
  const entries = conditionEntries(statement);
  const arnLists = narrowingPatterns(entries, "aws:PrincipalArn");
  const accountLists = narrowingPatterns(entries, "aws:PrincipalAccount");
  const orgLists = narrowingPatterns(entries, "aws:PrincipalOrgID");
  // A direct request carries no access point keys: an IfExists condition on them lets it through.
  const pointAccountLists = narrowingPatterns(entries, "s3:DataAccessPointAccount", { absentPasses: true });
  const pointArnLists = narrowingPatterns(entries, "s3:DataAccessPointArn", { absentPasses: true });
  const arnPasses = (pattern: string): boolean =>
    arnLists?.every((list) => list.some((allowed) => arnOverlaps(allowed, pattern))) ?? true;
  const accountPasses = (account: string): boolean =>
    accountLists?.every((list) => list.some((allowed) => globMatches(allowed, account))) ?? true;

  if (statement.NotPrincipal !== undefined) {
    const except =
      statement.NotPrincipal === "*" ? ["*"] : Object.values(statement.NotPrincipal).flatMap((v) => listOf(v));
    return [{ kind: "all-except", except: except.map(String) }, { kind: "anonymous" }];
  }
  const principal = statement.Principal;
  if (principal === undefined) return [];
  const awsValues = principal === "*" ? ["*"] : listOf(principal.AWS).map(String);
  const admitted: Admitted[] = [];

  for (const value of awsValues) {
    if (value === "*") {
      const principalNarrowed = arnLists !== undefined || accountLists !== undefined || orgLists !== undefined;
      admitted.push(
        ...(!principalNarrowed && (pointAccountLists !== undefined || pointArnLists !== undefined)
          ? throughAccessPoints(pointAccountLists, pointArnLists)
          : narrowEveryone(arnLists, accountLists, orgLists, accountPasses)),
      );
      // Unsigned requests carry no principal keys (only an IfExists condition on them lets them through), and
      // access points take only signed requests.
      const narrowed = principalNarrowed || pointAccountLists !== undefined || pointArnLists !== undefined;
      const ifExists = ["aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID"].some((key) =>
        hasIfExistsOn(entries, key),
      );
      if (!narrowed || ifExists) admitted.push({ kind: "anonymous" });
      continue;
    }
    const account = accountOfRootPrincipal(value);
    if (account !== undefined) {
      if (!accountPasses(account)) continue;
      if (arnLists === undefined) {
        admitted.push({ kind: "account", account, delegated: true });
        continue;
      }
      for (const pattern of arnLists[0] ?? []) {
        const narrowed = inAccount(pattern, account);
        if (narrowed !== undefined && arnPasses(narrowed)) admitted.push({ kind: "principal", pattern: narrowed });
      }
      continue;
    }
    const valueAccount = accountOfArn(value);
    if (arnPasses(value) && (valueAccount === undefined || accountPasses(valueAccount))) {
      admitted.push({ kind: "principal", pattern: value });
    }
  }
  if (principal !== "*") {
    const sourceAccounts = narrowingPatterns(entries, "aws:SourceAccount")?.[0];
    for (const service of listOf(principal.Service).map(String)) {
      admitted.push({ kind: "service", service, sourceAccounts });
    }
    for (const provider of listOf(principal.Federated).map(String)) admitted.push({ kind: "federated", provider });
    for (const id of listOf(principal.CanonicalUser).map(String)) admitted.push({ kind: "canonical-user", id });
  }
  return admitted;
}

/** Everyone narrowed to requests through access points: one admitted set per account (or access point) named. */
function throughAccessPoints(accountLists: string[][] | undefined, arnLists: string[][] | undefined): Admitted[] {
  const accountPasses = (account: string): boolean =>
    accountLists?.every((list) => list.some((allowed) => globMatches(allowed, account))) ?? true;
  if (arnLists !== undefined) {
    return (arnLists[0] ?? [])
      .filter((pattern) => arnLists.every((list) => list.some((allowed) => arnOverlaps(allowed, pattern))))
      .flatMap((pattern): Admitted[] => {
        const account = accountOfArn(pattern) ?? "*";
        if (!/[*?]/.test(account) && !accountPasses(account)) return [];
        return [{ kind: "access-points", account: /[*?]/.test(account) ? "*" : account, arn: pattern }];
      });
  }
  return (accountLists?.[0] ?? [])
    .filter(accountPasses)
    .map((account): Admitted => ({ kind: "access-points", account: /[*?]/.test(account) ? "*" : account }));
}

function narrowEveryone(
  arnLists: string[][] | undefined,
  accountLists: string[][] | undefined,
  orgLists: string[][] | undefined,
  accountPasses: (account: string) => boolean,
): Admitted[] {
  if (arnLists !== undefined) {
    return (arnLists[0] ?? [])
      .filter((pattern) => arnLists.every((list) => list.some((allowed) => arnOverlaps(allowed, pattern))))
      .filter((pattern) => {
        const account = accountOfArn(pattern);
        return account === undefined || /[*?]/.test(account) || accountPasses(account);
      })
      .map((pattern): Admitted => ({ kind: "principal", pattern }));
  }
  if (accountLists !== undefined) {
    return (accountLists[0] ?? [])
      .filter(accountPasses)
      .map((account): Admitted =>
        /[*?]/.test(account) ? { kind: "anyone" } : { kind: "account", account, delegated: false },
      );
  }
  if (orgLists !== undefined) return [{ kind: "organization", ids: orgLists[0] ?? [] }];
  return [{ kind: "anyone" }];
}

/** The admitted set in words, for a finding. */
export function describeAdmitted(admitted: Admitted): string {
  switch (admitted.kind) {
    case "principal":
      return /[*?]/.test(admitted.pattern) ? `any principal matching ${admitted.pattern}` : admitted.pattern;
    case "account":
      return admitted.delegated
        ? `any principal of account ${admitted.account} its own policies allow (arn:…:iam::${admitted.account}:root)`
        : `every principal of account ${admitted.account} ("*" narrowed by aws:PrincipalAccount)`;
    case "anyone":
      return `anyone in any AWS account ("*")`;
    case "anonymous":
      return `anonymous (unsigned) requests ("*")`;
    case "organization":
      return `any principal in organization ${admitted.ids.join(", ")} (aws:PrincipalOrgID)`;
    case "service":
      return `service ${admitted.service}${admitted.sourceAccounts ? ` on behalf of ${admitted.sourceAccounts.join(", ")}` : ""}`;
    case "federated":
      return `users of identity provider ${admitted.provider} (web identity / SAML)`;
    case "canonical-user":
      return `S3 canonical user ${admitted.id}`;
    case "all-except":
      return `everyone except ${admitted.except.join(", ")} (NotPrincipal)`;
    case "access-points":
      return admitted.arn !== undefined
        ? `any principal access point ${admitted.arn} lets in ("*" narrowed by s3:DataAccessPointArn)`
        : admitted.account === "*"
          ? `any principal any access point lets in ("*" narrowed by s3:DataAccessPointAccount)`
          : `any principal the access points of account ${admitted.account} let in ("*" narrowed by s3:DataAccessPointAccount)`;
  }
}

/** The principal as written, for a finding's principal field. */
export function admittedKey(admitted: Admitted): string {
  switch (admitted.kind) {
    case "principal":
      return admitted.pattern;
    case "account":
      return admitted.delegated ? `account:${admitted.account}` : `every-principal-of:${admitted.account}`;
    case "anyone":
    case "anonymous":
      return admitted.kind === "anyone" ? "*" : "anonymous";
    case "organization":
      return `organization:${admitted.ids.join(",")}`;
    case "service":
      return admitted.service;
    case "federated":
      return admitted.provider;
    case "canonical-user":
      return `canonical:${admitted.id}`;
    case "all-except":
      return `not:${admitted.except.join(",")}`;
    case "access-points":
      return admitted.arn ?? `access-points-of:${admitted.account}`;
  }
}
