/**
 * Concrete requests for the evaluator, drawn from what a policy names: the
 * caller a statement admits (a role session for a role, some principal of an
 * account for an account, an unsigned request for "*" on a bucket), with the
 * context keys AWS would set for it, and a resource the statement's Resource
 * pattern matches, preferably one outside what the config allows.
 *
 * A caller's own identity policies come from the app when the app defines
 * them. A caller from another account whose policies are not in the app is
 * assumed to be allowed everything by its own account (its administrators
 * decide, as IAM Access Analyzer assumes); a caller of the resource's own
 * account gets no policies, so only the statement under review can let it in.
 */
import type { AccessModel, NamedPolicy } from "./access-model";
import { arnMatches, instancesOf, instanceOutside } from "./arn-pattern";
import type { AccessPointRoute, Deployment, IdentityHolder, ResourceUnderReview } from "./deployment";
import type { AccessPointKeys } from "./evaluate";
import type { ActionCatalog } from "./iam-actions";
import { accountOfArn, type Admitted } from "./principals";
import type { Caller } from "./zone";

/** An identity policy that allows everything: what another account's administrators can give their principals. */
export const ADMINISTRATOR: NamedPolicy = {
  name: "AdministratorAccess (assumed: its own account allows it everything)",
  source: "(assumed for the check)",
  document: {
    Version: "2012-10-17",
    Statement: [{ Sid: "AdministratorAccess", Effect: "Allow", Action: "*", Resource: "*" }],
  },
};

/** Session name of the probes' role sessions. */
export const PROBE_SESSION = "access-report";

/** A caller for the evaluator. */
export interface ProbeCaller {
  /** What a reader sees, e.g. "target role shared-data-reader". */
  readonly label: string;
  /** ARN of the session or user, a service principal, or "anonymous". */
  readonly principal: string;
  readonly caller: Caller;
  readonly account?: string;
  readonly partition: string;
  readonly context: Readonly<Record<string, string>>;
  readonly identityPolicies: readonly NamedPolicy[];
  /** The caller is not in the app: what its own policies were assumed to be. */
  readonly assumption?: string;
  /** It reaches the bucket through this access point (one outside the app, assumed to let it in). */
  readonly route?: AccessPointKeys;
}

/** An account id no policy of the deployment is likely to name: the caller "from some other account". */
export function outsideAccount(deployment: Deployment): string {
  const taken = [
    deployment.expectations.bucketOwner.accountId,
    ...deployment.consumers.map((consumer) => consumer.expectations.accessor.accountId),
  ];
  return ["999999999999", "888888888888"].find((id) => !taken.includes(id)) ?? "777777777777";
}

const partitionOfArn = (arn: string): string => arn.split(":")[1] ?? "aws";

/** The identity policies of a principal ARN (role or user), and what was assumed about them. */
function identityOf(
  arn: string,
  account: string | undefined,
  resourceAccount: string,
  model: AccessModel,
  holders: readonly IdentityHolder[],
): { policies: readonly NamedPolicy[]; assumption?: string } {
  const user = model.users.find((u) => u.arn === arn);
  const holder = holders.find((h) => h.arn === arn);
  const policies = user?.identityPolicies ?? holder?.policies;
  const external = user?.external ?? holder?.external ?? true;
  const sameAccount = account === resourceAccount;
  if (policies !== undefined && !external) return { policies };
  if (sameAccount) {
    return {
      policies: policies ?? [],
      assumption: "its policies outside the app are not counted (same account: only this policy can let it in)",
    };
  }
  return {
    policies: [...(policies ?? []), ADMINISTRATOR],
    assumption: "its own account is assumed to allow it everything (its policies are outside the app)",
  };
}

/** A session of a role, or a user, with the context keys AWS sets for it. */
export function principalCaller(
  arn: string,
  label: string,
  resourceAccount: string,
  model: AccessModel,
  holders: readonly IdentityHolder[],
): ProbeCaller | undefined {
  const partition = partitionOfArn(arn);
  const account = accountOfArn(arn);
  const resource = arn.split(":").slice(5).join(":");
  if (account === undefined || !/^\d{12}$/.test(account)) return undefined;
  let principal: string;
  let principalArn: string;
  let type: string;
  if (resource.startsWith("role/")) {
    const name = resource.split("/").pop() ?? resource;
    principal = `arn:${partition}:sts::${account}:assumed-role/${name}/${PROBE_SESSION}`;
    principalArn = arn;
    type = "AssumedRole";
  } else if (resource.startsWith("assumed-role/")) {
    const [, name = "", session = PROBE_SESSION] = resource.split("/");
    principal = `arn:${partition}:sts::${account}:assumed-role/${name}/${session}`;
    principalArn = `arn:${partition}:iam::${account}:role/${name}`;
    type = "AssumedRole";
  } else if (resource.startsWith("user/")) {
    principal = arn;
    principalArn = arn;
    type = "User";
  } else if (resource === "root") {
    principal = arn;
    principalArn = arn;
    type = "Account";
  } else return undefined;
  const identity = identityOf(principalArn, account, resourceAccount, model, holders);
  return {
    label,
    principal,
    caller: { kind: "arn", arn: principalArn },
    account,
    partition,
    context: {
      "aws:PrincipalArn": principalArn,
      "aws:PrincipalAccount": account,
      "aws:PrincipalType": type,
      "aws:SecureTransport": "true",
    },
    identityPolicies: identity.policies,
    ...(identity.assumption === undefined ? {} : { assumption: identity.assumption }),
  };
}

