/**
 * Turns the parsed JSON of a config file into a CrossAccountConfig, or into
 * the full list of problems: every field is checked before anything is built,
 * and unknown keys are reported with the closest known key. The keys, their
 * rules and defaults are the tables of fields.ts; the checks that join
 * several keys are here.
 */
import {
  accountPairRule,
  instanceRoleNameRule,
  kmsKeyArnRule,
  listRule,
  roleArnRule,
  roleIdentity,
  tagsRule,
  tagsRuleWithoutInstance,
} from "./rules";
import { ACCESSOR_STACK_ID, BUCKET_OWNER_STACK_ID, DEFAULT_TAGS, defaultAmiSsmParameter } from "./defaults";
import { backendProblems, backendWithDefaults } from "./backend";
import { accessorListProblems, accessorListWithDefaults } from "./accessors";
import { isObject, Json, unknownKeys } from "./json-shape";
import { checkFields, checkObject, givenOrDefault, keysOf, ruleOf } from "./field-table";
import { ACCOUNT, BUCKET, DEPLOY_ROLE, HUMAN_ACCESS, INSTANCE, SINGLE_FORM } from "./fields";
import { Problem, problem } from "./problems";
import type {
  AccessLevel,
  AccessMode,
  AccountConfig,
  BucketConfig,
  BucketEncryption,
  CrossAccountConfig,
  DeployRoleConfig,
  HumanAccessConfig,
  InstanceConfig,
} from "./types";

export { unknownKeys } from "./json-shape";

export interface ValidationResult {
  /** The config with defaults applied; undefined when there are problems. */
  readonly config?: CrossAccountConfig;
  readonly problems: readonly Problem[];
}

/** An account, with its deploy role's ARN required to be in that account and partition. */
function checkAccount(path: string, value: unknown): Problem[] {
  const accountId = isObject(value) && typeof value.accountId === "string" ? value.accountId : undefined;
  const region = isObject(value) ? value.region : undefined;
  const roleArn = roleArnRule(accountId, `${path}.accountId`, region);
  return checkObject(path, value, ACCOUNT, true, {
    assumeRole: (rolePath, role) => checkObject(rolePath, role, DEPLOY_ROLE, false, { roleArn }),
  });
}

function checkBucket(value: unknown, ownerAccountId: string | undefined, ownerRegion: unknown): Problem[] {
  const path = "bucket";
  const found = checkObject(path, value, BUCKET, true, { kmsKeyArn: kmsKeyArnRule(ownerAccountId, ownerRegion) });
  if (!isObject(value)) return found;
  const existing = value.existing === true;
  const conflicts: Problem[] = [];
  if (existing && value.encryption === "SSE-KMS") {
    conflicts.push(
      problem(
        "bucket.encryption",
        value.encryption,
        'cannot be set for an existing bucket, whose settings this project does not manage; for a bucket encrypted with a customer managed key set bucket.kmsKeyArn instead (e.g. "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")',
      ),
    );
  }
  if (!existing && value.kmsKeyArn !== undefined) {
    conflicts.push(
      problem(
        "bucket.kmsKeyArn",
        value.kmsKeyArn,
        'is only for an existing bucket ("existing": true); for a new bucket set "encryption": "SSE-KMS" and the project creates the key',
      ),
    );
  }
  return [...found, ...conflicts];
}

/** Whether the project creates the EC2 instance: instance.create, by default unless the role already exists. */
function createsInstance(instance: unknown, existingInstanceRole: boolean): boolean {
  const create = isObject(instance) ? instance.create : undefined;
  return create === undefined ? !existingInstanceRole : create === true;
}

