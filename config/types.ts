/**
 * The configuration contract: the JSON file named by CROSS_ACCOUNT_CONFIG.
 * `RawConfig` is what a person writes; `CrossAccountConfig` is the same data
 * after validation with every default applied (see config/defaults.ts).
 */

/** How much the accessor may do in the bucket. */
export type AccessLevel = "read-only" | "read-write" | "full";

export const ACCESS_LEVELS: readonly AccessLevel[] = ["read-only", "read-write", "full"];

/** One AWS account and the region its resources live in. */
export interface AccountConfig {
  /** 12-digit AWS account id, as a string. */
  readonly accountId: string;
  /** AWS region code, e.g. "eu-west-1". */
  readonly region: string;
}

/** Optional settings of the accessor's EC2 instance. */
export interface InstanceConfig {
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
}

/** The validated configuration with every default applied. */
export interface CrossAccountConfig {
  readonly bucketOwner: AccountConfig;
  readonly accessor: AccountConfig;
  readonly bucket: { readonly name: string };
  readonly accessLevel: AccessLevel;
  readonly targetRoleName: string;
  readonly instanceRoleName: string;
  /** Name of the AWS CLI profile written on the instance. */
  readonly cliProfileName: string;
  /** Tags applied to every resource through each provider's default_tags. */
  readonly tags: Readonly<Record<string, string>>;
  readonly instance: InstanceConfig;
}
