/**
 * Who can do what on the bucket, the key and the roles, as the evaluator
 * answers it: every principal and account any policy names (and unsigned
 * requests on a bucket) asks for every action the access level or any Allow
 * statement covers, on every resource with a resource policy. This is the
 * table a reviewer reads, and a second line of defence: an allowed request
 * the zone of trust does not intend, and that no over-grant already explains,
 * is a finding of its own.
 *
 * Actions every policy treats alike are asked once (see judge.ts), so the
 * table costs a few dozen requests, not thousands.
 */
import type { AccessModel, NamedPolicy } from "./access-model";
import { arnContains, instanceOutside, instancesOf } from "./arn-pattern";
import type { Deployment, ResourceUnderReview } from "./deployment";
import { evaluate } from "./evaluate";
import { levelActions } from "./expectations";
import { serviceOf, type ActionCatalog } from "./iam-actions";
import { actionList, findingMessage, type Finding } from "./judge";
import { actionMatcher, type StatementJson } from "./policy-json";
import { probeCouldBeAllowed } from "./prefilter";
import { admittedPrincipals, type Admitted } from "./principals";
import { callerForAdmitted, principalCaller, type ProbeCaller } from "./probes";
import type { ZoneOfTrust } from "./zone";

/** What one principal may do on one resource. */
export interface AccessEntry {
  readonly principal: string;
  readonly principalArn: string;
  readonly resource: string;
  readonly resourceArn: string;
  /** Every action allowed (each class's verdict applies to all its actions). */
  readonly allowed: readonly string[];
  /** The allowed actions the config does not intend. */
  readonly unintended: readonly string[];
  /** Conditions some allowed action depends on (Discovery), e.g. "s3:prefix StringLike team-a/*". */
  readonly conditions: readonly string[];
  readonly decidedBy: readonly string[];
}

/** The resources to ask about: each ARN pattern of a resource, inside and outside what the zone intends. */
function targetsOf(resource: ResourceUnderReview, zone: ZoneOfTrust): string[] {
  // What named principals may reach (not the owner's administration of the whole resource).
  const intended = zone.grants
    .filter((grant) => grant.principals.some((principal) => principal.kind !== "account"))
    .flatMap((grant) => grant.resources)
    .filter((r) => r !== "*");
  return resource.arns.flatMap((pattern) => {
    if (!/[*?]/.test(pattern)) return [pattern];
    const inside = intended
      .filter((r) => arnContains(pattern, r))
      .flatMap((r) => instancesOf(r))
      .find((value) => !value.endsWith("/"));
    const outside = instanceOutside(pattern, intended);
    return [inside, outside].filter((value): value is string => value !== undefined);
  });
}

/** Every account a policy names: in principals, in conditions, in resource ARNs. */
function namedAccounts(policies: readonly NamedPolicy[]): string[] {
  const text = JSON.stringify(policies.map((policy) => policy.document));
  return [...new Set([...text.matchAll(/(?<![\d])(\d{12})(?![\d])/g)].map((match) => match[1] ?? ""))];
}

