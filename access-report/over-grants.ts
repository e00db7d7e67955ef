/**
 * The grants every Allow statement states, compared with the zone of trust:
 * for a resource policy, every principal the statement admits; for an
 * identity policy, the role, user or group that holds it; in both, every
 * action the Action or NotAction element covers (expanded from AWS's
 * catalogue) on every resource its Resource or NotResource element names.
 * Whatever the zone does not cover is returned, grouped by statement,
 * principal, resource and reason. Whether it is effective is the evaluator's
 * call (judge.ts): this is what the policies say, not what AWS would do.
 */
import type { NamedPolicy } from "./access-model";
import { arnContains, arnOverlaps, variablesAsWildcards } from "./arn-pattern";
import type { Deployment, IdentityHolder, ResourceUnderReview } from "./deployment";
import { serviceOf, type ActionCatalog } from "./iam-actions";
import { listOf, type StatementJson } from "./policy-json";
import { admittedKey, admittedPrincipals, describeAdmitted, type Admitted } from "./principals";
import type { Requirement } from "./conditions";
import { callerOf, type Caller, type Coverage, type ZoneOfTrust } from "./zone";

/** A statement, named the way a reviewer finds it. */
export interface StatementRef {
  /** The policy's name, e.g. "bucket policy of example-shared-data-111122223333". */
  readonly policy: string;
  /** The Terraform address that writes the policy. */
  readonly source: string;
  readonly sid?: string;
  /** 1-based position in the policy. */
  readonly index: number;
  /** e.g. `bucket policy of x, statement "PublicRead" (aws_s3_bucket_policy.bucket_policy)`. */
  readonly label: string;
  readonly statement?: StatementJson;
}

export type OverGrantReason = Exclude<Coverage, { covered: true }>["reason"] | "unknown-policy";

/** What one statement grants beyond the zone of trust, for one principal and one resource pattern. */
export interface StatedGrant {
  readonly id: string;
  readonly side: "resource policy" | "identity policy" | "attached managed policy";
  /** Who, in words. */
  readonly principal: string;
  /** Who, as written (an ARN or pattern, "*", a service). */
  readonly principalKey: string;
  readonly caller: Caller;
  readonly admitted?: Admitted;
  readonly holder?: IdentityHolder;
  /** The resource whose policy holds the statement (resource policies). */
  readonly policyResource?: ResourceUnderReview;
  /** Every action beyond the zone, as AWS names them. */
  readonly actions: readonly string[];
  /** The Action or NotAction element as written. */
  readonly actionsAsWritten: string;
  /** The resource pattern (resolved), or "*" for NotResource. */
  readonly resource: string;
  readonly notResource?: readonly string[];
  readonly statement: StatementRef;
  readonly reason: OverGrantReason;
  /** Why it is outside, e.g. "beyond what the config grants (…)", "without kms:ViaService = …". */
  readonly detail: string;
  /** The conditions the grant was required to carry and does not: probes try requests that break them. */
  readonly missing: readonly Requirement[];
}

/** A statement's name for findings. */
export function statementRef(policy: NamedPolicy, statement: StatementJson, index: number): StatementRef {
  const sid = typeof statement.Sid === "string" && statement.Sid !== "" ? statement.Sid : undefined;
  const which = sid === undefined ? `statement ${index}` : `statement "${sid}"`;
  return {
    policy: policy.name,
    source: policy.source,
    ...(sid === undefined ? {} : { sid }),
    index,
    label: `${policy.name}, ${which} (${policy.source})`,
    statement,
  };
}

function actionsAsWritten(statement: StatementJson): string {
  return statement.NotAction !== undefined
    ? `NotAction ${JSON.stringify(statement.NotAction)}`
    : JSON.stringify(statement.Action ?? []);
}

/** The parts of a resource that a resource-policy statement names. */
function resourcePatternsIn(statement: StatementJson, resource: ResourceUnderReview): string[] {
  if (statement.NotResource !== undefined) {
    const excluded = listOf(statement.NotResource).map(variablesAsWildcards);
    return resource.arns.filter((arn) => !excluded.some((pattern) => arnContains(pattern, arn)));
  }
  const written = statement.Resource === undefined ? undefined : listOf(statement.Resource).map(variablesAsWildcards);
  const patterns = written ?? [resource.implicitResource ?? "*"];
  const result = new Set<string>();
  for (const pattern of patterns) {
    if (pattern === "*" && resource.implicitResource !== undefined) {
      result.add(resource.implicitResource);
      continue;
    }
    for (const arn of resource.arns) {
      if (arnContains(arn, pattern)) result.add(pattern);
      else if (arnContains(pattern, arn)) result.add(arn);
      else if (arnOverlaps(pattern, arn)) result.add(pattern);
    }
  }
  return [...result];
}

interface Pending {
  readonly caller: Caller;
  readonly principal: string;
  readonly principalKey: string;
  readonly admitted?: Admitted;
  readonly holder?: IdentityHolder;
  readonly policyResource?: ResourceUnderReview;
  readonly side: StatedGrant["side"];
  readonly statement: StatementRef;
  readonly resource: string;
  readonly notResource?: readonly string[];
}

