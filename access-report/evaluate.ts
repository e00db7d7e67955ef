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
 *
 * S3 access points. A request through an access point is allowed only when
 * the access point and the bucket behind it both allow it ("Configuring IAM
 * policies for using access points" in the S3 user guide): the access point
 * side is the request on the access point's ARN (`…:accesspoint/name`, its
 * objects `…/object/key`), evaluated with the access point's policy; the
 * bucket side is the same request on the bucket's ARN, evaluated with the
 * bucket policy, with s3:DataAccessPointAccount, s3:DataAccessPointArn and
 * s3:AccessPointNetworkOrigin set ("Delegating access control to access
 * points"). A request by the bucket's name carries none of the three.
 * iam-simulate's validated entry point keeps only the context keys AWS's
 * catalogue lists for the resource type, and the catalogue lists these three
 * for access point resources only, so on the bucket side it would drop them.
 * The report therefore settles every condition on those keys before the
 * simulation: each statement's entries on them are evaluated by
 * iam-simulate's unvalidated entry point (which keeps every key) against the
 * request's values; a statement whose entries hold keeps its other
 * conditions, one whose entries fail cannot apply to the request and is left
 * out. Condition entries are ANDed, so settling some of them first changes
 * nothing else.
 */
import {
  anonymousPrincipal,
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  runUnsafeSimulation,
  type AllowedConditionExpression,
  type RequestAnalysis,
  type Simulation,
} from "@cloud-copilot/iam-simulate";
import type { NamedPolicy } from "./access-model";
import type { AccessPointRoute } from "./deployment";
import type { PolicyJson, StatementJson } from "./policy-json";

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
  /**
   * The request goes through this access point: `resource` is on the access
   * point (its ARN, or `<ARN>/object/<key>`) and the bucket behind it must
   * allow the request too. On a bucket ARN, the access point (possibly one
   * outside the app) the request came through.
   */
  readonly route?: AccessPointRoute | AccessPointKeys;
}

/** The access point a request comes through, as the bucket side of the request sees it. */
export interface AccessPointKeys {
  readonly arn: string;
  readonly account: string;
  readonly networkOrigin: "Internet" | "VPC";
}

const ACCESS_POINT_KEYS = ["s3:dataaccesspointaccount", "s3:dataaccesspointarn", "s3:accesspointnetworkorigin"];

/** The context keys S3 sets for a request through an access point. */
export function accessPointContext(point: AccessPointKeys): Record<string, string> {
  return {
    "s3:DataAccessPointAccount": point.account,
    "s3:DataAccessPointArn": point.arn,
    "s3:AccessPointNetworkOrigin": point.networkOrigin,
  };
}

/** An access point ARN or an object under it: arn:aws:s3:<region>:<account>:accesspoint/<name>[/object/<key>]. */
export function isAccessPointArn(arn: string): boolean {
  return /^arn:[^:]+:s3:[^:]*:\d{12}:accesspoint\/[^/]+(\/object\/.*)?$/.test(arn);
}

/** A bucket or object ARN (arn:aws:s3:::bucket[/key]): where S3 evaluates the bucket policy. */
function isBucketArn(arn: string): boolean {
  return /^arn:[^:]+:s3:::[^/]+(\/.*)?$/.test(arn);
}

/** The bucket-side ARN of a request on an access point: the bucket, or the object of the same key. */
export function bucketSideArn(resource: string, route: AccessPointRoute): string {
  if (resource === route.arn) return route.bucket.arn;
  const objectPrefix = `${route.arn}/object/`;
  return resource.startsWith(objectPrefix) ? `${route.bucket.arn}/${resource.slice(objectPrefix.length)}` : resource;
}

function isRoute(route: Probe["route"]): route is AccessPointRoute {
  return route !== undefined && "bucket" in route;
}

/** A policy with its statements' access point conditions settled; `origin[i]` is statement i's 1-based index as written. */
interface SettledPolicy {
  readonly document: PolicyJson;
  readonly origin: readonly number[];
}

const settledEntries = new Map<string, boolean>();

