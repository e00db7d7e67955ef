/**
 * The intended chain, end to end, and the guardrails around it, as requests
 * for the evaluator with the context a real caller sends (Strict mode):
 *   - the instance role and the configured people can assume the target role;
 *   - the workload can do every action of its access level on the bucket, its
 *     objects under the key prefix, and (SSE-KMS) the key through S3;
 *   - the same requests over plain HTTP are denied, the key cannot be used
 *     outside S3, and nothing outside the key prefix can be read or listed.
 * With an `accessors` list, every consumer gets these rows, its workload
 * reaching the bucket through its access point (and not by the bucket's name).
 * An intended request through an access point must be allowed by each of the
 * three policies on its own: the role's own policy on the access point, the
 * access point policy, and the bucket policy; that is the reading of "both
 * the access point and the bucket must permit the request" a chain that works
 * cannot depend on more than.
 * The actions come from the access level's contract (expectations.ts), not
 * from the policies; a row that fails is an under-grant (or a lost guardrail).
 */
import type { AccessModel, NamedPolicy } from "./access-model";
import type { AccessPointRoute, ConsumerDeployment, Deployment, ResourceUnderReview } from "./deployment";
import { probeCouldBeAllowed } from "./prefilter";
import { evaluate, type Decision, type Evaluation } from "./evaluate";
import { levelActions } from "./expectations";
import { ActionCatalog } from "./iam-actions";
import { principalCaller, type ProbeCaller } from "./probes";

/** One action of a row, as evaluated. */
export interface CheckResult {
  readonly action: string;
  readonly evaluation: Evaluation;
  readonly asExpected: boolean;
}

/** A row: one caller, one resource, the actions of one part of the contract. */
export interface CheckRow {
  /** Stable id, e.g. "bucket/objects"; tests and JSON consumers key on it. */
  readonly id: string;
  readonly group: string;
  /** The check in words. */
  readonly question: string;
  readonly principal: string;
  readonly principalArn: string;
  readonly resource: string;
  readonly resourceArn: string;
  readonly actions: readonly string[];
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly expected: Decision;
  readonly expectedBecause: string;
  readonly results: readonly CheckResult[];
  /** "Allowed", "Denied", or which actions went which way. */
  readonly evaluated: string;
  readonly decidedBy: readonly string[];
  readonly asExpected: boolean;
}

