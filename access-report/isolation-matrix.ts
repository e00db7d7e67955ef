/**
 * The isolation matrix: every consumer (a row) against every consumer's
 * prefix (a column), for the four things a consumer does under a prefix:
 * read (s3:GetObject), write (s3:PutObject), delete (s3:DeleteObject) and
 * list (s3:ListBucket with s3:prefix = the column's prefix).
 *
 * The expectation comes from the config alone: a consumer may do its level's
 * part of the four under a column's prefix exactly when its own prefix
 * contains that prefix (its own column; another consumer's only where the
 * config sets allowPrefixOverlap, which validation requires for any
 * containment), and nothing anywhere else.
 *
 * What is evaluated: everything a consumer's account can act as. Its own
 * principals (the instance role, its people, some other principal of its
 * account), each assumed to be allowed everything by its own account (the
 * owner cannot stop that), and every role of the owner account whose trust
 * policy lets one of them (or a role so reached) in, with that role's
 * policies from the app. Each of them asks through every access point of the
 * app and by the bucket's name.
 *
 * Two readings of AWS's rules, each where it is the harder one to pass:
 * an expected "allowed" must be allowed in Strict mode with the context the
 * consumer's workload sends, and through an access point by each of the three
 * policies on its own (see checks.ts); an expected "denied" must be denied in
 * Discovery mode (every condition on a key the consumer controls left open),
 * with IAM's own logic on each side of the request. Any cell that differs is
 * an error.
 */
import type { AccessModel, NamedPolicy } from "./access-model";
import type { AccessPointRoute, ConsumerDeployment, Deployment, ResourceUnderReview } from "./deployment";
import { evaluate, accessPointContext, settleAccessPointConditions, type Evaluation, type Probe } from "./evaluate";
import type { AccessExpectations } from "./expectations";
import { couldBeAllowed, type PrefilterCaller } from "./prefilter";
import { ADMINISTRATOR, principalCaller, type ProbeCaller } from "./probes";

/** The four things a consumer does under a prefix, in the order their letters are written. */
export const ABILITIES = [
  { ability: "read", letter: "R", action: "s3:GetObject" },
  { ability: "write", letter: "W", action: "s3:PutObject" },
  { ability: "delete", letter: "D", action: "s3:DeleteObject" },
  { ability: "list", letter: "L", action: "s3:ListBucket" },
] as const;

export type Ability = (typeof ABILITIES)[number]["ability"];

/** One column: a consumer's prefix and level. */
export interface MatrixColumn {
  readonly consumer: string;
  /** Undefined: the whole bucket. */
  readonly prefix?: string;
  readonly accessLevel: AccessExpectations["accessLevel"];
}

/** One way a consumer got an ability it should not have, or failed to get one it should. */
export interface CellDifference {
  readonly ability: Ability;
  readonly expected: "allowed" | "denied";
  /** Who asked, and how: "target role x through access point y". */
  readonly via: string;
  readonly decidedBy: readonly string[];
}

export interface MatrixCell {
  /** The column's consumer. */
  readonly column: string;
  /** "own": its own prefix; "overlap": its prefix contains the column's (allowPrefixOverlap); "none". */
  readonly intended: "own" | "overlap" | "none";
  /** The letters the config expects, e.g. "R--L"; "----" for nothing. */
  readonly expected: string;
  /** The letters evaluated. */
  readonly evaluated: string;
  readonly asExpected: boolean;
  /** Where the cell differs: each ability evaluated otherwise than expected, with how. */
  readonly differences: readonly CellDifference[];
}

export interface MatrixRow {
  readonly consumer: string;
  /** Everything the consumer's account can act as, e.g. "target role data-lake-analytics-reader". */
  readonly principals: readonly string[];
  readonly cells: readonly MatrixCell[];
}

export interface IsolationMatrix {
  readonly columns: readonly MatrixColumn[];
  readonly rows: readonly MatrixRow[];
  /** Cells not as expected. */
  readonly mismatches: number;
}

/** Letters of the abilities that hold, "-" for the others: "R--L". */
export function cellText(abilities: ReadonlySet<Ability>): string {
  return ABILITIES.map(({ ability, letter }) => (abilities.has(ability) ? letter : "-")).join("");
}

/** What a level lets its holder do under its prefix. */
function levelAbilities(level: AccessExpectations["accessLevel"]): Set<Ability> {
  return new Set<Ability>(level === "read-only" ? ["read", "list"] : ["read", "write", "delete", "list"]);
}

/** Undefined (the whole bucket) contains every prefix; a prefix contains those that start with it. */
function prefixContains(outer: string | undefined, inner: string | undefined): boolean {
  return outer === undefined || (inner !== undefined && inner.startsWith(outer));
}

