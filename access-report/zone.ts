/**
 * The zone of trust: everything the configuration means to allow, written as
 * grants (who, which actions, on what, under which conditions) worked out
 * from the config and the contract of the access levels (expectations.ts),
 * never read back from the policies. A statement that allows anything these
 * grants do not cover is an over-grant:
 *   - each resource's own account may administer it (the account root as
 *     principal hands the decision to that account's IAM policies);
 *   - the workload (the target role, or the instance role with a direct
 *     grant) uses the bucket and the key as the access level says;
 *   - the instance role and the configured people assume the target role;
 *   - EC2 assumes the instance role; the Session Manager agent's actions when on.
 */
import { arnContains } from "./arn-pattern";
import { meetsRequirement, type Requirement } from "./conditions";
import type { ConsumerDeployment, Deployment } from "./deployment";
import { levelActions, SESSION_MANAGER_ACTIONS } from "./expectations";
import { serviceOf } from "./iam-actions";
import type { StatementJson } from "./policy-json";
import { accountOfArn, type Admitted } from "./principals";
import { dnsSuffixOf } from "../config/regions";
import { partitionOfAccount } from "./expectations";

/** A principal the zone of trust names. */
export type ZonePrincipal =
  | { readonly kind: "arn"; readonly arn: string }
  /** The account itself (its root): its own IAM policies decide who may act. */
  | { readonly kind: "account"; readonly account: string }
  | { readonly kind: "service"; readonly service: string }
  /** Whoever the access points of the account let in (the bucket policy's delegation). */
  | { readonly kind: "access-points"; readonly account: string };

export interface IntendedGrant {
  readonly id: string;
  /** Why the config allows it, e.g. "the access level read-only". */
  readonly why: string;
  readonly principals: readonly ZonePrincipal[];
  /** Lower-case action names; with `services`, every action of those services instead. */
  readonly actions: ReadonlySet<string>;
  readonly services?: ReadonlySet<string>;
  readonly resources: readonly string[];
  readonly requirements: readonly Requirement[];
}

/** Whether a grant is inside the zone, and if not, the first thing that puts it outside. */
export type Coverage =
  | { readonly covered: true }
  | {
      readonly covered: false;
      readonly reason: "principal" | "action" | "resource" | "condition";
      readonly detail: string;
    };

/** Who the caller of a request is, as the zone sees it. */
export type Caller =
  | { readonly kind: "arn"; readonly arn: string }
  | { readonly kind: "account"; readonly account: string; readonly delegated: boolean }
  | { readonly kind: "service"; readonly service: string }
  /** Requests through the access points of an account ("*" when any), or through one of them. */
  | { readonly kind: "access-points"; readonly account: string; readonly arn?: string }
  | { readonly kind: "other" };

const lower = (actions: readonly string[]): ReadonlySet<string> => new Set(actions.map((a) => a.toLowerCase()));

