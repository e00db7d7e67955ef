/**
 * Turns the parsed JSON of a config file into a CrossAccountConfig, or into
 * the full list of problems: every field is checked before anything is built,
 * and unknown keys are reported with the closest known key.
 */
import {
  accessLevelRule,
  accountIdRule,
  accountPairRule,
  amiIdRule,
  booleanRule,
  bucketNameRule,
  cliProfileNameRule,
  externalIdRule,
  iamGroupNameRule,
  iamUserNameRule,
  instanceTypeRule,
  keyPrefixRule,
  kmsKeyArnRule,
  metadataHopLimitRule,
  oneOfRule,
  regionRule,
  roleArnRule,
  roleIdentity,
  roleNameRule,
  roleTrustPolicyLengthQuotaRule,
  rootVolumeSizeRule,
  securityGroupIdRule,
  sessionNameRule,
  ssmParameterRule,
  subnetIdRule,
  tagsRule,
  tagsRuleWithoutInstance,
} from "./rules";
import {
  ACCESSOR_STACK_ID,
  BUCKET_OWNER_STACK_ID,
  DEFAULT_ACCESS_LEVEL,
  DEFAULT_CLI_PROFILE_NAME,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_METADATA_HOP_LIMIT,
  DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA,
  DEFAULT_TAGS,
  defaultAmiSsmParameter,
} from "./defaults";
import { backendProblems, backendWithDefaults } from "./backend";
import { accessorListProblems, accessorListWithDefaults } from "./accessors";
import { isObject, Json, listField, objectAt, optionalField, unknownKeys } from "./json-shape";
import { Problem, problem } from "./problems";
import {
  ACCESS_MODES,
  BUCKET_ENCRYPTIONS,
  type AccessLevel,
  type AccessMode,
  type AccountConfig,
  type BucketConfig,
  type BucketEncryption,
  type CrossAccountConfig,
  type DeployRoleConfig,
  type HumanAccessConfig,
  type InstanceConfig,
} from "./types";

export { unknownKeys } from "./json-shape";

export interface ValidationResult {
  /** The config with defaults applied; undefined when there are problems. */
  readonly config?: CrossAccountConfig;
  readonly problems: readonly Problem[];
}

const KNOWN_KEYS = {
  root: [
    "bucketOwner",
    "accessor",
    "bucket",
    "accessLevel",
    "targetRoleName",
    "instanceRoleName",
    "cliProfileName",
    "tags",
    "instance",
    "existingInstanceRole",
    "accessMode",
    "humanAccess",
    "backend",
  ],
  account: ["accountId", "region", "profile", "assumeRole", "roleTrustPolicyLengthQuota"],
  assumeRole: ["roleArn", "sessionName", "externalId"],
  bucket: ["name", "existing", "keyPrefix", "encryption", "kmsKeyArn"],
  humanAccess: ["groupName", "userNames", "roleArns"],
  instance: [
    "create",
    "instanceType",
    "amiId",
    "amiSsmParameter",
    "subnetId",
    "securityGroupIds",
    "associatePublicIpAddress",
    "metadataHopLimit",
    "rootVolumeSizeGiB",
    "sessionManager",
  ],
} as const;

function checkAccount(path: string, value: unknown): Problem[] {
  const found = objectAt(path, value, '{"accountId": "111122223333", "region": "eu-west-1"}', true);
  if (!isObject(value)) return found;
  const accountId = typeof value.accountId === "string" ? value.accountId : undefined;
  const assumeRole = value.assumeRole;
  const roleProblems = isObject(assumeRole)
    ? [
        ...unknownKeys(`${path}.assumeRole`, assumeRole, KNOWN_KEYS.assumeRole),
        ...roleArnRule(accountId, `${path}.accountId`, value.region)(`${path}.assumeRole.roleArn`, assumeRole.roleArn),
        ...optionalField(assumeRole, `${path}.assumeRole`, "sessionName", sessionNameRule),
        ...optionalField(assumeRole, `${path}.assumeRole`, "externalId", externalIdRule),
      ]
    : objectAt(`${path}.assumeRole`, assumeRole, '{"roleArn": "arn:aws:iam::111122223333:role/deploy"}', false);
  return [
    ...found,
    ...unknownKeys(path, value, KNOWN_KEYS.account),
    ...accountIdRule(`${path}.accountId`, value.accountId),
    ...regionRule(`${path}.region`, value.region),
    ...optionalField(value, path, "profile", cliProfileNameRule),
    ...roleProblems,
    ...optionalField(value, path, "roleTrustPolicyLengthQuota", roleTrustPolicyLengthQuotaRule),
  ];
}

