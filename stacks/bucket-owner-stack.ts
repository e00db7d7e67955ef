import { Construct } from "constructs";
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { CrossAccountConfig } from "../config/types";
import { findProblems } from "../config/validate";
import { throwIfProblems } from "../config/problems";
import { partitionOf } from "../config/regions";
import { SecureBucket } from "../modules/secure-bucket";
import { TargetRole } from "../modules/target-role";
import { BucketAccessPolicy } from "../modules/bucket-access-policy";
import { TARGET_ROLE_ARN_OUTPUT } from "../modules/owner-state-reference";
import { roleArn } from "../modules/s3-access-actions";
import { accountProvider } from "./account-provider";
import { localStateFileName, pathFromStackDir } from "./state-paths";

/** The stack id, as `cdktf deploy bucket-owner` names it. */
export const BUCKET_OWNER_STACK_ID = "bucket-owner";

export interface BucketOwnerStackProps {
  /** The validated configuration. */
  readonly config: CrossAccountConfig;
  /**
   * The folder local state files live in.
   * @default the current working directory (the project root under the cdktf CLI)
   */
  readonly projectRoot?: string;
}

/**
 * Account A: the bucket, the target role the accessor assumes, and the bucket
 * policy that grants that role. Its outputs are the hand-off to the accessor.
 */
export class BucketOwnerStack extends TerraformStack {
  /** The aliased provider of the bucket owner account. */
  public readonly provider: AwsProvider;
  /** The target role's ARN. */
  public readonly targetRoleArn: string;
  /** The bucket's ARN. */
  public readonly bucketArn: string;
  /** Local state file of this stack, relative to its working directory. */
  public readonly statePath: string;

  constructor(scope: Construct, id: string, props: BucketOwnerStackProps) {
    super(scope, id);
    throwIfProblems(findProblems(props.config), this.node.path);
    const { config } = props;
    const partition = partitionOf(config.bucketOwner.region);

    this.provider = accountProvider(this, "bucket_owner", config.bucketOwner, config.tags);
    this.statePath = pathFromStackDir(App.of(this).outdir, id, localStateFileName(id), props.projectRoot);
    new LocalBackend(this, { path: this.statePath });

    const bucket = new SecureBucket(this, "bucket", {
      provider: this.provider,
      bucketName: config.bucket.name,
      partition,
    });

    const targetRole = new TargetRole(this, "target_role", {
      provider: this.provider,
      roleName: config.targetRoleName,
      partition,
      ownerAccountId: config.bucketOwner.accountId,
      accessorAccountId: config.accessor.accountId,
      trustedPrincipalArns: [roleArn(partition, config.accessor.accountId, config.instanceRoleName)],
      bucketArn: bucket.bucketArn,
      accessLevel: config.accessLevel,
    });

    new BucketAccessPolicy(this, "bucket_policy", {
      provider: this.provider,
      bucketName: bucket.bucketName,
      bucketArn: bucket.bucketArn,
      granteeRoleArn: targetRole.roleArn,
      accessLevel: config.accessLevel,
      dependsOn: [...bucket.policyPrerequisites, targetRole.role],
    });

    new TerraformOutput(this, TARGET_ROLE_ARN_OUTPUT, {
      value: targetRole.role.arn,
      description: `Role the accessor account's instance role assumes; the accessor stack reads it from this state. Put it in a CLI profile as role_arn.`,
    });
    new TerraformOutput(this, "bucket_name", {
      value: bucket.bucketName,
      description: "Name of the shared bucket, for s3://<name> URLs.",
    });
    new TerraformOutput(this, "bucket_arn", {
      value: bucket.bucketArn,
      description: "ARN of the shared bucket, for policies that grant access to it.",
    });

    this.targetRoleArn = targetRole.roleArn;
    this.bucketArn = bucket.bucketArn;
  }
}
