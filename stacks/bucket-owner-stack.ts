import { Construct } from "constructs";
import { Aspects, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ACCESS_LEVELS, type AccessLevel, type AccessorConfig, type CrossAccountConfig } from "../config/types";
import { throwIfProblems } from "../config/problems";
import { ownerStackProblems } from "../config/stack-problems";
import { accessorsOf, accessorView } from "../config/accessors";
import { dnsSuffixOf, partitionOf } from "../config/regions";
import { SecureBucket } from "../modules/secure-bucket";
import { TargetRole } from "../modules/target-role";
import {
  BucketAccessPolicy,
  bucketAccessPolicyDocument,
  delegatingBucketPolicyDocument,
} from "../modules/bucket-access-policy";
import { ConsumerAccessPoint } from "../modules/consumer-access-point";
import { BucketKmsKey, bucketKeyPolicyDocument } from "../modules/bucket-kms-key";
import { consumerOutputNames, OWNER_OUTPUTS } from "../modules/owner-state-reference";
import { toPolicyJson } from "../lib/policy-document";
import { bucketArn, Grantee, instanceRoleArn, roleArn } from "../lib/s3-access-actions";
import { accountProvider } from "./account-provider";
import { configureBackend } from "./state-backend";
import { PolicyRules } from "../policy-rules";

export { BUCKET_OWNER_STACK_ID } from "../config/defaults";

export interface BucketOwnerStackProps {
  /** The validated configuration. */
  readonly config: CrossAccountConfig;
  /**
   * The folder local state files live in.
   * @default the current working directory (the project root under the cdktf CLI)
   */
  readonly projectRoot?: string;
}

/** ARNs in the accessor account that may assume the target role: the instance role, then people. */
export function trustedAccessorArns(config: CrossAccountConfig): string[] {
  const partition = partitionOf(config.accessor.region);
  const account = config.accessor.accountId;
  const human = config.humanAccess;
  return [
    instanceRoleArn(config),
    ...(human?.userNames ?? []).map((user) => `arn:${partition}:iam::${account}:user/${user}`),
    ...(human?.roleArns ?? []),
  ];
}

/**
 * Account A: the bucket (or an existing one), the target role the accessor
 * assumes (or, with a direct grant, none), the bucket policy that grants it,
 * and the KMS key of an SSE-KMS bucket. Its outputs are the hand-off to the
 * accessor stack.
 */
export class BucketOwnerStack extends TerraformStack {
  /** The aliased provider of the bucket owner account. */
  public readonly provider: AwsProvider;
  /** The target role's ARN; undefined with a direct grant. */
  public readonly targetRoleArn?: string;
  /** The bucket's ARN. */
  public readonly bucketArn: string;
  /** Local state file of this stack, relative to its working directory (local backend only). */
  public readonly statePath?: string;

