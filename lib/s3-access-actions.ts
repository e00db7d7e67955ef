/**
 * The S3 actions each access level grants, named one by one (no wildcards), and
 * split by the resource they apply to: bucket-level actions act on the bucket
 * ARN, object-level actions on `bucket/*` ("Actions, resources, and condition
 * keys for Amazon S3" in the Service Authorization Reference).
 */
import type { AccessLevel, CrossAccountConfig } from "../config/types";
import { partitionOf } from "../config/regions";
import type { Condition, Principal, Statement } from "./policy-document";

export interface S3Actions {
  /** Actions whose resource is the bucket itself (arn:aws:s3:::name). */
  readonly bucket: readonly string[];
  /** Actions whose resource is an object (arn:aws:s3:::name/*). */
  readonly object: readonly string[];
}

const READ_ONLY: S3Actions = {
  bucket: ["s3:ListBucket", "s3:GetBucketLocation"],
  object: ["s3:GetObject"],
};

const READ_WRITE: S3Actions = {
  bucket: READ_ONLY.bucket,
  object: [...READ_ONLY.object, "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
};

/**
 * Everything a workload can do to the bucket's content: objects, their
 * versions, tags and multipart uploads. Bucket administration (policy,
 * deletion, encryption, public access, lifecycle) stays with the owner account.
 */
const FULL: S3Actions = {
  bucket: [...READ_ONLY.bucket, "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"],
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
};

const BY_LEVEL: Readonly<Record<AccessLevel, S3Actions>> = {
  "read-only": READ_ONLY,
  "read-write": READ_WRITE,
  full: FULL,
};

/** The actions granted at `level`. */
export function s3ActionsFor(level: AccessLevel): S3Actions {
  return BY_LEVEL[level];
}

/** The bucket's ARN in `partition`. */
export function bucketArn(partition: string, bucketName: string): string {
  return `arn:${partition}:s3:::${bucketName}`;
}

/** The ARN that covers every object in the bucket. */
export function objectsArn(partition: string, bucketName: string): string {
  return `${bucketArn(partition, bucketName)}/*`;
}

/** An IAM role's ARN; `path` is its IAM path ("/" or e.g. "/service-role/"). */
export function roleArn(partition: string, accountId: string, roleName: string, path = "/"): string {
  return `arn:${partition}:iam::${accountId}:role${path}${roleName}`;
}

/** The instance role: its name, its IAM path, and its ARN (what aws:PrincipalArn holds for its sessions). */
export interface InstanceRoleIdentity {
  readonly name: string;
  /** "/" unless the config named an existing role by an ARN with a path, e.g. "/service-role/". */
  readonly path: string;
  readonly arn: string;
}

/**
 * The instance role of `config`: `instanceRoleName` is a role name, or an existing role's ARN (whose IAM
 * path a policy must repeat: aws:PrincipalArn of arn:aws:iam::B:role/service-role/x never matches role/x).
 */
export function instanceRoleIdentity(config: CrossAccountConfig): InstanceRoleIdentity {
  const given = config.instanceRoleName;
  if (given.startsWith("arn:")) {
    const resource = given.slice(given.indexOf(":role/") + ":role".length);
    const last = resource.lastIndexOf("/");
    return { name: resource.slice(last + 1), path: resource.slice(0, last + 1), arn: given };
  }
  return {
    name: given,
    path: "/",
    arn: roleArn(partitionOf(config.accessor.region), config.accessor.accountId, given),
  };
}

/** The instance role's ARN, with its IAM path. */
export function instanceRoleArn(config: CrossAccountConfig): string {
  return instanceRoleIdentity(config).arn;
}

/** The bucket, or the part of it under a key prefix, that a grant covers. */
export interface BucketScope {
  /** The ARN bucket-level actions name: the bucket's, or an S3 access point's. */
  readonly arn: string;
  /**
   * The ARN object keys are appended to: `<bucket ARN>/`, or for an access point `<access point ARN>/object/`
   * ("Referencing access points" in the S3 user guide).
   * @default `${arn}/`
   */
  readonly objectsArnBase?: string;
  /** Only keys under this prefix (ending in "/"); undefined means the whole bucket. */
  readonly keyPrefix?: string;
}

/** Who a resource-policy statement grants to: a principal, narrowed by a condition. */
export interface Grantee {
  readonly principal: Principal;
  readonly condition?: Condition;
}

/** Listing actions that honour the s3:prefix condition key. */
const LISTING_ACTIONS = ["s3:ListBucket", "s3:ListBucketVersions"];

/**
 * The Allow statements for `level` on one bucket: bucket-level actions on the
 * bucket ARN, object-level actions on its objects. With a key prefix, objects
 * are limited to `prefix*`, listing carries an s3:prefix condition, and
 * ListBucketMultipartUploads (which cannot be limited by prefix) is left out.
 * With a grantee they are bucket-policy statements; without, identity-policy
 * statements.
 */
export function s3AccessStatements(level: AccessLevel, scope: BucketScope, grantee?: Grantee): Statement[] {
  const actions = s3ActionsFor(level);
  const withGrantee = (statement: Statement): Statement => {
    if (grantee === undefined) return statement;
    const condition = { ...(statement.Condition ?? {}), ...(grantee.condition ?? {}) };
    const { Sid, Effect, Action, Resource } = statement;
    return Object.keys(condition).length > 0
      ? { Sid, Effect, Principal: grantee.principal, Action, Resource, Condition: condition }
      : { Sid, Effect, Principal: grantee.principal, Action, Resource };
  };
  const prefix = scope.keyPrefix;
  const objects = scope.objectsArnBase ?? `${scope.arn}/`;
  if (prefix === undefined) {
    return [
      { Sid: "BucketLevelAccess", Effect: "Allow", Action: actions.bucket, Resource: scope.arn },
      { Sid: "ObjectLevelAccess", Effect: "Allow", Action: actions.object, Resource: `${objects}*` },
    ].map((statement) => withGrantee(statement as Statement));
  }
  const listing = actions.bucket.filter((action) => LISTING_ACTIONS.includes(action));
  const statements: Statement[] = [
    { Sid: "BucketLocation", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: scope.arn },
    {
      Sid: "ListKeyPrefix",
      Effect: "Allow",
      Action: listing,
      Resource: scope.arn,
      Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}*`] } },
    },
    { Sid: "ObjectLevelAccess", Effect: "Allow", Action: actions.object, Resource: `${objects}${prefix}*` },
  ];
  return statements.map(withGrantee);
}
