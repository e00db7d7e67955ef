/**
 * What the configuration says should be possible, written down independently
 * of the code that builds the policies (lib/s3-access-actions.ts): the
 * report compares the synthesized policies against this, so a policy that
 * grants more or less than its access level shows up instead of being echoed
 * back. The access levels' contract:
 *   read-only  = list the bucket, read objects;
 *   read-write = read-only plus writing and deleting objects;
 *   full       = every object and bucket-content action (versions, tags, …);
 * bucket administration (its policy, deleting it) is never granted.
 */
import type { AccessLevel, AccessMode, AccessPointConfig, AccountConfig, CrossAccountConfig } from "../config/types";
import { accessorsOf, accessorView } from "../config/accessors";
import { partitionOf } from "../config/regions";
import { instanceRoleIdentity } from "../lib/s3-access-actions";

/** The facts of one deployment the report checks against. */
export interface AccessExpectations {
  readonly accessLevel: AccessLevel;
  /** Role chaining through the target role, or a direct bucket-policy grant to the instance role. */
  readonly accessMode: AccessMode;
  readonly bucketOwner: AccountConfig;
  readonly accessor: AccountConfig;
  readonly bucketName: string;
  /** The bucket exists already: its policy is not in the app (the report evaluates the statements to merge). */
  readonly existingBucket: boolean;
  readonly targetRoleName: string;
  readonly instanceRoleName: string;
  /** The instance role's ARN, with its IAM path when an existing role was named by its ARN. */
  readonly instanceRoleArn: string;
  /**
   * Key prefix the access is limited to.
   * @default undefined: the whole bucket
   */
  readonly keyPrefix?: string;
  /** SSE-KMS: the key's ARN when it is given (an existing key); created keys are found in the synth output. */
  readonly kms?: { readonly keyArn?: string };
  /** People in the accessor account who may also assume the target role, and the group that lets them. */
  readonly people: {
    readonly groupName?: string;
    readonly userNames: readonly string[];
    readonly roleArns: readonly string[];
  };
  /** The instance role carries the Session Manager agent's actions. */
  readonly sessionManager: boolean;
  /** The app creates the EC2 instance (Session Manager then names that instance only). */
  readonly instanceCreated: boolean;
}

/** The expectations a validated config implies. */
export function expectationsFromConfig(config: CrossAccountConfig): AccessExpectations {
  // instanceRoleName may be an existing role's ARN: its IAM path is part of what aws:PrincipalArn holds.
  const instanceRole = instanceRoleIdentity(config);
  const encrypted = config.bucket.encryption === "SSE-KMS" || config.bucket.kmsKeyArn !== undefined;
  return {
    accessLevel: config.accessLevel,
    accessMode: config.accessMode,
    bucketOwner: config.bucketOwner,
    accessor: config.accessor,
    bucketName: config.bucket.name,
    existingBucket: config.bucket.existing,
    targetRoleName: config.targetRoleName,
    instanceRoleName: instanceRole.name,
    instanceRoleArn: instanceRole.arn,
    keyPrefix: config.bucket.keyPrefix,
    kms: encrypted ? { keyArn: config.bucket.kmsKeyArn } : undefined,
    people: {
      groupName: config.humanAccess?.groupName,
      userNames: config.humanAccess?.userNames ?? [],
      roleArns: config.humanAccess?.roleArns ?? [],
    },
    sessionManager: config.instance.sessionManager,
    instanceCreated: config.instance.create,
  };
}

/** One consumer of the bucket: the single form's only one, or one entry of the `accessors` list. */
export interface ConsumerExpectations {
  /** "accessor" for the single form, else the entry's name. */
  readonly name: string;
  /** The consumer's view of the config: its account, level, prefix, roles and people. */
  readonly expectations: AccessExpectations;
  /** Its S3 access point in the owner account (the `accessors` form); undefined in the single form. */
  readonly accessPoint?: AccessPointConfig;
  /** The config lets its prefix contain (or equal) another consumer's. */
  readonly allowPrefixOverlap: boolean;
}

/** Every consumer of the bucket, in the config's order (the single form is a list of one). */
export function consumersFromConfig(config: CrossAccountConfig): ConsumerExpectations[] {
  return accessorsOf(config).map((accessor) => ({
    name: accessor.name,
    expectations: expectationsFromConfig(accessorView(config, accessor)),
    ...(accessor.accessPoint === undefined ? {} : { accessPoint: accessor.accessPoint }),
    allowPrefixOverlap: accessor.allowPrefixOverlap,
  }));
}

/** What the workload may do at one access level, by the resource each action names. */
export interface LevelActions {
  /** Actions on the bucket ARN. */
  readonly bucket: readonly string[];
  /** The bucket actions that list keys: limited to the key prefix by an s3:prefix condition when there is one. */
  readonly listing: readonly string[];
  /** Actions on objects (bucket/prefix*). */
  readonly object: readonly string[];
  /** KMS actions on the bucket's key, only through S3 (SSE-KMS). */
  readonly kms: readonly string[];
}

const READ_ONLY: LevelActions = {
  bucket: ["s3:ListBucket", "s3:GetBucketLocation"],
  listing: ["s3:ListBucket"],
  object: ["s3:GetObject"],
  kms: ["kms:Decrypt"],
};

const READ_WRITE: LevelActions = {
  ...READ_ONLY,
  object: [...READ_ONLY.object, "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
  // PutObject encrypts with a new data key; multipart uploads also decrypt it.
  kms: ["kms:Decrypt", "kms:GenerateDataKey"],
};

const FULL: LevelActions = {
  bucket: [...READ_ONLY.bucket, "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"],
  listing: ["s3:ListBucket", "s3:ListBucketVersions"],
  object: [
    ...READ_WRITE.object,
    "s3:GetObjectVersion",
    "s3:GetObjectAttributes",
    "s3:GetObjectVersionAttributes",
    "s3:GetObjectTagging",
    "s3:GetObjectVersionTagging",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionTagging",
    "s3:DeleteObjectTagging",
    "s3:DeleteObjectVersionTagging",
    "s3:DeleteObjectVersion",
    "s3:ListMultipartUploadParts",
    "s3:RestoreObject",
  ],
  kms: READ_WRITE.kms,
};

/**
 * The actions of a level. With a key prefix, ListBucketMultipartUploads
 * (which has no s3:prefix key, so it cannot be limited to the prefix) is not
 * part of the grant.
 */
export function levelActions(level: AccessLevel, keyPrefix?: string): LevelActions {
  const actions = { "read-only": READ_ONLY, "read-write": READ_WRITE, full: FULL }[level];
  if (keyPrefix === undefined) return actions;
  return { ...actions, bucket: actions.bucket.filter((action) => action !== "s3:ListBucketMultipartUploads") };
}

/**
 * What the SSM agent needs for Session Manager when instance.sessionManager
 * is on: registering its instance (ssm:UpdateInstanceInformation acts on the
 * EC2 instance), and the four channel actions, which support no resource type
 * and so are granted on "*".
 */
export const SESSION_MANAGER_ACTIONS = {
  onInstance: ["ssm:UpdateInstanceInformation"],
  onAnyResource: [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
  ],
} as const;

/** The ARN partition of an account's region. */
export function partitionOfAccount(account: AccountConfig): string {
  return partitionOf(account.region);
}