  constructor(scope: Construct, id: string, props: BucketOwnerStackProps) {
    super(scope, id);
    throwIfProblems(ownerStackProblems(props.config), this.node.path);
    const { config } = props;
    Aspects.of(this).add(
      new PolicyRules({
        accessLevel: strongestLevel(accessorsOf(config)),
        roleTrustPolicyLengthQuota: config.bucketOwner.roleTrustPolicyLengthQuota,
      }),
    );
    const partition = partitionOf(config.bucketOwner.region);
    const region = config.bucketOwner.region;

    this.provider = accountProvider(this, "bucket_owner", config.bucketOwner, config.tags);
    this.statePath = configureBackend(this, "bucketOwner", config.backend, props.projectRoot);
    this.bucketArn = bucketArn(partition, config.bucket.name);
    if (config.accessors !== undefined) {
      this.addAccessPointConsumers(config, config.accessors);
      return;
    }

    // Direct grant: the accessor account root, narrowed to the instance role by
    // ArnEquals, so the policy is valid even before that role exists.
    const directGrantee: Grantee = {
      principal: { AWS: `arn:${partition}:iam::${config.accessor.accountId}:root` },
      condition: {
        ArnEquals: { "aws:PrincipalArn": instanceRoleArn(config) },
      },
    };
    const targetRoleArn = roleArn(partition, config.bucketOwner.accountId, config.targetRoleName);
    const grantee: Grantee = config.accessMode === "direct" ? directGrantee : { principal: { AWS: targetRoleArn } };

    const targetRole =
      config.accessMode === "direct"
        ? undefined
        : new TargetRole(this, "target_role", {
            provider: this.provider,
            roleName: config.targetRoleName,
            partition,
            ownerAccountId: config.bucketOwner.accountId,
            accessorAccountId: config.accessor.accountId,
            trustedPrincipalArns: trustedAccessorArns(config),
            bucketArn: this.bucketArn,
            keyPrefix: config.bucket.keyPrefix,
            kms: config.bucket.kmsKeyArn === undefined ? undefined : { keyArn: config.bucket.kmsKeyArn, region },
            accessLevel: config.accessLevel,
          });

    // The key policy names the grantee the way the trust policy does: an
    // account root narrowed by ArnEquals on aws:PrincipalArn. KMS rejects a key
    // policy naming a role that does not exist yet, and a policy naming the role
    // itself silently stops matching when the role is re-created.
    const keyGrantee: Grantee =
      config.accessMode === "direct"
        ? directGrantee
        : {
            principal: { AWS: `arn:${partition}:iam::${config.bucketOwner.accountId}:root` },
            condition: { ArnEquals: { "aws:PrincipalArn": targetRoleArn } },
          };
    const kmsKey =
      config.bucket.encryption === "SSE-KMS" && !config.bucket.existing
        ? new BucketKmsKey(this, "bucket_key", {
            provider: this.provider,
            bucketName: config.bucket.name,
            partition,
            ownerAccountId: config.bucketOwner.accountId,
            region,
            user: { grantee: keyGrantee, accessLevel: config.accessLevel },
            dnsSuffix: dnsSuffixOf(partition),
          })
        : undefined;
    const kmsKeyArn = kmsKey?.keyArn ?? config.bucket.kmsKeyArn;

    if (kmsKey !== undefined) targetRole?.allowKeyUse(kmsKey.keyArn, region);

    const bucket = this.secureBucket(config, partition, kmsKeyArn);

    if (bucket !== undefined) {
      new BucketAccessPolicy(this, "bucket_policy", {
        provider: this.provider,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        grantee,
        keyPrefix: config.bucket.keyPrefix,
        accessLevel: config.accessLevel,
        dependsOn: [...bucket.policyPrerequisites, ...(targetRole === undefined ? [] : [targetRole.role])],
      });
    } else {
      // A bucket has exactly one bucket policy. Writing it here would silently
      // replace the owner's existing statements, so for an existing bucket the
      // project never touches the policy: it outputs the statements to merge.
      new TerraformOutput(this, "bucket_policy_statements", {
        value: toPolicyJson(
          bucketAccessPolicyDocument({
            bucketArn: this.bucketArn,
            grantee,
            keyPrefix: config.bucket.keyPrefix,
            accessLevel: config.accessLevel,
          }),
        ),
        description:
          config.accessMode === "direct"
            ? "Existing bucket: merge these statements into the bucket's policy; a direct cross-account grant does not work until you do (this project never replaces an existing bucket policy)."
            : "Existing bucket: merge these statements into the bucket's policy for the TLS-only deny and an explicit grant; the target role's own policy already works in this account (this project never replaces an existing bucket policy).",
      });
      if (config.bucket.kmsKeyArn !== undefined && config.accessMode === "direct") {
        new TerraformOutput(this, "kms_key_policy_statements", {
          value: toPolicyJson(
            bucketKeyPolicyDocument({
              partition,
              ownerAccountId: config.bucketOwner.accountId,
              region,
              user: { grantee, accessLevel: config.accessLevel },
              dnsSuffix: dnsSuffixOf(partition),
            }),
          ),
          description:
            "Existing SSE-KMS bucket, direct grant: merge the accessor statement into the key's policy (a cross-account caller needs it).",
        });
      }
    }

    if (targetRole !== undefined) {
      new TerraformOutput(this, OWNER_OUTPUTS.targetRoleArn, {
        value: targetRole.role.arn,
        description:
          "Role the accessor account's instance role assumes; the accessor stack reads it from this state. Put it in a CLI profile as role_arn.",
      });
    }
    this.addBucketOutputs(config, kmsKeyArn, {
      name: "Name of the shared bucket, for s3://<name> URLs.",
      arn: "ARN of the shared bucket, for policies that grant access to it.",
      key: "KMS key that encrypts the bucket; callers need kms:Decrypt (and GenerateDataKey to write) on it.",
    });
    this.targetRoleArn = targetRole?.roleArn;
  }

  /** The bucket, unless the config names an existing one (then the project creates none of its resources). */
  private secureBucket(
    config: CrossAccountConfig,
    partition: string,
    kmsKeyArn: string | undefined,
  ): SecureBucket | undefined {
    if (config.bucket.existing) return undefined;
    return new SecureBucket(this, "bucket", {
      provider: this.provider,
      bucketName: config.bucket.name,
      partition,
      kmsKeyArn,
    });
  }

