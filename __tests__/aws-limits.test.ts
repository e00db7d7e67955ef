/**
 * Limits AWS enforces, checked before AWS sees them. Field-level limits are
 * config problems (one line each: path, value, what is expected, example);
 * size limits are measured on the policies the stacks contain, by the
 * aws-policy-size-limits rule, and fail the synth and `npm run check-config`.
 * The rule itself, on hand-built resources, is pinned in
 * __tests__/policy-rules/aws-limits-rules.test.ts.
 */
import { findProblems } from "../config/validate";
import { showValue } from "../config/problems";
import type { CrossAccountConfig } from "../config/types";
import {
  ACCESSOR_ACCOUNT,
  INSTANCE_ROLE,
  OWNER_ACCOUNT,
  problemMessages,
  RawConfig,
  rawConfig,
  toConfig,
  validConfig,
} from "./helpers/config";

const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const keyArn = (region: string, partition = "aws"): string =>
  `arn:${partition}:kms:${region}:${OWNER_ACCOUNT}:key/${KEY_ID}`;
const existingKmsBucket = (kmsKeyArn: string): RawConfig => ({ bucket: { existing: true, kmsKeyArn } });

describe("limit: an existing bucket's KMS key is in the bucket's region and partition", () => {
  test("Compliance: a key in bucketOwner.region (eu-west-1), and a multi-Region key's replica there", () => {
    expect(problemMessages(rawConfig(existingKmsBucket(keyArn("eu-west-1"))))).toEqual([]);
    const replica = `arn:aws:kms:eu-west-1:${OWNER_ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;
    expect(problemMessages(rawConfig(existingKmsBucket(replica)))).toEqual([]);
  });

  test("Noncompliance: a key in another region, whose kms:ViaService condition could never match", () => {
    expect(problemMessages(rawConfig(existingKmsBucket(keyArn("us-east-1"))))).toEqual([
      `bucket.kmsKeyArn: "${keyArn("us-east-1")}" is in region us-east-1, but the bucket is in bucketOwner.region eu-west-1; S3 encrypts a bucket only with a key in the bucket's region, and the key-use permission only allows it through S3 in eu-west-1 (e.g. "${keyArn("eu-west-1")}")`,
    ]);
  });

  test("Noncompliance: a key in another partition", () => {
    const chinaKey = keyArn("cn-north-1", "aws-cn");
    expect(problemMessages(rawConfig(existingKmsBucket(chinaKey)))).toEqual([
      `bucket.kmsKeyArn: ${showValue(chinaKey)} is in partition "aws-cn", but bucketOwner.region eu-west-1 is in "aws"; a bucket can only use a key of its own partition and region (e.g. "${keyArn("eu-west-1")}")`,
    ]);
  });

  test("Noncompliance: another account and another region are both reported, on one line each", () => {
    const elsewhere = `arn:aws:kms:us-east-1:999988887777:key/${KEY_ID}`;
    expect(problemMessages(rawConfig(existingKmsBucket(elsewhere)))).toEqual([
      expect.stringContaining(`is in account 999988887777, but the bucket's key must be in the bucket owner account`),
      expect.stringContaining("is in region us-east-1, but the bucket is in bucketOwner.region eu-west-1"),
    ]);
  });
});

