import { Construct } from "constructs";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import type { AccessLevel } from "../config/types";
import { accessLevelRule } from "../config/rules";
import { throwIfProblems } from "../config/problems";
import { policyDocument, PolicyDocument, Statement, toPolicyJson } from "../lib/policy-document";
import { Grantee, s3AccessStatements } from "../lib/s3-access-actions";
import { nameElement } from "../lib/logical-id";

export interface BucketAccessPolicyProps {
  /** Provider of the bucket owner account. */
  readonly provider: TerraformProvider;
  /** The bucket's name. */
  readonly bucketName: string;
  /** The bucket's ARN. */
  readonly bucketArn: string;
  /**
   * Who is granted access: the target role's ARN, or (direct grant) the
   * accessor account root narrowed by ArnEquals on aws:PrincipalArn.
   */
  readonly grantee: Grantee;
  /** Only keys under this prefix; undefined means the whole bucket. */
  readonly keyPrefix?: string;
  /** What the grantee may do. */
  readonly accessLevel: AccessLevel;
  /**
   * Resources to finish first: the public access block and ownership controls
   * (S3 rejects or races a policy written while they change), and the grantee
   * role (a policy naming a role that does not exist yet fails with
   * "Invalid principal in policy"). Empty for an existing bucket.
   */
  readonly dependsOn: ITerraformDependable[];
}

/** The statement that refuses every request not made over TLS (Security Hub S3.5). */
export function denyInsecureTransport(bucketArn: string): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": false } },
  };
}

/** The whole bucket policy: deny plain HTTP, allow the grantee role its access level. */
export function bucketAccessPolicyDocument(props: {
  readonly bucketArn: string;
  readonly grantee: Grantee;
  readonly accessLevel: AccessLevel;
  /** Only keys under this prefix; undefined means the whole bucket. */
  readonly keyPrefix?: string;
}): PolicyDocument {
  return policyDocument([
    denyInsecureTransport(props.bucketArn),
    ...s3AccessStatements(props.accessLevel, { arn: props.bucketArn, keyPrefix: props.keyPrefix }, props.grantee),
  ]);
}

/**
 * The bucket's single bucket policy. A cross-account request needs an Allow on
 * both sides: the identity policy in the caller's account and this resource
 * policy in the owner's account. It never allows `Principal: "*"`.
 */
export class BucketAccessPolicy extends Construct {
  /** The policy document, as written to the bucket. */
  public readonly document: PolicyDocument;

  constructor(scope: Construct, id: string, props: BucketAccessPolicyProps) {
    super(scope, id);
    throwIfProblems(accessLevelRule("accessLevel", props.accessLevel), this.node.path);
    this.document = bucketAccessPolicyDocument(props);
    nameElement(
      new S3BucketPolicy(this, "policy", {
        provider: props.provider,
        bucket: props.bucketName,
        policy: toPolicyJson(this.document),
        dependsOn: props.dependsOn,
      }),
      id,
    );
  }
}
