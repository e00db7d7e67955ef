import { Construct } from "constructs";
import { Aspects, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { AccessorConfig, CrossAccountConfig } from "../config/types";
import { throwIfProblems } from "../config/problems";
import { accessorStackProblems } from "../config/stack-problems";
import { accessorsOf, accessorView } from "../config/accessors";
import { dnsSuffixOf, partitionOf } from "../config/regions";
import {
  consumerOutputNames,
  OWNER_OUTPUTS,
  OwnerStateReference,
  OwnerStateSource,
} from "../modules/owner-state-reference";
import { assumeRolePermission, InstanceRole } from "../modules/instance-role";
import { InstanceProfile } from "../modules/instance-profile";
import { AccessorInstance } from "../modules/accessor-instance";
import { HumanAccessGroup } from "../modules/human-access-group";
import { kmsIdentityStatement } from "../lib/kms-access";
import { Statement } from "../lib/policy-document";
import { instanceRoleIdentity, s3AccessStatements } from "../lib/s3-access-actions";
import {
  CliProfileProps,
  cliProfileText,
  cliProfileUserData,
  roleSessionName,
  sessionManagerCommand,
  verifyCommands,
} from "../lib/cli-profile";
import { accountProvider } from "./account-provider";
import { configureBackend, ownerStateSource } from "./state-backend";
import { PolicyRules } from "../policy-rules";

export { ACCESSOR_STACK_ID } from "../config/defaults";

export interface AccessorStackProps {
  /** The validated configuration. */
  readonly config: CrossAccountConfig;
  /** The bucket owner stack: deployed first, and its state is read for the target role ARN. */
  readonly bucketOwnerStack: TerraformStack;
  /**
   * The consumer this stack serves: one of accessorsOf(config).
   * @default the first (the single accessor form's only one)
   */
  readonly accessor?: AccessorConfig;
  /**
   * The folder local state files live in.
   * @default the current working directory (the project root under the cdktf CLI)
   */
  readonly projectRoot?: string;
}

/**
 * The instance role's permissions. Role chaining: sts:AssumeRole on exactly
 * the target role. Direct grant: the bucket actions themselves (and the KMS
 * key's), because a cross-account request needs an Allow in the caller's
 * identity policy as well as in the bucket policy.
 */
function instancePermissions(config: CrossAccountConfig, owner: OwnerStateReference): Statement[] {
  if (config.accessMode === "role-chain") return [assumeRolePermission(owner.targetRoleArn)];
  const partition = partitionOf(config.bucketOwner.region);
  const encrypted = config.bucket.encryption === "SSE-KMS" || config.bucket.kmsKeyArn !== undefined;
  return [
    ...s3AccessStatements(config.accessLevel, { arn: owner.bucketArn, keyPrefix: config.bucket.keyPrefix }),
    ...(encrypted
      ? [kmsIdentityStatement(config.accessLevel, owner.kmsKeyArn, config.bucketOwner.region, dnsSuffixOf(partition))]
      : []),
  ];
}

/**
 * Account B: the EC2 instance role (allowed to assume the target role and
 * nothing else, or with a direct grant the bucket actions), its instance
 * profile, the instance whose user data writes the CLI profile for the chain,
 * and optionally a group of people who may assume the target role.
 */
export class AccessorStack extends TerraformStack {
  /** The aliased provider of the accessor account. */
  public readonly provider: AwsProvider;
  /** Local state file of this stack, relative to its working directory (local backend only). */
  public readonly statePath?: string;
  /** Where this stack reads the owner's state. */
  public readonly ownerStateSource: OwnerStateSource;

  constructor(scope: Construct, id: string, props: AccessorStackProps) {
    super(scope, id);
    const accessor = props.accessor ?? accessorsOf(props.config)[0];
    if (accessor === undefined) throw new Error(`${this.node.path}: the config has no accessor`);
    throwIfProblems(accessorStackProblems(props.config, accessor), this.node.path);
    // This consumer as if it were the only one: everything below is written for one consumer.
    const config = accessorView(props.config, accessor);
    const accessPoint = accessor.accessPoint;
    Aspects.of(this).add(
      new PolicyRules({
        accessLevel: config.accessLevel,
        roleTrustPolicyLengthQuota: config.accessor.roleTrustPolicyLengthQuota,
      }),
    );
    const partition = partitionOf(config.accessor.region);
    const roleChain = config.accessMode === "role-chain";

    // `cdktf deploy '*'` applies the owner first: its state must hold the outputs read here.
    this.addDependency(props.bucketOwnerStack);
    this.provider = accountProvider(this, "accessor", config.accessor, config.tags);
    this.statePath = configureBackend(this, "accessor", config.backend, props.projectRoot);
    this.ownerStateSource = ownerStateSource(this, props.bucketOwnerStack.node.id, config.backend, props.projectRoot);
    const ownerState = new OwnerStateReference(this, "bucket_owner_state", {
      source: this.ownerStateSource,
      // With access points, only this consumer's own outputs: another consumer's never reach this stack.
      outputs: accessPoint === undefined ? undefined : { ...OWNER_OUTPUTS, ...consumerOutputNames(accessor.name) },
    });
    // Where software on the instance addresses the bucket: the access point's alias, or the bucket's name.
    const bucketAddress = ownerState.accessPointAlias ?? config.bucket.name;

    const roleIdentity = instanceRoleIdentity(config);
    const instanceRole = new InstanceRole(this, "instance_role", {
      provider: this.provider,
      roleName: roleIdentity.name,
      partition,
      accountId: config.accessor.accountId,
      permissions: instancePermissions(config, ownerState),
      policyName: roleChain ? "assume-target-role" : "cross-account-s3-access",
      existing: config.existingInstanceRole,
      path: roleIdentity.path,
    });

    if (config.humanAccess?.groupName !== undefined) {
      new HumanAccessGroup(this, "human_access", {
        provider: this.provider,
        groupName: config.humanAccess.groupName,
        userNames: config.humanAccess.userNames,
        targetRoleArn: ownerState.targetRoleArn,
      });
    }

    const profile = config.existingInstanceRole
      ? undefined
      : new InstanceProfile(this, "instance_profile", {
          provider: this.provider,
          profileName: roleIdentity.name,
          roleName: instanceRole.roleName,
        });

    const cliProfile: CliProfileProps | undefined = roleChain
      ? {
          profileName: config.cliProfileName,
          targetRoleArn: ownerState.targetRoleArn,
          region: config.bucketOwner.region,
          sessionName: roleSessionName(roleIdentity.name),
          accessPoint:
            accessPoint === undefined
              ? undefined
              : { arn: accessPoint.arn, url: `s3://${bucketAddress}/${config.bucket.keyPrefix ?? ""}` },
        }
      : undefined;

    const instance =
      config.instance.create && profile !== undefined
        ? new AccessorInstance(this, "instance", {
            provider: this.provider,
            name: `${roleIdentity.name}-instance`,
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
            userData: cliProfile === undefined ? undefined : cliProfileUserData(cliProfile),
          })
        : undefined;
    if (config.instance.sessionManager) {
      // The created instance exactly; an instance this project does not create: those of the account and region.
      instanceRole.allowSessionManager(
        instance?.instanceArn ??
          `arn:${partition}:ec2:${config.accessor.region}:${config.accessor.accountId}:instance/*`,
      );
    }
    if (instance !== undefined) {
      new TerraformOutput(this, "instance_id", {
        value: instance.instanceId,
        description: "The EC2 instance whose software reaches the bucket; connect to it to run verify_commands.",
      });
      if (config.instance.sessionManager) {
        new TerraformOutput(this, "connect_command", {
          value: sessionManagerCommand(instance.instanceId, config.accessor.region),
          description:
            "Open a shell on the instance with SSM Session Manager (needs the AWS CLI's Session Manager plugin where you run it).",
        });
      }
    }

    new TerraformOutput(this, "instance_role_arn", {
      value: instanceRole.roleArn,
      description: roleChain
        ? "The instance's own role; the target role's trust policy names exactly this ARN."
        : "The instance's own role; the bucket policy grants exactly this ARN (direct grant).",
    });
    if (profile !== undefined && !config.instance.create) {
      new TerraformOutput(this, "instance_profile_name", {
        value: profile.profileName,
        description: "Attach this instance profile to your own EC2 instance (no instance is created).",
      });
    }
    if (cliProfile !== undefined) {
      new TerraformOutput(this, "cli_profile", {
        value: cliProfileText(cliProfile),
        description: config.instance.create
          ? "The AWS CLI profile the instance's user data wrote to ~/.aws/config (no secrets in it)."
          : "Add this AWS CLI profile to ~/.aws/config on your instance (no secrets in it).",
      });
    }
    if (accessPoint !== undefined) {
      new TerraformOutput(this, "access_point_arn", {
        value: accessPoint.arn,
        description:
          "This consumer's S3 access point in the bucket owner account: the target role reaches the bucket only through it.",
      });
      new TerraformOutput(this, "access_point_alias", {
        value: bucketAddress,
        description:
          "Use it wherever a bucket name goes, e.g. aws s3 ls s3://<alias>/<prefix> --profile <cli profile>.",
      });
    }
    new TerraformOutput(this, "verify_commands", {
      value: verifyCommands(
        cliProfile === undefined ? undefined : config.cliProfileName,
        bucketAddress,
        config.bucket.keyPrefix,
      ),
      description: roleChain
        ? "Run these on the instance: the first shows the assumed target role, the second lists the bucket."
        : "Run these on the instance: the first shows the instance role, the second lists the bucket.",
    });
  }
}
