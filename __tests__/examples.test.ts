/**
 * Every config in examples/ loads the way `CROSS_ACCOUNT_CONFIG=examples/<name>.json
 * npx cdktf synth` loads it, synthesizes both stacks, and shows the facts of
 * the mode it demonstrates. A new example without expectations here fails.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import * as path from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { validateConfig } from "../config/validate";
import { sessionManagerStatements } from "./helpers/policy";
import { synthApp, SynthesizedApp, resourceTypes } from "./helpers/synth";
import {
  block,
  exampleNames,
  exampleRawConfig,
  invalidAddresses,
  loadExample,
  onlyProvider,
  ownerOutputRef,
  ownerRemoteState,
  outputPolicy,
  policyOf,
  statementsOf,
  templatedReferenceLists,
  terraformBlock,
} from "./helpers/org-configs";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const EXPECTED_EXAMPLES = [
  "direct-grant",
  "existing-bucket",
  "hcp-terraform",
  "human-users",
  "kms",
  "local-quick-start",
  "s3-backend-deploy-roles",
];

/** Examples of the `accessors` form, pinned in many-consumers.test.ts (each consumer has its own stack). */
const ACCESSOR_LIST_EXAMPLES = ["many-consumers"];

const synths = new Map<string, SynthesizedApp>();
beforeAll(() => {
  for (const name of EXPECTED_EXAMPLES) synths.set(name, synthApp(loadExample(name)));
}, HOOK_TIMEOUT_MS);
const synthOf = (name: string): SynthesizedApp => synths.get(name)!;

test("examples/ holds exactly one config per deployment mode (each pinned below)", () => {
  expect(exampleNames()).toEqual([...EXPECTED_EXAMPLES, ...ACCESSOR_LIST_EXAMPLES].sort());
});

describe.each(EXPECTED_EXAMPLES)("examples/%s.json", (name) => {
  test("validates with no problems", () => {
    expect(validateConfig(exampleRawConfig(name)).problems).toEqual([]);
  });

  test("synthesizes both stacks, each pinned to its own account with an aliased provider", () => {
    const raw = exampleRawConfig(name) as { bucketOwner: { accountId: string }; accessor: { accountId: string } };
    const { ownerSynth, accessorSynth } = synthOf(name);
    expect(ownerSynth).toHaveProviderWithProperties(AwsProvider, {
      alias: "bucket_owner",
      allowed_account_ids: [raw.bucketOwner.accountId],
    });
    expect(accessorSynth).toHaveProviderWithProperties(AwsProvider, {
      alias: "accessor",
      allowed_account_ids: [raw.accessor.accountId],
    });
  });

  test("every resource address is a valid Terraform name", () => {
    const { ownerJson, accessorJson } = synthOf(name);
    expect([...invalidAddresses(ownerJson), ...invalidAddresses(accessorJson)]).toEqual([]);
  });

  test("depends_on and lifecycle lists hold bare references, as Terraform's JSON syntax requires", () => {
    const { ownerJson, accessorJson } = synthOf(name);
    expect([...templatedReferenceLists(ownerJson), ...templatedReferenceLists(accessorJson)]).toEqual([]);
  });
});

describe("local-quick-start: local state, ambient credentials, new bucket, new instance", () => {
  test("both stacks use relative local state, and the accessor reads exactly the owner's file", () => {
    const { ownerJson, accessorJson } = synthOf("local-quick-start");
    const ownerPath = (terraformBlock(ownerJson).backend as { local: { path: string } }).local.path;
    expect(path.isAbsolute(ownerPath)).toBe(false);
    const remote = ownerRemoteState(accessorJson);
    expect(remote.backend).toBe("local");
    const stacksDir = "/checkout/cdktf.out/stacks";
    const readPath = (remote.config as { path: string }).path;
    expect(path.resolve(stacksDir, "accessor", readPath)).toBe(path.resolve(stacksDir, "bucket-owner", ownerPath));
  });

  test("providers use ambient credentials: no profile, no assume_role", () => {
    for (const json of [synthOf("local-quick-start").ownerJson, synthOf("local-quick-start").accessorJson]) {
      expect(onlyProvider(json)).not.toHaveProperty("profile");
      expect(onlyProvider(json)).not.toHaveProperty("assume_role");
    }
  });

  test("creates the bucket, target role, bucket policy, instance role, profile and instance", () => {
    const { ownerJson, accessorJson } = synthOf("local-quick-start");
    expect(resourceTypes(ownerJson)).toEqual([
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_s3_bucket",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
    ]);
    expect(resourceTypes(accessorJson)).toEqual([
      "aws_iam_instance_profile",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_instance",
      "terraform_data",
    ]);
  });
});

