/**
 * Who holds which policy, across both stacks: IAM roles with their trust
 * policy and identity policies, buckets with their bucket policy and Block
 * Public Access settings, and KMS keys with their key policy. Every policy is
 * read from the synthesized JSON with its references resolved, so what is
 * evaluated is what Terraform will write.
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
  /** Managed policies attached by ARN that are not defined in the app (AWS managed): not evaluated. */
  readonly externalPolicyArns: readonly string[];
}

/** An IAM user (created by the app, or existing and added to a group); policies come from its groups. */
export interface UserModel {
  readonly name: string;
  readonly arn: string;
  readonly accountId?: string;
  readonly identityPolicies: readonly NamedPolicy[];
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

export interface AccessModel {
  readonly roles: readonly RoleModel[];
  readonly users: readonly UserModel[];
  readonly outputPolicies: readonly OutputPolicy[];
  readonly buckets: readonly BucketModel[];
  readonly kmsKeys: readonly KmsKeyModel[];
  /** Problems met while reading policies: unreadable documents, unresolved references. */
  readonly problems: readonly string[];
  readonly resolver: ReferenceResolver;
}

interface MutableRole extends Omit<RoleModel, "identityPolicies" | "externalPolicyArns" | "trustPolicy"> {
  trustPolicy?: NamedPolicy;
  identityPolicies: NamedPolicy[];
  externalPolicyArns: string[];
}

/** Builds the model of every stack in a synth output. */
export function buildAccessModel(output: SynthOutput): AccessModel {
  const resolver = new ReferenceResolver(output);
  const problems: string[] = [];
  const text = (element: TerraformElementJson, attribute: string): string | undefined => {
    const value = resolver.attribute(element, [attribute]);
    return typeof value === "string" ? value : undefined;
  };
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

  const roles: MutableRole[] = resolver.elements("resource", "aws_iam_role").map((element) => {
    const name = text(element, "name") ?? element.name;
    const role: MutableRole = {
      stackId: element.stack.id,
      address: element.address,
      name,
      arn: text(element, "arn") ?? `${element.address}.arn`,
      accountId: resolver.providerOf(element).accountId,
      identityPolicies: [],
      externalPolicyArns: [],
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
    const managed = resolver.attribute(element, ["managed_policy_arns"]);
    role.externalPolicyArns.push(...listOf(managed as string | string[] | undefined).map(String));
    return role;
  });
  // A policy attached by name to a role the app does not create (an existing role) stands for that role.
  const roleNamed = (element: TerraformElementJson, roleReference: string | undefined): MutableRole | undefined => {
    const found = roles.find((r) => r.stackId === element.stack.id && r.name === roleReference);
    if (found !== undefined || roleReference === undefined || containsUnresolved(roleReference)) return found;
    const provider = resolver.providerOf(element);
    const external: MutableRole = {
      stackId: element.stack.id,
      address: "(existing role)",
      external: true,
      name: roleReference,
      arn: `arn:${provider.partition}:iam::${provider.accountId ?? "unknown"}:role/${roleReference}`,
      accountId: provider.accountId,
      identityPolicies: [],
      externalPolicyArns: [],
    };
    roles.push(external);
    return external;
  };

  for (const element of resolver.elements("resource", "aws_iam_role_policy")) {
    const role = roleNamed(element, text(element, "role"));
    const policy = policyOf(element, "policy", `${role?.name ?? "?"}/${text(element, "name") ?? element.name}`);
    if (role !== undefined && policy !== undefined) role.identityPolicies.push(policy);
  }

  const managedPolicies = resolver.elements("resource", "aws_iam_policy").map((element) => ({
    arn: text(element, "arn"),
    policy: policyOf(element, "policy", text(element, "name") ?? element.name),
  }));
  const attach = (role: MutableRole | undefined, policyArn: string | undefined): void => {
    if (role === undefined || policyArn === undefined) return;
    const defined = managedPolicies.find((p) => p.arn === policyArn);
    if (defined?.policy !== undefined) role.identityPolicies.push(defined.policy);
    else role.externalPolicyArns.push(policyArn);
  };
  for (const element of resolver.elements("resource", "aws_iam_role_policy_attachment")) {
    attach(roleNamed(element, text(element, "role")), text(element, "policy_arn"));
  }
  for (const element of resolver.elements("resource", "aws_iam_policy_attachment")) {
    const roleNames = listOf(resolver.attribute(element, ["roles"]) as string | string[] | undefined);
    for (const roleName of roleNames) attach(roleNamed(element, roleName), text(element, "policy_arn"));
  }
  for (const role of roles) {
    for (const arn of role.externalPolicyArns) {
      problems.push(
        `${role.stackId}: ${role.address} has managed policy ${arn} attached, which is not in the app and is not evaluated`,
      );
    }
  }

  // Groups and their members: a person's permissions come from the groups they are in.
  const groupPolicies = new Map<string, NamedPolicy[]>();
  for (const element of resolver.elements("resource", "aws_iam_group_policy")) {
    const group = text(element, "group");
    const policy = policyOf(element, "policy", `group ${group ?? "?"}/${text(element, "name") ?? element.name}`);
    if (group !== undefined && policy !== undefined)
      groupPolicies.set(group, [...(groupPolicies.get(group) ?? []), policy]);
  }
  const userGroups = new Map<string, { groups: string[]; element: TerraformElementJson }>();
  const addMembership = (user: string, groups: readonly string[], element: TerraformElementJson): void => {
    const entry = userGroups.get(user) ?? { groups: [], element };
    entry.groups.push(...groups);
    userGroups.set(user, entry);
  };
  for (const element of resolver.elements("resource", "aws_iam_user_group_membership")) {
    const user = text(element, "user");
    const groups = listOf(resolver.attribute(element, ["groups"]) as string | string[] | undefined).map(String);
    if (user !== undefined) addMembership(user, groups, element);
  }
  for (const element of resolver.elements("resource", "aws_iam_group_membership")) {
    const group = text(element, "group");
    const users = listOf(resolver.attribute(element, ["users"]) as string | string[] | undefined).map(String);
    if (group !== undefined) for (const user of users) addMembership(user, [group], element);
  }
  for (const element of resolver.elements("resource", "aws_iam_user")) {
    const user = text(element, "name");
    if (user !== undefined && !userGroups.has(user)) userGroups.set(user, { groups: [], element });
  }
  const users: UserModel[] = [...userGroups.entries()].map(([name, { groups, element }]) => {
    const provider = resolver.providerOf(element);
    return {
      name,
      arn: `arn:${provider.partition}:iam::${provider.accountId ?? "unknown"}:user/${name}`,
      accountId: provider.accountId,
      identityPolicies: groups.flatMap((group) => groupPolicies.get(group) ?? []),
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
    buckets.set(bucket.name, { ...bucket, policy: policyOf(element, "policy", "bucket policy") });
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

  return { roles, users, outputPolicies, buckets: [...buckets.values()], kmsKeys, problems, resolver };
}