/** The role a role-session ARN pattern belongs to: `arn:aws:sts::1:assumed-role/name/*` → account and name. */
function sessionRole(pattern: string): { account: string; name: string } | undefined {
  const match = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/*?]+)\/.*$/.exec(pattern);
  return match === null ? undefined : { account: match[1] ?? "", name: match[2] ?? "" };
}

function principalCovers(zone: ZonePrincipal, caller: Caller): boolean {
  switch (caller.kind) {
    case "arn": {
      if (zone.kind !== "arn") return false;
      if (arnContains(zone.arn, caller.arn)) return true;
      const session = sessionRole(caller.arn);
      const [, , , , account, resource = ""] = zone.arn.split(":");
      return (
        session !== undefined &&
        resource.startsWith("role/") &&
        account === session.account &&
        resource.split("/").pop() === session.name
      );
    }
    case "account":
      return caller.delegated && zone.kind === "account" && zone.account === caller.account;
    case "service":
      return zone.kind === "service" && zone.service === caller.service;
    case "access-points":
      return (
        zone.kind === "access-points" &&
        caller.account !== "*" &&
        zone.account === caller.account &&
        (caller.arn === undefined || accountOfArn(caller.arn) === caller.account)
      );
    case "other":
      return false;
  }
}

/** The caller an admitted set stands for; sets wider than one caller (anyone, an organization) are never inside. */
export function callerOf(admitted: Admitted): Caller {
  switch (admitted.kind) {
    case "principal":
      return { kind: "arn", arn: admitted.pattern };
    case "account":
      return { kind: "account", account: admitted.account, delegated: admitted.delegated };
    case "service":
      return { kind: "service", service: admitted.service };
    case "access-points":
      return {
        kind: "access-points",
        account: admitted.account,
        ...(admitted.arn === undefined ? {} : { arn: admitted.arn }),
      };
    default:
      return { kind: "other" };
  }
}

export class ZoneOfTrust {
  readonly grants: readonly IntendedGrant[];

  constructor(private readonly deployment: Deployment) {
    this.grants = intendedGrants(deployment);
  }

  private readonly byCaller = new Map<string, readonly IntendedGrant[]>();
  private readonly containment = new Map<string, boolean>();

  /** The grants whose principals include the caller (a statement with thousands of actions asks once). */
  private grantsFor(caller: Caller): readonly IntendedGrant[] {
    const key = JSON.stringify(caller);
    let found = this.byCaller.get(key);
    if (found === undefined) {
      found = this.grants.filter((grant) => grant.principals.some((zone) => principalCovers(zone, caller)));
      this.byCaller.set(key, found);
    }
    return found;
  }

  private contains(allowed: string, resource: string): boolean {
    const key = `${allowed} ${resource}`;
    let found = this.containment.get(key);
    if (found === undefined) {
      found = arnContains(allowed, resource);
      this.containment.set(key, found);
    }
    return found;
  }

  private actionIn(grant: IntendedGrant, action: string): boolean {
    return grant.actions.has(action.toLowerCase()) || grant.services?.has(serviceOf(action)) === true;
  }

  /**
   * Whether a statement letting `caller` do `action` on the resources
   * `resource` (a pattern) stays inside the zone. `statement` carries the
   * conditions a grant may require (kms:ViaService, s3:prefix).
   */
  covers(caller: Caller, action: string, resource: string, statement: StatementJson): Coverage {
    const forCaller = this.grantsFor(caller);
    if (forCaller.length === 0) return { covered: false, reason: "principal", detail: "outside the zone of trust" };
    const forAction = forCaller.filter((grant) => this.actionIn(grant, action));
    if (forAction.length === 0) {
      return { covered: false, reason: "action", detail: `beyond what the config grants (${describe(forCaller)})` };
    }
    const forResource = forAction.filter((grant) =>
      grant.resources.some((allowed) => this.contains(allowed, resource)),
    );
    if (forResource.length === 0) {
      const allowed = [...new Set(forAction.flatMap((grant) => grant.resources))].join(", ");
      return { covered: false, reason: "resource", detail: `on resources beyond ${allowed}` };
    }
    if (forResource.some((grant) => grant.requirements.every((r) => meetsRequirement(statement, r)))) {
      return { covered: true };
    }
    const missing = forResource.flatMap((grant) => grant.requirements.filter((r) => !meetsRequirement(statement, r)));
    return {
      covered: false,
      reason: "condition",
      detail: `without ${[...new Set(missing.map((r) => r.description))].join(" and ")}`,
    };
  }

  /** Whether a single request (no conditions to check: the caller's context is assumed right) is intended. */
  intends(caller: Caller, action: string, resource: string): boolean {
    return this.grantsFor(caller).some(
      (grant) => this.actionIn(grant, action) && grant.resources.some((allowed) => this.contains(allowed, resource)),
    );
  }

  /** The requirements the zone puts on a request, e.g. kms:ViaService for the key. */
  requirementsFor(caller: Caller, action: string, resource: string): readonly Requirement[] {
    return this.grantsFor(caller)
      .filter(
        (grant) => this.actionIn(grant, action) && grant.resources.some((allowed) => this.contains(allowed, resource)),
      )
      .flatMap((grant) => grant.requirements);
  }

  get target(): Deployment {
    return this.deployment;
  }
}

function describe(grants: readonly IntendedGrant[]): string {
  return [...new Set(grants.map((grant) => grant.why))].join("; ");
}

/** The grants the configuration implies: the owner's administration, then each consumer's. */
function intendedGrants(deployment: Deployment): IntendedGrant[] {
  const grants: IntendedGrant[] = [];
  for (const resource of deployment.resources) {
    grants.push({
      id: `owner-administers:${resource.id}`,
      why: `account ${resource.account} administers its own ${resource.kind}`,
      principals: [{ kind: "account", account: resource.account }],
      actions: new Set(),
      services: new Set(resource.services),
      resources: resource.arns,
      requirements: [],
    });
  }
  if (deployment.listForm) {
    // The bucket delegates to the owner's own access points, up to the full level's actions: bucket
    // administration never goes through an access point, and each access point's policy decides who.
    const full = levelActions("full");
    const { bucket } = deployment;
    grants.push({
      id: "delegation-to-access-points",
      why: `the bucket delegates to the access points of account ${bucket.account} (at most the full level)`,
      principals: [{ kind: "access-points", account: bucket.account }],
      actions: lower([...full.bucket, ...full.object]),
      resources: [bucket.arn, `${bucket.arn}/*`],
      requirements: [],
    });
  }
  for (const consumer of deployment.consumers) grants.push(...consumerGrants(deployment, consumer));
  return grants;
}

/** What one consumer's workload, instance role and people may do. */
function consumerGrants(deployment: Deployment, consumer: ConsumerDeployment): IntendedGrant[] {
  const { expectations, workload, instanceRole, targetRole, objects, people } = consumer;
  const { bucket, key } = deployment;
  const level = levelActions(expectations.accessLevel, expectations.keyPrefix);
  const grants: IntendedGrant[] = [];
  const workloadPrincipal: ZonePrincipal = { kind: "arn", arn: workload.arn };
  const of = deployment.listForm ? ` of ${consumer.name}` : "";
  const workloadName = targetRole === undefined ? "the instance role (direct grant)" : `the target role${of}`;
  const levelWhy = `${workloadName} at access level ${expectations.accessLevel}`;
  const id = (name: string): string => (deployment.listForm ? `${consumer.name}:${name}` : name);
  // With an access point, the workload's bucket actions name the access point, never the bucket.
  const bucketArn = consumer.accessPoint?.route.arn ?? bucket.arn;
  const through = consumer.accessPoint === undefined ? "" : ` through ${consumer.accessPoint.label}`;

  const prefix = expectations.keyPrefix;
  const listing = prefix === undefined ? [] : level.bucket.filter((a) => level.listing.includes(a));
  grants.push({
    id: id("workload-bucket"),
    why: `${levelWhy}${through}`,
    principals: [workloadPrincipal],
    actions: lower(level.bucket.filter((a) => !listing.includes(a))),
    resources: [bucketArn],
    requirements: [],
  });
  if (prefix !== undefined) {
    grants.push({
      id: id("workload-listing"),
      why: `${levelWhy}${through}, listing under ${prefix}`,
      principals: [workloadPrincipal],
      actions: lower(listing),
      resources: [bucketArn],
      requirements: [
        {
          key: "s3:prefix",
          within: [`${prefix}*`],
          description: `an s3:prefix condition inside ${prefix}`,
          violations: ["", undefined],
        },
      ],
    });
  }
  grants.push({
    id: id("workload-objects"),
    why: `${levelWhy}${through}`,
    principals: [workloadPrincipal],
    actions: lower(level.object),
    resources: [objects],
    requirements: [],
  });
  if (key !== undefined) {
    grants.push({
      id: id("workload-key"),
      why: `${levelWhy}, the bucket's key through S3`,
      principals: [workloadPrincipal],
      actions: lower(level.kms),
      resources: [key.arn],
      requirements: [
        {
          key: "kms:ViaService",
          within: [deployment.viaS3],
          description: `kms:ViaService = ${deployment.viaS3} (the key used only through S3)`,
          violations: [undefined, deployment.viaS3.replace(/^s3\./, "ec2.")],
        },
      ],
    });
  }
  if (targetRole !== undefined) {
    grants.push({
      id: id("chain"),
      why: `the instance role and the configured people${of} assume the target role${of}`,
      principals: [
        { kind: "arn", arn: instanceRole.arn },
        ...people.users.map((user): ZonePrincipal => ({ kind: "arn", arn: user.arn })),
        ...people.roleArns.map((arn): ZonePrincipal => ({ kind: "arn", arn })),
        ...(people.groupArn === undefined ? [] : [{ kind: "arn", arn: people.groupArn } as const]),
      ],
      actions: lower(["sts:AssumeRole"]),
      resources: [targetRole.arn],
      requirements: [],
    });
  }
  const accessorPartition = partitionOfAccount(expectations.accessor);
  grants.push({
    id: id("ec2-assumes-instance-role"),
    why: `EC2 assumes the instance role${of} for the instance profile`,
    principals: [{ kind: "service", service: `ec2.${dnsSuffixOf(accessorPartition)}` }],
    actions: lower(["sts:AssumeRole"]),
    resources: [instanceRole.arn],
    requirements: [],
  });
  if (expectations.sessionManager) {
    const accessor = expectations.accessor;
    // The created instance exactly; without one, the instances of the accessor's account and region.
    const instances = expectations.instanceCreated
      ? consumer.instances
      : [`arn:${accessorPartition}:ec2:${accessor.region}:${accessor.accountId}:instance/*`];
    grants.push(
      {
        id: id("session-manager-instance"),
        why: `instance.sessionManager${of}: the SSM agent registers its instance`,
        principals: [{ kind: "arn", arn: instanceRole.arn }],
        actions: lower(SESSION_MANAGER_ACTIONS.onInstance),
        resources: instances,
        requirements: [],
      },
      {
        id: id("session-manager-channels"),
        why: `instance.sessionManager${of}: the SSM agent's channels (no resource type)`,
        principals: [{ kind: "arn", arn: instanceRole.arn }],
        actions: lower(SESSION_MANAGER_ACTIONS.onAnyResource),
        resources: ["*"],
        requirements: [],
      },
    );
  }
  return grants;
}