/** What a person's own policies (outside the app) are assumed to allow: assuming the target role. */
function assumedAssumePermission(targetRoleArn: string): NamedPolicy {
  return {
    name: "(assumed) own policies allow sts:AssumeRole",
    source: "(outside the app)",
    document: {
      Version: "2012-10-17",
      Statement: [
        { Sid: "AssumedAllowAssumeTargetRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: targetRoleArn },
      ],
    },
  };
}

interface RowSpec {
  readonly id: string;
  readonly group: string;
  readonly question: string;
  readonly caller: ProbeCaller;
  readonly actions: readonly string[];
  readonly resource: {
    readonly arn: string;
    readonly label: string;
    readonly account: string;
    readonly policy?: NamedPolicy;
    /** Through an access point: the bucket behind it must allow the request too. */
    readonly route?: AccessPointRoute;
  };
  readonly context?: Readonly<Record<string, string>>;
  readonly expected: Decision;
  readonly expectedBecause: string;
}

/** False when no Allow statement of the row's policies can match the request (both sides of an access point). */
function rowCouldBeAllowed(spec: RowSpec, action: string, context: Readonly<Record<string, string>>): boolean {
  const resource: ResourceUnderReview = {
    id: spec.resource.arn,
    label: spec.resource.label,
    kind: spec.resource.route === undefined ? "bucket" : "access-point",
    account: spec.resource.account,
    services: [action.split(":")[0] ?? ""],
    arns: [spec.resource.arn],
    ...(spec.resource.policy === undefined ? {} : { policy: spec.resource.policy }),
    ...(spec.resource.route === undefined ? {} : { route: spec.resource.route }),
  };
  return probeCouldBeAllowed(
    { ...spec.caller, context: { ...spec.caller.context, ...context } },
    [action],
    spec.resource.arn,
    resource,
  );
}

async function evaluateRow(spec: RowSpec): Promise<CheckRow> {
  const context: Record<string, string> = { ...spec.caller.context, ...(spec.context ?? {}) };
  const results: CheckResult[] = [];
  for (const action of spec.actions) {
    const probe = {
      principal: spec.caller.principal,
      principalLabel: spec.caller.label,
      action,
      resource: spec.resource.arn,
      resourceAccount: spec.resource.account,
      context,
      identityPolicies: spec.caller.identityPolicies,
      resourcePolicy: spec.resource.policy,
      ...(spec.resource.route === undefined ? {} : { route: spec.resource.route }),
    };
    // A guardrail no Allow statement can break is settled without the evaluator (prefilter.ts).
    if (spec.expected === "Denied" && !rowCouldBeAllowed(spec, action, context)) {
      results.push({
        action,
        evaluation: {
          decision: "Denied",
          result: "ImplicitlyDenied",
          decidedBy: [
            `no Allow statement of the ${spec.caller.label}'s policies or of ${spec.resource.label}'s matches it`,
          ],
        },
        asExpected: true,
      });
      continue;
    }
    let evaluation = await evaluate(probe);
    if (spec.resource.route !== undefined && spec.expected === "Allowed" && evaluation.decision === "Allowed") {
      // Each policy on its own: the role's policy on the access point, the access point's and the bucket's.
      if (evaluation.eachPolicyAllows !== true) {
        evaluation = {
          decision: "Denied",
          result: "ImplicitlyDenied",
          decidedBy: [
            ...evaluation.decidedBy,
            "not every one of the role's policy, the access point policy and the bucket policy allows it on its own",
          ],
        };
      }
    }
    results.push({
      action,
      evaluation,
      asExpected: evaluation.result !== "Error" && evaluation.decision === spec.expected,
    });
  }
  const allowed = results.filter((r) => r.evaluation.decision === "Allowed").map((r) => r.action);
  const denied = results.filter((r) => r.evaluation.decision === "Denied").map((r) => r.action);
  const evaluated =
    denied.length === 0
      ? "Allowed"
      : allowed.length === 0
        ? "Denied"
        : `Allowed: ${allowed.join(", ")}; Denied: ${denied.join(", ")}`;
  return {
    id: spec.id,
    group: spec.group,
    question: spec.question,
    principal: spec.caller.label,
    principalArn: spec.caller.principal,
    resource: spec.resource.label,
    resourceArn: spec.resource.arn,
    actions: spec.actions,
    context,
    expected: spec.expected,
    expectedBecause: spec.expectedBecause,
    results,
    evaluated,
    decidedBy: [...new Set(results.flatMap((r) => r.evaluation.decidedBy))],
    asExpected: results.every((r) => r.asExpected),
  };
}

/** Every intended and guardrail row of a deployment: each consumer's. */
export async function checkRows(
  deployment: Deployment,
  model: AccessModel,
  catalog: ActionCatalog = new ActionCatalog(),
): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  for (const consumer of deployment.consumers) {
    rows.push(...(await consumerRows(deployment, consumer, model, catalog)));
  }
  return rows;
}