/** A way into the bucket: one access point of the app, or the bucket's name. */
interface Path {
  readonly label: string;
  /** The ARN bucket-level actions name on this path. */
  readonly bucketArn: string;
  /** Object ARNs on this path are this followed by the key. */
  readonly objectsBase: string;
  readonly resourceAccount: string;
  readonly policy?: NamedPolicy;
  readonly route?: AccessPointRoute;
}

/** A principal a consumer's account can act as, with the policies it acts with. */
interface RowCaller {
  readonly probe: ProbeCaller;
  readonly prefilter: PrefilterCaller;
}

// Short on purpose: the evaluator matches every request ARN against AWS's resource type patterns, at a cost that grows
// with the ARN's length, and the matrix asks thousands of them.
const PROBE_KEY = "matrix-probe";

/** The way in through an access point: its ARN, objects under `<arn>/object/`, its own policy. */
function accessPointPath(point: ResourceUnderReview & { route: AccessPointRoute }): Path {
  return {
    label: point.label,
    bucketArn: point.route.arn,
    objectsBase: `${point.route.arn}/object/`,
    resourceAccount: point.account,
    ...(point.policy === undefined ? {} : { policy: point.policy }),
    route: point.route,
  };
}

/** The way in through the bucket's name, under the bucket policy. */
function bucketNamePath(bucket: Deployment["bucket"]): Path {
  return {
    label: "the bucket's name",
    bucketArn: bucket.arn,
    objectsBase: `${bucket.arn}/`,
    resourceAccount: bucket.account,
    ...(bucket.policy === undefined ? {} : { policy: bucket.policy }),
  };
}

function pathsOf(deployment: Deployment): Path[] {
  const { bucket } = deployment;
  const points = deployment.resources.filter(
    (resource): resource is ResourceUnderReview & { route: AccessPointRoute } =>
      resource.route !== undefined && resource.route.bucket.arn === bucket.arn,
  );
  return [...points.map(accessPointPath), bucketNamePath(bucket)];
}

function prefilterCaller(probe: ProbeCaller): PrefilterCaller | undefined {
  const arn = probe.context["aws:PrincipalArn"];
  if (arn === undefined || probe.account === undefined) return undefined;
  return {
    principalArn: arn,
    ...(probe.principal !== arn ? { sessionArn: probe.principal } : {}),
    account: probe.account,
    identityPolicies: probe.identityPolicies,
  };
}

/** One request for an ability: its resource and the context keys it sets (or, knownAbsent, leaves out). */
interface AbilityRequest {
  readonly resource: string;
  readonly context: Record<string, string>;
  readonly knownAbsent: readonly string[];
}

/**
 * The requests for one ability of one column on one path. Listing the whole
 * bucket is asked both with an empty s3:prefix and without one, the two ways
 * a request for every key can come.
 */
function requests(path: Path, ability: (typeof ABILITIES)[number], column: MatrixColumn): AbilityRequest[] {
  if (ability.ability === "list") {
    return column.prefix === undefined
      ? [
          { resource: path.bucketArn, context: { "s3:prefix": "" }, knownAbsent: [] },
          { resource: path.bucketArn, context: {}, knownAbsent: ["s3:prefix"] },
        ]
      : [{ resource: path.bucketArn, context: { "s3:prefix": column.prefix }, knownAbsent: [] }];
  }
  return [{ resource: `${path.objectsBase}${column.prefix ?? ""}${PROBE_KEY}`, context: {}, knownAbsent: [] }];
}

/** The prefilter's view of one path for one request: the resource side, with the bucket side's keys settled. */
function couldReach(
  caller: RowCaller,
  path: Path,
  actions: readonly string[],
  resources: { point: readonly string[]; bucket: readonly string[] },
  context: Readonly<Record<string, string>>,
  deployment: Deployment,
): boolean {
  const fixed = { ...caller.probe.context, ...context };
  if (path.route === undefined) {
    const settled = path.policy === undefined ? undefined : settleAccessPointConditions(path.policy.document, {});
    return couldBeAllowed(
      caller.prefilter,
      actions,
      { arns: resources.bucket, account: path.resourceAccount, ...(settled ? { policy: settled.document } : {}) },
      fixed,
    );
  }
  const pointKeys = accessPointContext(path.route);
  if (
    !couldBeAllowed(
      caller.prefilter,
      actions,
      {
        arns: resources.point,
        account: path.resourceAccount,
        ...(path.policy ? { policy: path.policy.document } : {}),
      },
      { ...fixed, ...pointKeys },
    )
  ) {
    return false;
  }
  const bucketPolicy = path.route.bucket.policy;
  const settled =
    bucketPolicy === undefined ? undefined : settleAccessPointConditions(bucketPolicy.document, pointKeys);
  return couldBeAllowed(
    caller.prefilter,
    actions,
    { arns: resources.bucket, account: deployment.bucket.account, ...(settled ? { policy: settled.document } : {}) },
    fixed,
  );
}