/** Some principal of an account that no policy names. */
function accountCaller(
  account: string,
  partition: string,
  label: string,
  resourceAccount: string,
  model: AccessModel,
  holders: readonly IdentityHolder[],
  caller: Caller,
  extraContext: Readonly<Record<string, string>> = {},
): ProbeCaller | undefined {
  const role = principalCaller(
    `arn:${partition}:iam::${account}:role/any-principal`,
    label,
    resourceAccount,
    model,
    holders,
  );
  return role === undefined ? undefined : { ...role, caller, context: { ...role.context, ...extraContext } };
}

/** A concrete principal ARN matching `pattern`, preferably one the zone does not name. */
function principalInstance(pattern: string, avoid: readonly string[], account: string): string | undefined {
  const parts = pattern.split(":");
  if (parts[4] !== undefined && /[*?]/.test(parts[4])) parts[4] = account;
  const withAccount = parts.join(":");
  return instanceOutside(withAccount, avoid) ?? instancesOf(withAccount)[0] ?? withAccount;
}

/** The caller to try for one admitted set; undefined when the evaluator cannot act as it (a canonical user). */
export function callerForAdmitted(
  admitted: Admitted,
  resource: ResourceUnderReview,
  deployment: Deployment,
  model: AccessModel,
  zoneArns: readonly string[],
): ProbeCaller | undefined {
  const partition = partitionOfArn(resource.arns[0] ?? "arn:aws");
  const outside = outsideAccount(deployment);
  const someone = (
    account: string,
    label: string,
    extra: Readonly<Record<string, string>> = {},
  ): ProbeCaller | undefined =>
    accountCaller(account, partition, label, resource.account, model, deployment.holders, { kind: "other" }, extra);
  switch (admitted.kind) {
    case "principal": {
      const arn = /[*?]/.test(admitted.pattern)
        ? principalInstance(admitted.pattern, zoneArns, outside)
        : admitted.pattern;
      return arn === undefined ? undefined : principalCaller(arn, arn, resource.account, model, deployment.holders);
    }
    case "account":
      return accountCaller(
        admitted.account,
        partition,
        `a principal of account ${admitted.account}`,
        resource.account,
        model,
        deployment.holders,
        { kind: "account", account: admitted.account, delegated: admitted.delegated },
      );
    case "anyone":
      return someone(outside, `a principal of account ${outside}, which no policy names`);
    case "organization":
      return someone(outside, `a principal of account ${outside} in organization ${admitted.ids.join(", ")}`, {
        "aws:PrincipalOrgID": admitted.ids[0] ?? "",
      });
    case "all-except": {
      // Someone NotPrincipal does not list: an account it does not name.
      const account = [outside, "777777777777"].find(
        (candidate) => !admitted.except.some((except) => except.includes(candidate)),
      );
      return account === undefined ? undefined : someone(account, `a principal of account ${account}`);
    }
    case "anonymous":
      return {
        label: "an anonymous (unsigned) request",
        principal: "anonymous",
        caller: { kind: "other" },
        partition,
        context: { "aws:SecureTransport": "true" },
        identityPolicies: [],
      };
    case "service":
      return {
        label: `service ${admitted.service}`,
        principal: admitted.service,
        caller: { kind: "service", service: admitted.service },
        partition,
        context: { "aws:SecureTransport": "true" },
        identityPolicies: [],
      };
    case "federated":
      return {
        label: `a user of ${admitted.provider}`,
        principal: admitted.provider,
        caller: { kind: "other" },
        partition,
        context: { "aws:SecureTransport": "true" },
        identityPolicies: [],
      };
    case "canonical-user":
      return undefined;
    case "access-points": {
      // Someone of another account, through an access point of the account named (outside the app, it is
      // assumed to let the caller in): what the delegation hands to that account's access points.
      const account = admitted.account === "*" ? outside : admitted.account;
      const region = deployment.expectations.bucketOwner.region;
      const arn =
        admitted.arn !== undefined && !/[*?]/.test(admitted.arn)
          ? admitted.arn
          : `arn:${partition}:s3:${region}:${account}:accesspoint/access-report-any-access-point`;
      const through = someone(outside, `a principal of account ${outside} through access point ${arn}`);
      return through === undefined
        ? undefined
        : {
            ...through,
            caller: { kind: "access-points", account, ...(admitted.arn === undefined ? {} : { arn: admitted.arn }) },
            route: { arn, account, networkOrigin: "Internet" },
          };
    }
  }
}