function checkBucket(value: unknown, ownerAccountId: string | undefined, ownerRegion: unknown): Problem[] {
  const path = "bucket";
  const found = objectAt(path, value, '{"name": "example-shared-data"}', true);
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
  return [
    ...found,
    ...unknownKeys(path, value, KNOWN_KEYS.bucket),
    ...bucketNameRule("bucket.name", value.name),
    ...optionalField(value, path, "existing", booleanRule),
    ...optionalField(value, path, "keyPrefix", keyPrefixRule),
    ...optionalField(value, path, "encryption", oneOfRule(BUCKET_ENCRYPTIONS)),
    ...optionalField(value, path, "kmsKeyArn", kmsKeyArnRule(ownerAccountId, ownerRegion)),
    ...conflicts,
  ];
}

/** Whether the project creates the EC2 instance: instance.create, by default unless the role already exists. */
function createsInstance(instance: unknown, existingInstanceRole: boolean): boolean {
  const create = isObject(instance) ? instance.create : undefined;
  return create === undefined ? !existingInstanceRole : create === true;
}

function checkInstance(value: unknown, existingInstanceRole: boolean): Problem[] {
  const path = "instance";
  const found = objectAt(path, value, '{"instanceType": "t3.micro"}', false);
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
  return [
    ...found,
    ...unknownKeys(path, value, KNOWN_KEYS.instance),
    ...optionalField(value, path, "create", booleanRule),
    ...optionalField(value, path, "instanceType", instanceTypeRule),
    ...optionalField(value, path, "amiId", amiIdRule),
    ...optionalField(value, path, "amiSsmParameter", ssmParameterRule),
    ...optionalField(value, path, "subnetId", subnetIdRule),
    ...listField(value, path, "securityGroupIds", '["sg-0123456789abcdef0"]', securityGroupIdRule),
    ...optionalField(value, path, "associatePublicIpAddress", booleanRule),
    ...optionalField(value, path, "metadataHopLimit", metadataHopLimitRule),
    ...optionalField(value, path, "rootVolumeSizeGiB", rootVolumeSizeRule),
    ...optionalField(value, path, "sessionManager", booleanRule),
    ...conflicts,
  ];
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
  const found = objectAt(path, value, '{"groupName": "shared-data-readers", "userNames": ["alice"]}', false);
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
  return [
    ...found,
    ...unknownKeys(path, value, KNOWN_KEYS.humanAccess),
    ...optionalField(value, path, "groupName", iamGroupNameRule),
    ...listField(value, path, "userNames", '["alice"]', iamUserNameRule),
    ...listField(
      value,
      path,
      "roleArns",
      '["arn:aws:iam::444455556666:role/data-analyst"]',
      roleArnRule(accessorAccountId, "accessor.accountId", accessorRegion),
    ),
    ...conflicts,
  ];
}

/**
 * `instanceRoleName`: a role name, or (for an existing role, which may have an IAM path such as
 * "/service-role/") the role's ARN in the accessor account.
 */