  /**
   * The `accessors` form: the bucket, its key and its policy are shared and
   * stay the same whatever the consumers (the bucket policy delegates to the
   * owner's access points, the key policy to the owner's IAM policies), and
   * each consumer adds only its own target role, access point and outputs.
   * Adding or removing a consumer changes none of the others' resources.
   */
  private addAccessPointConsumers(config: CrossAccountConfig, accessors: readonly AccessorConfig[]): void {
    const region = config.bucketOwner.region;
    const partition = partitionOf(region);
    const ownerAccountId = config.bucketOwner.accountId;
    const kmsKey =
      config.bucket.encryption === "SSE-KMS" && !config.bucket.existing
        ? new BucketKmsKey(this, "bucket_key", {
            provider: this.provider,
            bucketName: config.bucket.name,
            partition,
            ownerAccountId,
            region,
            dnsSuffix: dnsSuffixOf(partition),
          })
        : undefined;
    const kmsKeyArn = kmsKey?.keyArn ?? config.bucket.kmsKeyArn;
    const bucket = this.secureBucket(config, partition, kmsKeyArn);
    if (bucket !== undefined) {
      // No consumer's role in depends_on: the policy names none, and must not change when one is added.
      new BucketAccessPolicy(this, "bucket_policy", {
        provider: this.provider,
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        delegateToAccessPointsOf: ownerAccountId,
        dependsOn: bucket.policyPrerequisites,
      });
    } else {
      new TerraformOutput(this, "bucket_policy_statements", {
        value: toPolicyJson(delegatingBucketPolicyDocument(this.bucketArn, ownerAccountId)),
        description:
          "Existing bucket: merge these statements into the bucket's policy; the consumers' access points work only once the bucket delegates to them (this project never replaces an existing bucket policy).",
      });
    }

    for (const accessor of accessors) {
      const accessPoint = accessor.accessPoint;
      if (accessPoint === undefined) continue;
      const key = accessor.name.replace(/-/g, "_");
      const targetRole = new TargetRole(this, `${key}_target_role`, {
        provider: this.provider,
        roleName: accessor.targetRoleName,
        partition,
        ownerAccountId,
        accessorAccountId: accessor.account.accountId,
        trustedPrincipalArns: trustedAccessorArns(accessorView(config, accessor)),
        bucketArn: this.bucketArn,
        accessPoint,
        keyPrefix: accessor.keyPrefix,
        kms: kmsKeyArn === undefined ? undefined : { keyArn: kmsKeyArn, region },
        accessLevel: accessor.accessLevel,
      });
      const consumerAccessPoint = new ConsumerAccessPoint(this, `${key}_access_point`, {
        provider: this.provider,
        accessPoint,
        bucketName: config.bucket.name,
        bucketResources: bucket?.policyPrerequisites,
        ownerAccountId,
        targetRoleArn: targetRole.roleArn,
        accessLevel: accessor.accessLevel,
        keyPrefix: accessor.keyPrefix,
        dependsOn: [targetRole.role],
      });
      const outputs = consumerOutputNames(accessor.name);
      new TerraformOutput(this, outputs.targetRoleArn, {
        value: targetRole.role.arn,
        description: `Role the ${accessor.name} consumer's instance role assumes (its stack ${accessor.stackId} reads it from this state).`,
      });
      new TerraformOutput(this, outputs.accessPointArn, {
        value: consumerAccessPoint.arn,
        description: `The ${accessor.name} consumer's S3 access point: its only way to the bucket.`,
      });
      new TerraformOutput(this, outputs.accessPointAlias, {
        value: consumerAccessPoint.alias,
        description: `The ${accessor.name} consumer's access point alias, used wherever a bucket name goes (s3://<alias>/<prefix>).`,
      });
    }

    this.addBucketOutputs(config, kmsKeyArn, {
      name: "Name of the shared bucket; consumers reach it through their access points.",
      arn: "ARN of the shared bucket.",
      key: "KMS key that encrypts the bucket; each target role may use it only through S3.",
    });
  }

  /** The bucket's name, its ARN and (with SSE-KMS) its key as outputs; each form describes them in its own words. */
  private addBucketOutputs(
    config: CrossAccountConfig,
    kmsKeyArn: string | undefined,
    descriptions: { readonly name: string; readonly arn: string; readonly key: string },
  ): void {
    new TerraformOutput(this, "bucket_name", { value: config.bucket.name, description: descriptions.name });
    new TerraformOutput(this, OWNER_OUTPUTS.bucketArn, { value: this.bucketArn, description: descriptions.arn });
    if (kmsKeyArn !== undefined) {
      new TerraformOutput(this, OWNER_OUTPUTS.kmsKeyArn, { value: kmsKeyArn, description: descriptions.key });
    }
  }
}

/** The most any consumer may do: what the policy rules allow wildcards for. */
function strongestLevel(accessors: readonly AccessorConfig[]): AccessLevel {
  return accessors.reduce<AccessLevel>(
    (strongest, { accessLevel }) =>
      ACCESS_LEVELS.indexOf(accessLevel) > ACCESS_LEVELS.indexOf(strongest) ? accessLevel : strongest,
    "read-only",
  );
}
