/**
 * Reads IAM policy JSON strings from synthesized Terraform as typed documents,
 * independently of the product's own policy types, so tests see what AWS sees.
 */
import type { AccessLevel } from "../../config/types";

export interface ParsedStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface ParsedPolicy {
  readonly Version: string;
  readonly Statement: ParsedStatement[];
}

/** Parses a policy string; fails if it is not plain JSON (e.g. a jsonencode(...) expression). */
export function parsePolicy(json: unknown): ParsedPolicy {
  if (typeof json !== "string") throw new Error(`policy is not a string: ${JSON.stringify(json)}`);
  if (json.includes("jsonencode(")) throw new Error(`policy is a jsonencode expression: ${json}`);
  const parsed = JSON.parse(json) as ParsedPolicy;
  if (!Array.isArray(parsed.Statement)) throw new Error(`policy has no Statement list: ${json}`);
  return parsed;
}

/** A policy value as a list. */
export function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : [...value];
}

/** The statements with `effect`. */
export function statementsWith(policy: ParsedPolicy, effect: "Allow" | "Deny"): ParsedStatement[] {
  return policy.Statement.filter((s) => s.Effect === effect);
}

/** Every action named anywhere in the policy (Allow and Deny). */
export function allActions(policy: ParsedPolicy): string[] {
  return policy.Statement.flatMap((s) => [...list(s.Action), ...list(s.NotAction)]);
}

const READ_BUCKET = ["s3:ListBucket", "s3:GetBucketLocation"];
const READ_WRITE_OBJECT = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];

/**
 * The S3 actions of each access level, written out from issues 3 and 5 (not
 * imported from the product), in the order the synthesized policies list them.
 */
export const LEVEL_ACTIONS: Readonly<Record<AccessLevel, { bucket: string[]; object: string[] }>> = {
  "read-only": { bucket: READ_BUCKET, object: ["s3:GetObject"] },
  "read-write": { bucket: READ_BUCKET, object: READ_WRITE_OBJECT },
  full: {
    bucket: [...READ_BUCKET, "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"],
    object: [
      ...READ_WRITE_OBJECT,
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
  },
};

/** The SSM agent's Session Manager actions (instance.sessionManager), written out from AWS's minimal instance profile. */
export const SESSION_MANAGER_ACTIONS = [
  "ssm:UpdateInstanceInformation",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/**
 * The session-manager inline policy for the instance `instanceArn` (an ARN, a reference, or instance/* in the
 * account and region): ssm:UpdateInstanceInformation supports the instance resource type; the four
 * ssmmessages actions support none ("Actions, resources, and condition keys" for SSM and SSM Messages).
 */
export function sessionManagerStatements(instanceArn: string): Array<Record<string, unknown>> {
  return [
    {
      Sid: "SessionManagerRegistersInstance",
      Effect: "Allow",
      Action: "ssm:UpdateInstanceInformation",
      Resource: instanceArn,
    },
    {
      Sid: "SessionManagerChannels",
      Effect: "Allow",
      Action: SESSION_MANAGER_ACTIONS.filter((action) => action.startsWith("ssmmessages:")),
      Resource: "*",
    },
  ];
}

const sorted = (actions: readonly string[]): string[] => [...actions].sort();

/** The same actions sorted, for comparisons that sort what they read from a policy. */
export const EXPECTED_ACTIONS: Readonly<Record<AccessLevel, { bucket: string[]; object: string[] }>> = {
  "read-only": { bucket: sorted(LEVEL_ACTIONS["read-only"].bucket), object: sorted(LEVEL_ACTIONS["read-only"].object) },
  "read-write": {
    bucket: sorted(LEVEL_ACTIONS["read-write"].bucket),
    object: sorted(LEVEL_ACTIONS["read-write"].object),
  },
  full: { bucket: sorted(LEVEL_ACTIONS.full.bucket), object: sorted(LEVEL_ACTIONS.full.object) },
};

/** Bucket-administration actions that must never be granted to the accessor at any level. */
export const ADMIN_ACTIONS = [
  "s3:DeleteBucket",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketAcl",
  "s3:PutObjectAcl",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutEncryptionConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutBucketOwnershipControls",
] as const;