describe("limit: bucket.keyPrefix holds only characters IAM accepts in a policy", () => {
  test.each(["team-a/", "équipe/données/", "\u00FF/", "price&<>/"])("Compliance: %j", (keyPrefix) => {
    expect(problemMessages(rawConfig({ bucket: { keyPrefix } }))).toEqual([]);
  });

  test('Noncompliance: "チーム/", named with the characters and the allowed range', () => {
    expect(problemMessages(rawConfig({ bucket: { keyPrefix: "チーム/" } }))).toEqual([
      'bucket.keyPrefix: "チーム/" has characters IAM does not accept in a policy document ("チ", "ー", "ム"), and it is written into the target role\'s and the bucket\'s policies; a policy may hold only characters from U+0020 to U+00FF (Basic Latin and Latin-1) (e.g. "team-a/")',
    ]);
  });

  test("Noncompliance: the first character past Latin-1 (U+0100)", () => {
    expect(problemMessages(rawConfig({ bucket: { keyPrefix: "\u0100/" } }))).toEqual([
      expect.stringMatching(
        /^bucket\.keyPrefix: "Ā\/" has characters IAM does not accept in a policy document \("Ā"\)/,
      ),
    ]);
  });

  test("Compliance at the boundary: 1,024 bytes of UTF-8 (511 two-byte letters, then a/)", () => {
    expect(problemMessages(rawConfig({ bucket: { keyPrefix: `${"é".repeat(511)}a/` } }))).toEqual([]);
  });

  test("Noncompliance one over: 1,025 bytes of UTF-8 in 513 characters", () => {
    expect(problemMessages(rawConfig({ bucket: { keyPrefix: `${"é".repeat(511)}ab/` } }))).toEqual([
      expect.stringMatching(
        /^bucket\.keyPrefix: "é+\.\.\. is 1,025 bytes in UTF-8, but an S3 object key, prefix included, is at most 1,024 bytes \(e\.g\. "team-a\/"\)$/,
      ),
    ]);
  });
});

describe("limit: humanAccess.roleArns name each role once", () => {
  const roleArn = (name: string, rolePath = ""): string => `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/${rolePath}${name}`;
  const people = (roleArns: string[]): RawConfig => ({ humanAccess: { roleArns } });

  test("Compliance: different roles, one of them under a path", () => {
    expect(problemMessages(rawConfig(people([roleArn("analyst"), roleArn("engineer", "team/")])))).toEqual([]);
  });

  test("Noncompliance: the same ARN twice", () => {
    expect(problemMessages(rawConfig(people([roleArn("analyst"), roleArn("engineer"), roleArn("analyst")])))).toEqual([
      `humanAccess.roleArns[2]: "${roleArn("analyst")}" repeats humanAccess.roleArns[0]; list each role once`,
    ]);
  });

  test("Noncompliance: ARNs that differ only in case or path name one role", () => {
    expect(problemMessages(rawConfig(people([roleArn("Analyst"), roleArn("analyst", "team/")])))).toEqual([
      `humanAccess.roleArns[1]: "${roleArn("analyst", "team/")}" names the same IAM role as humanAccess.roleArns[0] "${roleArn("Analyst")}" (role names are unique in an account regardless of case and path, so at most one of the two matches); list each role once, as IAM shows its ARN`,
    ]);
  });

  test("Noncompliance: the instance role, which the trust policy always names", () => {
    expect(problemMessages(rawConfig(people([roleArn(INSTANCE_ROLE)])))).toEqual([
      `humanAccess.roleArns[0]: "${roleArn(INSTANCE_ROLE)}" names the instance role (instanceRoleName "${INSTANCE_ROLE}"), which the target role's trust policy already names; remove it from humanAccess.roleArns`,
    ]);
  });
});

