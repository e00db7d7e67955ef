/**
 * What the configuration says should be possible, written down independently
 * of the code that builds the policies (lib/s3-access-actions.ts): the
 * report compares the synthesized policies against this, so a policy that
 * grants more or less than its access level shows up as a mismatch instead of
 * being echoed back. The access levels are the contract of issue 3:
 *   read-only  = list the bucket, read objects;
 *   read-write = read-only plus writing and deleting objects;
 *   full       = every object and bucket-content action (versions, tags, …);
 * bucket administration (its policy, deleting it) is never granted.
 */
import type { AccessLevel, AccessMode, AccountConfig, CrossAccountConfig } from "../config/types";
import { partitionOf } from "../config/regions";

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
  /** Role session name the workload uses for the chained session (the CLI profile's role_session_name). */
  readonly sessionName: string;
  /**
   * Key prefix the access is limited to.
   * @default undefined: the whole bucket
   */
  readonly keyPrefix?: string;
  /** SSE-KMS: the key's ARN when it is given (an existing key); created keys are found in the synth output. */
  readonly kms?: { readonly keyArn?: string };
  /** People in the accessor account who may also assume the target role. */
  readonly people: { readonly userNames: readonly string[]; readonly roleArns: readonly string[] };
}

/** The expectations a validated config implies. */
export function expectationsFromConfig(config: CrossAccountConfig): AccessExpectations {
  const encrypted = config.bucket.encryption === "SSE-KMS" || config.bucket.kmsKeyArn !== undefined;
  return {
    accessLevel: config.accessLevel,
    accessMode: config.accessMode,
    bucketOwner: config.bucketOwner,
    accessor: config.accessor,
    bucketName: config.bucket.name,
    existingBucket: config.bucket.existing,
    targetRoleName: config.targetRoleName,
    instanceRoleName: config.instanceRoleName,
    sessionName: config.instanceRoleName,
    keyPrefix: config.bucket.keyPrefix,
    kms: encrypted ? { keyArn: config.bucket.kmsKeyArn } : undefined,
    people: { userNames: config.humanAccess?.userNames ?? [], roleArns: config.humanAccess?.roleArns ?? [] },
  };
}

/** One request the workload (the target role, or the instance role with a direct grant) makes, and the levels that allow it. */
export interface S3Probe {
  readonly id: string;
  /** What a person reads in the report, e.g. "list the bucket". */
  readonly label: string;
  readonly action: string;
  /** Whether the request names the bucket or an object in it. */
  readonly on: "bucket" | "object";
  readonly allowedAt: readonly AccessLevel[];
  /** Why: the part of the access level contract this row checks. */
  readonly why: string;
}

const EVERY_LEVEL: readonly AccessLevel[] = ["read-only", "read-write", "full"];

export const S3_PROBES: readonly S3Probe[] = [
  {
    id: "list",
    label: "list the bucket",
    action: "s3:ListBucket",
    on: "bucket",
    allowedAt: EVERY_LEVEL,
    why: "every level lists the bucket",
  },
  {
    id: "get",
    label: "read an object",
    action: "s3:GetObject",
    on: "object",
    allowedAt: EVERY_LEVEL,
    why: "every level reads objects",
  },
  {
    id: "put",
    label: "write an object",
    action: "s3:PutObject",
    on: "object",
    allowedAt: ["read-write", "full"],
    why: "read-write and full write objects",
  },
  {
    id: "delete",
    label: "delete an object",
    action: "s3:DeleteObject",
    on: "object",
    allowedAt: ["read-write", "full"],
    why: "read-write and full delete objects",
  },
  {
    id: "get-version",
    label: "read an old object version",
    action: "s3:GetObjectVersion",
    on: "object",
    allowedAt: ["full"],
    why: "only full reaches object versions",
  },
  {
    id: "put-bucket-policy",
    label: "change the bucket policy",
    action: "s3:PutBucketPolicy",
    on: "bucket",
    allowedAt: [],
    why: "bucket administration stays with the owner at every level",
  },
  {
    id: "delete-bucket",
    label: "delete the bucket",
    action: "s3:DeleteBucket",
    on: "bucket",
    allowedAt: [],
    why: "bucket administration stays with the owner at every level",
  },
];

/**
 * With SSE-KMS, S3 calls KMS on the caller's behalf: reading needs
 * kms:Decrypt, writing kms:GenerateDataKey, and neither may be used outside S3
 * ("Using SSE-KMS" in the S3 user guide; kms:ViaService in the KMS guide).
 */
export const KMS_PROBES: readonly (S3Probe & { readonly viaS3: boolean })[] = [
  {
    id: "decrypt-via-s3",
    label: "decrypt objects through S3",
    action: "kms:Decrypt",
    on: "object",
    viaS3: true,
    allowedAt: EVERY_LEVEL,
    why: "reading an SSE-KMS object needs kms:Decrypt",
  },
  {
    id: "generate-data-key-via-s3",
    label: "encrypt new objects through S3",
    action: "kms:GenerateDataKey",
    on: "object",
    viaS3: true,
    allowedAt: ["read-write", "full"],
    why: "writing an SSE-KMS object needs kms:GenerateDataKey",
  },
  {
    id: "decrypt-directly",
    label: "call kms:Decrypt directly (not through S3)",
    action: "kms:Decrypt",
    on: "object",
    viaS3: false,
    allowedAt: [],
    why: "the key is usable only through S3 (kms:ViaService)",
  },
];

/** The ARN partition of an account's region. */
export function partitionOfAccount(account: AccountConfig): string {
  return partitionOf(account.region);
}