async function consumerRows(
  deployment: Deployment,
  consumer: ConsumerDeployment,
  model: AccessModel,
  catalog: ActionCatalog,
): Promise<CheckRow[]> {
  const { expectations, instanceRole, targetRole } = consumer;
  const { bucket, key } = deployment;
  const level = levelActions(expectations.accessLevel, expectations.keyPrefix);
  const owner = expectations.bucketOwner.accountId;
  const caller = (arn: string, label: string, account: string): ProbeCaller => {
    const found = principalCaller(arn, label, account, model, deployment.holders);
    if (found === undefined) throw new Error(`${arn} is not a role or user ARN`);
    return found;
  };
  // The intended rows use the app's own policies only: the chain must work with what the app deploys.
  const appCaller = (arn: string, label: string, policies: readonly NamedPolicy[]): ProbeCaller => {
    const { assumption: _ignored, ...rest } = caller(arn, label, owner);
    return { ...rest, identityPolicies: policies };
  };
  const instance = appCaller(instanceRole.arn, `instance role ${instanceRole.name}`, instanceRole.identityPolicies);
  const workloadCaller =
    targetRole === undefined
      ? instance
      : appCaller(targetRole.arn, `target role ${targetRole.name}`, targetRole.identityPolicies);
  const specs: RowSpec[] = [];
  // With an accessors list, each consumer's rows are named and grouped by the consumer.
  const named = deployment.listForm
    ? (text: string): string => `${consumer.name}: ${text}`
    : (text: string): string => text;
  const id = deployment.listForm
    ? (text: string): string => `${consumer.name}/${text}`
    : (text: string): string => text;

  if (targetRole !== undefined) {
    const targetRoleResource = {
      arn: targetRole.arn,
      label: "target role",
      account: owner,
      policy: targetRole.trustPolicy,
    };
    const chain = named("Role chain");
    specs.push({
      id: id("assume/instance-role"),
      group: chain,
      question: "The instance role can assume the target role",
      caller: instance,
      actions: ["sts:AssumeRole"],
      resource: targetRoleResource,
      expected: "Allowed",
      expectedBecause: "the chain: the instance role assumes the target role",
    });
    for (const user of consumer.people.users) {
      const modelUser = model.users.find((u) => u.arn === user.arn);
      const policies =
        modelUser === undefined || modelUser.identityPolicies.length === 0
          ? [assumedAssumePermission(targetRole.arn)]
          : modelUser.identityPolicies;
      specs.push({
        id: id(`assume/user-${user.name}`),
        group: chain,
        question: `IAM user ${user.name} can assume the target role`,
        caller: appCaller(user.arn, `user ${user.name}`, policies),
        actions: ["sts:AssumeRole"],
        resource: targetRoleResource,
        expected: "Allowed",
        expectedBecause: "people listed in humanAccess may assume the target role",
      });
    }
    for (const roleArn of consumer.people.roleArns) {
      const name = roleArn.split("/").pop() ?? roleArn;
      specs.push({
        id: id(`assume/person-role-${name}`),
        group: chain,
        question: `Role ${name} can assume the target role`,
        caller: appCaller(roleArn, `role ${name}`, [assumedAssumePermission(targetRole.arn)]),
        actions: ["sts:AssumeRole"],
        resource: targetRoleResource,
        expected: "Allowed",
        expectedBecause: "roles listed in humanAccess may assume the target role",
      });
    }
  }

  const who = targetRole === undefined ? "instance role" : "target role";
  const point = consumer.accessPoint;
  const onBucket = named(
    `The ${who} on the bucket (${expectations.accessLevel}${point === undefined ? "" : `, through ${point.label}`})`,
  );
  const prefix = expectations.keyPrefix;
  const bucketResource =
    point === undefined
      ? { arn: bucket.arn, label: "the bucket", account: bucket.account, policy: bucket.policy }
      : { arn: point.route.arn, label: point.label, account: point.account, policy: point.policy, route: point.route };
  const objectsBase = point === undefined ? `${bucket.arn}/` : `${point.route.arn}/object/`;
  const objectResource = {
    ...bucketResource,
    arn: `${objectsBase}${prefix ?? ""}access-report/example-object.txt`,
    label: prefix === undefined ? "an object" : `an object under ${prefix}`,
  };
  const listContext: Record<string, string> = prefix === undefined ? {} : { "s3:prefix": prefix };
  // Through an access point, only the bucket actions AWS's catalogue lets a request name an access point for.
  const bucketActions: string[] = [];
  for (const action of level.bucket) {
    if (point === undefined || (await catalog.appliesTo(action, point.route.arn))) bucketActions.push(action);
  }
  const skipped = level.bucket.filter((action) => !bucketActions.includes(action));
  const notAsked =
    skipped.length === 0
      ? ""
      : ` (${skipped.join(", ")} not asked: AWS's catalogue names no access point resource for ${skipped.length === 1 ? "it" : "them"})`;
  specs.push(
    {
      id: id("bucket/bucket-actions"),
      group: onBucket,
      question: `The ${who} can ${prefix === undefined ? "list and locate the bucket" : `list ${prefix} and locate the bucket`}`,
      caller: workloadCaller,
      actions: bucketActions,
      resource: bucketResource,
      context: listContext,
      expected: "Allowed",
      expectedBecause: `every bucket action of ${expectations.accessLevel}${notAsked}`,
    },
    {
      id: id("bucket/object-actions"),
      group: onBucket,
      question: `The ${who} can use ${prefix === undefined ? "objects" : `objects under ${prefix}`}`,
      caller: workloadCaller,
      actions: level.object,
      resource: objectResource,
      expected: "Allowed",
      expectedBecause: `every object action of ${expectations.accessLevel}`,
    },
  );
  const viaS3 = { "kms:ViaService": deployment.viaS3, "kms:CallerAccount": workloadCaller.account ?? "" };
  const keyResource =
    key === undefined
      ? undefined
      : { arn: key.arn, label: "the bucket's KMS key", account: key.account, policy: key.policy };
  if (keyResource !== undefined) {
    specs.push({
      id: id("kms/via-s3"),
      group: onBucket,
      question: `The ${who} can use the bucket's key through S3`,
      caller: workloadCaller,
      actions: level.kms,
      resource: keyResource,
      context: viaS3,
      expected: "Allowed",
      expectedBecause: "SSE-KMS objects need the key: kms:Decrypt to read, kms:GenerateDataKey to write",
    });
  }

  const guardrails = named("Guardrails");
  specs.push(
    {
      id: id("guard/plain-http-bucket"),
      group: guardrails,
      question: `Plain-HTTP requests on the bucket are denied, even from the ${who}`,
      caller: workloadCaller,
      actions: bucketActions,
      resource: bucketResource,
      context: { ...listContext, "aws:SecureTransport": "false" },
      expected: "Denied",
      expectedBecause: "the bucket policy refuses requests without TLS",
    },
    {
      id: id("guard/plain-http-objects"),
      group: guardrails,
      question: `Plain-HTTP requests on objects are denied, even from the ${who}`,
      caller: workloadCaller,
      actions: level.object,
      resource: objectResource,
      context: { "aws:SecureTransport": "false" },
      expected: "Denied",
      expectedBecause: "the bucket policy refuses requests without TLS",
    },
  );
  if (point !== undefined) {
    const direct = { arn: bucket.arn, label: "the bucket", account: bucket.account, policy: bucket.policy };
    specs.push(
      {
        id: id("guard/bucket-name-bucket"),
        group: guardrails,
        question: `The ${who} cannot reach the bucket by its name`,
        caller: workloadCaller,
        actions: level.bucket,
        resource: direct,
        context: listContext,
        expected: "Denied",
        expectedBecause: "the bucket policy delegates only to requests through the owner's access points",
      },
      {
        id: id("guard/bucket-name-objects"),
        group: guardrails,
        question: `The ${who} cannot use objects by the bucket's name`,
        caller: workloadCaller,
        actions: level.object,
        resource: { ...direct, arn: `${bucket.arn}/${prefix ?? ""}access-report/example-object.txt` },
        expected: "Denied",
        expectedBecause: "the bucket policy delegates only to requests through the owner's access points",
      },
    );
  }
  if (keyResource !== undefined) {
    specs.push({
      id: id("guard/kms-outside-s3"),
      group: guardrails,
      question: `The ${who} cannot use the key outside S3`,
      caller: workloadCaller,
      actions: level.kms,
      resource: keyResource,
      context: { "kms:CallerAccount": viaS3["kms:CallerAccount"] },
      expected: "Denied",
      expectedBecause: "the key is usable only through S3 (kms:ViaService)",
    });
  }
  if (prefix !== undefined) {
    specs.push(
      {
        id: id("guard/objects-outside-prefix"),
        group: guardrails,
        question: `The ${who} cannot use objects outside ${prefix}`,
        caller: workloadCaller,
        actions: level.object,
        resource: {
          ...bucketResource,
          arn: `${objectsBase}outside-the-prefix/example-object.txt`,
          label: "an object outside the prefix",
        },
        expected: "Denied",
        expectedBecause: "access is limited to the key prefix",
      },
      {
        id: id("guard/list-outside-prefix"),
        group: guardrails,
        question: `The ${who} cannot list the whole bucket`,
        caller: workloadCaller,
        actions: level.listing.filter((action) => level.bucket.includes(action)),
        resource: bucketResource,
        context: { "s3:prefix": "" },
        expected: "Denied",
        expectedBecause: "listing is limited to the key prefix",
      },
    );
  }
  const rows: CheckRow[] = [];
  for (const spec of specs) rows.push(await evaluateRow(spec));
  return rows;
}
