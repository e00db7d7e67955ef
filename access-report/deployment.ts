/**
 * What the report analyses in one synth output: the parts the config names
 * (the bucket, the target role, the instance role, the key, the people), and
 * every policy of the app: each resource with a resource-based policy (the
 * bucket, each role's trust policy, the key) and each identity that holds
 * policies (roles, users, groups). A resource or identity the config does not
 * name is analysed too: the zone of trust gives it nothing, so whatever its
 * policies grant is a finding.
 */
import type { AccessModel, BucketModel, NamedPolicy, RoleModel, UnknownAttachment } from "./access-model";
import { AccessExpectations, ConsumerExpectations, partitionOfAccount } from "./expectations";
import type { StatementJson } from "./policy-json";
import { dnsSuffixOf } from "../config/regions";

/** The bucket behind an access point: a request through the access point is also evaluated against it. */
export interface AccessPointRoute {
  /** The access point's ARN (what s3:DataAccessPointArn holds for a request through it). */
  readonly arn: string;
  /** The account that owns it (s3:DataAccessPointAccount). */
  readonly account: string;
  readonly networkOrigin: "Internet" | "VPC";
  /** The bucket it serves, with that bucket's policy. */
  readonly bucket: { readonly arn: string; readonly account: string; readonly policy?: NamedPolicy };
}

/** A resource whose own policy says who may act on it. */
export interface ResourceUnderReview {
  /** Stable id, e.g. "bucket", "role:shared-data-reader", "key", "access-point:analytics". */
  readonly id: string;
  /** What a reader sees, e.g. "bucket example-shared-data-111122223333". */
  readonly label: string;
  readonly kind: "bucket" | "role" | "key" | "access-point";
  readonly account: string;
  /** The services whose actions the policy governs (a trust policy: sts). */
  readonly services: readonly string[];
  /** The ARN patterns the policy covers: the bucket and its objects, the role, the key, the access point and its objects. */
  readonly arns: readonly string[];
  readonly policy?: NamedPolicy;
  /**
   * The resource a statement without a Resource element, or with "*", means:
   * a trust policy has none (it is the role's), and "*" in a key policy is the key.
   */
  readonly implicitResource?: string;
  /** An access point: the bucket a request through it must also be allowed by. */
  readonly route?: AccessPointRoute;
}

/** A role, user or group with identity policies. */
export interface IdentityHolder {
  /** Stable id, e.g. "role:shared-data-reader", "group:team-a-readers". */
  readonly id: string;
  readonly kind: "role" | "user" | "group";
  /** What a reader sees, e.g. "target role shared-data-reader". */
  readonly label: string;
  readonly arn: string;
  readonly account: string;
  readonly policies: readonly NamedPolicy[];
  readonly unknownAttachments: readonly UnknownAttachment[];
  /** It exists outside the app, so it may hold policies the report cannot see. */
  readonly external: boolean;
}

export interface KeyUnderReview {
  readonly arn: string;
  readonly account: string;
  readonly policy?: NamedPolicy;
}

/** One consumer's side: who it is, which role reaches the bucket, and how. */
export interface ConsumerDeployment {
  /** "accessor" for the single form, else the entry's name. */
  readonly name: string;
  readonly expectations: AccessExpectations;
  readonly instanceRole: RoleModel;
  /** Undefined with a direct grant. */
  readonly targetRole?: RoleModel;
  /** The principal that reaches the bucket: the target role, or the instance role with a direct grant. */
  readonly workload: RoleModel;
  /** Every object the workload may reach: `bucket/*`, `bucket/prefix*`, or through its access point `ap/object/prefix*`. */
  readonly objects: string;
  /** The people who may assume the target role. */
  readonly people: {
    readonly users: readonly { readonly name: string; readonly arn: string }[];
    readonly roleArns: readonly string[];
    readonly groupArn?: string;
  };
  /** ARNs of the EC2 instances the app creates in the consumer's account. */
  readonly instances: readonly string[];
  /** Its access point (the `accessors` form): the only way its role has to the bucket. */
  readonly accessPoint?: ResourceUnderReview & { readonly route: AccessPointRoute };
  readonly allowPrefixOverlap: boolean;
}

