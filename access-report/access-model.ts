/**
 * Who holds which policy, across every stack: IAM roles with their trust
 * policy and identity policies, users and groups with theirs, buckets with
 * their bucket policy, and KMS keys with their key policy. Every policy is
 * read from the synthesized JSON with its references resolved, so what is
 * analysed is what Terraform will write.
 */
import { listOf, PolicyJson, readPolicy } from "./policy-json";
import { containsUnresolved, ReferenceResolver, TerraformElementJson } from "./resolve-references";
import type { SynthOutput } from "./synth-output";

/** A policy and where it comes from. */
export interface NamedPolicy {
  /** Short name shown in the report, e.g. "shared-data-reader/s3-access". */
  readonly name: string;
  /** The Terraform address that writes it, e.g. "aws_iam_role_policy.target_role_s3_access". */
  readonly source: string;
  readonly document: PolicyJson;
}

/** A managed policy attached by ARN that the app does not define (an AWS managed policy): its statements are unknown. */
export interface UnknownAttachment {
  readonly policyArn: string;
  /** The Terraform address that attaches it. */
  readonly source: string;
}

export interface RoleModel {
  readonly stackId: string;
  /** The aws_iam_role address, or "(existing role)" for a role the app only attaches policies to. */
  readonly address: string;
  /** The role exists outside the app: its trust policy and other policies are unknown. */
  readonly external?: boolean;
  readonly name: string;
  readonly arn: string;
  readonly accountId?: string;
  readonly trustPolicy?: NamedPolicy;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly unknownAttachments: readonly UnknownAttachment[];
}

/** An IAM user: created by the app, or existing and only added to a group or given a policy. */
export interface UserModel {
  readonly name: string;
  readonly arn: string;
  readonly accountId?: string;
  /** The user exists outside the app: policies it holds outside the app are unknown. */
  readonly external: boolean;
  readonly groups: readonly string[];
  /** Its own policies and its groups' policies. */
  readonly identityPolicies: readonly NamedPolicy[];
  readonly unknownAttachments: readonly UnknownAttachment[];
}

/** An IAM group: its policies apply to every member, including members added outside the app. */
export interface GroupModel {
  readonly stackId: string;
  readonly address: string;
  readonly name: string;
  readonly arn: string;
  readonly accountId?: string;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly unknownAttachments: readonly UnknownAttachment[];
  /** Users the app adds to the group. */
  readonly members: readonly string[];
}

/** A stack output whose value is a policy document (e.g. statements to merge into an existing bucket's policy). */
export interface OutputPolicy {
  readonly stackId: string;
  readonly output: string;
  readonly policy: NamedPolicy;
}

export interface PublicAccessBlockModel {
  readonly blockPublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly ignorePublicAcls: boolean;
  readonly restrictPublicBuckets: boolean;
}

export interface BucketModel {
  readonly name: string;
  readonly arn: string;
  readonly accountId?: string;
  /** The aws_s3_bucket (or data source) address; undefined when only a policy names the bucket. */
  readonly address?: string;
  readonly policy?: NamedPolicy;
  readonly publicAccessBlock?: PublicAccessBlockModel;
}

export interface KmsKeyModel {
  readonly address: string;
  readonly arn: string;
  readonly accountId?: string;
  readonly policy?: NamedPolicy;
}

/** An S3 access point: a named way into a bucket with a policy of its own. */
export interface AccessPointModel {
  /** The aws_s3_access_point address. */
  readonly address: string;
  readonly stackId: string;
  readonly name: string;
  readonly arn: string;
  /** The bucket behind it. */
  readonly bucket?: string;
  /** The account that owns the access point (s3:DataAccessPointAccount of a request through it). */
  readonly accountId?: string;
  /** "Internet", or "VPC" with a vpc_configuration (s3:AccessPointNetworkOrigin). */
  readonly networkOrigin: "Internet" | "VPC";
  readonly policy?: NamedPolicy;
}

/** An EC2 instance the app creates: the Session Manager agent's permission names it. */
export interface InstanceModel {
  readonly stackId: string;
  readonly address: string;
  readonly arn: string;
  readonly accountId?: string;
}

