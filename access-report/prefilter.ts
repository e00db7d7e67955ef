/**
 * Which requests can be settled without the evaluator: IAM allows nothing
 * without an Allow statement that matches the request ("Policy evaluation
 * logic" in the IAM user guide), so a request no Allow statement of the
 * caller's policies or of the resource's policy can match is denied. A
 * statement "can match" when its action, resource and principal match and
 * its conditions on the keys the request fixes (the caller's identity,
 * s3:prefix, the access point keys) hold; conditions on any other key are
 * taken to hold. The check can only say "denied" where the evaluator would
 * too; everything else goes to the evaluator. With a hundred consumers this
 * is what keeps the isolation matrix (a hundred rows, a hundred columns, a
 * hundred and one ways in) from asking the evaluator a million questions.
 */
import type { NamedPolicy } from "./access-model";
import { arnMatches, arnOverlaps, variablesAsWildcards } from "./arn-pattern";
import type { ResourceUnderReview } from "./deployment";
import { accessPointContext, bucketSideArn, conditionsHold, settleAccessPointConditions } from "./evaluate";
import type { ProbeCaller } from "./probes";
import { actionMatcher, listOf, type PolicyJson, type StatementJson } from "./policy-json";
import { accountOfRootPrincipal } from "./principals";

/** Who asks, as a statement's Principal element and the identity context keys see it. */
export interface PrefilterCaller {
  /** The role or user ARN (aws:PrincipalArn). */
  readonly principalArn: string;
  /** The session ARN of a role, as a Principal element may name it. */
  readonly sessionArn?: string;
  readonly account: string;
  readonly identityPolicies: readonly NamedPolicy[];
}

/** The resource side of a request: the ARN (or, for a whole way in, the patterns) and its policy. */
export interface PrefilterResource {
  /** A concrete ARN, or patterns the request may name (any of them). */
  readonly arns: readonly string[];
  readonly account: string;
  readonly policy?: PolicyJson;
}

const matchers = new WeakMap<StatementJson, (action: string) => boolean>();

function matchesAction(statement: StatementJson, actions: readonly string[]): boolean {
  let matcher = matchers.get(statement);
  if (matcher === undefined) {
    matcher = actionMatcher(statement);
    matchers.set(statement, matcher);
  }
  return actions.some(matcher);
}

function matchesResource(statement: StatementJson, arns: readonly string[], implicit: boolean): boolean {
  if (statement.NotResource !== undefined) {
    // Everything except: only a concrete ARN the exclusion names is certainly out.
    const excluded = listOf(statement.NotResource).map(variablesAsWildcards);
    return arns.some((arn) => /[*?]/.test(arn) || !excluded.some((pattern) => arnMatches(pattern, arn)));
  }
  if (statement.Resource === undefined) return implicit;
  const patterns = listOf(statement.Resource).map(variablesAsWildcards);
  // A concrete ARN overlaps a pattern exactly when the pattern matches it (the cheaper test).
  return arns.some((arn) =>
    patterns.some((pattern) => (/[*?]/.test(arn) ? arnOverlaps(pattern, arn) : arnMatches(pattern, arn))),
  );
}

function matchesPrincipal(statement: StatementJson, caller: PrefilterCaller): boolean {
  if (statement.NotPrincipal !== undefined) return true;
  const principal = statement.Principal;
  if (principal === undefined) return false;
  if (principal === "*") return true;
  return listOf(principal.AWS).some((value) => {
    const text = value;
    if (text === "*") return true;
    const account = accountOfRootPrincipal(text);
    if (account !== undefined) return account === caller.account;
    return (
      arnMatches(text, caller.principalArn) || (caller.sessionArn !== undefined && arnMatches(text, caller.sessionArn))
    );
  });
}

/** The statement's conditions on the keys `context` fixes hold (iam-simulate evaluates them); others are open. */
function fixedConditionsHold(statement: StatementJson, context: Readonly<Record<string, string>>): boolean {
  if (statement.Condition === undefined) return true;
  const known = new Set(Object.keys(context).map((key) => key.toLowerCase()));
  const fixed: Record<string, Record<string, unknown>> = {};
  for (const [operator, keys] of Object.entries(statement.Condition)) {
    for (const [name, value] of Object.entries(keys)) {
      // A policy variable may name a key the request does not fix: left to the evaluator.
      if (!known.has(name.toLowerCase()) || JSON.stringify(value).includes("${")) continue;
      fixed[operator] = { ...(fixed[operator] ?? {}), [name]: value };
    }
  }
  if (Object.keys(fixed).length === 0) return true;
  const used: Record<string, string> = {};
  for (const keys of Object.values(fixed)) {
    for (const name of Object.keys(keys)) {
      const entry = Object.entries(context).find(([key]) => key.toLowerCase() === name.toLowerCase());
      if (entry !== undefined) used[entry[0]] = entry[1];
    }
  }
  return conditionsHold(fixed as StatementJson["Condition"], used);
}