function checkInstance(value: unknown, existingInstanceRole: boolean): Problem[] {
  const path = "instance";
  const found = checkObject(path, value, INSTANCE, false);
  if (!isObject(value)) return found;
  const conflicts: Problem[] = [];
  if (value.amiId !== undefined && value.amiSsmParameter !== undefined) {
    conflicts.push(
      problem(
        `${path}.amiId`,
        value.amiId,
        "cannot be combined with instance.amiSsmParameter; set only one of the two",
      ),
    );
  }
  if (
    createsInstance(value, existingInstanceRole) &&
    typeof value.instanceType === "string" &&
    value.instanceType.startsWith("a1.") &&
    value.amiId === undefined &&
    value.amiSsmParameter === undefined
  ) {
    conflicts.push(
      problem(
        `${path}.instanceType`,
        value.instanceType,
        'is a first-generation Graviton type, which Amazon Linux 2023 (the default image) does not run on; choose a newer Graviton type (e.g. "t4g.small") or set instance.amiId',
      ),
    );
  }
  if (existingInstanceRole && value.create === true) {
    conflicts.push(
      problem(
        `${path}.create`,
        value.create,
        "cannot be true with existingInstanceRole: an existing role has no instance profile here; attach the role to your instance yourself (set instance.create to false)",
      ),
    );
  }
  return [...found, ...conflicts];
}

/**
 * Role ARNs that name a role the trust policy already names: IAM role names
 * are unique in an account regardless of case and path, so ARNs that differ
 * only there name one role (and at most one of them matches it), and the
 * instance role is always trusted.
 */
function duplicateRoleArnProblems(
  path: string,
  roleArns: readonly unknown[],
  instanceRole: { readonly arnIdentity?: string; readonly name: unknown },
): Problem[] {
  const found: Problem[] = [];
  const firstIndex = new Map<string, number>();
  roleArns.forEach((arn, index) => {
    const identity = roleIdentity(arn);
    if (identity === undefined) return;
    const first = firstIndex.get(identity);
    if (first !== undefined) {
      const other = `${path}[${first}]`;
      found.push(
        problem(
          `${path}[${index}]`,
          arn,
          arn === roleArns[first]
            ? `repeats ${other}; list each role once`
            : `names the same IAM role as ${other} ${JSON.stringify(roleArns[first])} (role names are unique in an account regardless of case and path, so at most one of the two matches); list each role once, as IAM shows its ARN`,
        ),
      );
      return;
    }
    firstIndex.set(identity, index);
    if (identity === instanceRole.arnIdentity) {
      found.push(
        problem(
          `${path}[${index}]`,
          arn,
          `names the instance role (instanceRoleName ${JSON.stringify(instanceRole.name)}), which the target role's trust policy already names; remove it from ${path}`,
        ),
      );
    }
  });
  return found;
}

function checkHumanAccess(
  value: unknown,
  accessorAccountId: string | undefined,
  accessorRegion: unknown,
  accessMode: unknown,
  instanceRoleName: unknown,
): Problem[] {
  const path = "humanAccess";
  const roleArnsExample = ruleOf(HUMAN_ACCESS, "roleArns").example as unknown[];
  const found = checkObject(path, value, HUMAN_ACCESS, false, {
    roleArns: listRule(roleArnRule(accessorAccountId, "accessor.accountId", accessorRegion), roleArnsExample),
  });
  if (!isObject(value)) return found;
  const conflicts: Problem[] = [];
  const userNames = Array.isArray(value.userNames) ? value.userNames : [];
  const roleArns = Array.isArray(value.roleArns) ? value.roleArns : [];
  if (accessMode === "direct") {
    conflicts.push(
      problem(
        path,
        value,
        'needs a target role to assume, which "accessMode": "direct" does not create; use "role-chain"',
      ),
    );
  }
  if (userNames.length > 0 && value.groupName === undefined) {
    conflicts.push(
      problem(
        `${path}.userNames`,
        value.userNames,
        'needs humanAccess.groupName: users get their sts:AssumeRole permission from that group (e.g. "groupName": "shared-data-readers")',
      ),
    );
  }
  if (value.groupName !== undefined && userNames.length === 0) {
    conflicts.push(
      problem(
        `${path}.groupName`,
        value.groupName,
        'needs humanAccess.userNames: the trust policy names each user explicitly, because a group cannot be a principal (e.g. "userNames": ["alice"])',
      ),
    );
  }
  // IAM user names are unique regardless of case, so "Alice" and "alice" are one user.
  const firstUserIndex = new Map<string, number>();
  userNames.forEach((name, index) => {
    if (typeof name !== "string") return;
    const first = firstUserIndex.get(name.toLowerCase());
    if (first === undefined) firstUserIndex.set(name.toLowerCase(), index);
    else {
      conflicts.push(
        problem(
          `${path}.userNames[${index}]`,
          name,
          `names the same IAM user as ${path}.userNames[${first}] (user names ignore case); list each user once`,
        ),
      );
    }
  });
  conflicts.push(
    ...duplicateRoleArnProblems(`${path}.roleArns`, roleArns, {
      // instanceRoleName is a name, or an existing role's ARN.
      arnIdentity:
        roleIdentity(instanceRoleName) ??
        (accessorAccountId !== undefined && typeof instanceRoleName === "string"
          ? `${accessorAccountId}:${instanceRoleName.toLowerCase()}`
          : undefined),
      name: instanceRoleName,
    }),
  );
  if (value.groupName === undefined && userNames.length === 0 && roleArns.length === 0) {
    conflicts.push(
      problem(
        path,
        value,
        'names nobody; set groupName with userNames, or roleArns (e.g. {"roleArns": ["arn:aws:iam::444455556666:role/data-analyst"]})',
      ),
    );
  }
  return [...found, ...conflicts];
}

