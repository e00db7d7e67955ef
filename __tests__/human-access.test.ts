/**
 * People in the accessor account. A group cannot be a principal, so
 * both sides are needed: the target role's trust lists each user's and role's
 * ARN explicitly (ArnEquals on aws:PrincipalArn), and an IAM group in the
 * accessor account lets its members call sts:AssumeRole on exactly the target
 * role ARN read from the owner's state.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { iamGroupNameRule, iamUserNameRule } from "../config/rules";
import { HumanAccessGroup } from "../modules/human-access-group";
import {
  ACCESSOR_ACCOUNT,
  OWNER_ACCOUNT,
  problemMessages,
  problemPaths,
  RawConfig,
  rawConfig,
  toConfig,
} from "./helpers/config";
import { synthApp, SynthesizedApp } from "./helpers/synth";
import {
  ACCESSOR_ROOT,
  block,
  INSTANCE_ROLE_ARN,
  invalidAddresses,
  ownerOutputRef,
  policyOf,
  statementsOf,
  synthWith,
} from "./helpers/org-configs";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const SSO_ROLE = `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataReaders_0123456789abcdef`;
const ANALYST_ROLE = `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/data-analyst`;

const GROUP_AND_ROLES: RawConfig = {
  humanAccess: { groupName: "shared-data-readers", userNames: ["alice", "bob"], roleArns: [SSO_ROLE, ANALYST_ROLE] },
};
const ROLES_ONLY: RawConfig = { humanAccess: { roleArns: [ANALYST_ROLE] } };
const EMAIL_USERS: RawConfig = {
  humanAccess: { groupName: "readers", userNames: ["jane.doe@example.com", "jane_doe", "ops+ci=1,x"] },
};

let groupAndRoles: SynthesizedApp;
let rolesOnly: SynthesizedApp;
let emailUsers: SynthesizedApp;
beforeAll(() => {
  groupAndRoles = synthWith(GROUP_AND_ROLES);
  rolesOnly = synthWith(ROLES_ONLY);
  emailUsers = synthWith(EMAIL_USERS);
}, HOOK_TIMEOUT_MS);

const trustOf = (app: SynthesizedApp) =>
  statementsOf(policyOf(app.ownerJson, "aws_iam_role", "target_role", "assume_role_policy"));

describe("a group with users, and roles", () => {
  test("the trust policy: accessor root, sts:AssumeRole only, ArnEquals on exactly the instance role, users and roles", () => {
    expect(trustOf(groupAndRoles)).toEqual([
      {
        Sid: "AssumeFromAccessorPrincipals",
        Effect: "Allow",
        Principal: { AWS: ACCESSOR_ROOT },
        Action: "sts:AssumeRole",
        Condition: {
          ArnEquals: {
            "aws:PrincipalArn": [
              INSTANCE_ROLE_ARN,
              `arn:aws:iam::${ACCESSOR_ACCOUNT}:user/alice`,
              `arn:aws:iam::${ACCESSOR_ACCOUNT}:user/bob`,
              SSO_ROLE,
              ANALYST_ROLE,
            ],
          },
        },
      },
    ]);
  });

  test("the group's only policy allows sts:AssumeRole on exactly the target role ARN from remote state", () => {
    expect(groupAndRoles.accessorSynth).toHaveResourceWithProperties(IamGroup, { name: "shared-data-readers" });
    expect(groupAndRoles.accessorSynth).toHaveResourceWithProperties(IamGroupPolicy, {
      name: "assume-target-role",
      group: "${aws_iam_group.human_access.name}",
    });
    expect(Object.keys(groupAndRoles.accessorJson.resource?.aws_iam_group_policy ?? {})).toEqual([
      "human_access_assume_target_role",
    ]);
    expect(
      statementsOf(policyOf(groupAndRoles.accessorJson, "aws_iam_group_policy", "human_access_assume_target_role")),
    ).toEqual([
      {
        Sid: "AssumeTargetRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: ownerOutputRef("target_role_arn"),
      },
    ]);
  });

  test("one membership per user, each adding only this group (other groups of the user are untouched)", () => {
    const memberships = groupAndRoles.accessorJson.resource?.aws_iam_user_group_membership ?? {};
    expect(Object.keys(memberships).sort()).toEqual(["human_access_member_alice", "human_access_member_bob"]);
    for (const user of ["alice", "bob"]) {
      expect(
        block(groupAndRoles.accessorJson, "aws_iam_user_group_membership", `human_access_member_${user}`),
      ).toMatchObject({
        user,
        groups: ["${aws_iam_group.human_access.name}"],
        provider: "aws.accessor",
      });
    }
  });

  test("the accessor never creates the users themselves", () => {
    expect(groupAndRoles.accessorJson.resource?.aws_iam_user).toBeUndefined();
  });

  test("the instance still assumes the target role as before", () => {
    expect(
      statementsOf(policyOf(groupAndRoles.accessorJson, "aws_iam_role_policy", "instance_role_assume_target_role")),
    ).toEqual([
      {
        Sid: "AssumeTargetRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: ownerOutputRef("target_role_arn"),
      },
    ]);
  });
});

describe("roles only (e.g. IAM Identity Center permission sets)", () => {
  test("the trust lists the instance role and the role; no group is created", () => {
    expect(trustOf(rolesOnly)[0]!.Condition).toEqual({
      ArnEquals: { "aws:PrincipalArn": [INSTANCE_ROLE_ARN, ANALYST_ROLE] },
    });
    expect(rolesOnly.accessorJson.resource?.aws_iam_group).toBeUndefined();
    expect(rolesOnly.accessorJson.resource?.aws_iam_user_group_membership).toBeUndefined();
  });
});

describe("user names with characters Terraform names do not allow", () => {
  test("every membership gets a valid, distinct Terraform address", () => {
    expect(invalidAddresses(emailUsers.accessorJson)).toEqual([]);
    const memberships = emailUsers.accessorJson.resource?.aws_iam_user_group_membership ?? {};
    expect(Object.fromEntries(Object.entries(memberships).map(([id, body]) => [id, body.user]))).toEqual({
      human_access_member_jane_dot_doe_at_example_dot_com: "jane.doe@example.com",
      human_access_member_jane_doe: "jane_doe",
      human_access_member_ops_plus_ci_eq_1_comma_x: "ops+ci=1,x",
    });
  });

  test("the trust policy names the users exactly as written", () => {
    expect(trustOf(emailUsers)[0]!.Condition).toEqual({
      ArnEquals: {
        "aws:PrincipalArn": [
          INSTANCE_ROLE_ARN,
          `arn:aws:iam::${ACCESSOR_ACCOUNT}:user/jane.doe@example.com`,
          `arn:aws:iam::${ACCESSOR_ACCOUNT}:user/jane_doe`,
          `arn:aws:iam::${ACCESSOR_ACCOUNT}:user/ops+ci=1,x`,
        ],
      },
    });
  });

  test("the construct refuses two names that would share a Terraform address", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const provider = new AwsProvider(scope, "aws", { alias: "test", region: "eu-west-1" });
        new HumanAccessGroup(scope, "human_access", {
          provider,
          groupName: "readers",
          userNames: ["jane.doe", "jane_dot_doe"],
          targetRoleArn: `arn:aws:iam::${OWNER_ACCOUNT}:role/target`,
        });
      }),
    ).toThrow(
      'userNames[1]: "jane_dot_doe" gets the same Terraform address as userNames[0] "jane.doe"; list each user once',
    );
  });
});

describe("config rules of humanAccess", () => {
  test.each([
    ["a group with users and roles", GROUP_AND_ROLES],
    ["roles only", ROLES_ONLY],
    ["users with email-style names", EMAIL_USERS],
  ])("Compliance: %s", (_what, overrides) => {
    expect(problemMessages(rawConfig(overrides))).toEqual([]);
  });

  test("Noncompliance: users without a group", () => {
    expect(problemMessages(rawConfig({ humanAccess: { userNames: ["alice"] } }))).toEqual([
      'humanAccess.userNames: ["alice"] needs humanAccess.groupName: users get their sts:AssumeRole permission from that group (e.g. "groupName": "shared-data-readers")',
    ]);
  });

  test("Noncompliance: a group without users", () => {
    expect(problemMessages(rawConfig({ humanAccess: { groupName: "readers" } }))).toEqual([
      'humanAccess.groupName: "readers" needs humanAccess.userNames: the trust policy names each user explicitly, because a group cannot be a principal (e.g. "userNames": ["alice"])',
    ]);
    expect(problemPaths(rawConfig({ humanAccess: { groupName: "readers", userNames: [] } }))).toEqual([
      "humanAccess.groupName",
    ]);
  });

  test("Noncompliance: humanAccess that names nobody", () => {
    expect(problemPaths(rawConfig({ humanAccess: {} }))).toEqual(["humanAccess"]);
    expect(problemPaths(rawConfig({ humanAccess: { roleArns: [] } }))).toEqual(["humanAccess"]);
  });

  test("Noncompliance: humanAccess with a direct grant (there is no target role to assume)", () => {
    expect(problemMessages(rawConfig({ accessMode: "direct", ...ROLES_ONLY }))).toEqual([
      `humanAccess: {"roleArns":["${ANALYST_ROLE}"]} needs a target role to assume, which "accessMode": "direct" does not create; use "role-chain"`,
    ]);
  });

  test("Noncompliance: a role ARN in the bucket owner account, naming the accessor account", () => {
    const ownerRole = `arn:aws:iam::${OWNER_ACCOUNT}:role/data-analyst`;
    expect(problemMessages(rawConfig({ humanAccess: { roleArns: [ANALYST_ROLE, ownerRole] } }))).toEqual([
      `humanAccess.roleArns[1]: "${ownerRole}" is in account ${OWNER_ACCOUNT}, but must be in accessor.accountId ${ACCESSOR_ACCOUNT} (e.g. "arn:aws:iam::${ACCESSOR_ACCOUNT}:role/deploy")`,
    ]);
  });

  test("Noncompliance: a user ARN instead of a role ARN", () => {
    expect(
      problemPaths(rawConfig({ humanAccess: { roleArns: [`arn:aws:iam::${ACCESSOR_ACCOUNT}:user/alice`] } })),
    ).toEqual(["humanAccess.roleArns[0]"]);
  });

  test("Noncompliance: the same user twice (IAM user names ignore case)", () => {
    expect(
      problemMessages(rawConfig({ humanAccess: { groupName: "readers", userNames: ["alice", "bob", "Alice"] } })),
    ).toEqual([
      'humanAccess.userNames[2]: "Alice" names the same IAM user as humanAccess.userNames[0] (user names ignore case); list each user once',
    ]);
  });

  test("Noncompliance: bad group and user names, lists that are not lists, unknown keys", () => {
    expect(
      problemPaths(
        rawConfig({ humanAccess: { groupName: "has space", userNames: ["ok", "not/ok"], roleArn: ANALYST_ROLE } }),
      ),
    ).toEqual(["humanAccess.roleArn", "humanAccess.groupName", "humanAccess.userNames[1]"]);
    expect(problemPaths(rawConfig({ humanAccess: { roleArns: ANALYST_ROLE } }))).toEqual([
      "humanAccess.roleArns",
      "humanAccess",
    ]);
  });

  test.each(["shared-data-readers", "a", "g+=,.@_-", "x".repeat(128)])("iamGroupNameRule Compliance: %s", (name) => {
    expect(iamGroupNameRule("humanAccess.groupName", name)).toEqual([]);
  });
  test.each(["", "has space", "a/b", "x".repeat(129)])("iamGroupNameRule Noncompliance: %j", (name) => {
    expect(iamGroupNameRule("humanAccess.groupName", name)).toHaveLength(1);
  });
  test.each(["alice", "jane.doe@example.com", "x".repeat(64)])("iamUserNameRule Compliance: %s", (name) => {
    expect(iamUserNameRule("humanAccess.userNames[0]", name)).toEqual([]);
  });
  test.each(["", "a b", "a/b", "x".repeat(65)])("iamUserNameRule Noncompliance: %j", (name) => {
    expect(iamUserNameRule("humanAccess.userNames[0]", name).map((p) => p.message)).toEqual([
      `humanAccess.userNames[0]: ${JSON.stringify(name)} is not a valid IAM user name: 1 to 64 letters, digits or "+=,.@_-" (e.g. "alice")`,
    ]);
  });
});

describe("stacks built from code check the same rules", () => {
  test("a config object with a role ARN in the wrong account is refused by the bucket owner stack", () => {
    const config = toConfig(rawConfig(ROLES_ONLY));
    const wrong = {
      ...config,
      humanAccess: { ...config.humanAccess!, roleArns: [`arn:aws:iam::${OWNER_ACCOUNT}:role/x`] },
    };
    expect(() => synthApp(wrong)).toThrow(
      `[bucket-owner] humanAccess.roleArns[0]: "arn:aws:iam::${OWNER_ACCOUNT}:role/x" is in account ${OWNER_ACCOUNT}, but must be in accessor.accountId ${ACCESSOR_ACCOUNT}`,
    );
  });
});