function instanceRoleProblems(raw: Json, accessorAccountId: string | undefined): Problem[] {
  const value = raw.instanceRoleName;
  if (typeof value !== "string" || !value.startsWith("arn:")) return roleNameRule("instanceRoleName", value);
  if (raw.existingInstanceRole !== true) {
    const name = value.split("/").pop() ?? "";
    return [
      problem(
        "instanceRoleName",
        value,
        `is a role ARN, which only names an existing role; set "existingInstanceRole": true, or give the name of the role to create (e.g. ${JSON.stringify(name)})`,
      ),
    ];
  }
  return roleArnRule(
    accessorAccountId,
    "accessor.accountId",
    stringAt(raw.accessor, "region"),
  )("instanceRoleName", value);
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

/** Every problem of the single `accessor` form. */
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
  const found: Problem[] = [
    ...unknownKeys("", raw, KNOWN_KEYS.root),
    ...checkAccount("bucketOwner", raw.bucketOwner),
    ...checkAccount("accessor", raw.accessor),
    ...checkBucket(raw.bucket, ownerAccountId, stringAt(raw.bucketOwner, "region")),
    ...optionalField(raw, "", "accessLevel", accessLevelRule),
    ...roleNameRule("targetRoleName", raw.targetRoleName),
    ...instanceRoleProblems(raw, accessorAccountId),
    ...optionalField(raw, "", "cliProfileName", cliProfileNameRule),
    ...optionalField(
      raw,
      "",
      "tags",
      createsInstance(raw.instance, raw.existingInstanceRole === true) ? tagsRule : tagsRuleWithoutInstance,
    ),
    ...optionalField(raw, "", "existingInstanceRole", booleanRule),
    ...checkInstance(raw.instance, raw.existingInstanceRole === true),
    ...optionalField(raw, "", "accessMode", oneOfRule(ACCESS_MODES)),
    ...checkHumanAccess(
      raw.humanAccess,
      accessorAccountId,
      stringAt(raw.accessor, "region"),
      raw.accessMode,
      raw.instanceRoleName,
    ),
    ...backendProblems(raw.backend),
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
  const instanceType = (value.instanceType as string | undefined) ?? DEFAULT_INSTANCE_TYPE;
  return {
    create: createsInstance(value, existingInstanceRole),
    instanceType,
    amiId: value.amiId as string | undefined,
    amiSsmParameter:
      value.amiId === undefined
        ? ((value.amiSsmParameter as string | undefined) ?? defaultAmiSsmParameter(instanceType))
        : undefined,
    subnetId: value.subnetId as string | undefined,
    securityGroupIds: (value.securityGroupIds as string[] | undefined) ?? [],
    associatePublicIpAddress: (value.associatePublicIpAddress as boolean | undefined) ?? false,
    metadataHopLimit: (value.metadataHopLimit as number | undefined) ?? DEFAULT_METADATA_HOP_LIMIT,
    rootVolumeSizeGiB: value.rootVolumeSizeGiB as number | undefined,
    sessionManager: (value.sessionManager as boolean | undefined) ?? false,
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
    roleTrustPolicyLengthQuota:
      (json.roleTrustPolicyLengthQuota as number | undefined) ?? DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA,
  };
}

function bucketWithDefaults(value: Json): BucketConfig {
  return {
    name: value.name as string,
    existing: (value.existing as boolean | undefined) ?? false,
    keyPrefix: value.keyPrefix as string | undefined,
    encryption: (value.encryption as BucketEncryption | undefined) ?? "SSE-S3",
    kmsKeyArn: value.kmsKeyArn as string | undefined,
  };
}

function humanAccessWithDefaults(value: Json | undefined): HumanAccessConfig | undefined {
  if (value === undefined) return undefined;
  return {
    groupName: value.groupName as string | undefined,
    userNames: (value.userNames as string[] | undefined) ?? [],
    roleArns: (value.roleArns as string[] | undefined) ?? [],
  };
}

/** Applies every default to a config that has no problems. */
function withDefaults(raw: Json): CrossAccountConfig {
  const bucketOwner = accountWithDefaults(raw.bucketOwner);
  const existingInstanceRole = (raw.existingInstanceRole as boolean | undefined) ?? false;
  return {
    bucketOwner,
    accessor: accountWithDefaults(raw.accessor),
    bucket: bucketWithDefaults(raw.bucket as Json),
    accessLevel: (raw.accessLevel as AccessLevel | undefined) ?? DEFAULT_ACCESS_LEVEL,
    targetRoleName: raw.targetRoleName as string,
    instanceRoleName: raw.instanceRoleName as string,
    cliProfileName: (raw.cliProfileName as string | undefined) ?? DEFAULT_CLI_PROFILE_NAME,
    tags: { ...DEFAULT_TAGS, ...((raw.tags as Record<string, string> | undefined) ?? {}) },
    instance: withInstanceDefaults(raw.instance as Json | undefined, existingInstanceRole),
    existingInstanceRole,
    accessMode: (raw.accessMode as AccessMode | undefined) ?? "role-chain",
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
