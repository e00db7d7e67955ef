/**
 * The size and character limits AWS puts on policies, as policy rules on
 * hand-built resources: for each limit the policy exactly at it (complies)
 * and one character or byte over (does not). The numbers are AWS's: "IAM and
 * AWS STS quotas" (trust 2,048 by default and 4,096 at most; inline policies
 * 10,240 per role, 5,120 per group, 2,048 per user; managed 6,144; white space
 * not counted), S3 "Bucket policies and user policies" and "Access points
 * restrictions and limitations" (20 KB), KMS "Key policy format" (32,768 bytes).
 */
import "cdktf/lib/testing/adapters/jest";
import { Aspects, Fn, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamUserPolicy } from "@cdktf/provider-aws/lib/iam-user-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3ControlAccessPointPolicy } from "@cdktf/provider-aws/lib/s3control-access-point-policy";
import type { StatementJson } from "../../access-report/policy-json";
import { PolicyRules } from "../../policy-rules";
import { ACCESSOR_ACCOUNT, BUCKET_ARN, findingsOf, OWNER_ACCOUNT, RuleStack } from "../helpers/policy-rules-harness";

const SIZE = "aws-policy-size-limits";
const CHARACTERS = "aws-policy-characters";

/** A stack in the owner account with the rules applied and, optionally, a raised trust policy quota. */
function stackWith(roleTrustPolicyLengthQuota?: number): RuleStack {
  const stack = new TerraformStack(Testing.app(), "rules");
  const provider = new AwsProvider(stack, "aws", {
    alias: "owner",
    region: "eu-west-1",
    allowedAccountIds: [OWNER_ACCOUNT],
  });
  Aspects.of(stack).add(new PolicyRules({ accessLevel: "read-only", roleTrustPolicyLengthQuota }));
  return { stack, provider };
}

/**
 * A policy document of exactly `size` characters as compact JSON: the last
 * statement's Sid is padded (Sids are letters and digits, which every count
 * treats as one character and one byte).
 */
function policyOfSize(size: number, ...statements: StatementJson[]): string {
  const withSid = (pad: number): string =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: statements.map((s, i) => (i === statements.length - 1 ? { Sid: `S${"x".repeat(pad)}`, ...s } : s)),
    });
  const text = withSid(size - withSid(0).length);
  if (text.length !== size) throw new Error(`cannot build a ${size}-character policy`);
  return text;
}

const TRUST: StatementJson = {
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${ACCESSOR_ACCOUNT}:root` },
  Action: "sts:AssumeRole",
};
const READ: StatementJson = { Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` };
const GRANT: StatementJson = { ...READ, Principal: { AWS: `arn:aws:iam::${ACCESSOR_ACCOUNT}:root` } };

function roleTrusting(context: RuleStack, assumeRolePolicy: string): IamRole {
  return new IamRole(context.stack, "role", { provider: context.provider, name: "target", assumeRolePolicy });
}