export interface Deployment {
  /** The first consumer's view of the config; the owner account, the bucket and the key are every consumer's. */
  readonly expectations: AccessExpectations;
  /** Every consumer, in the config's order (the single form is a list of one). */
  readonly consumers: readonly ConsumerDeployment[];
  /** The `accessors` form: the bucket is reached only through the owner's access points. */
  readonly listForm: boolean;
  readonly bucket: {
    readonly name: string;
    readonly arn: string;
    readonly account: string;
    readonly policy?: NamedPolicy;
  };
  readonly key?: KeyUnderReview;
  /** kms:ViaService of S3 in the bucket's region, e.g. "s3.eu-west-1.amazonaws.com". */
  readonly viaS3: string;
  readonly resources: readonly ResourceUnderReview[];
  readonly holders: readonly IdentityHolder[];
  /** Parts the config names that the synth output lacks: the report is incomplete. */
  readonly problems: readonly string[];
  /** What was assumed where the synth output cannot say (an existing bucket's or key's policy). */
  readonly notes: readonly string[];
}

/** The statement every key policy starts with unless changed: the owner account's IAM policies govern the key. */
function defaultKeyPolicyStatement(partition: string, ownerAccountId: string): StatementJson {
  return {
    Sid: "DefaultKeyPolicyOwnerAccount",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${ownerAccountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/** Finds what the consumers' expectations name in the model; a missing part becomes a problem and a stand-in. */
export function locateDeployment(
  model: AccessModel,
  consumerExpectations: readonly ConsumerExpectations[],
): Deployment {
  const [first] = consumerExpectations;
  if (first === undefined) throw new Error("a deployment has at least one consumer");
  const expectations = first.expectations;
  const listForm = consumerExpectations.some((consumer) => consumer.accessPoint !== undefined);
  const problems: string[] = [];
  const notes: string[] = [];
  const owner = expectations.bucketOwner.accountId;
  const ownerPartition = partitionOfAccount(expectations.bucketOwner);
  const byName = new Map<string, RoleModel[]>();
  for (const r of model.roles) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const role = (name: string, account: AccessExpectations["accessor"], what: string): RoleModel => {
    const found = byName.get(name)?.find((r) => r.accountId === account.accountId);
    if (found !== undefined) return found;
    problems.push(`no role named "${name}" in account ${account.accountId} (${what}) in the synth output`);
    return {
      stackId: "?",
      address: "?",
      name,
      arn: `arn:${partitionOfAccount(account)}:iam::${account.accountId}:role/${name}`,
      accountId: account.accountId,
      identityPolicies: [],
      unknownAttachments: [],
    };
  };

  const found: BucketModel | undefined = model.buckets.find((b) => b.name === expectations.bucketName);
  const bucketArn = found?.arn ?? `arn:${ownerPartition}:s3:::${expectations.bucketName}`;
  let bucketPolicy = found?.policy;
  if (bucketPolicy === undefined) {
    const toMerge = model.outputPolicies.find((o) => /bucket_policy/.test(o.output));
    if (expectations.existingBucket && toMerge !== undefined) {
      bucketPolicy = { ...toMerge.policy, name: `bucket policy (${toMerge.output}, once merged)` };
      notes.push(
        `The bucket exists already and its policy is not in the app: the report analyses the statements of output "${toMerge.output}" as if they were merged into it.`,
      );
    } else {
      problems.push(`bucket "${expectations.bucketName}" has no bucket policy in the synth output`);
    }
  }
  const bucket = {
    name: expectations.bucketName,
    arn: bucketArn,
    account: found?.accountId ?? owner,
    policy: bucketPolicy,
  };

  let key: KeyUnderReview | undefined;
  if (expectations.kms !== undefined) {
    const created = model.kmsKeys.find((k) => k.accountId === owner);
    const keyArn = expectations.kms.keyArn ?? created?.arn;
    if (keyArn === undefined) {
      problems.push(`the bucket uses SSE-KMS but the synth output has no KMS key in account ${owner}`);
    } else if (created?.policy !== undefined && expectations.kms.keyArn === undefined) {
      key = { arn: keyArn, account: owner, policy: created.policy };
    } else {
      // An existing key's policy is not in the app: assume AWS's default key policy, plus any statements the owner outputs to merge.
      const toMerge = model.outputPolicies.find((o) => /kms_key_policy/.test(o.output));
      const statements = [
        defaultKeyPolicyStatement(ownerPartition, owner),
        ...(toMerge?.policy.document.Statement ?? []),
      ];
      key = {
        arn: keyArn,
        account: owner,
        policy: {
          name: "key policy (assumed default" + (toMerge ? ` + ${toMerge.output}` : "") + ")",
          source: "(outside the app)",
          document: { Version: "2012-10-17", Statement: statements },
        },
      };
      notes.push(
        `The KMS key exists already: the report assumes its policy is AWS's default (the owner account's IAM policies govern it)${toMerge ? ` plus the statements of output "${toMerge.output}"` : ""}.`,
      );
    }
  }

  // Every access point of the app is a resource with a policy; a request through one is also the bucket's to allow.
  const accessPoints = model.accessPoints.map((point) => {
    const behind =
      point.bucket === bucket.name
        ? { arn: bucket.arn, accountId: bucket.account, policy: bucket.policy }
        : model.buckets.find((b) => b.name === point.bucket);
    const account = point.accountId ?? owner;
    const resource: ResourceUnderReview & { route: AccessPointRoute } = {
      id: `access-point:${account}:${point.name}`,
      label: `access point ${point.name}`,
      kind: "access-point",
      account,
      services: ["s3"],
      arns: [point.arn, `${point.arn}/object/*`],
      ...(point.policy === undefined ? {} : { policy: point.policy }),
      route: {
        arn: point.arn,
        account,
        networkOrigin: point.networkOrigin,
        bucket: {
          arn: behind?.arn ?? `arn:${ownerPartition}:s3:::${point.bucket ?? "unknown-bucket"}`,
          account: behind?.accountId ?? account,
          ...(behind?.policy === undefined ? {} : { policy: behind.policy }),
        },
      },
    };
    return resource;
  });

  // The instance roles as the config names them (an existing role's ARN carries its IAM path).
  const renamed = new Map<RoleModel, RoleModel>();
  const consumers: ConsumerDeployment[] = consumerExpectations.map((consumer) => {
    const view = consumer.expectations;
    const accessor = view.accessor.accountId;
    const accessorPartition = partitionOfAccount(view.accessor);
    const foundInstanceRole = role(
      view.instanceRoleName,
      view.accessor,
      listForm ? `${consumer.name}'s instance role` : "the accessor's instance role",
    );
    // The ARN the config names (with the IAM path of an existing role), which is what the policies must name.
    const instanceRole: RoleModel = { ...foundInstanceRole, arn: view.instanceRoleArn };
    renamed.set(foundInstanceRole, instanceRole);
    const targetRole =
      view.accessMode === "role-chain"
        ? role(
            view.targetRoleName,
            view.bucketOwner,
            `the bucket owner's target role${listForm ? ` for ${consumer.name}` : ""}`,
          )
        : undefined;
    let accessPoint: ConsumerDeployment["accessPoint"];
    if (consumer.accessPoint !== undefined) {
      accessPoint = accessPoints.find((point) => point.route.arn === consumer.accessPoint?.arn);
      if (accessPoint === undefined) {
        problems.push(`no access point ${consumer.accessPoint.arn} (${consumer.name}'s) in the synth output`);
      }
    }
    const objectsBase = consumer.accessPoint === undefined ? `${bucketArn}/` : consumer.accessPoint.objectsArnBase;
    return {
      name: consumer.name,
      expectations: view,
      instanceRole,
      ...(targetRole === undefined ? {} : { targetRole }),
      workload: targetRole ?? instanceRole,
      objects: `${objectsBase}${view.keyPrefix ?? ""}*`,
      people: {
        users: view.people.userNames.map((name) => ({
          name,
          arn: `arn:${accessorPartition}:iam::${accessor}:user/${name}`,
        })),
        roleArns: view.people.roleArns,
        groupArn:
          view.people.groupName === undefined
            ? undefined
            : `arn:${accessorPartition}:iam::${accessor}:group/${view.people.groupName}`,
      },
      // The consumer's own stack's instances (two consumers may share an account).
      instances: model.instances
        .filter((i) => i.accountId === accessor && (!listForm || i.stackId === foundInstanceRole.stackId))
        .map((i) => i.arn),
      ...(accessPoint === undefined ? {} : { accessPoint }),
      allowPrefixOverlap: consumer.allowPrefixOverlap,
    };
  });
  const roles = model.roles.map((r) => renamed.get(r) ?? r);

  const resources: ResourceUnderReview[] = [
    {
      id: "bucket",
      label: `bucket ${expectations.bucketName}`,
      kind: "bucket",
      account: bucket.account,
      services: ["s3"],
      arns: [bucketArn, `${bucketArn}/*`],
      policy: bucketPolicy,
    },
  ];
  if (key !== undefined) {
    resources.push({
      id: "key",
      label: "the bucket's KMS key",
      kind: "key",
      account: owner,
      services: ["kms"],
      arns: [key.arn],
      policy: key.policy,
      implicitResource: key.arn,
    });
  }
  resources.push(...accessPoints);
  const of = (r: RoleModel): string =>
    listForm ? ` (${consumers.find((c) => c.targetRole === r || c.instanceRole === r)?.name ?? "?"})` : "";
  const roleLabel = (r: RoleModel): string =>
    consumers.some((c) => c.targetRole === r)
      ? `target role ${r.name}${of(r)}`
      : consumers.some((c) => c.instanceRole === r)
        ? `instance role ${r.name}${of(r)}`
        : `role ${r.name}`;
  for (const r of roles) {
    if (r.external === true || r.trustPolicy === undefined) continue;
    resources.push({
      id: `role:${r.accountId ?? "?"}:${r.name}`,
      label: roleLabel(r),
      kind: "role",
      account: r.accountId ?? "unknown",
      services: ["sts"],
      arns: [r.arn],
      policy: r.trustPolicy,
      implicitResource: r.arn,
    });
  }
  // Other buckets and keys of the app are analysed like the configured ones.
  for (const other of model.buckets) {
    if (other.name === expectations.bucketName || other.policy === undefined) continue;
    resources.push({
      id: `bucket:${other.name}`,
      label: `bucket ${other.name}`,
      kind: "bucket",
      account: other.accountId ?? "unknown",
      services: ["s3"],
      arns: [other.arn, `${other.arn}/*`],
      policy: other.policy,
    });
  }
  for (const other of model.kmsKeys) {
    if (other.arn === key?.arn || other.policy === undefined) continue;
    resources.push({
      id: `key:${other.address}`,
      label: `KMS key ${other.address}`,
      kind: "key",
      account: other.accountId ?? "unknown",
      services: ["kms"],
      arns: [other.arn],
      policy: other.policy,
      implicitResource: other.arn,
    });
  }

  const holders: IdentityHolder[] = [
    ...roles.map((r): IdentityHolder => ({
      id: `role:${r.accountId ?? "?"}:${r.name}`,
      kind: "role",
      label: roleLabel(r),
      arn: r.arn,
      account: r.accountId ?? "unknown",
      policies: r.identityPolicies,
      unknownAttachments: r.unknownAttachments,
      external: r.external === true,
    })),
    ...model.groups.map((g): IdentityHolder => ({
      id: `group:${g.accountId ?? "?"}:${g.name}`,
      kind: "group",
      label: `group ${g.name}`,
      arn: g.arn,
      account: g.accountId ?? "unknown",
      policies: g.identityPolicies,
      unknownAttachments: g.unknownAttachments,
      external: false,
    })),
    // A user's group policies are analysed once, as the group's; here only the user's own.
    ...model.users.map((u): IdentityHolder => {
      const groupPolicies = new Set(
        model.groups.filter((g) => u.groups.includes(g.name)).flatMap((g) => g.identityPolicies),
      );
      const groupAttachments = new Set(
        model.groups.filter((g) => u.groups.includes(g.name)).flatMap((g) => g.unknownAttachments),
      );
      return {
        id: `user:${u.accountId ?? "?"}:${u.name}`,
        kind: "user",
        label: `user ${u.name}`,
        arn: u.arn,
        account: u.accountId ?? "unknown",
        policies: u.identityPolicies.filter((p) => !groupPolicies.has(p)),
        unknownAttachments: u.unknownAttachments.filter((a) => !groupAttachments.has(a)),
        external: u.external,
      };
    }),
  ];

  return {
    expectations,
    consumers,
    listForm,
    bucket,
    key,
    viaS3: `s3.${expectations.bucketOwner.region}.${dnsSuffixOf(ownerPartition)}`,
    resources,
    holders,
    problems,
    notes,
  };
}
