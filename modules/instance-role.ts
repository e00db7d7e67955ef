import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { roleNameRule } from "../config/rules";
import { throwIfProblems } from "../config/problems";
import { dnsSuffixOf } from "../config/regions";
import { policyDocument, toPolicyJson } from "./policy-document";
import { nameElement } from "./logical-id";

export interface InstanceRoleProps {
  /** Provider of the accessor account, where the role is created. */
  readonly provider: TerraformProvider;
  /** The role's name (config `instanceRoleName`). */
  readonly roleName: string;
  /** ARN partition of the accessor's region. */
  readonly partition: string;
  /**
   * The exact role ARN this role may assume (the target role). Normally a
   * reference into the bucket owner's state.
   */
  readonly targetRoleArn: string;
}

/**
 * The EC2 instance's role in the accessor account. EC2 may assume it; its one
 * permission is sts:AssumeRole on exactly the target role, which is how the
 * workload reaches the bucket (role chaining). It holds no S3 permission itself.
 */
export class InstanceRole extends Construct {
  /** The role resource. */
  public readonly role: IamRole;
  /** The role's name. */
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    throwIfProblems(roleNameRule("roleName", props.roleName), this.node.path);

    this.role = nameElement(
      new IamRole(this, "role", {
        provider: props.provider,
        name: props.roleName,
        description: "EC2 instance role that may assume the cross-account S3 target role",
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

    nameElement(
      new IamRolePolicy(this, "assume-target-role", {
        provider: props.provider,
        name: "assume-target-role",
        role: this.role.name,
        policy: toPolicyJson(
          policyDocument([
            { Sid: "AssumeTargetRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: props.targetRoleArn },
          ]),
        ),
      }),
      id,
      "assume_target_role",
    );
    this.roleName = props.roleName;
  }
}
