/**
 * Runs one request through @cloud-copilot/iam-simulate, an open-source
 * implementation of AWS's policy evaluation logic: identity policies in the
 * caller's account and the resource's policy are evaluated together, so a
 * cross-account request is allowed only when both sides allow it and a
 * same-account request when either does ("Policy evaluation logic" and
 * "Cross-account policy evaluation logic" in the IAM user guide). It also says
 * which statements decided, which becomes the report's "decided by".
 *
 * Two modes. Strict evaluates the request exactly as given: the intended
 * rows, with the context a real caller sends. Discovery answers "is there a
 * request context in which this is allowed?": the context keys the report
 * sets (the caller's identity, TLS, a key it knows to be absent) are facts,
 * every other key is left open, and an Allowed comes with the conditions it
 * needs (a source IP, an organization). That is how a finding is judged.
 *
 * The policies are evaluated as written: S3 Block Public Access is not passed
 * in, so a bucket policy that would rely on it to stay private shows up.
 */
import {
  anonymousPrincipal,
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  type AllowedConditionExpression,
  type RequestAnalysis,
  type Simulation,
} from "@cloud-copilot/iam-simulate";
import type { NamedPolicy } from "./access-model";

export type Decision = "Allowed" | "Denied";

/** One request: who, what, on which resource, with which policies and context. */
export interface Probe {
  /** A principal ARN, a service principal, or "anonymous" for an unsigned request. */
  readonly principal: string;
  /** What a reader calls the principal, e.g. "target role". */
  readonly principalLabel: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource (S3 ARNs carry none). */
  readonly resourceAccount: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Keys whose presence is a fact in Discovery mode even though they are not
   * in `context` (so they are known to be absent): a direct KMS call has no
   * kms:ViaService.
   */
  readonly knownAbsent?: readonly string[];
  readonly identityPolicies: readonly NamedPolicy[];
  /** The resource's policy (trust policy of a role, bucket policy, key policy); undefined when it has none. */
  readonly resourcePolicy?: NamedPolicy;
}

export interface Evaluation {
  readonly decision: Decision;
  /** The evaluator's own answer: Allowed, ExplicitlyDenied, ImplicitlyDenied, or Error. */
  readonly result: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error";
  /** The statements that decided, e.g. "bucket policy: DenyInsecureTransport (explicit Deny)". */
  readonly decidedBy: readonly string[];
  /** Discovery mode: the conditions an Allowed depends on, in words ("aws:SourceIp in 203.0.113.0/24"). */
  readonly conditions?: string;
}

function statementName(statementId: string | undefined, statementIndex: number): string {
  return statementId ?? `statement ${statementIndex}`;
}

function describe(analysis: RequestAnalysis, probe: Probe): string[] {
  const resourceLabel = probe.resourcePolicy?.name ?? "resource policy";
  const the = /^(arn:|a |an |some )/.test(probe.principalLabel) ? "" : "the ";
  const identityLabel = `identity policies of ${the}${probe.principalLabel}`;
  if (analysis.result === "Allowed") {
    return getGrantReasons(analysis).map((grant) => {
      const statement = statementName(grant.statementId, grant.statementIndex);
      return grant.policyType === "resource"
        ? `${resourceLabel}: ${statement}`
        : `${grant.policyIdentifier}: ${statement}`;
    });
  }
  const reasons = getDenialReasons(analysis);
  const explicit = reasons.filter((reason) => reason.denialType === "Explicit");
  const shown = explicit.length > 0 ? explicit : reasons;
  return shown.map((reason) => {
    const where =
      reason.policyType === "resource"
        ? resourceLabel
        : reason.policyType === "identity"
          ? identityLabel
          : reason.policyType;
    if (reason.denialType === "Explicit") {
      const policy = reason.policyType === "identity" ? (reason.policyIdentifier ?? where) : where;
      return `${policy}: ${statementName(reason.statementId, reason.statementIndex)} (explicit Deny)`;
    }
    if (reason.policyType === "s3-bpa") return "S3 Block Public Access";
    if (reason.policyType === "resource" && probe.resourcePolicy === undefined) return "no resource policy grants it";
    if (reason.policyType === "identity" && probe.identityPolicies.length === 0) {
      return probe.principal === "anonymous"
        ? "no policy grants anonymous access"
        : `no identity policy on ${the}${probe.principalLabel}`;
    }
    return `no Allow in ${where}`;
  });
}

/** Discovery's allowed-conditions tree in words. */
export function describeConditionTree(expression: AllowedConditionExpression): string {
  switch (expression.conditionType) {
    case "always":
      return "always";
    case "never":
      return "never";
    case "sessionName":
      return `role session name ${expression.sessionName.join(" or ")}`;
    case "condition":
      // A leaf drawn from a Deny (`inverted`) already carries the inverted operator and values: Bool true, not false.
      return `${expression.key} ${expression.op} ${expression.values.join(", ")}`;
    case "group":
      // Two statements with the same condition give "x or x": one is enough.
      return [
        ...new Set(
          expression.conditions.map((inner) =>
            inner.conditionType === "group" ? `(${describeConditionTree(inner)})` : describeConditionTree(inner),
          ),
        ),
      ].join(` ${expression.operator} `);
  }
}

/** Evaluates one request. */
export async function evaluate(probe: Probe, mode: "Strict" | "Discovery" = "Strict"): Promise<Evaluation> {
  const anonymous = probe.principal === "anonymous";
  const simulation: Simulation = {
    request: {
      principal: anonymous ? anonymousPrincipal : probe.principal,
      action: probe.action,
      resource: { resource: probe.resource, accountId: probe.resourceAccount },
      contextVariables: Object.fromEntries(
        Object.entries(probe.context).map(([key, value]) => [key, typeof value === "string" ? value : [...value]]),
      ),
    },
    identityPolicies: anonymous ? [] : probe.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: probe.resourcePolicy?.document,
  };
  const known = [...Object.keys(probe.context), ...(probe.knownAbsent ?? [])];
  const response = await runSimulation(simulation, {
    simulationMode: mode,
    discoveryContextKeyConstraints: known.map((keyName) => ({ keyName, presenceIsKnown: true, valueIsKnown: true })),
  });
  if (response.resultType === "error") {
    const detail = JSON.stringify(response.errors);
    return {
      decision: "Denied",
      result: "Error",
      decidedBy: [`the evaluator rejected the request: ${detail.slice(0, 300)}`],
    };
  }
  const analysis = response.resultType === "single" ? response.result.analysis : response.results[0]?.analysis;
  const result = response.overallResult;
  const conditions =
    analysis?.conditions === undefined || analysis.conditions.conditionType === "always"
      ? undefined
      : describeConditionTree(analysis.conditions);
  return {
    decision: result === "Allowed" ? "Allowed" : "Denied",
    result,
    decidedBy: analysis === undefined ? [] : describe(analysis, probe),
    ...(conditions === undefined ? {} : { conditions }),
  };
}
