import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { IamUserGroupMembership } from "@cdktf/provider-aws/lib/iam-user-group-membership";
import { iamGroupNameRule, iamUserNameRule } from "../config/rules";
import { throwIfProblems } from "../config/problems";
import { policyDocument, toPolicyJson } from "./policy-document";
import { nameElement } from "./logical-id";

export interface HumanAccessGroupProps {
  /** Provider of the accessor account. */
  readonly provider: TerraformProvider;
  /** The group's name. */
  readonly groupName: string;
  /** Existing IAM users to add; memberships are per user, so other groups of theirs are untouched. */
  readonly userNames: readonly string[];
  /** The exact role the members may assume (the target role). */
  readonly targetRoleArn: string;
}

/**
 * An IAM group in the accessor account whose members may assume the target
 * role (from a laptop, with a source_profile or SSO CLI profile). A group
 * cannot be named in a trust policy, so the target role's trust lists each
 * member's user ARN as well; both sides are needed.
 */
export class HumanAccessGroup extends Construct {
  constructor(scope: Construct, id: string, props: HumanAccessGroupProps) {
    super(scope, id);
    throwIfProblems(
      [
        ...iamGroupNameRule("groupName", props.groupName),
        ...props.userNames.flatMap((name, index) => iamUserNameRule(`userNames[${index}]`, name)),
      ],
      this.node.path,
    );
    const group = nameElement(new IamGroup(this, "group", { provider: props.provider, name: props.groupName }), id);
    nameElement(
      new IamGroupPolicy(this, "assume-target-role", {
        provider: props.provider,
        name: "assume-target-role",
        group: group.name,
        policy: toPolicyJson(
          policyDocument([
            { Sid: "AssumeTargetRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: props.targetRoleArn },
          ]),
        ),
      }),
      id,
      "assume_target_role",
    );
    props.userNames.forEach((userName) =>
      nameElement(
        new IamUserGroupMembership(this, `member-${userName}`, {
          provider: props.provider,
          user: userName,
          groups: [group.name],
        }),
        id,
        `member_${userName}`,
      ),
    );
  }
}