describe("s3-backend-deploy-roles: S3 state per stack, a deploy role per account", () => {
  test("each stack has its own S3 state object, encrypted and locked with a lock file", () => {
    const { ownerJson, accessorJson } = synthOf("s3-backend-deploy-roles");
    expect(terraformBlock(ownerJson).backend).toEqual({
      s3: {
        bucket: "example-terraform-state-999988887777",
        key: "cross-account-s3/bucket-owner.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
        assume_role: { role_arn: "arn:aws:iam::999988887777:role/terraform-state-owner" },
      },
    });
    expect(terraformBlock(accessorJson).backend).toEqual({
      s3: {
        bucket: "example-terraform-state-999988887777",
        key: "cross-account-s3/accessor.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
        assume_role: { role_arn: "arn:aws:iam::999988887777:role/terraform-state-accessor" },
      },
    });
  });

  test("the accessor reads the owner's state object with the reader role", () => {
    expect(ownerRemoteState(synthOf("s3-backend-deploy-roles").accessorJson)).toEqual({
      backend: "s3",
      config: {
        bucket: "example-terraform-state-999988887777",
        key: "cross-account-s3/bucket-owner.tfstate",
        region: "eu-west-1",
        encrypt: true,
        assume_role: { role_arn: "arn:aws:iam::999988887777:role/terraform-state-accessor" },
      },
    });
  });

  test("each provider assumes its own account's deploy role", () => {
    const { ownerSynth, accessorSynth } = synthOf("s3-backend-deploy-roles");
    expect(ownerSynth).toHaveProviderWithProperties(AwsProvider, {
      assume_role: [
        {
          role_arn: "arn:aws:iam::111122223333:role/terraform-deploy",
          session_name: "cdktf-cross-account-s3",
          external_id: "platform-ci",
        },
      ],
    });
    expect(onlyProvider(synthOf("s3-backend-deploy-roles").accessorJson).assume_role).toEqual([
      { role_arn: "arn:aws:iam::444455556666:role/terraform-deploy", session_name: "cdktf-cross-account-s3" },
    ]);
    expect(accessorSynth).toHaveProviderWithProperties(AwsProvider, { region: "eu-central-1" });
  });
});

describe("hcp-terraform: a cloud block per stack, CLI profiles for credentials", () => {
  test("each stack runs in its own workspace of the organization", () => {
    const { ownerJson, accessorJson } = synthOf("hcp-terraform");
    expect(terraformBlock(ownerJson).cloud).toEqual({
      organization: "example-platform",
      hostname: "app.terraform.io",
      workspaces: { name: "cross-account-s3-bucket-owner" },
    });
    expect(terraformBlock(accessorJson).cloud).toEqual({
      organization: "example-platform",
      hostname: "app.terraform.io",
      workspaces: { name: "cross-account-s3-accessor" },
    });
    expect(terraformBlock(ownerJson).backend).toBeUndefined();
  });

  test("the accessor reads the owner's workspace outputs", () => {
    expect(ownerRemoteState(synthOf("hcp-terraform").accessorJson)).toEqual({
      backend: "remote",
      config: {
        organization: "example-platform",
        hostname: "app.terraform.io",
        workspaces: { name: "cross-account-s3-bucket-owner" },
      },
    });
  });

  test("each provider reads its own CLI profile", () => {
    const { ownerSynth, accessorSynth } = synthOf("hcp-terraform");
    expect(ownerSynth).toHaveProviderWithProperties(AwsProvider, { profile: "owner-deploy", region: "us-east-1" });
    expect(accessorSynth).toHaveProviderWithProperties(AwsProvider, {
      profile: "accessor-deploy",
      region: "us-east-2",
    });
  });
});

describe("existing-bucket: an existing SSE-KMS bucket and an existing instance role", () => {
  test("the owner stack creates no bucket resource and no bucket policy, only the target role", () => {
    const { ownerJson } = synthOf("existing-bucket");
    expect(resourceTypes(ownerJson)).toEqual(["aws_iam_role", "aws_iam_role_policy"]);
    expect(Object.keys(ownerJson.resource?.aws_iam_role_policy ?? {}).sort()).toEqual([
      "target_role_kms_use",
      "target_role_s3_access",
    ]);
  });

  test("the statements to merge into the bucket's policy are an output", () => {
    const statements = statementsOf(outputPolicy(synthOf("existing-bucket").ownerJson, "bucket_policy_statements"));
    expect(statements.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "BucketLevelAccess", "ObjectLevelAccess"]);
  });

  test("the accessor only adds the inline policy to the named role", () => {
    const { accessorJson } = synthOf("existing-bucket");
    expect(resourceTypes(accessorJson)).toEqual(["aws_iam_role_policy"]);
    expect(block(accessorJson, "aws_iam_role_policy", "instance_role_assume_target_role").role).toBe("archive-indexer");
  });
});

