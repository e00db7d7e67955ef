/**
 * The configuration contract: the JSON file named by CROSS_ACCOUNT_CONFIG.
 * `RawConfig` is what a person writes; `CrossAccountConfig` is the same data
 * after validation with every default applied (see config/defaults.ts).
 */

/** How much the accessor may do in the bucket. */
export type AccessLevel = "read-only" | "read-write" | "full";

export const ACCESS_LEVELS: readonly AccessLevel[] = ["read-only", "read-write", "full"];

/** A role the provider assumes to deploy into an account. */
export interface DeployRoleConfig {
  /** ARN of the deploy role; it must live in the account it deploys to. */
  readonly roleArn: string;
  /** Session name shown in CloudTrail; undefined lets the provider choose. */
  readonly sessionName?: string;
  /** External id the role's trust policy requires, if any. */
  readonly externalId?: string;
}

/** One AWS account, the region its resources live in, and how to deploy there. */
export interface AccountConfig {
  /** 12-digit AWS account id, as a string. */
  readonly accountId: string;
  /** AWS region code, e.g. "eu-west-1". */
  readonly region: string;
  /** AWS CLI profile the provider reads credentials from; undefined means ambient credentials. */
  readonly profile?: string;
  /** Role the provider assumes to deploy; undefined means none. */
  readonly assumeRole?: DeployRoleConfig;
  /**
   * This account's IAM "Role trust policy length" quota, in characters: 2048 unless
   * Service Quotas raised it (4096 at most). Trust policies are checked against it at synth.
   */
  readonly roleTrustPolicyLengthQuota: number;
}

/** Where one stack keeps its state in S3. */
export interface S3StateConfig {
  /** State bucket name. */
  readonly bucket: string;
  /** Object key of this stack's state. */
  readonly key: string;
  /** Region of the state bucket. */
  readonly region: string;
  /** AWS CLI profile the backend uses; undefined means the ambient credentials (not the provider's profile). */
  readonly profile?: string;
  /** Role to assume for reading and writing this state; undefined means the backend's own credentials. */
  readonly roleArn?: string;
  /** DynamoDB table for legacy state locking; undefined means none. */
  readonly dynamodbTable?: string;
  /** Terraform >= 1.10 native S3 locking (a .tflock object next to the state). */
  readonly useLockfile: boolean;
  /** KMS key for the state object; undefined means the bucket's default encryption. */
  readonly kmsKeyId?: string;
}

/** Where each stack keeps its Terraform state; the hand-off reads the owner's. */
export type BackendConfig =
  | { readonly type: "local" }
  | {
      readonly type: "s3";
      readonly bucketOwner: S3StateConfig;
      readonly accessor: S3StateConfig;
      /** Role the accessor stack assumes to read the owner's state; undefined means accessor.roleArn. */
      readonly ownerStateReaderRoleArn?: string;
    }
  | {
      readonly type: "cloud";
      /** HCP Terraform / Terraform Enterprise organization. */
      readonly organization: string;
      /** app.terraform.io or a Terraform Enterprise host. */
      readonly hostname: string;
      /** Workspace of the bucket owner stack. */
      readonly bucketOwnerWorkspace: string;
      /** Workspace of the accessor stack. */
      readonly accessorWorkspace: string;
    };

/** How the accessor reaches the bucket. */
export type AccessMode = "role-chain" | "direct";

export const ACCESS_MODES: readonly AccessMode[] = ["role-chain", "direct"];

/** Bucket encryption at rest. */
export type BucketEncryption = "SSE-S3" | "SSE-KMS";

export const BUCKET_ENCRYPTIONS: readonly BucketEncryption[] = ["SSE-S3", "SSE-KMS"];

/** The shared bucket. */
export interface BucketConfig {
  /** Bucket name. */
  readonly name: string;
  /** The bucket already exists in the owner account: do not create or manage it. */
  readonly existing: boolean;
  /** Limit access to keys under this prefix (ends with "/"); undefined means the whole bucket. */
  readonly keyPrefix?: string;
  /** Encryption of a bucket this project creates. */
  readonly encryption: BucketEncryption;
  /** For an existing bucket encrypted with a customer managed key: that key's ARN. */
  readonly kmsKeyArn?: string;
}

/** People in the accessor account who may also assume the target role. */
export interface HumanAccessConfig {
  /** IAM group created in the accessor account, allowed to assume the target role. */
  readonly groupName?: string;
  /** Existing IAM users added to that group and named in the trust policy. */
  readonly userNames: readonly string[];
  /** Existing roles (e.g. IAM Identity Center permission-set roles) named in the trust policy. */
  readonly roleArns: readonly string[];
}