export async function effectiveAccess(
  deployment: Deployment,
  zone: ZoneOfTrust,
  model: AccessModel,
  catalog: ActionCatalog,
  findings: readonly Finding[],
): Promise<{ entries: AccessEntry[]; findings: Finding[] }> {
  const policies = [
    ...deployment.resources.flatMap((resource) => (resource.policy === undefined ? [] : [resource.policy])),
    ...deployment.holders.flatMap((holder) => holder.policies),
  ];
  const statements = policies.flatMap((policy) => policy.document.Statement);
  const level = levelActions(deployment.expectations.accessLevel, deployment.expectations.keyPrefix);
  const stated = new Set<string>([...level.bucket, ...level.object, ...level.kms, "sts:AssumeRole"]);
  for (const statement of statements) {
    if (statement.Effect !== "Allow") continue;
    for (const action of await catalog.statementActions(statement)) stated.add(action);
  }
  const zoneArns = zone.grants.flatMap((grant) =>
    grant.principals.flatMap((principal) => (principal.kind === "arn" ? [principal.arn] : [])),
  );
  const admitted: Admitted[] = deployment.resources.flatMap((resource) =>
    (resource.policy?.document.Statement ?? [])
      .filter((statement) => statement.Effect === "Allow")
      .flatMap((statement) => admittedPrincipals(statement)),
  );
  const accounts = namedAccounts(policies);

  const byStatement = actionsByStatement(findings);
  const entries: AccessEntry[] = [];
  const extra: Finding[] = [];
  const labels = new Map(deployment.holders.map((holder) => [holder.arn, holder.label]));
  // A caller's policies depend on the resource's account only (same account: the app's policies alone).
  const zoneCallers = new Map<string, ProbeCaller[]>();
  const zoneCallersFor = (account: string): ProbeCaller[] => {
    let found = zoneCallers.get(account);
    if (found === undefined) {
      found = [...new Set(zoneArns)]
        .filter((arn) => !arn.includes(":group/"))
        .flatMap((arn) => principalCaller(arn, labels.get(arn) ?? arn, account, model, deployment.holders) ?? []);
      zoneCallers.set(account, found);
    }
    return found;
  };
  const matcherOf = new WeakMap<StatementJson, (action: string) => boolean>();
  const statementMatcher = (statement: StatementJson): ((action: string) => boolean) => {
    let found = matcherOf.get(statement);
    if (found === undefined) {
      found = actionMatcher(statement);
      matcherOf.set(statement, found);
    }
    return found;
  };
  for (const resource of deployment.resources) {
    const callers = new Map<string, ProbeCaller>();
    const addCaller = (caller: ProbeCaller | undefined): void => {
      if (caller !== undefined && !callers.has(caller.principal)) callers.set(caller.principal, caller);
    };
    zoneCallersFor(resource.account).forEach(addCaller);
    for (const one of admitted) {
      if (one.kind === "anonymous" && resource.kind !== "bucket") continue;
      addCaller(callerForAdmitted(one, resource, deployment, model, zoneArns));
    }
    for (const account of accounts) {
      // Some principal of the account that no policy names: only an account-wide grant lets it in.
      const caller = callerForAdmitted(
        { kind: "account", account, delegated: true },
        resource,
        deployment,
        model,
        zoneArns,
      );
      if (caller !== undefined) addCaller({ ...caller, caller: { kind: "other" } });
    }
    if (resource.kind === "bucket")
      addCaller(callerForAdmitted({ kind: "anonymous" }, resource, deployment, model, zoneArns));

    for (const target of targetsOf(resource, zone)) {
      const actions: string[] = [];
      for (const action of stated) {
        if (!resource.services.includes(serviceOf(action))) continue;
        if (await catalog.appliesTo(action, target)) actions.push(action);
      }
      // Only callers some Allow statement can let in are asked (prefilter.ts): the rest are denied.
      const asked = [...callers.values()].filter((caller) => probeCouldBeAllowed(caller, actions, target, resource));
      if (asked.length === 0) continue;
      // Actions every policy in play treats alike are asked once.
      const inPlay = [
        ...new Set([
          ...(resource.policy?.document.Statement ?? []),
          ...(resource.route?.bucket.policy?.document.Statement ?? []),
          ...asked.flatMap((caller) => caller.identityPolicies.flatMap((policy) => policy.document.Statement)),
        ]),
      ].map(statementMatcher);
      const classes = new Map<string, string[]>();
      for (const action of actions) {
        const info = await catalog.info(action);
        const key = `${info?.resourceTypes.join(",") ?? "?"}|${inPlay.map((m) => (m(action) ? "1" : "0")).join("")}`;
        classes.set(key, [...(classes.get(key) ?? []), action]);
      }
      for (const caller of asked) {
        const allowed: string[] = [];
        const conditions = new Set<string>();
        const decidedBy = new Set<string>();
        for (const members of classes.values()) {
          const action = members[0];
          if (action === undefined) continue;
          const kms = serviceOf(action) === "kms" && caller.account !== undefined;
          const evaluation = await evaluate(
            {
              principal: caller.principal,
              principalLabel: caller.label,
              action,
              resource: target,
              resourceAccount: resource.account,
              context: { ...caller.context, ...(kms ? { "kms:CallerAccount": caller.account ?? "" } : {}) },
              identityPolicies: caller.identityPolicies,
              resourcePolicy: resource.policy,
              ...(resource.route !== undefined
                ? { route: resource.route }
                : caller.route !== undefined
                  ? { route: caller.route }
                  : {}),
            },
            "Discovery",
          );
          if (evaluation.decision !== "Allowed") continue;
          allowed.push(...members);
          if (evaluation.conditions !== undefined) conditions.add(evaluation.conditions);
          evaluation.decidedBy.forEach((reason) => decidedBy.add(reason));
        }
        if (allowed.length === 0) continue;
        const unintended = allowed.filter((action) => !zone.intends(caller.caller, action, target));
        const entry: AccessEntry = {
          principal: caller.label,
          principalArn: caller.principal,
          resource: resource.label,
          resourceArn: target,
          allowed: allowed.sort(),
          unintended,
          conditions: [...conditions],
          decidedBy: [...decidedBy],
        };
        entries.push(entry);
        const unexplained = unintended.filter((action) => !explained(action, entry, byStatement));
        if (unexplained.length > 0) extra.push(evaluatedFinding(entry, unexplained));
      }
    }
  }
  return { entries, findings: extra };
}

/** The actions of each over-grant, by the statement that states it, as the evaluator names statements. */
function actionsByStatement(findings: readonly Finding[]): Map<string, Set<string>> {
  const byStatement = new Map<string, Set<string>>();
  for (const finding of findings) {
    const key = `${finding.statement.policy}: ${finding.statement.sid ?? `statement ${finding.statement.index}`}`;
    const actions = byStatement.get(key) ?? new Set<string>();
    finding.actions.forEach((action) => actions.add(action.toLowerCase()));
    byStatement.set(key, actions);
  }
  return byStatement;
}

/** An over-grant already found names a statement the evaluator says allowed this action. */
function explained(action: string, entry: AccessEntry, byStatement: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  return entry.decidedBy.some((reason) =>
    [...byStatement].some(([statement, actions]) => reason.startsWith(statement) && actions.has(action.toLowerCase())),
  );
}

function evaluatedFinding(entry: AccessEntry, actions: readonly string[]): Finding {
  const finding = {
    id: `evaluated|${entry.principalArn}|${entry.resourceArn}`,
    severity: "error" as const,
    verdict: "effective" as const,
    side: "effective access" as const,
    principal: entry.principal,
    principalKey: entry.principalArn,
    actions,
    actionsAsWritten: actionList(actions),
    resource: entry.resourceArn,
    statement: {
      policy: entry.decidedBy.join("; "),
      source: "(evaluated)",
      index: 0,
      label: `the statements the evaluator names: ${entry.decidedBy.join("; ")}`,
    },
    reason: "evaluated" as const,
    detail: "allowed by the evaluator, not intended by the config, and not explained by any over-grant above",
    probes: actions.slice(0, 1).map((action) => ({
      principal: entry.principal,
      action,
      resource: entry.resourceArn,
      evaluation: { decision: "Allowed" as const, result: "Allowed" as const, decidedBy: entry.decidedBy },
    })),
  };
  return { ...finding, message: findingMessage(finding) };
}