function stringAt(value: unknown, key: string): string | undefined {
  return isObject(value) && typeof value[key] === "string" ? value[key] : undefined;
}

/** Every problem in `raw`, in the order of the fields in the contract; a list of consumers is checked in accessors.ts. */
export function findProblems(raw: unknown): Problem[] {
  return isObject(raw) && raw.accessors !== undefined
    ? accessorListProblems(raw, singleFormProblems)
    : singleFormProblems(raw);
}

/** Every problem of the single `accessor` form: the table's fields, each bound to what the others hold. */
function singleFormProblems(raw: unknown): Problem[] {
  if (!isObject(raw)) {
    return [
      problem(
        "(top level)",
        raw,
        "must be a JSON object with bucketOwner, accessor, bucket, targetRoleName and instanceRoleName (see config/example.json)",
      ),
    ];
  }
  const ownerAccountId = stringAt(raw.bucketOwner, "accountId");
  const accessorAccountId = stringAt(raw.accessor, "accountId");
  const accessorRegion = stringAt(raw.accessor, "region");
  const existingInstanceRole = raw.existingInstanceRole === true;
  const found: Problem[] = [
    ...unknownKeys("", raw, keysOf(SINGLE_FORM)),
    ...checkFields("", raw, SINGLE_FORM, {
      bucketOwner: checkAccount,
      accessor: checkAccount,
      bucket: (_path, value) => checkBucket(value, ownerAccountId, stringAt(raw.bucketOwner, "region")),
      instanceRoleName: instanceRoleNameRule({
        existingInstanceRole,
        accountId: accessorAccountId,
        region: accessorRegion,
      }),
      tags: createsInstance(raw.instance, existingInstanceRole) ? tagsRule : tagsRuleWithoutInstance,
      instance: (_path, value) => checkInstance(value, existingInstanceRole),
      humanAccess: (_path, value) =>
        checkHumanAccess(value, accessorAccountId, accessorRegion, raw.accessMode, raw.instanceRoleName),
      backend: (_path, value) => backendProblems(value),
    }),
  ];
  if (isObject(raw.bucketOwner) && isObject(raw.accessor)) {
    found.push(
      ...accountPairRule(
        { accountId: raw.bucketOwner.accountId, region: raw.bucketOwner.region },
        { accountId: raw.accessor.accountId, region: raw.accessor.region },
      ),
    );
  }
  return found;
}