/** Optional settings of the accessor's EC2 instance. */
export interface InstanceConfig {
  /** Create the EC2 instance; false creates only the role and profile (attach them to your own instance). */
  readonly create: boolean;
  /** EC2 instance type. */
  readonly instanceType: string;
  /** Fixed AMI id; when set, `amiSsmParameter` is undefined. */
  readonly amiId?: string;
  /** Public SSM parameter naming the current AMI; undefined when `amiId` is set. */
  readonly amiSsmParameter?: string;
  /** Subnet to launch in; undefined means the default VPC's default subnet. */
  readonly subnetId?: string;
  /** Security groups; empty means the VPC's default security group. */
  readonly securityGroupIds: readonly string[];
  /** Give the instance a public IPv4 address. */
  readonly associatePublicIpAddress: boolean;
  /** IMDSv2 hop limit (2 lets containers on the instance reach IMDS). */
  readonly metadataHopLimit: number;
  /** Root volume size in GiB; undefined keeps the AMI's size. */
  readonly rootVolumeSizeGiB?: number;
  /**
   * Let people reach the instance with SSM Session Manager (no SSH keys, no
   * inbound ports): adds the agent's five session actions to the instance role.
   */
  readonly sessionManager: boolean;
}

/** A consumer's S3 access point in the bucket owner account (the `accessors` form). */
export interface AccessPointConfig {
  /** The access point's name, unique in the owner account and region. */
  readonly name: string;
  /** arn:<partition>:s3:<region>:<owner account>:accesspoint/<name>, for bucket-level actions. */
  readonly arn: string;
  /** The ARN objects are named under: `<arn>/object/`, followed by the key. */
  readonly objectsArnBase: string;
}

/**
 * One consumer of the bucket: an accessor account and what serves it on both
 * sides. The single `accessor` form is a list of one (name and stack id
 * "accessor", granted on the bucket policy); each entry of `accessors` has its
 * own stack `accessor-<name>`, target role and S3 access point.
 */
export interface AccessorConfig {
  /** Short name: "accessor" for the single form, else the entry's `name`. */
  readonly name: string;
  /** Its cdktf stack id ("accessor", or "accessor-<name>"). */
  readonly stackId: string;
  /** The accessor account, its region and how to deploy there. */
  readonly account: AccountConfig;
  readonly accessLevel: AccessLevel;
  /** Only keys under this prefix (ends with "/"); undefined means the whole bucket. */
  readonly keyPrefix?: string;
  readonly targetRoleName: string;
  /** The instance role's name, or an existing role's ARN (see CrossAccountConfig.instanceRoleName). */
  readonly instanceRoleName: string;
  readonly cliProfileName: string;
  readonly instance: InstanceConfig;
  readonly existingInstanceRole: boolean;
  readonly accessMode: AccessMode;
  readonly humanAccess?: HumanAccessConfig;
  /** Backends as this consumer's stack sees them: the owner's state, and its own. */
  readonly backend: BackendConfig;
  /** Its access point; undefined in the single form, whose grant is in the bucket policy. */
  readonly accessPoint?: AccessPointConfig;
  /** The config allows its key prefix to contain (or equal) another consumer's. */
  readonly allowPrefixOverlap: boolean;
}

/** The validated configuration with every default applied. */
export interface CrossAccountConfig {
  readonly bucketOwner: AccountConfig;
  readonly accessor: AccountConfig;
  readonly bucket: BucketConfig;
  readonly accessLevel: AccessLevel;
  readonly targetRoleName: string;
  /**
   * The instance role's name; for an existing role, also its ARN, which carries an IAM path such as
   * "/service-role/" (read it with instanceRoleIdentity in lib/s3-access-actions.ts).
   */
  readonly instanceRoleName: string;
  /** Name of the AWS CLI profile written on the instance. */
  readonly cliProfileName: string;
  /** Tags applied to every resource through each provider's default_tags. */
  readonly tags: Readonly<Record<string, string>>;
  readonly instance: InstanceConfig;
  /** The instance role already exists: only its permission is added. */
  readonly existingInstanceRole: boolean;
  /** Role chaining through the target role (default) or a direct bucket-policy grant. */
  readonly accessMode: AccessMode;
  /** People who may assume the target role; undefined means none. */
  readonly humanAccess?: HumanAccessConfig;
  /** State backends of both stacks. */
  readonly backend: BackendConfig;
  /**
   * Every consumer, present only when the file has an `accessors` list; read
   * it with accessorsOf() (config/accessors.ts), which gives the single form
   * as a list of one. With a list, the single-consumer fields above describe
   * accessors[0] (accessorView() gives any consumer's), so code written for
   * one consumer sees a complete config; code that serves every consumer must
   * iterate the list.
   */
  readonly accessors?: readonly AccessorConfig[];
}