/** The holder of identity policies as a caller: a role session, the user, or a member of the group. */
export function callerForHolder(holder: IdentityHolder, model: AccessModel): ProbeCaller | undefined {
  if (holder.kind === "group") {
    const group = model.groups.find((g) => g.arn === holder.arn);
    const member = group?.members[0] ?? "any-member";
    const userArn = holder.arn.replace(/:group\/.*$/, `:user/${member}`);
    const user = principalCaller(userArn, `a member of ${holder.label} (${member})`, holder.account, model, []);
    return user === undefined
      ? undefined
      : { ...user, caller: { kind: "arn", arn: holder.arn }, identityPolicies: holder.policies };
  }
  const caller = principalCaller(holder.arn, holder.label, holder.account, model, []);
  // Only the app's policies: the finding is about what this holder's statement grants.
  return caller === undefined ? undefined : { ...caller, identityPolicies: holderPolicies(holder, model) };
}

function holderPolicies(holder: IdentityHolder, model: AccessModel): readonly NamedPolicy[] {
  return model.users.find((u) => u.arn === holder.arn)?.identityPolicies ?? holder.policies;
}

/** A resource for the evaluator. */
export interface ProbeTarget {
  readonly arn: string;
  readonly account: string;
  readonly label: string;
  readonly policy?: NamedPolicy;
  /** The resource is one the app analyses (its policy is real, not assumed). */
  readonly underReview?: ResourceUnderReview;
  /** An access point of the app: the bucket behind it must allow the request too. */
  readonly route?: AccessPointRoute;
}

/** The policy assumed for a resource outside the app: it trusts the caller's account, so the caller's policies decide. */
function trustsAccount(partition: string, account: string): NamedPolicy {
  return {
    name: `policy of a resource outside the app (assumed: trusts account ${account})`,
    source: "(assumed for the check)",
    document: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AssumedTrustsCallerAccount",
          Effect: "Allow",
          Principal: { AWS: `arn:${partition}:iam::${account}:root` },
          Action: "*",
          Resource: "*",
        },
      ],
    },
  };
}

function kebab(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

/** An ARN of a resource-type format with its ${Placeholders} filled in. */
function fill(format: string, values: Readonly<Record<string, string>>): string {
  return format.replace(/\$\{([^}]+)\}/g, (_match, name: string) => values[name] ?? `any-${kebab(name)}`);
}

/**
 * A concrete resource for `action` that `pattern` matches, outside `avoid`
 * when the pattern allows it; with the resource's own policy when the app
 * analyses it, else a policy that trusts the caller's account.
 */
export async function targetFor(
  pattern: string,
  action: string,
  avoid: readonly string[],
  caller: ProbeCaller,
  deployment: Deployment,
  catalog: ActionCatalog,
): Promise<ProbeTarget> {
  const callerAccount = caller.account ?? deployment.expectations.bucketOwner.accountId;
  const info = await catalog.info(action);
  let arn: string | undefined;
  if (info?.wildcardOnly === true) arn = "*";
  else if (!/[*?]/.test(pattern)) arn = pattern;
  else {
    const instances = instancesOf(pattern);
    const outside = instances.filter((value) => !avoid.some((other) => arnMatches(other, value)));
    for (const value of [...outside, ...instances]) {
      if (await catalog.appliesTo(action, value)) {
        arn = value;
        break;
      }
    }
    if (arn === undefined) {
      const values = {
        Partition: caller.partition,
        Region: deployment.expectations.bucketOwner.region,
        Account: callerAccount,
      };
      const filled = (await catalog.resourceFormats(action)).map((format) => fill(format, values));
      arn = filled.find((value) => arnMatches(pattern, value)) ?? filled[0] ?? pattern;
    }
  }
  const underReview = deployment.resources.find((resource) => resource.arns.some((a) => arnMatches(a, arn)));
  if (underReview !== undefined) {
    // A role's trust policy governs sts actions only: iam:PassRole on the role is the caller's own policies' call.
    const governed = underReview.services.includes(action.split(":")[0]?.toLowerCase() ?? "");
    return {
      arn,
      account: underReview.account,
      label: underReview.label,
      ...(governed ? { policy: underReview.policy } : {}),
      underReview,
      ...(underReview.route === undefined ? {} : { route: underReview.route }),
    };
  }
  const arnAccount = accountOfArn(arn);
  const account = arnAccount !== undefined && /^\d{12}$/.test(arnAccount) ? arnAccount : callerAccount;
  return {
    arn,
    account,
    label: arn === "*" ? "any resource (the action takes none)" : arn,
    policy: arn === "*" ? undefined : trustsAccount(caller.partition, callerAccount),
  };
}