/** The bucket-side ARNs of path-level patterns (an access point's, or the bucket's own). */
function bucketSide(path: Path, arns: readonly string[], deployment: Deployment): string[] {
  if (path.route === undefined) return [...arns];
  const objects = `${path.route.arn}/object/`;
  return arns.map((arn) =>
    arn === path.route?.arn
      ? deployment.bucket.arn
      : arn.startsWith(objects)
        ? `${deployment.bucket.arn}/${arn.slice(objects.length)}`
        : arn,
  );
}

/** What each consumer's account can act as: its own principals, then the owner's roles they can reach. */
async function rowCallers(
  deployment: Deployment,
  consumer: ConsumerDeployment,
  model: AccessModel,
): Promise<{ callers: RowCaller[]; labels: string[] }> {
  const owner = deployment.bucket.account;
  const account = consumer.expectations.accessor.accountId;
  const partition = consumer.instanceRole.arn.split(":")[1] ?? "aws";
  const own: ProbeCaller[] = [];
  const add = (arn: string, label: string): void => {
    const found = principalCaller(arn, label, owner, model, deployment.holders);
    if (found === undefined) return;
    // Its own account can give it any policy: the owner's policies alone must keep it out.
    const policies = found.identityPolicies.includes(ADMINISTRATOR)
      ? found.identityPolicies
      : [...found.identityPolicies, ADMINISTRATOR];
    own.push({ ...found, identityPolicies: policies });
  };
  add(consumer.instanceRole.arn, `instance role ${consumer.instanceRole.name}`);
  for (const user of consumer.people.users) add(user.arn, `user ${user.name}`);
  for (const arn of consumer.people.roleArns) add(arn, `role ${arn.split("/").pop() ?? arn}`);
  add(`arn:${partition}:iam::${account}:role/any-principal`, `a principal of account ${account}`);

  const callers: RowCaller[] = [];
  const seen = new Set<string>();
  const push = (probe: ProbeCaller): void => {
    const prefilter = prefilterCaller(probe);
    if (prefilter === undefined || seen.has(probe.principal)) return;
    seen.add(probe.principal);
    callers.push({ probe, prefilter });
  };
  own.forEach(push);

  // The owner account's roles any of them can assume, and the roles those can assume in turn.
  const roles = deployment.resources.filter((resource) => resource.kind === "role" && resource.account === owner);
  for (let index = 0; index < callers.length; index++) {
    const from = callers[index];
    if (from === undefined) continue;
    for (const role of roles) {
      const arn = role.arns[0];
      if (arn === undefined || callers.some((c) => c.prefilter.principalArn === arn)) continue;
      const resource = { arns: [arn], account: role.account, ...(role.policy ? { policy: role.policy.document } : {}) };
      if (!couldBeAllowed(from.prefilter, ["sts:AssumeRole"], resource, from.probe.context)) continue;
      const assumed = await evaluate(
        {
          principal: from.probe.principal,
          principalLabel: from.probe.label,
          action: "sts:AssumeRole",
          resource: arn,
          resourceAccount: role.account,
          context: from.probe.context,
          identityPolicies: from.probe.identityPolicies,
          ...(role.policy === undefined ? {} : { resourcePolicy: role.policy }),
        },
        "Discovery",
      );
      if (assumed.decision !== "Allowed") continue;
      const holder = deployment.holders.find((h) => h.arn === arn);
      const reached = principalCaller(arn, holder?.label ?? role.label, owner, model, deployment.holders);
      if (reached !== undefined) push(reached);
    }
  }
  return { callers, labels: callers.map((caller) => caller.probe.label) };
}

