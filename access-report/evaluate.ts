/**
 * Runs one scenario through @cloud-copilot/iam-simulate, an open-source
 * implementation of AWS's policy evaluation logic: identity policies in the
 * caller's account and the resource's policy are evaluated together, so a
 * cross-account request is allowed only when both sides allow it and a
 * same-account request when either does ("Policy evaluation logic" and
 * "Cross-account policy evaluation logic" in the IAM user guide). It also says
 * which statements decided, which becomes the report's "decided by".
 *
 * The policies are evaluated as written: S3 Block Public Access is not passed
 * in, so a bucket policy that would rely on it to stay private shows up.
 */
import {
  anonymousPrincipal,
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  type RequestAnalysis,
  type Simulation,
} from "@cloud-copilot/iam-simulate";
import type { Decision, Scenario } from "./scenarios";

export interface Evaluation {
  readonly decision: Decision;
  /** The evaluator's own answer: Allowed, ExplicitlyDenied, ImplicitlyDenied, or Error. */
  readonly result: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error";
  /** The statements that decided, e.g. "bucket policy: DenyInsecureTransport (explicit Deny)". */
  readonly decidedBy: readonly string[];
}

function statementName(statementId: string | undefined, statementIndex: number): string {
  return statementId ?? `statement ${statementIndex}`;
}

function describe(analysis: RequestAnalysis, scenario: Scenario): string[] {
  const resourceLabel = scenario.resourcePolicy?.name ?? "resource policy";
  const identityLabel = `identity policies of the ${scenario.principalLabel}`;
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
    if (reason.policyType === "resource" && scenario.resourcePolicy === undefined)
      return "no resource policy grants it";
    if (reason.policyType === "identity" && scenario.identityPolicies.length === 0) {
      return scenario.request.principal === "anonymous"
        ? "no policy grants anonymous access"
        : `no identity policy on the ${scenario.principalLabel}`;
    }
    return `no Allow in ${where}`;
  });
}

/** Evaluates one scenario. */
export async function evaluateScenario(scenario: Scenario): Promise<Evaluation> {
  const anonymous = scenario.request.principal === "anonymous";
  const simulation: Simulation = {
    request: {
      principal: anonymous ? anonymousPrincipal : scenario.request.principal,
      action: scenario.request.action,
      resource: { resource: scenario.request.resource, accountId: scenario.request.resourceAccount },
      contextVariables: { ...scenario.request.context },
    },
    identityPolicies: anonymous ? [] : scenario.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: scenario.resourcePolicy?.document,
  };
  const response = await runSimulation(simulation, {});
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
  return {
    decision: result === "Allowed" ? "Allowed" : "Denied",
    result,
    decidedBy: analysis === undefined ? [] : describe(analysis, scenario),
  };
}
