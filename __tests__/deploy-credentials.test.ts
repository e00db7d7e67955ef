/**
 * Deploy credentials per account: each provider takes an AWS CLI
 * profile and/or a deploy role (ARN, session name, external id), so one
 * `cdktf deploy '*'` reaches both accounts; allowed_account_ids stays pinned
 * whatever the credentials, and a deploy role in the wrong account is refused
 * at config time.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { externalIdRule, roleArnRule, sessionNameRule } from "../config/rules";
import { ACCESSOR_ACCOUNT, OWNER_ACCOUNT, problemMessages, problemPaths, RawConfig, rawConfig } from "./helpers/config";
import type { SynthesizedApp } from "./helpers/synth";
import { onlyProvider, synthWith } from "./helpers/org-configs";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const OWNER_DEPLOY_ROLE = `arn:aws:iam::${OWNER_ACCOUNT}:role/terraform-deploy`;
const ACCESSOR_DEPLOY_ROLE = `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/ci/terraform-deploy`;

const owner = (extra: RawConfig): RawConfig => ({
  bucketOwner: { accountId: OWNER_ACCOUNT, region: "eu-west-1", ...extra },
});
const accessor = (extra: RawConfig): RawConfig => ({
  accessor: { accountId: ACCESSOR_ACCOUNT, region: "eu-central-1", ...extra },
});

const CONFIGS: Record<string, RawConfig> = {
  ambient: {},
  profiles: { ...owner({ profile: "owner-admin" }), ...accessor({ profile: "accessor-admin" }) },
  deployRoles: {
    ...owner({
      assumeRole: { roleArn: OWNER_DEPLOY_ROLE, sessionName: "cdktf-deploy", externalId: "platform-ci-7f3a" },
    }),
    ...accessor({ assumeRole: { roleArn: ACCESSOR_DEPLOY_ROLE } }),
  },
  profileThenRole: {
    ...owner({ profile: "sso-hub", assumeRole: { roleArn: OWNER_DEPLOY_ROLE, sessionName: "laptop" } }),
    ...accessor({ profile: "accessor-admin" }),
  },
};

const synths: Record<string, SynthesizedApp> = {};
beforeAll(() => {
  for (const [name, overrides] of Object.entries(CONFIGS)) synths[name] = synthWith(overrides);
}, HOOK_TIMEOUT_MS);

describe("provider credentials", () => {
  test("ambient: neither provider names a profile or a role", () => {
    for (const json of [synths.ambient!.ownerJson, synths.ambient!.accessorJson]) {
      expect(onlyProvider(json)).not.toHaveProperty("profile");
      expect(onlyProvider(json)).not.toHaveProperty("assume_role");
    }
  });

  test("profiles: each provider reads its own account's profile", () => {
    const { ownerSynth, accessorSynth, ownerJson, accessorJson } = synths.profiles!;
    expect(ownerSynth).toHaveProviderWithProperties(AwsProvider, { alias: "bucket_owner", profile: "owner-admin" });
    expect(accessorSynth).toHaveProviderWithProperties(AwsProvider, { alias: "accessor", profile: "accessor-admin" });
    expect(onlyProvider(ownerJson)).not.toHaveProperty("assume_role");
    expect(onlyProvider(accessorJson)).not.toHaveProperty("assume_role");
  });

  test("deploy roles: role ARN, session name and external id on the owner's provider", () => {
    const { ownerSynth, ownerJson } = synths.deployRoles!;
    expect(ownerSynth).toHaveProviderWithProperties(AwsProvider, {
      assume_role: [{ role_arn: OWNER_DEPLOY_ROLE, session_name: "cdktf-deploy", external_id: "platform-ci-7f3a" }],
    });
    expect(onlyProvider(ownerJson).assume_role).toEqual([
      { role_arn: OWNER_DEPLOY_ROLE, session_name: "cdktf-deploy", external_id: "platform-ci-7f3a" },
    ]);
    expect(onlyProvider(ownerJson)).not.toHaveProperty("profile");
  });

  test("deploy roles: only the role ARN on the accessor's provider when nothing else is set", () => {
    expect(onlyProvider(synths.deployRoles!.accessorJson).assume_role).toEqual([{ role_arn: ACCESSOR_DEPLOY_ROLE }]);
  });

  test("a profile and a role: the profile's credentials assume the role", () => {
    const provider = onlyProvider(synths.profileThenRole!.ownerJson);
    expect(provider.profile).toBe("sso-hub");
    expect(provider.assume_role).toEqual([{ role_arn: OWNER_DEPLOY_ROLE, session_name: "laptop" }]);
    expect(onlyProvider(synths.profileThenRole!.accessorJson)).not.toHaveProperty("assume_role");
  });

  test.each(Object.keys(CONFIGS))("%s: allowed_account_ids pins each provider to its account", (name) => {
    expect(onlyProvider(synths[name]!.ownerJson)).toMatchObject({
      alias: "bucket_owner",
      allowed_account_ids: [OWNER_ACCOUNT],
    });
    expect(onlyProvider(synths[name]!.accessorJson)).toMatchObject({
      alias: "accessor",
      allowed_account_ids: [ACCESSOR_ACCOUNT],
    });
  });

  test("the deploy credentials never reach the state backend or the resources", () => {
    const { ownerSynth, accessorSynth } = synths.deployRoles!;
    for (const synth of [ownerSynth, accessorSynth]) {
      const withoutProvider = JSON.stringify({ ...JSON.parse(synth), provider: undefined });
      expect(withoutProvider).not.toContain("terraform-deploy");
    }
  });
});

describe("config rules of deploy credentials", () => {
  test.each(Object.entries(CONFIGS))("Compliance: %s", (_name, overrides) => {
    expect(problemMessages(rawConfig(overrides))).toEqual([]);
  });

  test("Noncompliance: the owner's deploy role is in the accessor account, naming the field and the account", () => {
    const raw = rawConfig(owner({ assumeRole: { roleArn: `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/terraform-deploy` } }));
    expect(problemMessages(raw)).toEqual([
      `bucketOwner.assumeRole.roleArn: "arn:aws:iam::${ACCESSOR_ACCOUNT}:role/terraform-deploy" is in account ${ACCESSOR_ACCOUNT}, but must be in bucketOwner.accountId ${OWNER_ACCOUNT} (e.g. "arn:aws:iam::${OWNER_ACCOUNT}:role/deploy")`,
    ]);
  });

  test("Noncompliance: the accessor's deploy role is in the owner account", () => {
    const raw = rawConfig(accessor({ assumeRole: { roleArn: OWNER_DEPLOY_ROLE } }));
    expect(problemPaths(raw)).toEqual(["accessor.assumeRole.roleArn"]);
    expect(problemMessages(raw)[0]).toContain(`must be in accessor.accountId ${ACCESSOR_ACCOUNT}`);
  });

  test("Noncompliance: the deploy role is in another partition than the account's region", () => {
    const roleArn = `arn:aws-us-gov:iam::${OWNER_ACCOUNT}:role/terraform-deploy`;
    expect(problemMessages(rawConfig(owner({ assumeRole: { roleArn } })))).toEqual([
      `bucketOwner.assumeRole.roleArn: ${JSON.stringify(roleArn)} is in partition "aws-us-gov", but region eu-west-1 is in "aws"; a role is only reachable within its partition (e.g. "arn:aws:iam::${OWNER_ACCOUNT}:role/deploy")`,
    ]);
  });

  test("Noncompliance: a deploy role without a role ARN", () => {
    expect(problemMessages(rawConfig(owner({ assumeRole: { sessionName: "cdktf" } })))).toEqual([
      `bucketOwner.assumeRole.roleArn: (missing) is required: a string (e.g. "arn:aws:iam::${OWNER_ACCOUNT}:role/deploy")`,
    ]);
  });

  test.each([
    ["a user ARN", `arn:aws:iam::${OWNER_ACCOUNT}:user/deploy`],
    ["a role name", "terraform-deploy"],
    ["an assumed-role ARN", `arn:aws:sts::${OWNER_ACCOUNT}:assumed-role/deploy/session`],
  ])("Noncompliance: the deploy role is %s", (_what, roleArn) => {
    expect(problemMessages(rawConfig(owner({ assumeRole: { roleArn } })))).toEqual([
      `bucketOwner.assumeRole.roleArn: ${JSON.stringify(roleArn)} is not an IAM role ARN (e.g. "arn:aws:iam::${OWNER_ACCOUNT}:role/deploy")`,
    ]);
  });

  test("Noncompliance: assumeRole is not an object, or has an unknown key", () => {
    expect(problemPaths(rawConfig(owner({ assumeRole: OWNER_DEPLOY_ROLE })))).toEqual(["bucketOwner.assumeRole"]);
    expect(problemMessages(rawConfig(owner({ assumeRole: { roleArn: OWNER_DEPLOY_ROLE, externalID: "x1" } })))).toEqual(
      ['bucketOwner.assumeRole.externalID: unknown key; did you mean "externalId"?'],
    );
  });

  test("Noncompliance: a misspelt account key, with the closest known key", () => {
    expect(problemMessages(rawConfig(owner({ profle: "owner-admin" })))).toEqual([
      'bucketOwner.profle: unknown key; did you mean "profile"?',
    ]);
  });

  test.each(["a", "has space", "x".repeat(65), "semi;colon"])("Noncompliance: session name %j", (sessionName) => {
    expect(problemPaths(rawConfig(owner({ assumeRole: { roleArn: OWNER_DEPLOY_ROLE, sessionName } })))).toEqual([
      "bucketOwner.assumeRole.sessionName",
    ]);
  });

  test.each(["x", "has space", "x".repeat(1225), "semi;colon"])("Noncompliance: external id %j", (externalId) => {
    expect(problemPaths(rawConfig(accessor({ assumeRole: { roleArn: ACCESSOR_DEPLOY_ROLE, externalId } })))).toEqual([
      "accessor.assumeRole.externalId",
    ]);
  });

  test.each(["has space", "", "x".repeat(65), "a/b"])("Noncompliance: profile %j", (profile) => {
    expect(problemPaths(rawConfig(accessor({ profile })))).toEqual(["accessor.profile"]);
  });
});

describe("rules used by deploy credentials", () => {
  const messages = (rule: (p: string, v: unknown) => { message: string }[], value: unknown) =>
    rule("field", value).map((p) => p.message);

  test.each([
    OWNER_DEPLOY_ROLE,
    `arn:aws:iam::${OWNER_ACCOUNT}:role/path/to/deploy`,
    `arn:aws-us-gov:iam::${OWNER_ACCOUNT}:role/deploy`,
    `arn:aws-cn:iam::${OWNER_ACCOUNT}:role/Deploy+Role=1,x.y@z-w`,
  ])("roleArnRule Compliance: %s", (v) => {
    expect(messages(roleArnRule(OWNER_ACCOUNT, "bucketOwner.accountId"), v)).toEqual([]);
  });

  test("roleArnRule without an account accepts any account", () => {
    expect(messages(roleArnRule(), `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/x`)).toEqual([]);
  });

  test.each([
    `arn:aws:iam::${OWNER_ACCOUNT}:role/`,
    `arn:aws:iam::${OWNER_ACCOUNT}:role/${"x".repeat(65)}`,
    `arn:aws:iam::1111:role/deploy`,
    `arn:aws:iam::${OWNER_ACCOUNT}:role/has space`,
  ])("roleArnRule Noncompliance: %s", (v) => {
    expect(messages(roleArnRule(OWNER_ACCOUNT, "bucketOwner.accountId"), v)).toHaveLength(1);
  });

  test.each(["ab", "cdktf-deploy", "a+b=c,d.e@f_g-h", "x".repeat(64)])("sessionNameRule Compliance: %s", (v) => {
    expect(messages(sessionNameRule, v)).toEqual([]);
  });
  test("sessionNameRule Noncompliance: the standard message", () => {
    expect(messages(sessionNameRule, "a")).toEqual([
      'field: "a" is not a valid role session name: 2 to 64 letters, digits or "+=,.@_-" (e.g. "cdktf-deploy")',
    ]);
  });

  test.each(["ab", "deploy-7f3a", "urn:x/y=z", "x".repeat(1224)])("externalIdRule Compliance: %s", (v) => {
    expect(messages(externalIdRule, v)).toEqual([]);
  });
  test("externalIdRule Noncompliance: the standard message", () => {
    expect(messages(externalIdRule, "a b")).toEqual([
      'field: "a b" is not a valid external id: 2 to 1224 letters, digits or "+=,.@:/_-" (e.g. "deploy-7f3a")',
    ]);
  });
});
