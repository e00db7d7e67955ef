/**
 * The evaluator's verdict on each stated over-grant: the statement's own
 * caller (or a caller it admits) asks for the statement's actions on a
 * resource it names, with every other policy of the app in play, in
 * Discovery mode ("is there a context in which this is allowed?"). Allowed
 * means the over-grant is effective: an error. Denied means another
 * statement blocks it (a Deny, or the other side of a cross-account request
 * that does not allow it): "stated in the policy, not effective", a warning
 * that names both statements.
 *
 * Actions that every policy in play treats alike (the same statements cover
 * them, and they act on the same resource types) get the same answer, so one
 * of each such class is asked, most telling first, until one is allowed.
 */
import type { AccessModel, NamedPolicy } from "./access-model";
import type { Deployment } from "./deployment";
import { evaluate, type Evaluation } from "./evaluate";
import type { ActionCatalog } from "./iam-actions";
import { actionMatcher, type StatementJson } from "./policy-json";
import { callerForAdmitted, callerForHolder, targetFor, type ProbeCaller } from "./probes";
import type { StatedGrant, StatementRef } from "./over-grants";
import type { ZoneOfTrust } from "./zone";

/** At most this many requests per finding: enough for every class of a few statements, bounded for `*`. */
const MAX_PROBES = 12;

/** One request the evaluator answered for a finding. */
export interface FindingProbe {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Context keys set (or, undefined, left out) to break a condition the grant lacks. */
  readonly context?: Readonly<Record<string, string | undefined>>;
  readonly evaluation: Evaluation;
  /** What was assumed about the caller's own policies, when they are not in the app. */
  readonly assumption?: string;
}

export type Verdict = "effective" | "stated, not effective" | "not evaluated";

/** An over-grant with the evaluator's verdict. */
export interface Finding {
  readonly id: string;
  readonly severity: "error" | "warning";
  readonly verdict: Verdict;
  readonly side: StatedGrant["side"] | "effective access";
  /** Who, in words. */
  readonly principal: string;
  /** Who, as written. */
  readonly principalKey: string;
  /** Every action beyond the zone of trust. */
  readonly actions: readonly string[];
  readonly actionsAsWritten: string;
  readonly resource: string;
  readonly statement: StatementRef;
  readonly reason: StatedGrant["reason"] | "evaluated";
  readonly detail: string;
  readonly probes: readonly FindingProbe[];
  /** The finding in one line. */
  readonly message: string;
}

/** Up to `shown` actions, then how many more. */
export function actionList(actions: readonly string[], shown = 6): string {
  if (actions.length <= shown) return actions.join(", ");
  return `${actions.slice(0, shown - 1).join(", ")} and ${actions.length - shown + 1} more`;
}

/** Bucket administration, IAM and STS first: the most telling representative of a class. */
function weight(action: string, accessLevel: string | undefined): number {
  const service = action.split(":")[0]?.toLowerCase() ?? "";
  const telling = ["iam", "sts", "s3", "kms"].includes(service) ? 0 : 2;
  return telling + (/Permissions management|Write/.test(accessLevel ?? "") ? 0 : 1);
}

/** Which statements of the policies in play cover an action: actions with the same answer are evaluated alike. */
function signatureOf(action: string, matchers: readonly ((action: string) => boolean)[]): string {
  return matchers.map((matches) => (matches(action) ? "1" : "0")).join("");
}

function matchersOf(policies: readonly (NamedPolicy | undefined)[]): ((action: string) => boolean)[] {
  return policies.flatMap((policy) =>
    (policy?.document.Statement ?? []).map((statement: StatementJson) => actionMatcher(statement)),
  );
}

function verdictLine(verdict: Verdict, probes: readonly FindingProbe[]): string {
  const allowed = probes.find((probe) => probe.evaluation.decision === "Allowed");
  if (verdict === "effective" && allowed !== undefined) {
    const when = allowed.evaluation.conditions === undefined ? "" : ` when ${allowed.evaluation.conditions}`;
    return `Effective: ${allowed.action} by ${allowed.principal} on ${allowed.resource} is allowed${when} (${allowed.evaluation.decidedBy.join("; ")}).`;
  }
  if (verdict === "stated, not effective") {
    const blocked = [...new Set(probes.flatMap((probe) => probe.evaluation.decidedBy))].join("; ");
    return `Stated, not effective: ${blocked}.`;
  }
  const errors = probes.filter((probe) => probe.evaluation.result === "Error");
  const why =
    errors.length > 0
      ? `: ${errors[0]?.evaluation.decidedBy.join("; ") ?? ""}`
      : probes.length > 0
        ? `: denied for the ${probes.length} requests asked, but not every kind of its actions was asked`
        : "";
  return `Not evaluated${why}; counted as effective.`;
}

/** The finding's one-line message. */
export function findingMessage(finding: Omit<Finding, "message">): string {
  const what = finding.actions.length > 0 ? actionList(finding.actions) : finding.actionsAsWritten;
  return `${finding.principal} may ${what} on ${finding.resource}: ${finding.detail}. Stated in ${finding.statement.label}. ${verdictLine(finding.verdict, finding.probes)}`;
}

