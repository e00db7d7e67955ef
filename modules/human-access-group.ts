import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { IamUserGroupMembership } from "@cdktf/provider-aws/lib/iam-user-group-membership";
import { iamGroupNameRule, iamUserNameRule } from "../config/rules";
import { Problem, problem, throwIfProblems } from "../config/problems";
import { policyDocument, toPolicyJson } from "../lib/policy-document";
import { nameElement } from "../lib/logical-id";

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
        ...sameAddressProblems(props.userNames),
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
        `member_${memberAddressPart(userName)}`,
      ),
    );
  }
}

/** Users whose membership would get the address of an earlier one; one pass, so 10,000 users stay fast. */
function sameAddressProblems(userNames: readonly string[]): Problem[] {
  const firstByAddress = new Map<string, number>();
  return userNames.flatMap((name, index) => {
    const address = memberAddressPart(name);
    const first = firstByAddress.get(address);
    if (first === undefined) {
      firstByAddress.set(address, index);
      return [];
    }
    return [
      problem(
        `userNames[${index}]`,
        name,
        `gets the same Terraform address as userNames[${first}] ${JSON.stringify(userNames[first])}; list each user once`,
      ),
    ];
  });
}

const SPELLED_OUT: Readonly<Record<string, string>> = { ".": "dot", "@": "at", "+": "plus", "=": "eq", ",": "comma" };

/**
 * A user name as part of a Terraform address. IAM user names may hold
 * "+=,.@", which Terraform names may not (letters, digits, "_" and "-" only),
 * so "jane.doe@example.com" becomes "jane_dot_doe_at_example_dot_com":
 * readable, and stable for a given user.
 */
export function memberAddressPart(userName: string): string {
  return userName.replace(/[^A-Za-z0-9_-]/g, (char) => `_${SPELLED_OUT[char] ?? char.charCodeAt(0).toString(16)}_`);
}