/** Every over-grant the policies state. */
export async function statedOverGrants(
  deployment: Deployment,
  zone: ZoneOfTrust,
  catalog: ActionCatalog,
): Promise<StatedGrant[]> {
  const found: StatedGrant[] = [];
  const check = async (pending: Pending, actions: readonly string[], raw: StatementJson): Promise<void> => {
    // One finding per reason: the details of its actions (which resources they may have) are listed together.
    const groups = new Map<OverGrantReason, { details: Set<string>; actions: string[] }>();
    for (const action of actions) {
      if (!(await catalog.appliesTo(action, pending.resource))) continue;
      const coverage = zone.covers(pending.caller, action, pending.resource, raw);
      if (coverage.covered) continue;
      const group = groups.get(coverage.reason) ?? { details: new Set<string>(), actions: [] };
      group.details.add(coverage.detail);
      group.actions.push(action);
      groups.set(coverage.reason, group);
    }
    const rank = async (action: string): Promise<number> => {
      const level = (await catalog.info(action))?.accessLevel ?? "";
      return /Permissions management/.test(level) ? 0 : /Write/.test(level) ? 1 : 2;
    };
    for (const [reason, { details, actions: unsorted }] of groups) {
      // The most telling first: who may change permissions, then who may write, then who may read or list.
      const ranks = new Map(await Promise.all(unsorted.map(async (action) => [action, await rank(action)] as const)));
      const beyond = [...unsorted].sort((a, b) => (ranks.get(a) ?? 2) - (ranks.get(b) ?? 2) || a.localeCompare(b));
      const coverage = { reason, detail: [...details].join("; ") };
      const missing =
        coverage.reason === "condition"
          ? [
              ...new Map(
                beyond
                  .flatMap((action) => zone.requirementsFor(pending.caller, action, pending.resource))
                  .map((requirement) => [requirement.key, requirement] as const),
              ).values(),
            ]
          : [];
      found.push({
        id: `${pending.statement.source}#${pending.statement.index}|${pending.principalKey}|${pending.resource}|${coverage.reason}`,
        side: pending.side,
        principal: pending.principal,
        principalKey: pending.principalKey,
        caller: pending.caller,
        ...(pending.admitted === undefined ? {} : { admitted: pending.admitted }),
        ...(pending.holder === undefined ? {} : { holder: pending.holder }),
        ...(pending.policyResource === undefined ? {} : { policyResource: pending.policyResource }),
        actions: beyond,
        actionsAsWritten: actionsAsWritten(raw),
        resource: pending.resource,
        ...(pending.notResource === undefined ? {} : { notResource: pending.notResource }),
        statement: pending.statement,
        reason,
        detail: coverage.detail,
        missing,
      });
    }
  };

  for (const resource of deployment.resources) {
    const policy = resource.policy;
    if (policy === undefined) continue;
    for (const [position, statement] of policy.document.Statement.entries()) {
      if (statement.Effect !== "Allow") continue;
      const ref = statementRef(policy, statement, position + 1);
      const actions = (await catalog.statementActions(statement)).filter((action) =>
        resource.services.includes(serviceOf(action)),
      );
      // Only S3 serves unsigned requests; STS and KMS refuse them whatever a policy says.
      const admitted = admittedPrincipals(statement).filter(
        (a) => a.kind !== "anonymous" || resource.kind === "bucket",
      );
      for (const one of admitted) {
        for (const pattern of resourcePatternsIn(statement, resource)) {
          await check(
            {
              caller: callerOf(one),
              principal: describeAdmitted(one),
              principalKey: admittedKey(one),
              admitted: one,
              policyResource: resource,
              side: "resource policy",
              statement: ref,
              resource: pattern,
            },
            actions,
            statement,
          );
        }
      }
    }
  }

  for (const holder of deployment.holders) {
    const caller: Caller = { kind: "arn", arn: holder.arn };
    for (const policy of holder.policies) {
      for (const [position, statement] of policy.document.Statement.entries()) {
        if (statement.Effect !== "Allow") continue;
        const actions = await catalog.statementActions(statement);
        const notResource =
          statement.NotResource === undefined ? undefined : listOf(statement.NotResource).map(variablesAsWildcards);
        const patterns = notResource !== undefined ? ["*"] : listOf(statement.Resource ?? []).map(variablesAsWildcards);
        for (const pattern of patterns) {
          await check(
            {
              caller,
              principal: `${holder.label} (${holder.arn})`,
              principalKey: holder.arn,
              holder,
              side: "identity policy",
              statement: statementRef(policy, statement, position + 1),
              resource: pattern,
              ...(notResource === undefined ? {} : { notResource }),
            },
            actions,
            statement,
          );
        }
      }
    }
    for (const attachment of holder.unknownAttachments) {
      found.push({
        id: `${attachment.source}|${attachment.policyArn}|${holder.arn}`,
        side: "attached managed policy",
        principal: `${holder.label} (${holder.arn})`,
        principalKey: holder.arn,
        caller,
        holder,
        actions: [],
        actionsAsWritten: `every action of ${attachment.policyArn}`,
        resource: "(whatever the policy names)",
        statement: {
          policy: attachment.policyArn,
          source: attachment.source,
          index: 0,
          label: `managed policy ${attachment.policyArn} attached by ${attachment.source}`,
        },
        reason: "unknown-policy",
        detail: "its statements are not in the app, so the report cannot show they stay inside the zone of trust",
        missing: [],
      });
    }
  }
  return found;
}
