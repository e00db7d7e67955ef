import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { roleNameRule } from "../config/rules";
import { throwIfProblems } from "../config/problems";
import { dnsSuffixOf } from "../config/regions";
import { policyDocument, Statement, toPolicyJson } from "../lib/policy-document";
import { nameElement } from "../lib/logical-id";
import { roleArn } from "../lib/s3-access-actions";

export interface InstanceRoleProps {
  /** Provider of the accessor account, where the role is created. */
  readonly provider: TerraformProvider;
  /** The role's name (config `instanceRoleName`). */
  readonly roleName: string;
  /** ARN partition of the accessor's region. */
  readonly partition: string;
  /** The accessor account id. */
  readonly accountId: string;
  /**
   * The role's only permissions: sts:AssumeRole on exactly the target role
   * (role chaining), or the bucket actions themselves (direct grant).
   */
  readonly permissions: readonly Statement[];
  /** Name of the inline policy holding `permissions`. */
  readonly policyName: string;
  /**
   * The role already exists (created elsewhere): only the inline policy is added.
   * @default false
   */
  readonly existing?: boolean;
  /**
   * IAM path of an existing role (e.g. "/service-role/"); part of its ARN.
   * @default "/"
   */
  readonly path?: string;
}

/**
 * The EC2 instance's role in the accessor account: EC2 may assume it, and its
 * one inline policy holds exactly the permissions given. With `existing`, the
 * role is left alone and only that inline policy is attached to it.
 */
export class InstanceRole extends Construct {
  /** The role's ARN. */
  public readonly roleArn: string;
  /** The role's name; a reference to the role resource when this construct creates it. */
  public readonly roleName: string;
  private readonly provider: TerraformProvider;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    throwIfProblems(
      [
        ...roleNameRule("roleName", props.roleName),
        ...(props.permissions.length === 0
          ? [{ path: "permissions", message: "permissions: [] must hold at least one statement" }]
          : []),
      ],
      this.node.path,
    );

    if (props.existing === true) {
      this.roleName = props.roleName;
      this.roleArn = roleArn(props.partition, props.accountId, props.roleName, props.path);
    } else {
      const role = nameElement(
        new IamRole(this, "role", {
          provider: props.provider,
          name: props.roleName,
          description: "EC2 instance role that reaches the cross-account S3 bucket",
          assumeRolePolicy: toPolicyJson(
            policyDocument([
              {
                Sid: "Ec2AssumesThisRole",
                Effect: "Allow",
                Principal: { Service: `ec2.${dnsSuffixOf(props.partition)}` },
                Action: "sts:AssumeRole",
              },
            ]),
          ),
        }),
        id,
      );
      this.roleName = role.name;
      this.roleArn = role.arn;
    }

    nameElement(
      new IamRolePolicy(this, "policy", {
        provider: props.provider,
        name: props.policyName,
        role: this.roleName,
        policy: toPolicyJson(policyDocument(props.permissions)),
      }),
      id,
      props.policyName.replace(/-/g, "_"),
    );

    this.provider = props.provider;
  }

  /**
   * Adds a second inline policy, "session-manager", with what the SSM agent on `instanceArn` needs for Session
   * Manager shells (and nothing of SSM's other features). `instanceArn` is the created instance's ARN, or
   * instance/* in the account and region for an instance this project does not create.
   */
  public allowSessionManager(instanceArn: string): void {
    nameElement(
      new IamRolePolicy(this, "session-manager", {
        provider: this.provider,
        name: "session-manager",
        role: this.roleName,
        policy: toPolicyJson(policyDocument(sessionManagerPermissions(instanceArn))),
      }),
      this.node.id,
      "session_manager",
    );
  }
}

/** The SSM agent's actions for Session Manager shells: the same five as AWS's minimal instance profile policy. */
export const SESSION_MANAGER_ACTIONS: readonly string[] = [
  "ssm:UpdateInstanceInformation",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/**
 * What the SSM agent on the instance needs to register and carry Session
 * Manager shells, written inline so the policy rules and the access report see
 * them. ssm:UpdateInstanceInformation supports the EC2 instance resource type,
 * so it names the instance; the four ssmmessages actions support no resource
 * type ("Actions, resources, and condition keys for Amazon Session Manager
 * Message Gateway Service"), hence "*". Run Command, patching and inventory
 * (AmazonSSMManagedInstanceCore) are left out.
 */
export function sessionManagerPermissions(instanceArn: string): Statement[] {
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

/** The role-chaining permission: sts:AssumeRole on exactly one role ARN, no wildcard. */
export function assumeRolePermission(targetRoleArn: string): Statement {
  return { Sid: "AssumeTargetRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: targetRoleArn };
}
