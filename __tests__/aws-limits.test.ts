/**
 * Limits AWS enforces, checked before AWS sees them. Field-level limits are
 * config problems (one line each: path, value, what is expected, example);
 * size limits are measured on the policies the stacks contain, by the
 * aws-policy-size-limits rule, and fail the synth and `npm run check-config`.
 * The rule itself, on hand-built resources, is pinned in
 * __tests__/policy-rules/aws-limits-rules.test.ts.
 */
import "cdktf/lib/testing/adapters/jest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import type { IConstruct } from "constructs";
import { checkConfig } from "../config/check";
import { findProblems } from "../config/validate";
import { showValue } from "../config/problems";
import type { CrossAccountConfig } from "../config/types";
import { StackElements } from "../policy-rules/stack-elements";
import { PolicyTexts } from "../policy-rules/policy-text";
import { iamCharacters } from "../policy-rules/rules/aws-policy-size-limits";
import { AccessorStack } from "../stacks/accessor-stack";
import { BucketOwnerStack } from "../stacks/bucket-owner-stack";
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
import { testApp } from "./helpers/synth";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

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

  test("Noncompliance: an existing instance role given by its ARN, under a path, named again", () => {
    const instanceRoleArn = roleArn("legacy-app", "service-role/");
    const raw = rawConfig({
      ...people([roleArn("Legacy-App")]),
      instanceRoleName: instanceRoleArn,
      existingInstanceRole: true,
      instance: { create: false },
    });
    expect(problemMessages(raw)).toEqual([
      `humanAccess.roleArns[0]: "${roleArn("Legacy-App")}" names the instance role (instanceRoleName "${instanceRoleArn}"), which the target role's trust policy already names; remove it from humanAccess.roleArns`,
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

/** Both stacks of `config`, synthesized (which runs the rules); every error annotation, by construct path. */
function synthErrors(config: CrossAccountConfig): { path: string; message: string }[] {
  const app = testApp();
  const owner = new BucketOwnerStack(app, "bucket-owner", { config });
  const accessor = new AccessorStack(app, "accessor", { config, bucketOwnerStack: owner });
  return [owner, accessor].flatMap((stack: TerraformStack) => {
    Testing.synth(stack);
    return stack.node
      .findAll()
      .flatMap((construct: IConstruct) =>
        construct.node.metadata
          .filter((entry) => entry.type === "@cdktf/error")
          .map((entry) => ({ path: construct.node.path, message: String(entry.data) })),
      );
  });
}

/** The target role's trust policy as synthesized: compact JSON, which IAM counts as is. */
function synthesizedTrustPolicy(config: CrossAccountConfig): string {
  const app = testApp();
  const owner = new BucketOwnerStack(app, "bucket-owner", { config });
  const json = JSON.parse(Testing.synth(owner)) as {
    resource: { aws_iam_role: Record<string, { assume_role_policy: string }> };
  };
  return json.resource.aws_iam_role.target_role!.assume_role_policy;
}

const users = (count: number): string[] => Array.from({ length: count }, (_, i) => `person-${i}`);
const withUsers = (count: number): CrossAccountConfig =>
  validConfig({ humanAccess: { groupName: "readers", userNames: users(count) } });

describe("limit: the target role's trust policy fits IAM's quota, measured on the synthesized policy", () => {
  // Each user adds one ARN to the policy; find the largest number that fits 2,048 characters.
  let fitting = 0;
  beforeAll(() => {
    while (synthesizedTrustPolicy(withUsers(fitting + 1)).length <= 2048) fitting += 1;
  }, 120_000);

  test("Compliance at the boundary: the most users that fit 2,048 characters synthesize cleanly", () => {
    expect(fitting).toBeGreaterThan(10);
    expect(synthErrors(withUsers(fitting))).toEqual([]);
  }, 120_000);

  test("Noncompliance one over: one more user is an error naming humanAccess.userNames, the size and the ways out", () => {
    const config = withUsers(fitting + 1);
    const size = synthesizedTrustPolicy(config).length;
    expect(size).toBeGreaterThan(2048);
    expect(synthErrors(config)).toEqual([
      {
        path: "bucket-owner/target_role/role",
        message: `[aws-policy-size-limits] humanAccess.userNames: ${fitting + 1} users make the trust policy of aws_iam_role.target_role ${size.toLocaleString("en-US")} characters, over the 2,048 characters IAM allows by default (the "Role trust policy length" quota); give the people one IAM role to assume instead (humanAccess.roleArns, e.g. the role of an IAM Identity Center permission set), or have Service Quotas raise the quota for account ${OWNER_ACCOUNT} (up to 4,096) and set bucketOwner.roleTrustPolicyLengthQuota to the new value (counting characters other than white space, as IAM does, in the policy as the AWS provider sends it)`,
      },
    ]);
  }, 120_000);

  test("Compliance: the same policy synthesizes once the config says the account's quota was raised", () => {
    const raised = validConfig({
      bucketOwner: { accountId: OWNER_ACCOUNT, region: "eu-west-1", roleTrustPolicyLengthQuota: 4096 },
      humanAccess: { groupName: "readers", userNames: users(fitting + 1) },
    });
    expect(synthesizedTrustPolicy(raised).length).toBeGreaterThan(2048);
    expect(synthErrors(raised)).toEqual([]);
  }, 120_000);

  test("Noncompliance: past 4,096 characters no quota helps, and the message says so", () => {
    const config = withUsers(120);
    const size = synthesizedTrustPolicy(config).length;
    expect(size).toBeGreaterThan(4096);
    const [error, ...rest] = synthErrors(config);
    expect(rest).toEqual([]);
    expect(error?.message).toContain(
      `humanAccess.userNames: 120 users make the trust policy of aws_iam_role.target_role ${size.toLocaleString("en-US")} characters, over IAM's 4,096-character maximum for a role trust policy, which no quota increase raises; give the people one IAM role to assume instead`,
    );
  }, 120_000);

  test("Compliance: one role for many people stays small (humanAccess.roleArns)", () => {
    const config = validConfig({
      humanAccess: { roleArns: [`arn:aws:iam::${ACCESSOR_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/DataReaders`] },
    });
    expect(iamCharacters(synthesizedTrustPolicy(config))).toBeLessThan(2048);
    expect(synthErrors(config)).toEqual([]);
  }, 120_000);
});

describe("measuring policies that hold Terraform references", () => {
  function texts(config: CrossAccountConfig): Map<string, ReturnType<PolicyTexts["textOf"]>> {
    const app = testApp();
    const owner = new BucketOwnerStack(app, "bucket-owner", { config });
    const accessor = new AccessorStack(app, "accessor", { config, bucketOwnerStack: owner });
    const found = new Map<string, ReturnType<PolicyTexts["textOf"]>>();
    for (const stack of [owner, accessor]) {
      const elements = new StackElements(stack);
      for (const element of elements.elements) {
        if (typeof element.config.policy === "string") {
          found.set(element.address, PolicyTexts.of(elements).textOf(element.config.policy));
        }
      }
    }
    return found;
  }

  test("the target role ARN read from the owner's state is measured as the ARN the config determines", () => {
    const config = validConfig({ humanAccess: { groupName: "readers", userNames: ["alice"] } });
    const groupPolicy = texts(config).get("aws_iam_group_policy.human_access_assume_target_role");
    const targetRoleArn = `arn:aws:iam::${OWNER_ACCOUNT}:role/${config.targetRoleName}`;
    expect(groupPolicy?.references).toEqual([
      {
        expression: "data.terraform_remote_state.bucket_owner_state.outputs.target_role_arn",
        measuredAs: "known",
        value: targetRoleArn,
      },
    ]);
    expect(JSON.parse(groupPolicy!.text)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "AssumeTargetRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: targetRoleArn }],
    });
  }, 120_000);

  test("a stack built after another was synthesized is measured with that stack's references resolved too", () => {
    const config = validConfig({
      bucket: { encryption: "SSE-KMS" },
      humanAccess: { groupName: "g", userNames: ["a"] },
    });
    const app = testApp();
    const owner = new BucketOwnerStack(app, "bucket-owner", { config });
    Testing.synth(owner); // measures the owner's key-use policy, which references the key
    const accessor = new AccessorStack(app, "accessor", { config, bucketOwnerStack: owner });
    const elements = new StackElements(accessor);
    const policy = elements.ofType("aws_iam_group_policy")[0]?.config.policy;
    expect(PolicyTexts.of(elements).textOf(policy)?.references).toEqual([
      expect.objectContaining({
        measuredAs: "known",
        value: `arn:aws:iam::${OWNER_ACCOUNT}:role/${config.targetRoleName}`,
      }),
    ]);
  }, 120_000);

  test("a KMS key created at apply is measured with a 36-character key id, the length of every key id", () => {
    const config = validConfig({ bucket: { encryption: "SSE-KMS" } });
    const kmsUse = texts(config).get("aws_iam_role_policy.target_role_kms_use");
    const longest = `arn:aws:kms:eu-west-1:${OWNER_ACCOUNT}:key/${KEY_ID}`;
    expect(kmsUse?.references).toEqual([
      { expression: "aws_kms_key.bucket_key.arn", measuredAs: "longest", value: longest },
    ]);
    expect(kmsUse?.text).toContain(`"Resource":"${longest}"`);
  }, 120_000);
});

describe("npm run check-config shows the size limits too, without writing anything", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "check-config-test-"));
  }, HOOK_TIMEOUT_MS);
  afterAll(() => rmSync(dir, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

  const check = (raw: RawConfig): string[] => {
    const file = path.join(dir, "config.json");
    writeFileSync(file, JSON.stringify(raw));
    return checkConfig({ CROSS_ACCOUNT_CONFIG: file }, dir);
  };

  test("Compliance: a config within every limit prints nothing", () => {
    expect(check(rawConfig({ humanAccess: { groupName: "readers", userNames: users(3) } }))).toEqual([]);
  }, 120_000);

  test("Noncompliance: 60 users print the trust policy finding with its construct path", () => {
    const lines = check(rawConfig({ humanAccess: { groupName: "readers", userNames: users(60) } }));
    expect(lines).toEqual([
      "Policy rules failed:",
      expect.stringMatching(
        /^\[bucket-owner\/target_role\/role\] \[aws-policy-size-limits\] humanAccess\.userNames: 60 users make the trust policy of aws_iam_role\.target_role [\d,]+ characters, over the 2,048 characters IAM allows by default/,
      ),
    ]);
  }, 120_000);

  test("Noncompliance: config problems come first, as before, and stop there", () => {
    expect(check(rawConfig({ bucket: { keyPrefix: "チーム/" } }))).toEqual([
      expect.stringContaining("1 problem(s) in the configuration:"),
      expect.stringMatching(/^bucket\.keyPrefix: "チーム\/" has characters IAM does not accept/),
    ]);
  }, 120_000);
});
