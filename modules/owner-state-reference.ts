import { Construct } from "constructs";
import { DataTerraformRemoteStateLocal } from "cdktf";
import { nameElement } from "./logical-id";

export interface OwnerStateReferenceProps {
  /**
   * Path of the bucket owner stack's local state file, relative to the
   * accessor stack's working directory.
   */
  readonly statePath: string;
}

/** The bucket owner output the accessor reads: the target role's ARN. */
export const TARGET_ROLE_ARN_OUTPUT = "target_role_arn";

/**
 * The accessor's view of the bucket owner's Terraform state: an explicit
 * terraform_remote_state data source. The target role ARN travels through
 * the owner's state and outputs, never as a hard-coded string, and not through
 * cdktf's implicit cross-stack references (which invent their own outputs).
 */
export class OwnerStateReference extends Construct {
  /** The owner's `target_role_arn` output, as a Terraform reference. */
  public readonly targetRoleArn: string;

  constructor(scope: Construct, id: string, props: OwnerStateReferenceProps) {
    super(scope, id);
    const state = nameElement(new DataTerraformRemoteStateLocal(this, "state", { path: props.statePath }), id);
    this.targetRoleArn = state.getString(TARGET_ROLE_ARN_OUTPUT);
  }
}
