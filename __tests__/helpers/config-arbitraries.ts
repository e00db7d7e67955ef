/**
 * fast-check arbitraries of valid raw configs, shared by the property suites:
 * the config property tests and the Terraform validation of generated configs.
 * The naming rules are restated here, independently of config/rules.ts.
 */
import fc from "fast-check";
import type { RawConfig } from "./config";

/** Region pairs by partition, written out here rather than taken from config/regions.ts. */
export const REGIONS: Record<string, readonly string[]> = {
  aws: ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2", "sa-east-1", "il-central-1"],
  "aws-us-gov": ["us-gov-west-1", "us-gov-east-1"],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
};

export const accountId = fc.stringMatching(/^\d{12}$/);
export const accountPair = fc.tuple(accountId, accountId).filter(([a, b]) => a !== b);
export const regionPair = fc
  .constantFrom(...Object.keys(REGIONS))
  .chain((partition) =>
    fc.tuple(fc.constant(partition), fc.constantFrom(...REGIONS[partition]!), fc.constantFrom(...REGIONS[partition]!)),
  );

/** The S3 naming rules, restated independently of config/rules.ts. */
export function isValidBucketName(name: string): boolean {
  return (
    !name.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !["xn--", "sthree-", "amzn-s3-demo-"].some((prefix) => name.startsWith(prefix)) &&
    !["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].some((suffix) => name.endsWith(suffix))
  );
}
export const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/).filter(isValidBucketName);
export const roleName = fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,64}$/);
export const tagKey = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.:/=+@-]{0,30}$/)
  .filter((k) => !k.toLowerCase().startsWith("aws:"));
export const tagValue = fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{0,40}$/);

export const validRaw = fc
  .record({
    accounts: accountPair,
    regions: regionPair,
    bucket: bucketName,
    targetRoleName: roleName,
    instanceRoleName: roleName,
    accessLevel: fc.option(fc.constantFrom("read-only", "read-write", "full"), { nil: undefined }),
    cliProfileName: fc.option(fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/), { nil: undefined }),
    tags: fc.option(fc.dictionary(tagKey, tagValue, { maxKeys: 4 }), { nil: undefined }),
    instanceType: fc.option(fc.constantFrom("t3.micro", "t4g.small", "m7g.large", "c6i.xlarge"), { nil: undefined }),
    metadataHopLimit: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
    sessionManager: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((r) => {
    const raw: RawConfig = {
      bucketOwner: { accountId: r.accounts[0], region: r.regions[1] },
      accessor: { accountId: r.accounts[1], region: r.regions[2] },
      bucket: { name: r.bucket },
      targetRoleName: r.targetRoleName,
      instanceRoleName: r.instanceRoleName,
    };
    if (r.accessLevel !== undefined) raw.accessLevel = r.accessLevel;
    if (r.cliProfileName !== undefined) raw.cliProfileName = r.cliProfileName;
    if (r.tags !== undefined) raw.tags = r.tags;
    const instance: Record<string, unknown> = {};
    if (r.instanceType !== undefined) instance.instanceType = r.instanceType;
    if (r.metadataHopLimit !== undefined) instance.metadataHopLimit = r.metadataHopLimit;
    if (r.sessionManager !== undefined) instance.sessionManager = r.sessionManager;
    if (Object.keys(instance).length > 0) raw.instance = instance;
    return { raw, partition: r.regions[0] };
  });
