import "cdktf/lib/testing/adapters/jest";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamAccessKey } from "@cdktf/provider-aws/lib/iam-access-key";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { IamUserGroupMembership } from "@cdktf/provider-aws/lib/iam-user-group-membership";
import { IamUserPolicy } from "@cdktf/provider-aws/lib/iam-user-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamRolePolicyAttachmentsExclusive } from "@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Fn, TerraformVariable } from "cdktf";
import type { StatementJson } from "../../access-report/policy-json";
import type { AccessLevel } from "../../config/types";
import {
  ACCESSOR_ACCOUNT,
  BUCKET_ARN,
  findingsOf,
  OWNER_ACCOUNT,
  policyJson,
  RuleStack,
  ruleStack,
  secureBucket,
} from "../helpers/policy-rules-harness";

const EC2_TRUST: StatementJson = {
  Effect: "Allow",
  Principal: { Service: "ec2.amazonaws.com" },
  Action: "sts:AssumeRole",
};

/** A role with one inline policy holding `statements`; the policy resource's path is "rules/policy". */
function roleWithPolicy(context: RuleStack, ...statements: StatementJson[]): IamRolePolicy {
  const role = new IamRole(context.stack, "role", {
    provider: context.provider,
    name: "workload",
    assumeRolePolicy: policyJson(EC2_TRUST),
  });
  return new IamRolePolicy(context.stack, "policy", {
    provider: context.provider,
    role: role.name,
    name: "access",
    policy: policyJson(...statements),
  });
}

/** A role whose trust policy holds `statements`; the role's path is "rules/role". */
function roleTrusting(context: RuleStack, ...statements: StatementJson[]): IamRole {
  return new IamRole(context.stack, "role", {
    provider: context.provider,
    name: "target",
    assumeRolePolicy: policyJson(...statements),
  });
}

function stackAt(accessLevel?: AccessLevel): RuleStack {
  return ruleStack({ accessLevel });
}

