import { Construct } from "constructs";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import type { AccessLevel } from "../config/types";
import { accessLevelRule, accountIdRule } from "../config/rules";
import { throwIfProblems } from "../config/problems";
import { policyDocument, PolicyDocument, Statement, toPolicyJson } from "../lib/policy-document";
import { Grantee, s3AccessStatements, s3ActionsFor } from "../lib/s3-access-actions";
import { nameElement } from "../lib/logical-id";

/** Who the bucket policy lets in: one grantee at its access level, or the owner's access points. */
export type BucketAccessGrant =
  | {
      /**
       * Who is granted access: the target role's ARN, or (direct grant) the
       * accessor account root narrowed by ArnEquals on aws:PrincipalArn.
       */
      readonly grantee: Grantee;
      /** Only keys under this prefix; undefined means the whole bucket. */
      readonly keyPrefix?: string;
      /** What the grantee may do. */
      readonly accessLevel: AccessLevel;
    }
  | {
      /** The owner account, whose access points decide (the `accessors` form). */
      readonly delegateToAccessPointsOf: string;
    };

export type BucketAccessPolicyProps = BucketAccessGrant & {
  /** Provider of the bucket owner account. */
  readonly provider: TerraformProvider;
  /** The bucket's name. */
  readonly bucketName: string;
  /** The bucket's ARN. */
  readonly bucketArn: string;
  /**
   * Resources to finish first: the public access block and ownership controls
   * (S3 rejects or races a policy written while they change), and the grantee
   * role (a policy naming a role that does not exist yet fails with
   * "Invalid principal in policy"). Empty for an existing bucket.
   */
  readonly dependsOn: ITerraformDependable[];
};

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

/**
 * Lets the bucket owner account's S3 access points decide: Allow to any
 * principal, but only for requests that come through an access point the
 * owner account owns ("Delegating access control to access points" in the S3
 * user guide). Each access point's own policy then grants its consumer, and a
 * request must be allowed by both. The condition names one fixed account, so
 * S3 does not count the policy as public and Block Public Access leaves it in
 * force ("The meaning of public": s3:DataAccessPointAccount). The actions are
 * the `full` level's, the most any consumer gets, never bucket administration;
 * the statement is the same however many consumers there are.
 */
export function accessPointDelegation(bucketArn: string, ownerAccountId: string): Statement {
  const actions = s3ActionsFor("full");
  return {
    Sid: "DelegateToOwnAccessPoints",
    Effect: "Allow",
    Principal: "*",
    Action: [...actions.bucket, ...actions.object],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { StringEquals: { "s3:DataAccessPointAccount": ownerAccountId } },
  };
}

/** The bucket policy of the `accessors` form: deny plain HTTP, delegate to the owner's access points. */
export function delegatingBucketPolicyDocument(bucketArn: string, ownerAccountId: string): PolicyDocument {
  return policyDocument([denyInsecureTransport(bucketArn), accessPointDelegation(bucketArn, ownerAccountId)]);
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
 * policy in the owner's account. It never allows `Principal: "*"` except to the owner's own access points.
 */
export class BucketAccessPolicy extends Construct {
  /** The policy document, as written to the bucket. */
  public readonly document: PolicyDocument;

  constructor(scope: Construct, id: string, props: BucketAccessPolicyProps) {
    super(scope, id);
    if ("delegateToAccessPointsOf" in props) {
      throwIfProblems(accountIdRule("delegateToAccessPointsOf", props.delegateToAccessPointsOf), this.node.path);
      this.document = delegatingBucketPolicyDocument(props.bucketArn, props.delegateToAccessPointsOf);
    } else {
      throwIfProblems(accessLevelRule("accessLevel", props.accessLevel), this.node.path);
      this.document = bucketAccessPolicyDocument(props);
    }
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
