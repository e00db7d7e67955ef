import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { roleNameRule } from "../config/rules";
import { throwIfProblems } from "../config/problems";
import { nameElement } from "../lib/logical-id";

export interface InstanceProfileProps {
  /** Provider of the accessor account. */
  readonly provider: TerraformProvider;
  /** The profile's name; by convention the role's name, as the IAM console does it. */
  readonly profileName: string;
  /** Name of the role the profile carries; pass the role resource's `name` so the profile waits for the role. */
  readonly roleName: string;
}

/** The instance profile that hands the instance role to EC2. */
export class InstanceProfile extends Construct {
  /** The profile's name, for the instance's `iam_instance_profile`. */
  public readonly profileName: string;

  constructor(scope: Construct, id: string, props: InstanceProfileProps) {
    super(scope, id);
    throwIfProblems(
      [...roleNameRule("profileName", props.profileName), ...roleNameRule("roleName", props.roleName)],
      this.node.path,
    );
    const profile = nameElement(
      new IamInstanceProfile(this, "profile", {
        provider: props.provider,
        name: props.profileName,
        role: props.roleName,
      }),
      id,
    );
    this.profileName = profile.name;
  }
}