/** Judges every stated over-grant with the evaluator. */
export async function judge(
  grants: readonly StatedGrant[],
  deployment: Deployment,
  zone: ZoneOfTrust,
  model: AccessModel,
  catalog: ActionCatalog,
): Promise<Finding[]> {
  const zoneArns = zone.grants.flatMap((grant) =>
    grant.principals.flatMap((principal) => (principal.kind === "arn" ? [principal.arn] : [])),
  );
  const findings: Finding[] = [];
  for (const grant of grants) {
    let caller: ProbeCaller | undefined;
    if (grant.admitted !== undefined && grant.policyResource !== undefined) {
      caller = callerForAdmitted(grant.admitted, grant.policyResource, deployment, model, zoneArns);
    } else if (grant.holder !== undefined && grant.reason !== "unknown-policy") {
      caller = callerForHolder(grant.holder, model);
    }
    const { probes, complete } =
      caller === undefined ? { probes: [], complete: false } : await probe(grant, caller, deployment, zone, catalog);
    // Denied everywhere it was asked, and asked everything: only then is it blocked rather than unproven.
    const verdict: Verdict = probes.some((p) => p.evaluation.decision === "Allowed")
      ? "effective"
      : complete && probes.length > 0 && probes.every((p) => p.evaluation.result !== "Error")
        ? "stated, not effective"
        : "not evaluated";
    const finding = {
      id: grant.id,
      severity: verdict === "stated, not effective" ? ("warning" as const) : ("error" as const),
      verdict,
      side: grant.side,
      principal: grant.principal,
      principalKey: grant.principalKey,
      actions: grant.actions,
      actionsAsWritten: grant.actionsAsWritten,
      resource: grant.notResource === undefined ? grant.resource : `everything except ${grant.notResource.join(", ")}`,
      statement: grant.statement,
      reason: grant.reason,
      detail: grant.detail,
      probes,
    };
    findings.push({ ...finding, message: findingMessage(finding) });
  }
  return findings;
}

/**
 * The requests that break a missing requirement, one key at a time with the
 * others absent; a single empty request when nothing is missing.
 */
function violationsOf(grant: StatedGrant): Record<string, string | undefined>[] {
  if (grant.missing.length === 0) return [{}];
  return grant.missing.flatMap((requirement) =>
    requirement.violations.map((value) => ({
      ...Object.fromEntries(grant.missing.map((other) => [other.key, undefined])),
      [requirement.key]: value,
    })),
  );
}

async function probe(
  grant: StatedGrant,
  caller: ProbeCaller,
  deployment: Deployment,
  zone: ZoneOfTrust,
  catalog: ActionCatalog,
): Promise<{ probes: FindingProbe[]; complete: boolean }> {
  const matchers = matchersOf([...caller.identityPolicies, ...deployment.resources.map((resource) => resource.policy)]);
  const classes = new Map<string, { action: string; weight: number }>();
  for (const action of grant.actions) {
    const info = await catalog.info(action);
    const key = `${info?.resourceTypes.join(",") ?? "?"}|${signatureOf(action, matchers)}`;
    const candidate = { action, weight: weight(action, info?.accessLevel) };
    const current = classes.get(key);
    if (current === undefined || candidate.weight < current.weight) classes.set(key, candidate);
  }
  const ordered = [...classes.values()].sort((a, b) => a.weight - b.weight);
  const representatives = ordered.slice(0, MAX_PROBES);
  const complete = representatives.length === ordered.length;
  const avoid = [
    ...zone.grants
      .filter((intended) => intended.principals.length > 0)
      .flatMap((intended) => intended.resources)
      .filter((resource) => resource !== "*"),
    ...(grant.notResource ?? []),
  ];
  const probes: FindingProbe[] = [];
  for (const { action } of representatives) {
    const target = await targetFor(grant.resource, action, avoid, caller, deployment, catalog);
    const kms = action.toLowerCase().startsWith("kms:") && caller.account !== undefined;
    for (const violation of violationsOf(grant)) {
      // TLS is the caller's choice: left open, so a grant that only plain HTTP reaches is still found.
      const { "aws:SecureTransport": _tls, ...identity } = caller.context;
      const context: Record<string, string> = {
        ...identity,
        ...(kms ? { "kms:CallerAccount": caller.account ?? "" } : {}),
      };
      for (const [key, value] of Object.entries(violation)) if (value !== undefined) context[key] = value;
      const evaluation = await evaluate(
        {
          principal: caller.principal,
          principalLabel: caller.label,
          action,
          resource: target.arn,
          resourceAccount: target.account,
          context,
          knownAbsent: Object.keys(violation).filter((key) => violation[key] === undefined),
          identityPolicies: caller.identityPolicies,
          resourcePolicy: target.policy,
          ...(target.route !== undefined
            ? { route: target.route }
            : caller.route !== undefined
              ? { route: caller.route }
              : {}),
        },
        "Discovery",
      );
      probes.push({
        principal: caller.label,
        action,
        resource: target.arn,
        ...(Object.keys(violation).length === 0 ? {} : { context: violation }),
        evaluation,
        ...(caller.assumption === undefined ? {} : { assumption: caller.assumption }),
      });
      if (evaluation.decision === "Allowed") return { probes, complete };
    }
  }
  return { probes, complete };
}
