/**
 * The S3 actions each access level grants, named one by one (no wildcards), and
 * split by the resource they apply to: bucket-level actions act on the bucket
 * ARN, object-level actions on `bucket/*` ("Actions, resources, and condition
 * keys for Amazon S3" in the Service Authorization Reference).
 */
import type { AccessLevel } from "../config/types";
import type { Principal, Statement } from "./policy-document";

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

/** An IAM role's ARN. */
export function roleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * The Allow statements for `level` on one bucket: bucket-level actions on the
 * bucket ARN, object-level actions on its objects. With `principal` they are
 * bucket-policy statements; without, identity-policy statements.
 */
export function s3AccessStatements(
  level: AccessLevel,
  bucket: { readonly arn: string },
  principal?: Principal,
): Statement[] {
  const actions = s3ActionsFor(level);
  const withPrincipal = principal === undefined ? {} : { Principal: principal };
  return [
    { Sid: "BucketLevelAccess", Effect: "Allow", ...withPrincipal, Action: actions.bucket, Resource: bucket.arn },
    { Sid: "ObjectLevelAccess", Effect: "Allow", ...withPrincipal, Action: actions.object, Resource: `${bucket.arn}/*` },
  ];
}
