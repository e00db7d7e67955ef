/**
 * AWS region codes this project accepts, and the partition each belongs to.
 * A region missing here is rejected with a clear message rather than passed to
 * the provider, where a typo would only surface at deploy time.
 * Source: the AWS General Reference page "AWS Regions and endpoints".
 */
const REGIONS_BY_PARTITION: Readonly<Record<string, readonly string[]>> = {
  aws: [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
  "aws-eusc": ["eusc-de-east-1"],
};

/** Every region code this project knows, in the order above. */
export const KNOWN_REGIONS: readonly string[] = Object.values(REGIONS_BY_PARTITION).flat();

/** The shape of a region code: `eu-west-1`, `us-gov-west-1`, `eusc-de-east-1`. */
export const REGION_SHAPE = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

const PARTITION_OF_REGION: ReadonlyMap<string, string> = new Map(
  Object.entries(REGIONS_BY_PARTITION).flatMap(([partition, regions]) =>
    regions.map((region) => [region, partition] as const),
  ),
);

/** True when `region` is a region code this project knows. */
export function isKnownRegion(region: string): boolean {
  return PARTITION_OF_REGION.has(region);
}

/** The ARN partition (`aws`, `aws-cn`, `aws-us-gov`, …) of a known region. */
export function partitionOf(region: string): string {
  const partition = PARTITION_OF_REGION.get(region);
  if (partition === undefined) {
    throw new Error(`unknown AWS region "${region}"`);
  }
  return partition;
}

/** The DNS suffix of a partition, for service principals such as ec2.amazonaws.com. */
export function dnsSuffixOf(partition: string): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}