/** Whether a Condition block holds for `context`, which sets every key it names (iam-simulate's own operators). */
export function conditionsHold(condition: StatementJson["Condition"], context: Record<string, string>): boolean {
  const key = JSON.stringify([condition, context]);
  let holds = settledEntries.get(key);
  if (holds === undefined) {
    // The unvalidated entry point keeps every context key; its resource-policy path is not used (it needs none).
    const result = runUnsafeSimulation(
      {
        request: {
          principal: "arn:aws:iam::000000000000:role/access-report-condition-check",
          action: "s3:GetObject",
          resource: { resource: "*", accountId: "000000000000" },
          contextVariables: context,
        },
        identityPolicies: [
          {
            name: "access point conditions",
            policy: {
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: condition }],
            },
          },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    holds = result === "Allowed";
    settledEntries.set(key, holds);
  }
  return holds;
}

const settledPolicies = new WeakMap<PolicyJson, Map<string, SettledPolicy>>();

/** `document` as a request with these access point keys (none: a request by the bucket's name) sees it. */
export function settleAccessPointConditions(document: PolicyJson, context: Record<string, string>): SettledPolicy {
  const cacheKey = JSON.stringify(context);
  let cache = settledPolicies.get(document);
  const cached = cache?.get(cacheKey);
  if (cached !== undefined) return cached;
  const statements: StatementJson[] = [];
  const origin: number[] = [];
  document.Statement.forEach((statement, index) => {
    const pointEntries: Record<string, Record<string, unknown>> = {};
    const rest: Record<string, Record<string, unknown>> = {};
    for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
      for (const [name, value] of Object.entries(keys)) {
        const target = ACCESS_POINT_KEYS.includes(name.toLowerCase()) ? pointEntries : rest;
        target[operator] = { ...(target[operator] ?? {}), [name]: value };
      }
    }
    if (Object.keys(pointEntries).length === 0) {
      statements.push(statement);
      origin.push(index + 1);
      return;
    }
    if (!conditionsHold(pointEntries as StatementJson["Condition"], context)) return;
    const { Condition: _settled, ...withoutCondition } = statement;
    statements.push(
      Object.keys(rest).length === 0
        ? withoutCondition
        : { ...withoutCondition, Condition: rest as StatementJson["Condition"] },
    );
    origin.push(index + 1);
  });
  const settled = { document: { ...document, Statement: statements }, origin };
  if (cache === undefined) {
    cache = new Map();
    settledPolicies.set(document, cache);
  }
  cache.set(cacheKey, settled);
  return settled;
}

export interface Evaluation {
  readonly decision: Decision;
  /** The evaluator's own answer: Allowed, ExplicitlyDenied, ImplicitlyDenied, or Error. */
  readonly result: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error";
  /** The statements that decided, e.g. "bucket policy: DenyInsecureTransport (explicit Deny)". */
  readonly decidedBy: readonly string[];
  /** Discovery mode: the conditions an Allowed depends on, in words ("aws:SourceIp in 203.0.113.0/24"). */
  readonly conditions?: string;
  /**
   * Allowed: whether every policy in play allows the request on its own (an
   * Allow of the caller's policies and of the resource's; through an access
   * point, of the caller's, the access point's and the bucket's), so that no
   * one of them leans on another.
   */
  readonly eachPolicyAllows?: boolean;
}

function statementName(statementId: string | undefined, statementIndex: number): string {
  return statementId ?? `statement ${statementIndex}`;
}

/** Policies as the simulation got them: their names, and each statement's index as written. */
interface Origins {
  readonly identity: ReadonlyMap<string, readonly number[]>;
  readonly resource?: readonly number[];
}