describe("direct-grant: no target role, the bucket policy grants the instance role", () => {
  test("the owner has no IAM role and the bucket policy names the accessor root, narrowed to the instance role", () => {
    const { ownerJson } = synthOf("direct-grant");
    expect(ownerJson.resource?.aws_iam_role).toBeUndefined();
    const grants = statementsOf(policyOf(ownerJson, "aws_s3_bucket_policy", "bucket_policy")).filter(
      (s) => s.Effect === "Allow",
    );
    expect(grants.map((s) => [s.Principal, s.Condition])).toEqual([
      [
        { AWS: "arn:aws:iam::444455556666:root" },
        { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::444455556666:role/direct-share-instance" } },
      ],
      [
        { AWS: "arn:aws:iam::444455556666:root" },
        { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::444455556666:role/direct-share-instance" } },
      ],
    ]);
  });

  test("the instance role's own policy allows the bucket actions on the bucket from remote state", () => {
    const resources = statementsOf(
      policyOf(synthOf("direct-grant").accessorJson, "aws_iam_role_policy", "instance_role_cross_account_s3_access"),
    ).map((s) => s.Resource);
    expect(resources).toEqual([ownerOutputRef("bucket_arn"), `${ownerOutputRef("bucket_arn")}/*`]);
  });
});

describe("human-users: people assume the target role; key prefix; no instance", () => {
  test("the trust policy lists the instance role, both users and the SSO role", () => {
    const [trust] = statementsOf(
      policyOf(synthOf("human-users").ownerJson, "aws_iam_role", "target_role", "assume_role_policy"),
    );
    expect(trust!.Condition).toEqual({
      ArnEquals: {
        "aws:PrincipalArn": [
          "arn:aws:iam::444455556666:role/team-a-instance",
          "arn:aws:iam::444455556666:user/alice",
          "arn:aws:iam::444455556666:user/bob",
          "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataReaders_0123456789abcdef",
        ],
      },
    });
  });

  test("the accessor creates the group and one membership per user, and no instance", () => {
    const { accessorJson, accessorSynth } = synthOf("human-users");
    expect(accessorSynth).toHaveResourceWithProperties(IamGroup, { name: "team-a-readers" });
    expect(Object.keys(accessorJson.resource?.aws_iam_user_group_membership ?? {}).sort()).toEqual([
      "human_access_member_alice",
      "human_access_member_bob",
    ]);
    expect(accessorJson.resource?.aws_instance).toBeUndefined();
    expect(accessorJson.output?.instance_profile_name?.value).toBe("${aws_iam_instance_profile.instance_profile.name}");
  });

  test("access is limited to team-a/", () => {
    const objects = statementsOf(
      policyOf(synthOf("human-users").ownerJson, "aws_iam_role_policy", "target_role_s3_access"),
    )
      .filter((s) => s.Sid === "ObjectLevelAccess")
      .map((s) => s.Resource);
    expect(objects).toEqual(["arn:aws:s3:::example-team-data-111122223333/team-a/*"]);
  });
});

describe("kms: a new SSE-KMS bucket with a customer managed key", () => {
  test("creates the key with rotation, and the bucket encrypts with it", () => {
    const { ownerSynth } = synthOf("kms");
    expect(ownerSynth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(ownerSynth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: "aws:kms",
            kms_master_key_id: "${aws_kms_key.bucket_key.arn}",
          },
          bucket_key_enabled: true,
        },
      ],
    });
  });

  test("the instance in a private subnet is reached with Session Manager: agent actions and a connect command", () => {
    const { accessorJson } = synthOf("kms");
    expect(
      JSON.parse(accessorJson.resource!.aws_iam_role_policy!.instance_role_session_manager!.policy as string),
    ).toEqual({ Version: "2012-10-17", Statement: sessionManagerStatements("${aws_instance.instance.arn}") });
    expect(accessorJson.output!.connect_command!.value).toBe(
      "aws ssm start-session --target ${aws_instance.instance.id} --region eu-west-1",
    );
  });

  test("the Graviton instance type looks up the arm64 image", () => {
    expect(synthOf("kms").accessorJson.data?.aws_ssm_parameter?.instance_ami?.name).toBe(
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    );
  });
});