/** Every consumer against every consumer's prefix. */
export async function isolationMatrix(deployment: Deployment, model: AccessModel): Promise<IsolationMatrix> {
  const columns: MatrixColumn[] = deployment.consumers.map((consumer) => ({
    consumer: consumer.name,
    ...(consumer.expectations.keyPrefix === undefined ? {} : { prefix: consumer.expectations.keyPrefix }),
    accessLevel: consumer.expectations.accessLevel,
  }));
  const paths = pathsOf(deployment);
  const rows: MatrixRow[] = [];
  let mismatches = 0;
  for (const consumer of deployment.consumers) {
    const { callers, labels } = await rowCallers(deployment, consumer, model);
    const prefix = consumer.expectations.keyPrefix;
    const own = levelAbilities(consumer.expectations.accessLevel);
    // Which callers can get anywhere on which path, before any column is asked.
    const open = callers.flatMap((caller) =>
      paths
        .filter((path) => {
          const point = [path.bucketArn, `${path.objectsBase}*`];
          return couldReach(
            caller,
            path,
            ABILITIES.map((a) => a.action),
            { point, bucket: bucketSide(path, point, deployment) },
            {},
            deployment,
          );
        })
        .map((path) => ({ caller, path })),
    );
    const cells: MatrixCell[] = [];
    for (const column of columns) {
      const contains = prefixContains(prefix, column.prefix);
      const expected = contains ? own : new Set<Ability>();
      const intended = column.consumer === consumer.name ? "own" : contains ? "overlap" : "none";
      const evaluated = new Set<Ability>();
      const differences: CellDifference[] = [];
      for (const ability of ABILITIES) {
        if (expected.has(ability.ability)) {
          const result = await intendedRequest(deployment, consumer, model, ability, column);
          if (result.decision === "Allowed") evaluated.add(ability.ability);
          else
            differences.push({
              ability: ability.ability,
              expected: "allowed",
              via: result.via,
              decidedBy: result.decidedBy,
            });
          continue;
        }
        search: for (const { caller, path } of open) {
          for (const { resource, context, knownAbsent } of requests(path, ability, column)) {
            const resources = { point: [resource], bucket: bucketSide(path, [resource], deployment) };
            if (!couldReach(caller, path, [ability.action], resources, context, deployment)) continue;
            const evaluation = await evaluate(
              {
                principal: caller.probe.principal,
                principalLabel: caller.probe.label,
                action: ability.action,
                resource,
                resourceAccount: path.resourceAccount,
                context: { ...caller.probe.context, ...context },
                knownAbsent,
                identityPolicies: caller.probe.identityPolicies,
                ...(path.policy === undefined ? {} : { resourcePolicy: path.policy }),
                ...(path.route === undefined ? {} : { route: path.route }),
              },
              "Discovery",
            );
            if (evaluation.decision !== "Allowed") continue;
            evaluated.add(ability.ability);
            const when = evaluation.conditions === undefined ? "" : ` (when ${evaluation.conditions})`;
            differences.push({
              ability: ability.ability,
              expected: "denied",
              via: `${caller.probe.label} through ${path.label}${when}`,
              decidedBy: evaluation.decidedBy,
            });
            break search;
          }
        }
      }
      const asExpected = differences.length === 0;
      if (!asExpected) mismatches++;
      cells.push({
        column: column.consumer,
        intended,
        expected: cellText(expected),
        evaluated: cellText(evaluated),
        asExpected,
        differences,
      });
    }
    rows.push({ consumer: consumer.name, principals: labels, cells });
  }
  return { columns, rows, mismatches };
}

/**
 * An intended ability, asked the way the consumer's workload asks it: in
 * Strict mode, on its own way in (its access point, or the bucket's name in
 * the single form), and through an access point allowed by each policy alone.
 */
async function intendedRequest(
  deployment: Deployment,
  consumer: ConsumerDeployment,
  model: AccessModel,
  ability: (typeof ABILITIES)[number],
  column: MatrixColumn,
): Promise<Evaluation & { via: string }> {
  const point = consumer.accessPoint;
  const path = point === undefined ? bucketNamePath(deployment.bucket) : accessPointPath(point);
  const workload = consumer.workload;
  const label = `${consumer.targetRole === undefined ? "instance role" : "target role"} ${workload.name}`;
  const via = `${label} through ${path.label}`;
  const caller = principalCaller(workload.arn, label, deployment.bucket.account, model, deployment.holders);
  if (caller === undefined) {
    return { decision: "Denied", result: "Error", decidedBy: [`${workload.arn} is not a role ARN`], via };
  }
  for (const variant of requests(path, ability, column)) {
    const result = await intendedVariant(path, caller, workload.identityPolicies, label, ability, variant);
    if (result.decision !== "Allowed") return { ...result, via };
  }
  return { decision: "Allowed", result: "Allowed", decidedBy: [], via };
}

async function intendedVariant(
  path: Path,
  caller: ProbeCaller,
  identityPolicies: readonly NamedPolicy[],
  label: string,
  ability: (typeof ABILITIES)[number],
  { resource, context, knownAbsent }: AbilityRequest,
): Promise<Evaluation> {
  const probe: Probe = {
    principal: caller.principal,
    principalLabel: label,
    action: ability.action,
    resource,
    resourceAccount: path.resourceAccount,
    context: { ...caller.context, ...context },
    knownAbsent,
    // The workload's own policies from the app, as the chain rows use them.
    identityPolicies,
    ...(path.policy === undefined ? {} : { resourcePolicy: path.policy }),
    ...(path.route === undefined ? {} : { route: path.route }),
  };
  const together = await evaluate(probe);
  if (together.decision !== "Allowed" || path.route === undefined || together.eachPolicyAllows === true) {
    return together;
  }
  return {
    decision: "Denied",
    result: "ImplicitlyDenied",
    decidedBy: [
      ...together.decidedBy,
      "not every one of its own policy, the access point policy and the bucket policy allows it on its own",
    ],
  };
}