function describe(analysis: RequestAnalysis, probe: Probe, origins: Origins): string[] {
  const written = (policyType: string, policy: string | undefined, index: number): number => {
    const origin = policyType === "resource" ? origins.resource : origins.identity.get(policy ?? "");
    return origin?.[index - 1] ?? index;
  };
  const resourceLabel = probe.resourcePolicy?.name ?? "resource policy";
  const the = /^(arn:|a |an |some )/.test(probe.principalLabel) ? "" : "the ";
  const identityLabel = `identity policies of ${the}${probe.principalLabel}`;
  if (analysis.result === "Allowed") {
    return getGrantReasons(analysis).map((grant) => {
      const statement = statementName(
        grant.statementId,
        written(
          grant.policyType,
          "policyIdentifier" in grant ? grant.policyIdentifier : undefined,
          grant.statementIndex,
        ),
      );
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
      const index = written(reason.policyType, reason.policyIdentifier, reason.statementIndex);
      return `${policy}: ${statementName(reason.statementId, index)} (explicit Deny)`;
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

/** Evaluates one request; through an access point, both sides of it. */
export async function evaluate(probe: Probe, mode: "Strict" | "Discovery" = "Strict"): Promise<Evaluation> {
  const route = probe.route;
  if (isRoute(route) && isAccessPointArn(probe.resource)) {
    const pointSide = await evaluateOne({ ...probe, route: undefined }, mode, accessPointContext(route));
    if (pointSide.decision !== "Allowed") return pointSide;
    const bucketSide = await evaluateOne(
      {
        ...probe,
        resource: bucketSideArn(probe.resource, route),
        resourceAccount: route.bucket.account,
        resourcePolicy: route.bucket.policy,
        route,
      },
      mode,
      {},
    );
    const conditions = [pointSide.conditions, bucketSide.conditions].filter((c): c is string => c !== undefined);
    return {
      decision: bucketSide.decision,
      result: bucketSide.result,
      decidedBy: [...pointSide.decidedBy, ...bucketSide.decidedBy],
      ...(conditions.length === 0 ? {} : { conditions: conditions.join(" and ") }),
      ...(bucketSide.decision === "Allowed"
        ? {
            eachPolicyAllows:
              pointSide.grants?.identity === true && pointSide.grants.resource && bucketSide.grants?.resource === true,
          }
        : {}),
    };
  }
  return evaluateOne(
    probe,
    mode,
    isAccessPointArn(probe.resource) && route !== undefined ? accessPointContext(route) : {},
  );
}

/** One side of a request: the policies of the caller and of the one resource. */
async function evaluateOne(
  probe: Probe,
  mode: "Strict" | "Discovery",
  extraContext: Readonly<Record<string, string>>,
): Promise<Evaluation & { grants?: { identity: boolean; resource: boolean } }> {
  const anonymous = probe.principal === "anonymous";
  // On a bucket ARN, conditions on the access point keys are settled first (see the top of this file).
  const bucketSide = isBucketArn(probe.resource);
  const pointKeys = bucketSide && probe.route !== undefined ? accessPointContext(probe.route) : {};
  const settle = (document: PolicyJson): SettledPolicy =>
    bucketSide
      ? settleAccessPointConditions(document, pointKeys)
      : { document, origin: document.Statement.map((_s, i) => i + 1) };
  const identity = anonymous ? [] : probe.identityPolicies.map((p) => ({ name: p.name, settled: settle(p.document) }));
  const resource = probe.resourcePolicy === undefined ? undefined : settle(probe.resourcePolicy.document);
  const origins: Origins = {
    identity: new Map(identity.map((p) => [p.name, p.settled.origin])),
    ...(resource === undefined ? {} : { resource: resource.origin }),
  };
  const context: Record<string, string | readonly string[]> = { ...probe.context, ...extraContext };
  const simulation: Simulation = {
    request: {
      principal: anonymous ? anonymousPrincipal : probe.principal,
      action: probe.action,
      resource: { resource: probe.resource, accountId: probe.resourceAccount },
      contextVariables: Object.fromEntries(
        Object.entries(context).map(([key, value]) => [key, typeof value === "string" ? value : [...value]]),
      ),
    },
    identityPolicies: identity.map((p) => ({ name: p.name, policy: p.settled.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resource?.document,
  };
  const known = [...Object.keys(context), ...(probe.knownAbsent ?? [])];
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
  const grants =
    result === "Allowed" && analysis !== undefined
      ? getGrantReasons(analysis).reduce(
          (found, grant) => ({
            identity: found.identity || grant.policyType === "identity",
            resource: found.resource || grant.policyType === "resource",
          }),
          { identity: false, resource: false },
        )
      : undefined;
  return {
    decision: result === "Allowed" ? "Allowed" : "Denied",
    result,
    decidedBy: analysis === undefined ? [] : describe(analysis, probe, origins),
    ...(conditions === undefined ? {} : { conditions }),
    ...(grants === undefined ? {} : { grants, eachPolicyAllows: grants.identity && grants.resource }),
  };
}