/** Some Allow statement of `document` can match the request. */
function anyAllowCanMatch(
  document: PolicyJson,
  side: "identity" | "resource",
  caller: PrefilterCaller,
  actions: readonly string[],
  resource: PrefilterResource,
  context: Readonly<Record<string, string>>,
): boolean {
  return document.Statement.some(
    (statement) =>
      statement.Effect === "Allow" &&
      matchesAction(statement, actions) &&
      matchesResource(statement, resource.arns, side === "resource") &&
      (side === "identity" || matchesPrincipal(statement, caller)) &&
      fixedConditionsHold(statement, context),
  );
}

/**
 * False only when IAM certainly denies: within one account the caller's
 * policies or the resource's policy must allow, across accounts both
 * ("Cross-account policy evaluation logic"). `resource.policy` must already
 * have its access point conditions settled for a bucket ARN.
 */
export function couldBeAllowed(
  caller: PrefilterCaller,
  actions: readonly string[],
  resource: PrefilterResource,
  context: Readonly<Record<string, string>>,
): boolean {
  const byResource = (): boolean =>
    resource.policy !== undefined && anyAllowCanMatch(resource.policy, "resource", caller, actions, resource, context);
  const byIdentity = (): boolean =>
    caller.identityPolicies.some((policy) =>
      anyAllowCanMatch(policy.document, "identity", caller, actions, resource, context),
    );
  // Across accounts the resource's policy must name the caller: usually the cheaper question, so asked first.
  return caller.account === resource.account ? byIdentity() || byResource() : byResource() && byIdentity();
}

/** A caller without an IAM identity (a service, a federated user, an unsigned request): only a resource policy naming it lets it in. */
function resourcePolicyNames(
  document: PolicyJson | undefined,
  caller: { readonly principal: string },
  actions: readonly string[],
  arns: readonly string[],
): boolean {
  return (document?.Statement ?? []).some((statement) => {
    if (statement.Effect !== "Allow" || !matchesAction(statement, actions) || !matchesResource(statement, arns, true)) {
      return false;
    }
    if (statement.NotPrincipal !== undefined || statement.Principal === "*") return true;
    const principal = statement.Principal;
    if (principal === undefined) return false;
    return [...listOf(principal.Service), ...listOf(principal.Federated), ...listOf(principal.AWS)].some(
      (value) => value === "*" || value === caller.principal,
    );
  });
}

/**
 * False only when IAM certainly denies `caller` every one of `actions` on
 * `target` (an ARN of `resource`), both sides of an access point included.
 */
export function probeCouldBeAllowed(
  caller: ProbeCaller,
  actions: readonly string[],
  target: string,
  resource: ResourceUnderReview,
): boolean {
  const principalArn = caller.context["aws:PrincipalArn"];
  const route = resource.route;
  const pointKeys =
    route !== undefined
      ? accessPointContext(route)
      : caller.route !== undefined
        ? accessPointContext(caller.route)
        : {};
  const onBucket = /^arn:[^:]+:s3:::/.test(target);
  const policy =
    resource.policy === undefined
      ? undefined
      : onBucket
        ? settleAccessPointConditions(resource.policy.document, pointKeys).document
        : resource.policy.document;
  if (principalArn === undefined || caller.account === undefined) {
    return resourcePolicyNames(policy, caller, actions, [target]);
  }
  const prefilter: PrefilterCaller = {
    principalArn,
    ...(caller.principal !== principalArn ? { sessionArn: caller.principal } : {}),
    account: caller.account,
    identityPolicies: caller.identityPolicies,
  };
  const context = { ...caller.context, ...pointKeys };
  const resourceSide = { arns: [target], account: resource.account, ...(policy === undefined ? {} : { policy }) };
  if (!couldBeAllowed(prefilter, actions, resourceSide, context)) return false;
  if (route === undefined) return true;
  const bucketPolicy = route.bucket.policy;
  const settled =
    bucketPolicy === undefined ? undefined : settleAccessPointConditions(bucketPolicy.document, pointKeys);
  const bucketTarget = bucketSideArn(target, route);
  return couldBeAllowed(
    prefilter,
    actions,
    {
      arns: [bucketTarget],
      account: route.bucket.account,
      ...(settled === undefined ? {} : { policy: settled.document }),
    },
    caller.context,
  );
}
