import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AccessLevel, AccessPointConfig } from "../config/types";
import { accessLevelRule, accountIdRule, integerRangeRule, roleNameRule } from "../config/rules";
import { throwIfProblems } from "../config/problems";
import { policyDocument, Statement, toPolicyJson } from "../lib/policy-document";
import { roleArn, s3AccessStatements } from "../lib/s3-access-actions";
import { nameElement } from "../lib/logical-id";
import { kmsIdentityStatement } from "../lib/kms-access";
import { dnsSuffixOf } from "../config/regions";

/** A single value as a string (as the IAM console writes it), several as a list. */
function onlyOrAll(values: readonly string[]): string | readonly string[] {
  const [first, ...rest] = values;
  return first !== undefined && rest.length === 0 ? first : values;
}

/** Role chaining caps a chained session at one hour ("Role chaining" in the IAM user guide). */
export const MAX_CHAINED_SESSION_SECONDS = 3600;

export interface TargetRoleProps {
  /** Provider of the bucket owner account, where the role is created. */
  readonly provider: TerraformProvider;
  /** The role's name (config `targetRoleName`). */
  readonly roleName: string;
  /** ARN partition of the owner account's region. */
  readonly partition: string;
  /** The bucket owner account id: the role lives there. */
  readonly ownerAccountId: string;
  /** The accessor account id: its root is the trusted principal. */
  readonly accessorAccountId: string;
  /**
   * Exact ARNs in the accessor account allowed to assume the role, matched with
   * ArnEquals on aws:PrincipalArn: the instance role's ARN, and any human
   * users or roles given access.
   */
  readonly trustedPrincipalArns: readonly string[];
  /** The bucket the role may use. */
  readonly bucketArn: string;
  /**
   * The S3 access point the role reaches the bucket through: its identity policy then names the access
   * point's ARNs instead of the bucket's, so the role has no way to the bucket but that access point.
   * @default none: the policy names the bucket
   */
  readonly accessPoint?: AccessPointConfig;
  /** Only keys under this prefix; undefined means the whole bucket. */
  readonly keyPrefix?: string;
  /**
   * An existing customer managed KMS key of the bucket (SSE-KMS), and its region.
   * A key created in the same stack is added with `allowKeyUse` instead.
   * @default none
   */
  readonly kms?: { readonly keyArn: string; readonly region: string };
  /** What the role may do in the bucket. */
  readonly accessLevel: AccessLevel;
  /**
   * Longest session in seconds, 900 to 3600.
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * The role in the bucket owner account that the accessor assumes. Its trust
 * policy names the accessor account root and narrows it with ArnEquals on
 * aws:PrincipalArn: a trust policy that names a role ARN directly fails with
 * "Invalid principal in policy" until that role exists, and silently stops
 * matching when the role is re-created (AWS stores the old role's unique id).
 * The condition has neither problem.
 */
export class TargetRole extends Construct {
  /** The role's ARN, known at synth time. */
  public readonly roleArn: string;
  /** The role's name. */
  public readonly roleName: string;
  /** The role resource, for depends_on. */
  public readonly role: IamRole;
  private readonly provider: TerraformProvider;
  private readonly accessLevel: AccessLevel;
  private readonly partition: string;

  constructor(scope: Construct, id: string, props: TargetRoleProps) {
    super(scope, id);
    const maxSession = props.maxSessionDurationSeconds ?? MAX_CHAINED_SESSION_SECONDS;
    this.provider = props.provider;
    throwIfProblems(
      [
        ...roleNameRule("roleName", props.roleName),
        ...accountIdRule("ownerAccountId", props.ownerAccountId),
        ...accountIdRule("accessorAccountId", props.accessorAccountId),
        ...accessLevelRule("accessLevel", props.accessLevel),
        ...integerRangeRule(900, MAX_CHAINED_SESSION_SECONDS, 3600)("maxSessionDurationSeconds", maxSession),
        ...(props.trustedPrincipalArns.length === 0
          ? [{ path: "trustedPrincipalArns", message: "trustedPrincipalArns: [] must name at least one role ARN" }]
          : []),
      ],
      this.node.path,
    );

    const trust: Statement = {
      Sid: "AssumeFromAccessorPrincipals",
      Effect: "Allow",
      Principal: { AWS: `arn:${props.partition}:iam::${props.accessorAccountId}:root` },
      Action: "sts:AssumeRole",
      Condition: {
        ArnEquals: {
          "aws:PrincipalArn": onlyOrAll(props.trustedPrincipalArns),
        },
      },
    };

    const through = props.accessPoint === undefined ? "" : ` through ${props.accessPoint.arn}`;
    this.role = nameElement(
      new IamRole(this, "role", {
        provider: props.provider,
        name: props.roleName,
        description: `Assumed from account ${props.accessorAccountId} for ${props.accessLevel} access to ${props.bucketArn}${through}`,
        assumeRolePolicy: toPolicyJson(policyDocument([trust])),
        maxSessionDuration: maxSession,
      }),
      id,
    );

    nameElement(
      new IamRolePolicy(this, "s3-access", {
        provider: props.provider,
        name: "s3-access",
        role: this.role.name,
        policy: toPolicyJson(
          policyDocument([
            ...s3AccessStatements(
              props.accessLevel,
              props.accessPoint === undefined
                ? { arn: props.bucketArn, keyPrefix: props.keyPrefix }
                : {
                    arn: props.accessPoint.arn,
                    objectsArnBase: props.accessPoint.objectsArnBase,
                    keyPrefix: props.keyPrefix,
                  },
            ),
          ]),
        ),
      }),
      id,
      "s3_access",
    );

    this.roleName = props.roleName;
    this.roleArn = roleArn(props.partition, props.ownerAccountId, props.roleName);
    this.accessLevel = props.accessLevel;
    this.partition = props.partition;
    if (props.kms !== undefined) this.allowKeyUse(props.kms.keyArn, props.kms.region);
  }

  /**
   * Lets the role use the bucket's KMS key through S3, in its own inline
   * policy: a key created in the same stack names this role in its key policy,
   * so it must be created after the role and before this permission.
   */
  public allowKeyUse(keyArn: string, region: string): void {
    const id = this.node.id;
    nameElement(
      new IamRolePolicy(this, "kms-use", {
        provider: this.provider,
        name: "kms-use",
        role: this.role.name,
        policy: toPolicyJson(
          policyDocument([kmsIdentityStatement(this.accessLevel, keyArn, region, dnsSuffixOf(this.partition))]),
        ),
      }),
      id,
      "kms_use",
    );
  }
}