describe("iam-no-wildcard-actions", () => {
  const RULE = "iam-no-wildcard-actions";

  test("Compliance: actions named one by one", () => {
    const context = stackAt("read-write");
    roleWithPolicy(context, { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${BUCKET_ARN}/*` });
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Compliance: a Deny with a wildcard takes nothing away from least privilege", () => {
    const context = stackAt("read-only");
    roleWithPolicy(
      context,
      { Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` },
      { Effect: "Deny", Action: "s3:*", Resource: "*" },
    );
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Compliance: accessLevel full may use s3:* on this app's bucket, by ARN or by reference", () => {
    const context = stackAt("full");
    const bucket = secureBucket(context);
    roleWithPolicy(
      context,
      { Effect: "Allow", Action: "s3:*", Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`] },
      { Effect: "Allow", Action: "s3:*", Resource: [bucket.arn, `${bucket.arn}/*`] },
    );
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test('Noncompliance: Action "*" is reported with the checkov and Security Hub ids', () => {
    const context = stackAt("full");
    roleWithPolicy(context, { Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*" });
    expect(findingsOf(context.stack, RULE)).toEqual([
      {
        level: "error",
        path: "rules/policy",
        message:
          '[iam-no-wildcard-actions] aws_iam_role_policy.policy.policy statement 1 (Sid Admin): Allow with Action "*"; name the actions one by one (e.g. "s3:GetObject") (checkov CKV_AWS_62, CKV_AWS_63; Security Hub IAM.1, IAM.21)',
      },
    ]);
  });

  test("Noncompliance: s3:* below the full access level, even on this bucket", () => {
    const context = stackAt("read-write");
    secureBucket(context);
    roleWithPolicy(context, { Effect: "Allow", Action: "s3:*", Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`] });
    expect(findingsOf(context.stack, RULE)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('Allow with Action "s3:*"') }),
    ]);
  });

  test("Noncompliance: full access with s3:* beyond this bucket", () => {
    const context = stackAt("full");
    secureBucket(context);
    roleWithPolicy(context, {
      Effect: "Allow",
      Action: "s3:*",
      Resource: [BUCKET_ARN, "arn:aws:s3:::someone-elses-bucket/*"],
    });
    expect(findingsOf(context.stack, RULE)).toHaveLength(1);
  });

  test("Noncompliance: another service's wildcard, in a managed policy built with aws_iam_policy_document", () => {
    const context = stackAt("full");
    const document = new DataAwsIamPolicyDocument(context.stack, "document", {
      provider: context.provider,
      statement: [{ effect: "Allow", actions: ["ec2:*"], resources: ["*"] }],
    });
    new IamPolicy(context.stack, "managed", {
      provider: context.provider,
      name: "ec2-everything",
      policy: document.json,
    });
    expect(findingsOf(context.stack, RULE)).toEqual([
      expect.objectContaining({ path: "rules/managed", message: expect.stringContaining('Allow with Action "ec2:*"') }),
    ]);
  });

  test("Noncompliance: Allow with NotAction", () => {
    const context = stackAt("read-only");
    roleWithPolicy(context, { Effect: "Allow", NotAction: "iam:*", Resource: "*" });
    expect(findingsOf(context.stack, RULE)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("Allow with NotAction grants every action not listed"),
      }),
    ]);
  });
});

describe("iam-assume-role-exact-arn", () => {
  const RULE = "iam-assume-role-exact-arn";

  test("Compliance: an exact role ARN, and a reference to one", () => {
    const context = stackAt();
    const other = new IamRole(context.stack, "other", {
      provider: context.provider,
      name: "other",
      assumeRolePolicy: policyJson(EC2_TRUST),
    });
    roleWithPolicy(
      context,
      { Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${OWNER_ACCOUNT}:role/target` },
      { Effect: "Allow", Action: "sts:AssumeRole", Resource: other.arn },
    );
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Noncompliance: a role-name wildcard", () => {
    const context = stackAt();
    roleWithPolicy(context, {
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: `arn:aws:iam::${OWNER_ACCOUNT}:role/*`,
    });
    expect(findingsOf(context.stack, RULE)).toEqual([
      expect.objectContaining({
        level: "error",
        path: "rules/policy",
        message: expect.stringContaining(
          `sts:AssumeRole on "arn:aws:iam::${OWNER_ACCOUNT}:role/*"; name each role ARN exactly`,
        ),
      }),
    ]);
  });

  test("Noncompliance: sts:Assume* on every resource", () => {
    const context = stackAt();
    roleWithPolicy(context, { Effect: "Allow", Action: "sts:Assume*", Resource: "*" });
    expect(findingsOf(context.stack, RULE)).toHaveLength(1);
  });
});

describe("iam-trust-policy-assume-role-only", () => {
  const RULE = "iam-trust-policy-assume-role-only";

  test("Compliance: sts:AssumeRole with sts:TagSession", () => {
    const context = stackAt();
    roleTrusting(context, {
      Effect: "Allow",
      Principal: { Service: "ec2.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    });
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Noncompliance: sts:* and an action that is not about assuming the role", () => {
    const context = stackAt();
    roleTrusting(context, {
      Effect: "Allow",
      Principal: { Service: "ec2.amazonaws.com" },
      Action: ["sts:*", "iam:PassRole"],
    });
    expect(findingsOf(context.stack, RULE)).toEqual([
      expect.objectContaining({
        path: "rules/role",
        message: expect.stringContaining('allows "sts:*", "iam:PassRole"'),
      }),
    ]);
  });
});

describe("iam-cross-account-trust-restricted", () => {
  const RULE = "iam-cross-account-trust-restricted";
  const accessorRoot = { AWS: `arn:aws:iam::${ACCESSOR_ACCOUNT}:root` };

  test("Compliance: the accessor account root narrowed by ArnEquals on aws:PrincipalArn", () => {
    const context = stackAt();
    roleTrusting(context, {
      Effect: "Allow",
      Principal: accessorRoot,
      Action: "sts:AssumeRole",
      Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/instance` } },
    });
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Compliance: naming the role, trusting the role's own account, trusting a service", () => {
    const context = stackAt();
    roleTrusting(
      context,
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/instance` },
        Action: "sts:AssumeRole",
      },
      { Effect: "Allow", Principal: { AWS: OWNER_ACCOUNT }, Action: "sts:AssumeRole" },
      EC2_TRUST,
    );
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Noncompliance: another account's root without a condition", () => {
    const context = stackAt();
    roleTrusting(context, { Effect: "Allow", Principal: accessorRoot, Action: "sts:AssumeRole" });
    expect(findingsOf(context.stack, RULE)).toEqual([
      {
        level: "error",
        path: "rules/role",
        message: `[iam-cross-account-trust-restricted] aws_iam_role.role.assume_role_policy statement 1: trusts all of account ${ACCESSOR_ACCOUNT} ("arn:aws:iam::${ACCESSOR_ACCOUNT}:root") without a condition on aws:PrincipalArn; add {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::${ACCESSOR_ACCOUNT}:role/<role>"}} or name the role (checkov CKV_AWS_60, CKV_AWS_61)`,
      },
    ]);
  });

  test("Noncompliance: a condition that does not narrow the account (wildcard account, or another account)", () => {
    const context = stackAt();
    roleTrusting(context, {
      Effect: "Allow",
      Principal: accessorRoot,
      Action: "sts:AssumeRole",
      Condition: {
        ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/instance", "arn:aws:iam::999988887777:role/instance"] },
      },
    });
    expect(findingsOf(context.stack, RULE)).toHaveLength(1);
  });

  test("Noncompliance: a wildcard in the narrowing ARN (every role of the account, or a ? pattern)", () => {
    for (const pattern of [
      `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/*`,
      `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/inst?nce`,
    ]) {
      const context = stackAt();
      roleTrusting(context, {
        Effect: "Allow",
        Principal: accessorRoot,
        Action: "sts:AssumeRole",
        Condition: { ArnLike: { "aws:PrincipalArn": pattern } },
      });
      expect(findingsOf(context.stack, RULE)).toHaveLength(1);
    }
  });

  test('Noncompliance: Principal "*"', () => {
    const context = stackAt();
    roleTrusting(context, { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" });
    expect(findingsOf(context.stack, RULE)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('trusts Principal "*" (every AWS account)') }),
    ]);
  });
});

describe("iam-no-users-or-access-keys", () => {
  const RULE = "iam-no-users-or-access-keys";

  test("Compliance: adding an existing user to a group creates no user and no key", () => {
    const context = stackAt();
    new IamUserGroupMembership(context.stack, "membership", {
      provider: context.provider,
      user: "alice",
      groups: ["readers"],
    });
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Noncompliance: a user, its access key and its own policy", () => {
    const context = stackAt();
    const user = new IamUser(context.stack, "user", { provider: context.provider, name: "robot" });
    new IamAccessKey(context.stack, "key", { provider: context.provider, user: user.name });
    new IamUserPolicy(context.stack, "user-policy", {
      provider: context.provider,
      user: user.name,
      policy: policyJson({ Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` }),
    });
    expect(findingsOf(context.stack, RULE).map((f) => [f.path, f.message.split(";")[0]])).toEqual([
      ["rules/user", "[iam-no-users-or-access-keys] aws_iam_user.user: creates an IAM user"],
      ["rules/key", "[iam-no-users-or-access-keys] aws_iam_access_key.key: creates a long-lived access key"],
      [
        "rules/user-policy",
        "[iam-no-users-or-access-keys] aws_iam_user_policy.user-policy: attaches a policy to a user",
      ],
    ]);
  });
});

describe("iam-policies-readable", () => {
  const RULE = "iam-policies-readable";

  test("Compliance: JSON strings and an aws_iam_policy_document of the stack", () => {
    const context = stackAt("read-only");
    roleWithPolicy(context, { Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` });
    const document = new DataAwsIamPolicyDocument(context.stack, "document", {
      provider: context.provider,
      statement: [{ effect: "Allow", actions: ["s3:ListBucket"], resources: [BUCKET_ARN] }],
    });
    new IamPolicy(context.stack, "managed", { provider: context.provider, name: "m", policy: document.json });
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Noncompliance: a bucket policy built with jsonencode() that other rules could not check", () => {
    const context = stackAt();
    const bucket = secureBucket(context, ["policy"]);
    new S3BucketPolicy(context.stack, "bucket-policy", {
      provider: context.provider,
      bucket: bucket.id,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` }],
      }),
    });
    expect(findingsOf(context.stack, RULE)).toEqual([
      {
        level: "error",
        path: "rules/bucket-policy",
        message:
          "[iam-policies-readable] aws_s3_bucket_policy.bucket-policy.policy is not a JSON policy document the rules can read (e.g. built with jsonencode(), a variable or file()), so no rule checked what it allows; write it as a JSON string (JSON.stringify of the document) or an aws_iam_policy_document data source in this stack, or suppress this rule with the reason",
      },
    ]);
  });

  test("Noncompliance: an identity policy and a trust policy from variables", () => {
    const context = stackAt();
    const role = new IamRole(context.stack, "role", {
      provider: context.provider,
      name: "workload",
      assumeRolePolicy: new TerraformVariable(context.stack, "trust", { type: "string" }).stringValue,
    });
    new IamRolePolicy(context.stack, "policy", {
      provider: context.provider,
      role: role.name,
      policy: new TerraformVariable(context.stack, "permissions", { type: "string" }).stringValue,
    });
    expect(findingsOf(context.stack, RULE).map((f) => f.path)).toEqual(["rules/role", "rules/policy"]);
  });
});

describe("iam-no-unchecked-managed-policies", () => {
  const RULE = "iam-no-unchecked-managed-policies";

  test("Compliance: attaching a policy the stack defines (its document is checked)", () => {
    const context = stackAt("read-only");
    const role = roleTrusting(context, EC2_TRUST);
    const policy = new IamPolicy(context.stack, "managed", {
      provider: context.provider,
      name: "reader",
      policy: policyJson({ Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` }),
    });
    new IamRolePolicyAttachment(context.stack, "attach", {
      provider: context.provider,
      role: role.name,
      policyArn: policy.arn,
    });
    expect(findingsOf(context.stack, RULE)).toEqual([]);
  });

  test("Noncompliance: AdministratorAccess attached, and in managed_policy_arns", () => {
    const context = stackAt();
    const role = new IamRole(context.stack, "role", {
      provider: context.provider,
      name: "workload",
      assumeRolePolicy: policyJson(EC2_TRUST),
      managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    });
    new IamRolePolicyAttachment(context.stack, "attach", {
      provider: context.provider,
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    });
    const findings = findingsOf(context.stack, RULE);
    expect(findings.map((f) => f.path)).toEqual(["rules/role", "rules/attach"]);
    expect(findings[1]!.message).toContain(
      'aws_iam_role_policy_attachment.attach.policy_arn: attaches "arn:aws:iam::aws:policy/AdministratorAccess"',
    );
    expect(findings[1]!.message).toContain("(checkov CKV_AWS_274)");
    expect(findings[0]!.message).toContain('managed_policy_arns: attaches "arn:aws:iam::aws:policy/ReadOnlyAccess"');
  });

  test("Noncompliance: each ARN of an exclusive attachment list", () => {
    const context = stackAt();
    const role = roleTrusting(context, EC2_TRUST);
    new IamRolePolicyAttachmentsExclusive(context.stack, "exclusive", {
      provider: context.provider,
      roleName: role.name,
      policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/IAMFullAccess"],
    });
    expect(findingsOf(context.stack, RULE).map((f) => f.message.slice(0, f.message.indexOf(",")))).toEqual([
      '[iam-no-unchecked-managed-policies] aws_iam_role_policy_attachments_exclusive.exclusive.policy_arns: attaches "arn:aws:iam::aws:policy/AdministratorAccess"',
      '[iam-no-unchecked-managed-policies] aws_iam_role_policy_attachments_exclusive.exclusive.policy_arns: attaches "arn:aws:iam::aws:policy/IAMFullAccess"',
    ]);
  });
});