function withInstanceDefaults(raw: Json | undefined, existingInstanceRole: boolean): InstanceConfig {
  const value = raw ?? {};
  const instanceType = givenOrDefault(value, INSTANCE, "instanceType") as string;
  return {
    create: createsInstance(value, existingInstanceRole),
    instanceType,
    amiId: value.amiId as string | undefined,
    amiSsmParameter:
      value.amiId === undefined
        ? ((value.amiSsmParameter as string | undefined) ?? defaultAmiSsmParameter(instanceType))
        : undefined,
    subnetId: value.subnetId as string | undefined,
    securityGroupIds: givenOrDefault(value, INSTANCE, "securityGroupIds") as string[],
    associatePublicIpAddress: givenOrDefault(value, INSTANCE, "associatePublicIpAddress") as boolean,
    metadataHopLimit: givenOrDefault(value, INSTANCE, "metadataHopLimit") as number,
    rootVolumeSizeGiB: value.rootVolumeSizeGiB as number | undefined,
    sessionManager: givenOrDefault(value, INSTANCE, "sessionManager") as boolean,
  };
}

function accountWithDefaults(value: unknown): AccountConfig {
  const json = value as Json;
  const assumeRole = json.assumeRole as Json | undefined;
  return {
    accountId: json.accountId as string,
    region: json.region as string,
    profile: json.profile as string | undefined,
    assumeRole:
      assumeRole === undefined
        ? undefined
        : ({
            roleArn: assumeRole.roleArn as string,
            sessionName: assumeRole.sessionName as string | undefined,
            externalId: assumeRole.externalId as string | undefined,
          } satisfies DeployRoleConfig),
    roleTrustPolicyLengthQuota: givenOrDefault(json, ACCOUNT, "roleTrustPolicyLengthQuota") as number,
  };
}

function bucketWithDefaults(value: Json): BucketConfig {
  return {
    name: value.name as string,
    existing: givenOrDefault(value, BUCKET, "existing") as boolean,
    keyPrefix: value.keyPrefix as string | undefined,
    encryption: givenOrDefault(value, BUCKET, "encryption") as BucketEncryption,
    kmsKeyArn: value.kmsKeyArn as string | undefined,
  };
}

function humanAccessWithDefaults(value: Json | undefined): HumanAccessConfig | undefined {
  if (value === undefined) return undefined;
  return {
    groupName: value.groupName as string | undefined,
    userNames: givenOrDefault(value, HUMAN_ACCESS, "userNames") as string[],
    roleArns: givenOrDefault(value, HUMAN_ACCESS, "roleArns") as string[],
  };
}

/** Applies every default to a config that has no problems. */
function withDefaults(raw: Json): CrossAccountConfig {
  const bucketOwner = accountWithDefaults(raw.bucketOwner);
  const existingInstanceRole = givenOrDefault(raw, SINGLE_FORM, "existingInstanceRole") as boolean;
  return {
    bucketOwner,
    accessor: accountWithDefaults(raw.accessor),
    bucket: bucketWithDefaults(raw.bucket as Json),
    accessLevel: givenOrDefault(raw, SINGLE_FORM, "accessLevel") as AccessLevel,
    targetRoleName: raw.targetRoleName as string,
    instanceRoleName: raw.instanceRoleName as string,
    cliProfileName: givenOrDefault(raw, SINGLE_FORM, "cliProfileName") as string,
    tags: { ...DEFAULT_TAGS, ...(givenOrDefault(raw, SINGLE_FORM, "tags") as Record<string, string>) },
    instance: withInstanceDefaults(raw.instance as Json | undefined, existingInstanceRole),
    existingInstanceRole,
    accessMode: givenOrDefault(raw, SINGLE_FORM, "accessMode") as AccessMode,
    humanAccess: humanAccessWithDefaults(raw.humanAccess as Json | undefined),
    backend: backendWithDefaults(
      raw.backend,
      { bucketOwner: BUCKET_OWNER_STACK_ID, accessor: ACCESSOR_STACK_ID },
      bucketOwner.region,
    ),
  };
}

/** Validates parsed JSON and applies defaults. */
export function validateConfig(raw: unknown): ValidationResult {
  const problems = findProblems(raw);
  if (problems.length > 0) return { problems };
  const json = raw as Json;
  const config = json.accessors === undefined ? withDefaults(json) : accessorListWithDefaults(json, withDefaults);
  return { config, problems };
}