describe("aws-policy-size-limits: role trust policy", () => {
  test("Compliance at the boundary: 2,048 characters with the default quota", () => {
    const context = stackWith();
    roleTrusting(context, policyOfSize(2048, TRUST));
    expect(findingsOf(context.stack, SIZE)).toEqual([]);
  });

  test("Noncompliance one over: 2,049 characters", () => {
    const context = stackWith();
    roleTrusting(context, policyOfSize(2049, TRUST));
    expect(findingsOf(context.stack, SIZE)).toEqual([
      {
        level: "error",
        path: "rules/role",
        message: `[${SIZE}] aws_iam_role.role.assume_role_policy: the trust policy of aws_iam_role.role is 2,049 characters, over the 2,048 characters IAM allows by default (the "Role trust policy length" quota); give the people one IAM role to assume instead (humanAccess.roleArns, e.g. the role of an IAM Identity Center permission set), or have Service Quotas raise the quota for account ${OWNER_ACCOUNT} (up to 4,096) and set roleTrustPolicyLengthQuota on this account in the config to the new value (counting characters other than white space, as IAM does, in the policy as the AWS provider sends it)`,
      },
    ]);
  });

  test("Compliance: white space does not count, as in IAM (2,048 characters, pretty-printed)", () => {
    const context = stackWith();
    const pretty = JSON.stringify(JSON.parse(policyOfSize(2048, TRUST)), null, 2);
    expect(pretty.length).toBeGreaterThan(2048);
    roleTrusting(context, pretty);
    expect(findingsOf(context.stack, SIZE)).toEqual([]);
  });

  test("Noncompliance: &, < and > count six characters each, as the AWS provider sends them as \\u0026", () => {
    const context = stackWith();
    const ampersands: StatementJson = { ...TRUST, Condition: { StringEquals: { "sts:ExternalId": "a&b<c>d" } } };
    roleTrusting(context, policyOfSize(2040, ampersands));
    expect(findingsOf(context.stack, SIZE)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("is 2,055 characters, over the 2,048 characters") }),
    ]);
  });

  test("Compliance at the boundary: 4,096 characters with the quota raised to 4,096", () => {
    const context = stackWith(4096);
    roleTrusting(context, policyOfSize(4096, TRUST));
    expect(findingsOf(context.stack, SIZE)).toEqual([]);
  });

  test("Noncompliance one over: 4,097 characters is over IAM's maximum, whatever the quota", () => {
    const context = stackWith(4096);
    roleTrusting(context, policyOfSize(4097, TRUST));
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual([
      expect.stringContaining(
        "is 4,097 characters, over IAM's 4,096-character maximum for a role trust policy, which no quota increase raises",
      ),
    ]);
  });

  test("Noncompliance: over a raised quota names the quota setting", () => {
    const context = stackWith(3000);
    roleTrusting(context, policyOfSize(3001, TRUST));
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual([
      expect.stringContaining(
        `is 3,001 characters, over the 3,000 characters of this account's "Role trust policy length" quota (roleTrustPolicyLengthQuota on this account in the config)`,
      ),
    ]);
  });

  test("Noncompliance: user ARNs in the trust policy are named as humanAccess.userNames", () => {
    const context = stackWith();
    const people = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::${ACCESSOR_ACCOUNT}:user/person-${i}`);
    roleTrusting(
      context,
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ ...TRUST, Condition: { ArnEquals: { "aws:PrincipalArn": people } } }],
      }),
    );
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^\[aws-policy-size-limits\] humanAccess\.userNames: 60 users make the trust policy of aws_iam_role\.role [\d,]+ characters, over/,
      ),
    ]);
  });
});

describe("aws-policy-size-limits: a role's inline policies together", () => {
  /** A role with an inline_policy block of `blockSize` and an aws_iam_role_policy of `policySize` characters. */
  function roleWithInline(context: RuleStack, blockSize: number, policySize: number): void {
    const role = new IamRole(context.stack, "role", {
      provider: context.provider,
      name: "workload",
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [TRUST] }),
      inlinePolicy: [{ name: "block", policy: policyOfSize(blockSize, READ) }],
    });
    new IamRolePolicy(context.stack, "extra", {
      provider: context.provider,
      role: role.name,
      name: "extra",
      policy: policyOfSize(policySize, READ),
    });
  }

  test("Compliance at the boundary: 5,000 + 5,240 = 10,240 characters", () => {
    const context = stackWith();
    roleWithInline(context, 5000, 5240);
    expect(findingsOf(context.stack, SIZE)).toEqual([]);
  });

  test("Noncompliance one over: 10,241 characters, each policy named with its size, on the role", () => {
    const context = stackWith();
    roleWithInline(context, 5000, 5241);
    expect(findingsOf(context.stack, SIZE)).toEqual([
      {
        level: "error",
        path: "rules/role",
        message: `[${SIZE}] aws_iam_role.role: its inline policies total 10,241 characters (aws_iam_role_policy.extra.policy 5,241, aws_iam_role.role.inline_policy[0].policy 5,000), over IAM's 10,240-character limit for the inline policies of a role; shorten bucket.keyPrefix, which each statement repeats, or split the permissions across managed policies (counting characters other than white space, as IAM does)`,
      },
    ]);
  });

  test("Noncompliance: a role this stack does not create, named by its name, warns that its other policies count too", () => {
    const context = stackWith();
    for (const [id, size] of [
      ["first", 6000],
      ["second", 4241],
    ] as const) {
      new IamRolePolicy(context.stack, id, {
        provider: context.provider,
        role: "existing-role",
        name: id,
        policy: policyOfSize(size, READ),
      });
    }
    expect(findingsOf(context.stack, SIZE)).toEqual([
      expect.objectContaining({
        path: "rules/first",
        message: expect.stringContaining(
          `role "existing-role": its inline policies total 10,241 characters (aws_iam_role_policy.first.policy 6,000, aws_iam_role_policy.second.policy 4,241), over IAM's 10,240-character limit for the inline policies of a role; the role's other inline policies, which this stack does not manage, count too`,
        ),
      }),
    ]);
  });
});