export interface AccessModel {
  readonly roles: readonly RoleModel[];
  readonly instances: readonly InstanceModel[];
  readonly users: readonly UserModel[];
  readonly groups: readonly GroupModel[];
  readonly outputPolicies: readonly OutputPolicy[];
  readonly buckets: readonly BucketModel[];
  readonly kmsKeys: readonly KmsKeyModel[];
  readonly accessPoints: readonly AccessPointModel[];
  /** Problems met while reading policies: unreadable documents, unresolved references, policies not analysed. */
  readonly problems: readonly string[];
  readonly resolver: ReferenceResolver;
}

/**
 * Resource types whose policies the model reads. Any other resource with a
 * policy attribute (an access point, a queue, a KMS grant) could grant access
 * the report does not see, so it is named as a problem.
 */
const ANALYSED_POLICY_HOLDERS = new Set([
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_policy",
  "aws_iam_group_policy",
  "aws_iam_user_policy",
  "aws_s3_bucket_policy",
  "aws_kms_key",
  "aws_kms_key_policy",
  "aws_s3_access_point",
  "aws_s3control_access_point_policy",
]);

/** Resources that grant access without a policy document. */
const GRANTS_WITHOUT_POLICY: Readonly<Record<string, string>> = {
  aws_kms_grant: "a KMS grant lets its grantee use the key outside the key policy",
  aws_s3_bucket_acl: "a bucket ACL grants access outside the bucket policy",
  aws_s3_object_acl: "an object ACL grants access outside the bucket policy",
  aws_iam_access_key: "an access key is a long-lived credential for a user",
};

/** True for a policy document, as JSON text or as an object with a Statement. */
function holdsPolicy(value: unknown): boolean {
  if (typeof value === "string") return /"Statement"\s*:/.test(value);
  return typeof value === "object" && value !== null && !Array.isArray(value) && "Statement" in value;
}

interface MutableHolder {
  identityPolicies: NamedPolicy[];
  unknownAttachments: UnknownAttachment[];
}
type MutableRole = Omit<RoleModel, "identityPolicies" | "unknownAttachments" | "trustPolicy"> &
  MutableHolder & { trustPolicy?: NamedPolicy };
type MutableGroup = Omit<GroupModel, "identityPolicies" | "unknownAttachments" | "members"> &
  MutableHolder & { members: string[] };
type MutableUser = Omit<UserModel, "identityPolicies" | "unknownAttachments" | "groups"> &
  MutableHolder & { groups: string[] };

