/**
 * What a grantee needs on a customer managed KMS key to use an SSE-KMS bucket.
 * S3 calls KMS on the caller's behalf: GetObject needs kms:Decrypt, PutObject
 * needs kms:GenerateDataKey (and kms:Decrypt for multipart uploads). A
 * cross-account caller needs the key policy AND its identity policy to allow
 * it; a missing KMS grant is the classic "list works, get fails" failure.
 */
import type { AccessLevel } from "../config/types";
import type { Condition, Principal, Statement } from "./policy-document";

/** KMS actions for `level`. */
export function kmsActionsFor(level: AccessLevel): string[] {
  return level === "read-only" ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:GenerateDataKey"];
}

/** Only through S3 in the bucket's region, never direct KMS calls. */
export function viaS3Condition(region: string, dnsSuffix = "amazonaws.com"): Condition {
  return { StringEquals: { "kms:ViaService": `s3.${region}.${dnsSuffix}` } };
}

/** Identity-policy statement: use the bucket's key through S3. */
export function kmsIdentityStatement(
  level: AccessLevel,
  keyArn: string,
  region: string,
  dnsSuffix?: string,
): Statement {
  return {
    Sid: "UseBucketKeyThroughS3",
    Effect: "Allow",
    Action: kmsActionsFor(level),
    Resource: keyArn,
    Condition: viaS3Condition(region, dnsSuffix),
  };
}

/** Key-policy statement: let `principal` use the key through S3 ("*" in a key policy means this key). */
export function kmsKeyPolicyGrant(
  level: AccessLevel,
  principal: Principal,
  region: string,
  principalCondition?: Condition,
  dnsSuffix?: string,
): Statement {
  return {
    Sid: "BucketAccessorUsesKeyThroughS3",
    Effect: "Allow",
    Principal: principal,
    Action: kmsActionsFor(level),
    Resource: "*",
    Condition: { ...viaS3Condition(region, dnsSuffix), ...(principalCondition ?? {}) },
  };
}