describe("aws-policy-size-limits: group and user inline policies, managed policies", () => {
  function groupPolicy(context: RuleStack, size: number): void {
    const group = new IamGroup(context.stack, "group", { provider: context.provider, name: "readers" });
    new IamGroupPolicy(context.stack, "group-policy", {
      provider: context.provider,
      group: group.name,
      name: "read",
      policy: policyOfSize(size, READ),
    });
  }

  test("Compliance at the boundary: a group's 5,120 characters", () => {
    const context = stackWith();
    groupPolicy(context, 5120);
    expect(findingsOf(context.stack, SIZE)).toEqual([]);
  });

  test("Noncompliance one over: a group's 5,121 characters", () => {
    const context = stackWith();
    groupPolicy(context, 5121);
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual([
      expect.stringContaining(
        "aws_iam_group.group: its inline policies total 5,121 characters (aws_iam_group_policy.group-policy.policy 5,121), over IAM's 5,120-character limit for the inline policies of a group",
      ),
    ]);
  });

  test.each([
    [2048, []],
    [2049, [expect.stringContaining(`user "alice": its inline policies total 2,049 characters`)]],
  ])("a user's inline policies at %d characters", (size, expected) => {
    const context = stackWith();
    new IamUserPolicy(context.stack, "user-policy", {
      provider: context.provider,
      user: "alice",
      name: "read",
      policy: policyOfSize(size, READ),
    });
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual(expected);
  });

  test.each([
    [6144, []],
    [6145, [expect.stringContaining("aws_iam_policy.managed.policy: 6,145 characters, over the 6,144 characters")]],
  ])("a managed policy at %d characters", (size, expected) => {
    const context = stackWith();
    new IamPolicy(context.stack, "managed", {
      provider: context.provider,
      name: "read",
      policy: policyOfSize(size, READ),
    });
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual(expected);
  });

  test("Noncompliance: an aws_iam_policy_document data source is measured as the document it renders", () => {
    const context = stackWith();
    const statements = Array.from({ length: 80 }, (_, i) => ({
      sid: `Read${i}`,
      actions: ["s3:GetObject"],
      resources: [`${BUCKET_ARN}/team-${i}/*`],
    }));
    const document = new DataAwsIamPolicyDocument(context.stack, "document", {
      provider: context.provider,
      statement: statements,
    });
    new IamPolicy(context.stack, "managed", { provider: context.provider, name: "read", policy: document.json });
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^\[aws-policy-size-limits\] aws_iam_policy\.managed\.policy: [\d,]+ characters, over the 6,144/,
      ),
    ]);
  });
});

