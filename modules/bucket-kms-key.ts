import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AccessLevel } from "../config/types";
import { accessLevelRule, accountIdRule } from "../config/rules";
import { throwIfProblems } from "../config/problems";
import { policyDocument, PolicyDocument, Statement, toPolicyJson } from "../lib/policy-document";
import { kmsKeyPolicyGrant } from "../lib/kms-access";
import { Grantee } from "../lib/s3-access-actions";
import { nameElement } from "../lib/logical-id";

export interface BucketKmsKeyProps {
  /** Provider of the bucket owner account, where the key lives. */
  readonly provider: TerraformProvider;
  /** The bucket the key encrypts (used in the alias and description). */
  readonly bucketName: string;
  /** ARN partition of the owner's region. */
  readonly partition: string;
  /** The bucket owner account id: its IAM policies administer the key. */
  readonly ownerAccountId: string;
  /** The bucket's region: the key is used only through S3 there. */
  readonly region: string;
  /**
   * Who reads (and writes) the bucket, and so uses the key, and at what level; named in the key policy.
   * @default none: the key policy names only the owner account, whose IAM policies then grant the key. That
   * is how the `accessors` form keeps the key policy one size: every consumer's target role is in the owner
   * account and its own policy allows the key only through S3 (kms:ViaService).
   */
  readonly user?: { readonly grantee: Grantee; readonly accessLevel: AccessLevel };
  /** DNS suffix of the partition, for kms:ViaService. */
  readonly dnsSuffix: string;
}

/**
 * The key's alias, named after the bucket. KMS alias names allow only
 * letters, digits, "/", "_" and "-" (the provider rejects anything else), but
 * bucket names may hold dots; bucket names never hold "_", so mapping "." to
 * "_" keeps every bucket's alias valid and distinct.
 */
export function kmsAliasName(bucketName: string): string {
  return `alias/s3/${bucketName.replace(/\./g, "_")}`;
}

/** The key policy: the owner account administers the key; the grantee uses it only through S3. */
export function bucketKeyPolicyDocument(props: Omit<BucketKmsKeyProps, "provider" | "bucketName">): PolicyDocument {
  // Without the account-root statement a key can become unmanageable: only the
  // key policy would grant access to it ("Default key policy" in the KMS guide).
  const ownerAdministers: Statement = {
    Sid: "OwnerAccountAdministersKey",
    Effect: "Allow",
    Principal: { AWS: `arn:${props.partition}:iam::${props.ownerAccountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
  const user = props.user;
  return policyDocument([
    ownerAdministers,
    ...(user === undefined
      ? []
      : [
          kmsKeyPolicyGrant(
            user.accessLevel,
            user.grantee.principal,
            props.region,
            user.grantee.condition,
            props.dnsSuffix,
          ),
        ]),
  ]);
}

/**
 * A customer managed KMS key for an SSE-KMS bucket: yearly rotation on, a
 * 30-day deletion window, and an alias named after the bucket. The key is the
 * only way to read the kept bucket's objects, so it has `prevent_destroy` like
 * the bucket: a destroy, or a switch to SSE-S3, can never schedule it for
 * deletion. The alias is kept with it, so the key stays findable by name.
 */
export class BucketKmsKey extends Construct {
  /** The key's ARN (a Terraform reference). */
  public readonly keyArn: string;
  /** The key policy as written. */
  public readonly document: PolicyDocument;

  constructor(scope: Construct, id: string, props: BucketKmsKeyProps) {
    super(scope, id);
    throwIfProblems(
      [
        ...accountIdRule("ownerAccountId", props.ownerAccountId),
        ...(props.user === undefined ? [] : accessLevelRule("user.accessLevel", props.user.accessLevel)),
      ],
      this.node.path,
    );
    this.document = bucketKeyPolicyDocument(props);
    const key = nameElement(
      new KmsKey(this, "key", {
        provider: props.provider,
        description: `Encrypts objects in s3://${props.bucketName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: toPolicyJson(this.document),
        lifecycle: { preventDestroy: true },
      }),
      id,
    );
    nameElement(
      new KmsAlias(this, "alias", {
        provider: props.provider,
        name: kmsAliasName(props.bucketName),
        targetKeyId: key.keyId,
        lifecycle: { preventDestroy: true },
      }),
      id,
      "alias",
    );
    this.keyArn = key.arn;
  }
}
