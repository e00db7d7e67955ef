import { Construct } from "constructs";
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { CrossAccountConfig } from "../config/types";
import { findProblems } from "../config/validate";
import { throwIfProblems } from "../config/problems";
import { partitionOf } from "../config/regions";
import { OwnerStateReference } from "../modules/owner-state-reference";
import { InstanceRole } from "../modules/instance-role";
import { InstanceProfile } from "../modules/instance-profile";
import { AccessorInstance } from "../modules/accessor-instance";
import { cliProfileText, cliProfileUserData, verifyCommands } from "../modules/cli-profile";
import { accountProvider } from "./account-provider";
import { localStateFileName, pathFromStackDir } from "./state-paths";

/** The stack id, as `cdktf deploy accessor` names it. */
export const ACCESSOR_STACK_ID = "accessor";

export interface AccessorStackProps {
  /** The validated configuration. */
  readonly config: CrossAccountConfig;
  /** The bucket owner stack: deployed first, and its state is read for the target role ARN. */
  readonly bucketOwnerStack: TerraformStack;
  /**
   * The folder local state files live in.
   * @default the current working directory (the project root under the cdktf CLI)
   */
  readonly projectRoot?: string;
}

/**
 * Account B: the EC2 instance role (allowed to assume the target role and
 * nothing else), its instance profile, and the instance, whose user data
 * writes the CLI profile for the role chain.
 */
export class AccessorStack extends TerraformStack {
  /** The aliased provider of the accessor account. */
  public readonly provider: AwsProvider;
  /** Local state file of this stack, relative to its working directory. */
  public readonly statePath: string;
  /** Where this stack reads the owner's state, relative to its working directory. */
  public readonly ownerStatePath: string;

  constructor(scope: Construct, id: string, props: AccessorStackProps) {
    super(scope, id);
    throwIfProblems(findProblems(props.config), this.node.path);
    const { config } = props;
    const partition = partitionOf(config.accessor.region);
    const outdir = App.of(this).outdir;
    const ownerStackId = props.bucketOwnerStack.node.id;

    // `cdktf deploy '*'` applies the owner first: its state must hold the role ARN.
    this.addDependency(props.bucketOwnerStack);
    this.provider = accountProvider(this, "accessor", config.accessor, config.tags);
    this.statePath = pathFromStackDir(outdir, id, localStateFileName(id), props.projectRoot);
    new LocalBackend(this, { path: this.statePath });

    // Both paths are relative to a stack folder at the same depth, so they name one file.
    this.ownerStatePath = pathFromStackDir(outdir, id, localStateFileName(ownerStackId), props.projectRoot);
    const ownerState = new OwnerStateReference(this, "bucket_owner_state", { statePath: this.ownerStatePath });

    const instanceRole = new InstanceRole(this, "instance_role", {
      provider: this.provider,
      roleName: config.instanceRoleName,
      partition,
      targetRoleArn: ownerState.targetRoleArn,
    });
    const profile = new InstanceProfile(this, "instance_profile", {
      provider: this.provider,
      profileName: config.instanceRoleName,
      roleName: instanceRole.role.name,
    });

    const cliProfile = {
      profileName: config.cliProfileName,
      targetRoleArn: ownerState.targetRoleArn,
      region: config.bucketOwner.region,
      sessionName: config.instanceRoleName,
    };
    const instance = new AccessorInstance(this, "instance", {
      provider: this.provider,
      name: `${config.instanceRoleName}-instance`,
      instanceProfileName: profile.profileName,
      instanceType: config.instance.instanceType,
      ami:
        config.instance.amiId !== undefined
          ? { id: config.instance.amiId }
          : { ssmParameter: config.instance.amiSsmParameter ?? "" },
      subnetId: config.instance.subnetId,
      securityGroupIds: config.instance.securityGroupIds,
      associatePublicIpAddress: config.instance.associatePublicIpAddress,
      metadataHopLimit: config.instance.metadataHopLimit,
      rootVolumeSizeGiB: config.instance.rootVolumeSizeGiB,
      userData: cliProfileUserData(cliProfile),
    });

    new TerraformOutput(this, "instance_id", {
      value: instance.instanceId,
      description: "The EC2 instance whose software reaches the bucket; connect to it to run verify_commands.",
    });
    new TerraformOutput(this, "instance_role_arn", {
      value: instanceRole.role.arn,
      description: "The instance's own role; the target role's trust policy names exactly this ARN.",
    });
    new TerraformOutput(this, "cli_profile", {
      value: cliProfileText(cliProfile),
      description: "The AWS CLI profile the instance's user data wrote to ~/.aws/config (no secrets in it).",
    });
    new TerraformOutput(this, "verify_commands", {
      value: verifyCommands(config.cliProfileName, config.bucket.name),
      description: "Run these on the instance: the first shows the assumed target role, the second lists the bucket.",
    });
  }
}