describe("limit: tags that IAM would merge, and tag lengths in Unicode characters", () => {
  test("Compliance: distinct keys; overriding a default tag with its exact key", () => {
    expect(problemMessages(rawConfig({ tags: { team: "a", "team-2": "b", Project: "other" } }))).toEqual([]);
  });

  test("Noncompliance: a key that differs from a default tag key only in case", () => {
    expect(problemMessages(rawConfig({ tags: { project: "data" } }))).toEqual([
      'tags.project: "project" differs from the project\'s default tag key "Project" only in case; IAM treats tag keys on roles as one key regardless of case, so the target and instance roles would keep only one of them; write "Project" to override the default, or choose another key (e.g. "team")',
    ]);
  });

  test("Noncompliance: two of your keys that differ only in case", () => {
    expect(problemMessages(rawConfig({ tags: { team: "a", Team: "b" } }))).toEqual([
      'tags.Team: "Team" differs from tags.team only in case; IAM treats tag keys on roles as one key regardless of case, so the target and instance roles would keep only one of them; keep one of them (e.g. "team")',
    ]);
  });

  test("Noncompliance: the stacks built from code report the same problem on the merged tags", () => {
    const merged: CrossAccountConfig = { ...validConfig(), tags: { ...validConfig().tags, project: "data" } };
    expect(findProblems(merged).map((p) => p.message)).toEqual(
      problemMessages(rawConfig({ tags: { project: "data" } })),
    );
  });

  // U+20000 is a CJK letter outside the Basic Multilingual Plane: one character, two UTF-16 code units.
  const wide = "\u{20000}";

  test("Compliance at the boundary: a 128-character key and a 256-character value of such letters", () => {
    expect(problemMessages(rawConfig({ tags: { [wide.repeat(128)]: wide.repeat(256) } }))).toEqual([]);
  });

  test("Noncompliance one over: 129 and 257 characters", () => {
    const messages = problemMessages(rawConfig({ tags: { [wide.repeat(129)]: "v", long: wide.repeat(257) } }));
    expect(messages).toEqual([
      expect.stringContaining("is not a valid tag key: 1 to 128 letters"),
      expect.stringContaining("is not a valid tag value: up to 256 letters"),
    ]);
  });
});

describe("limit: role session names are 2 to 64 characters (sts:AssumeRole RoleSessionName)", () => {
  const withSession = (sessionName: string): RawConfig => ({
    bucketOwner: {
      accountId: OWNER_ACCOUNT,
      region: "eu-west-1",
      assumeRole: { roleArn: `arn:aws:iam::${OWNER_ACCOUNT}:role/deploy`, sessionName },
    },
  });

  test.each(["ab", "s".repeat(64)])("Compliance at the boundaries: %j", (sessionName) => {
    expect(problemMessages(rawConfig(withSession(sessionName)))).toEqual([]);
  });

  test.each(["a", "s".repeat(65)])("Noncompliance one past: %j", (sessionName) => {
    expect(problemMessages(rawConfig(withSession(sessionName)))).toEqual([
      `bucketOwner.assumeRole.sessionName: ${JSON.stringify(sessionName)} is not a valid role session name: 2 to 64 letters, digits or "+=,.@_-" (e.g. "cdktf-deploy")`,
    ]);
  });
});

describe("config: roleTrustPolicyLengthQuota, an account's raised trust policy quota", () => {
  const withQuota = (quota: unknown): RawConfig => ({
    bucketOwner: { accountId: OWNER_ACCOUNT, region: "eu-west-1", roleTrustPolicyLengthQuota: quota },
  });

  test("Compliance: absent means IAM's default, 2,048 characters, for both accounts", () => {
    const config = validConfig();
    expect(config.bucketOwner.roleTrustPolicyLengthQuota).toBe(2048);
    expect(config.accessor.roleTrustPolicyLengthQuota).toBe(2048);
  });

  test.each([2048, 3000, 4096])("Compliance: %d", (quota) => {
    expect(problemMessages(rawConfig(withQuota(quota)))).toEqual([]);
    expect(toConfig(rawConfig(withQuota(quota))).bucketOwner.roleTrustPolicyLengthQuota).toBe(quota);
  });

  test.each([2047, 4097, 4096.5, "4096"])("Noncompliance: %j", (quota) => {
    expect(problemMessages(rawConfig(withQuota(quota)))).toEqual([
      `bucketOwner.roleTrustPolicyLengthQuota: ${JSON.stringify(quota)} is not a "Role trust policy length" quota IAM grants: a whole number of characters from 2048 (the default) to 4096 (the most Service Quotas raises it to); set it only after the quota was raised for this account (e.g. 4096)`,
    ]);
  });
});