describe("aws-policy-size-limits: bucket, access point and key policies, in UTF-8 bytes", () => {
  test.each([
    [20_480, []],
    [20_481, [expect.stringContaining("20,481 bytes, over the 20,480 bytes AWS allows in a bucket policy (20 KB)")]],
  ])("a bucket policy of %d bytes", (size, expected) => {
    const context = stackWith();
    new S3BucketPolicy(context.stack, "bucket-policy", {
      provider: context.provider,
      bucket: "example-rules-bucket",
      policy: policyOfSize(size, GRANT),
    });
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual(expected);
  });

  test("Noncompliance: a Latin-1 letter is two bytes (20,480 characters, 20,481 bytes)", () => {
    const context = stackWith();
    const accented: StatementJson = { ...GRANT, Resource: `${BUCKET_ARN}/é/*` };
    const policy = policyOfSize(20_480, accented);
    expect(Buffer.byteLength(policy)).toBe(20_481);
    new S3BucketPolicy(context.stack, "bucket-policy", {
      provider: context.provider,
      bucket: "example-rules-bucket",
      policy,
    });
    expect(findingsOf(context.stack, SIZE)).toHaveLength(1);
  });

  test.each([
    [20_480, []],
    [20_481, [expect.stringContaining("20,481 bytes, over the 20,480 bytes AWS allows in an access point policy")]],
  ])("an access point policy of %d bytes", (size, expected) => {
    const context = stackWith();
    new S3ControlAccessPointPolicy(context.stack, "access-point-policy", {
      provider: context.provider,
      accessPointArn: `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/readers`,
      policy: policyOfSize(size, GRANT),
    });
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual(expected);
  });

  test.each([
    [32_768, []],
    [32_769, [expect.stringContaining("32,769 bytes, over the 32,768 bytes AWS allows in a KMS key policy (32 KB)")]],
  ])("a key policy of %d bytes", (size, expected) => {
    const context = stackWith();
    const administer: StatementJson = {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    };
    new KmsKey(context.stack, "key", {
      provider: context.provider,
      enableKeyRotation: true,
      policy: policyOfSize(size, administer),
    });
    expect(findingsOf(context.stack, SIZE).map((f) => f.message)).toEqual(expected);
  });
});

describe("aws-policy-characters", () => {
  function rolePolicy(context: RuleStack, resource: string): void {
    const role = roleTrusting(context, JSON.stringify({ Version: "2012-10-17", Statement: [TRUST] }));
    new IamRolePolicy(context.stack, "policy", {
      provider: context.provider,
      role: role.name,
      name: "read",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ ...READ, Resource: resource }] }),
    });
  }

  test("Compliance: Latin-1 letters, and U+00FF, the last character IAM accepts", () => {
    const context = stackWith();
    rolePolicy(context, `${BUCKET_ARN}/équipe-\u00FF/*`);
    expect(findingsOf(context.stack, CHARACTERS)).toEqual([]);
  });

  test("Noncompliance: a key prefix in katakana, and U+0100, the first character past Latin-1", () => {
    const context = stackWith();
    rolePolicy(context, `${BUCKET_ARN}/チーム\u0100/*`);
    expect(findingsOf(context.stack, CHARACTERS)).toEqual([
      {
        level: "error",
        path: "rules/policy",
        message: `[${CHARACTERS}] aws_iam_role_policy.policy.policy: holds characters IAM does not accept in a policy document ("チ", "ー", "ム", "Ā"); a policy may hold only characters from U+0020 to U+00FF, tab, line feed and carriage return (if they come from bucket.keyPrefix, choose a prefix in Basic Latin and Latin-1, e.g. "team-a/")`,
      },
    ]);
  });

  test("Noncompliance: a C1 control character is accepted by IAM but not by KMS", () => {
    const context = stackWith();
    rolePolicy(context, `${BUCKET_ARN}/a\u0085b/*`);
    new KmsKey(context.stack, "key", {
      provider: context.provider,
      enableKeyRotation: true,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "Administer",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:root` },
            Action: "kms:*",
            Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalTag/team": "a\u0085b" } },
          },
        ],
      }),
    });
    expect(findingsOf(context.stack, CHARACTERS).map((f) => f.path)).toEqual(["rules/key"]);
  });
});

describe("iam-policies-readable covers access point policies too", () => {
  test("Noncompliance: an access point policy written with jsonencode()", () => {
    const context = stackWith();
    new S3ControlAccessPointPolicy(context.stack, "access-point-policy", {
      provider: context.provider,
      accessPointArn: `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/readers`,
      policy: Fn.jsonencode({ Version: "2012-10-17", Statement: [GRANT] }),
    });
    expect(findingsOf(context.stack, "iam-policies-readable").map((f) => f.message)).toEqual([
      expect.stringContaining(
        "aws_s3control_access_point_policy.access-point-policy.policy is not a JSON policy document",
      ),
    ]);
  });
});