/** Builds the model of every stack in a synth output. */
export function buildAccessModel(output: SynthOutput): AccessModel {
  const resolver = new ReferenceResolver(output);
  const problems: string[] = [];
  const text = (element: TerraformElementJson, attribute: string): string | undefined => {
    const value = resolver.attribute(element, [attribute]);
    return typeof value === "string" ? value : undefined;
  };
  const texts = (element: TerraformElementJson, attribute: string): string[] =>
    listOf(resolver.attribute(element, [attribute]) as string | string[] | undefined).map(String);
  const policyOf = (
    element: TerraformElementJson,
    attribute: string,
    name: string,
    raw?: unknown,
  ): NamedPolicy | undefined => {
    const value = raw === undefined ? resolver.attribute(element, [attribute]) : resolver.resolve(element.stack, raw);
    if (value === undefined) return undefined;
    const document = readPolicy(value);
    const where = `${element.stack.id}: ${element.address}.${attribute}`;
    if (document === undefined) {
      problems.push(`${where} is not a policy document the report can read (${JSON.stringify(value).slice(0, 80)})`);
      return undefined;
    }
    if (containsUnresolved(document)) {
      problems.push(
        `${where} holds a reference the report cannot resolve before apply; it is evaluated as matching nothing`,
      );
    }
    return { name, source: element.address, document };
  };
  const iamArn = (element: TerraformElementJson, kind: string, name: string): string => {
    const provider = resolver.providerOf(element);
    return `arn:${provider.partition}:iam::${provider.accountId ?? "unknown"}:${kind}/${name}`;
  };

  const roles: MutableRole[] = resolver.elements("resource", "aws_iam_role").map((element) => {
    const name = text(element, "name") ?? element.name;
    const role: MutableRole = {
      stackId: element.stack.id,
      address: element.address,
      name,
      arn: text(element, "arn") ?? `${element.address}.arn`,
      accountId: resolver.providerOf(element).accountId,
      identityPolicies: [],
      unknownAttachments: [],
    };
    role.trustPolicy = policyOf(element, "assume_role_policy", `trust policy of ${name}`);
    for (const block of listOf<Readonly<Record<string, unknown>>>(
      element.config.inline_policy as Readonly<Record<string, unknown>> | undefined,
    )) {
      if (block.policy === undefined) continue;
      const policy = policyOf(
        element,
        "inline_policy",
        `${name}/${typeof block.name === "string" ? block.name : "inline"}`,
        block.policy,
      );
      if (policy !== undefined) role.identityPolicies.push(policy);
    }
    return role;
  });
  // A policy attached by name to a role the app does not create (an existing role) stands for that role.
  const roleNamed = (element: TerraformElementJson, roleName: string | undefined): MutableRole | undefined => {
    const found = roles.find((r) => r.stackId === element.stack.id && r.name === roleName);
    if (found !== undefined || roleName === undefined || containsUnresolved(roleName)) return found;
    const provider = resolver.providerOf(element);
    const external: MutableRole = {
      stackId: element.stack.id,
      address: "(existing role)",
      external: true,
      name: roleName,
      arn: iamArn(element, "role", roleName),
      accountId: provider.accountId,
      identityPolicies: [],
      unknownAttachments: [],
    };
    roles.push(external);
    return external;
  };

  const groups: MutableGroup[] = resolver.elements("resource", "aws_iam_group").map((element) => {
    const name = text(element, "name") ?? element.name;
    return {
      stackId: element.stack.id,
      address: element.address,
      name,
      arn: iamArn(element, "group", name),
      accountId: resolver.providerOf(element).accountId,
      identityPolicies: [],
      unknownAttachments: [],
      members: [],
    };
  });
  const groupNamed = (element: TerraformElementJson, groupName: string | undefined): MutableGroup | undefined => {
    const found = groups.find((g) => g.stackId === element.stack.id && g.name === groupName);
    if (found !== undefined || groupName === undefined || containsUnresolved(groupName)) return found;
    const external: MutableGroup = {
      stackId: element.stack.id,
      address: "(existing group)",
      name: groupName,
      arn: iamArn(element, "group", groupName),
      accountId: resolver.providerOf(element).accountId,
      identityPolicies: [],
      unknownAttachments: [],
      members: [],
    };
    groups.push(external);
    return external;
  };

  const users: MutableUser[] = resolver.elements("resource", "aws_iam_user").map((element) => {
    const name = text(element, "name") ?? element.name;
    return {
      name,
      arn: iamArn(element, "user", name),
      accountId: resolver.providerOf(element).accountId,
      external: false,
      groups: [],
      identityPolicies: [],
      unknownAttachments: [],
    };
  });
  const userNamed = (element: TerraformElementJson, userName: string | undefined): MutableUser | undefined => {
    const arn = userName === undefined ? undefined : iamArn(element, "user", userName);
    const found = users.find((u) => u.arn === arn);
    if (found !== undefined || userName === undefined || arn === undefined || containsUnresolved(userName)) {
      return found;
    }
    const external: MutableUser = {
      name: userName,
      arn,
      accountId: resolver.providerOf(element).accountId,
      external: true,
      groups: [],
      identityPolicies: [],
      unknownAttachments: [],
    };
    users.push(external);
    return external;
  };

  // Inline policies of roles, users and groups.
  type HolderOf = (element: TerraformElementJson, name?: string) => (MutableHolder & { name: string }) | undefined;
  const inline = (type: string, nameAttribute: string, holderOf: HolderOf): void => {
    for (const element of resolver.elements("resource", type)) {
      const holder = holderOf(element, text(element, nameAttribute));
      const label = type === "aws_iam_group_policy" ? `group ${holder?.name ?? "?"}` : (holder?.name ?? "?");
      const policy = policyOf(element, "policy", `${label}/${text(element, "name") ?? element.name}`);
      if (holder !== undefined && policy !== undefined) holder.identityPolicies.push(policy);
    }
  };
  inline("aws_iam_role_policy", "role", roleNamed);
  inline("aws_iam_group_policy", "group", groupNamed);
  inline("aws_iam_user_policy", "user", userNamed);

  // Managed policies: defined in the app (read like inline ones), or only attached by ARN (unknown statements).
  const managedPolicies = resolver.elements("resource", "aws_iam_policy").map((element) => ({
    arn: text(element, "arn"),
    policy: policyOf(element, "policy", text(element, "name") ?? element.name),
  }));
  const attach = (holder: MutableHolder | undefined, policyArn: string | undefined, source: string): void => {
    if (holder === undefined || policyArn === undefined) return;
    const defined = managedPolicies.find((p) => p.arn === policyArn);
    if (defined?.policy !== undefined) holder.identityPolicies.push(defined.policy);
    else if (defined === undefined) holder.unknownAttachments.push({ policyArn, source });
  };
  for (const element of resolver.elements("resource", "aws_iam_role")) {
    const role = roles.find((r) => r.address === element.address && r.stackId === element.stack.id);
    for (const arn of texts(element, "managed_policy_arns")) attach(role, arn, element.address);
  }
  const attachments: readonly (readonly [string, string, HolderOf])[] = [
    ["aws_iam_role_policy_attachment", "role", roleNamed],
    ["aws_iam_group_policy_attachment", "group", groupNamed],
    ["aws_iam_user_policy_attachment", "user", userNamed],
  ];
  for (const [type, attribute, holderOf] of attachments) {
    for (const element of resolver.elements("resource", type)) {
      attach(holderOf(element, text(element, attribute)), text(element, "policy_arn"), element.address);
    }
  }
  for (const element of [
    ...resolver.elements("resource", "aws_iam_role_policy_attachments_exclusive"),
    ...resolver.elements("resource", "aws_iam_policy_attachment"),
  ]) {
    const policyArn = text(element, "policy_arn");
    for (const name of texts(element, "roles")) attach(roleNamed(element, name), policyArn, element.address);
    for (const name of texts(element, "groups")) attach(groupNamed(element, name), policyArn, element.address);
    for (const name of texts(element, "users")) attach(userNamed(element, name), policyArn, element.address);
    const role = text(element, "role_name");
    for (const arn of texts(element, "policy_arns")) attach(roleNamed(element, role), arn, element.address);
  }

  // Group membership: a member holds its groups' policies.
  const join = (element: TerraformElementJson, userName: string, groupName: string): void => {
    const user = userNamed(element, userName);
    const group = groupNamed(element, groupName);
    if (user === undefined || group === undefined) return;
    if (!user.groups.includes(group.name)) user.groups.push(group.name);
    if (!group.members.includes(user.name)) group.members.push(user.name);
  };
  for (const element of resolver.elements("resource", "aws_iam_user_group_membership")) {
    const user = text(element, "user");
    if (user !== undefined) for (const group of texts(element, "groups")) join(element, user, group);
  }
  for (const element of resolver.elements("resource", "aws_iam_group_membership")) {
    const group = text(element, "group");
    if (group !== undefined) for (const user of texts(element, "users")) join(element, user, group);
  }
  const usersWithGroups: UserModel[] = users.map((user) => {
    const memberOf = groups.filter((group) => user.groups.includes(group.name) && group.accountId === user.accountId);
    return {
      ...user,
      identityPolicies: [...user.identityPolicies, ...memberOf.flatMap((group) => group.identityPolicies)],
      unknownAttachments: [...user.unknownAttachments, ...memberOf.flatMap((group) => group.unknownAttachments)],
    };
  });

  const outputPolicies: OutputPolicy[] = output.stacks.flatMap((stack) =>
    Object.entries(stack.json.output ?? {}).flatMap(([name, block]) => {
      const document = readPolicy(resolver.resolve(stack, block.value));
      return document === undefined
        ? []
        : [
            {
              stackId: stack.id,
              output: name,
              policy: { name: `output ${name}`, source: `${stack.id} output ${name}`, document },
            },
          ];
    }),
  );

  const buckets = new Map<string, BucketModel>();
  for (const element of [
    ...resolver.elements("resource", "aws_s3_bucket"),
    ...resolver.elements("data", "aws_s3_bucket"),
  ]) {
    const name = text(element, "bucket");
    if (name === undefined) continue;
    buckets.set(name, {
      name,
      arn: text(element, "arn") ?? `arn:aws:s3:::${name}`,
      accountId: resolver.providerOf(element).accountId,
      address: element.address,
    });
  }
  const bucketFor = (element: TerraformElementJson): BucketModel | undefined => {
    const name = text(element, "bucket");
    if (name === undefined) return undefined;
    const provider = resolver.providerOf(element);
    return buckets.get(name) ?? { name, arn: `arn:${provider.partition}:s3:::${name}`, accountId: provider.accountId };
  };
  for (const element of resolver.elements("resource", "aws_s3_bucket_policy")) {
    const bucket = bucketFor(element);
    if (bucket === undefined) continue;
    buckets.set(bucket.name, { ...bucket, policy: policyOf(element, "policy", `bucket policy of ${bucket.name}`) });
  }
  for (const element of resolver.elements("resource", "aws_s3_bucket_public_access_block")) {
    const bucket = bucketFor(element);
    if (bucket === undefined) continue;
    const flag = (attribute: string): boolean => resolver.attribute(element, [attribute]) === true;
    buckets.set(bucket.name, {
      ...bucket,
      publicAccessBlock: {
        blockPublicAcls: flag("block_public_acls"),
        blockPublicPolicy: flag("block_public_policy"),
        ignorePublicAcls: flag("ignore_public_acls"),
        restrictPublicBuckets: flag("restrict_public_buckets"),
      },
    });
  }

  const kmsKeys: KmsKeyModel[] = resolver.elements("resource", "aws_kms_key").map((element) => ({
    address: element.address,
    arn: text(element, "arn") ?? `${element.address}.arn`,
    accountId: resolver.providerOf(element).accountId,
    policy:
      element.config.policy === undefined ? undefined : policyOf(element, "policy", `key policy of ${element.name}`),
  }));
  for (const element of resolver.elements("resource", "aws_kms_key_policy")) {
    const keyId = text(element, "key_id");
    const index = kmsKeys.findIndex((k) => k.arn === keyId || k.arn.endsWith(`/${keyId ?? ""}`));
    const key = kmsKeys[index];
    if (key !== undefined)
      kmsKeys[index] = { ...key, policy: policyOf(element, "policy", `key policy of ${element.name}`) };
  }

  // An access point's policy is its inline `policy` or an aws_s3control_access_point_policy naming its ARN.
  const accessPoints: AccessPointModel[] = resolver.elements("resource", "aws_s3_access_point").map((element) => {
    const name = text(element, "name") ?? element.name;
    const vpc = resolver.attribute(element, ["vpc_configuration"]);
    const inlinePolicy =
      element.config.policy === undefined ? undefined : policyOf(element, "policy", `access point policy of ${name}`);
    return {
      address: element.address,
      stackId: element.stack.id,
      name,
      arn: text(element, "arn") ?? `${element.address}.arn`,
      bucket: text(element, "bucket"),
      accountId: text(element, "account_id") ?? resolver.providerOf(element).accountId,
      networkOrigin: vpc === undefined || (Array.isArray(vpc) && vpc.length === 0) ? "Internet" : "VPC",
      ...(inlinePolicy === undefined ? {} : { policy: inlinePolicy }),
    };
  });
  for (const element of resolver.elements("resource", "aws_s3control_access_point_policy")) {
    const arn = text(element, "access_point_arn");
    const index = accessPoints.findIndex((point) => point.arn === arn);
    const point = accessPoints[index];
    if (point === undefined) {
      problems.push(
        `${element.stack.id}: ${element.address} writes the policy of ${arn ?? "an access point"}, which the app does not create; its grants are not checked`,
      );
      continue;
    }
    if (point.policy !== undefined) {
      problems.push(
        `${element.stack.id}: ${element.address} and ${point.address}.policy both write the policy of access point ${point.name}; whichever Terraform applies last wins, so the report analyses ${element.address}`,
      );
    }
    accessPoints[index] = {
      ...point,
      policy: policyOf(element, "policy", `access point policy of ${point.name}`),
    };
  }

  for (const element of resolver.elements("resource")) {
    const why = GRANTS_WITHOUT_POLICY[element.type];
    if (why !== undefined) {
      problems.push(`${element.stack.id}: ${element.address}: ${why}; the report does not analyse it`);
    } else if (
      !ANALYSED_POLICY_HOLDERS.has(element.type) &&
      Object.entries(element.config).some(([attribute, value]) => attribute !== "//" && holdsPolicy(value))
    ) {
      problems.push(
        `${element.stack.id}: ${element.address} carries a policy the report does not analyse (${element.type}); its grants are not checked`,
      );
    }
  }

  const instances: InstanceModel[] = resolver.elements("resource", "aws_instance").map((element) => ({
    stackId: element.stack.id,
    address: element.address,
    arn: text(element, "arn") ?? `${element.address}.arn`,
    accountId: resolver.providerOf(element).accountId,
  }));

  return {
    roles,
    instances,
    users: usersWithGroups,
    groups,
    outputPolicies,
    buckets: [...buckets.values()],
    kmsKeys,
    accessPoints,
    problems,
    resolver,
  };
}
