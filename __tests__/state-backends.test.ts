/**
 * State backends: local by default, S3 with a key per stack, native
 * lock files (an override: cdktf 0.21's typed S3Backend lacks use_lockfile) or
 * a DynamoDB table, and HCP Terraform workspaces. In every mode the accessor's
 * terraform_remote_state reads exactly where the owner writes, and every
 * provider stays pinned to its account.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import * as path from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  cloudOrganizationRule,
  cloudWorkspaceRule,
  dynamodbTableRule,
  hostnameRule,
  kmsKeyIdRule,
  oneOfRule,
  stateKeyRule,
} from "../config/rules";
import { BACKEND_TYPES } from "../config/backend";
import { ACCESSOR_ACCOUNT, OWNER_ACCOUNT, problemMessages, problemPaths, RawConfig, rawConfig } from "./helpers/config";
import type { SynthesizedApp } from "./helpers/synth";
import {
  onlyProvider,
  ownerOutputRef,
  ownerRemoteState,
  policyOf,
  synthWith,
  terraformBlock,
} from "./helpers/org-configs";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const STATE_BUCKET = "unit-test-terraform-state";
const OWNER_STATE_ROLE = "arn:aws:iam::999988887777:role/state-owner";
const ACCESSOR_STATE_ROLE = "arn:aws:iam::999988887777:role/state-accessor";
const READER_ROLE = "arn:aws:iam::999988887777:role/state-reader";
const STATE_KMS_KEY = "arn:aws:kms:eu-west-1:999988887777:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

const BACKENDS: Record<string, RawConfig> = {
  local: {},
  s3Minimal: { backend: { type: "s3", bucketOwner: { bucket: STATE_BUCKET } } },
  s3Full: {
    backend: {
      type: "s3",
      bucketOwner: {
        bucket: STATE_BUCKET,
        key: "org/bucket-owner.tfstate",
        region: "us-east-1",
        roleArn: OWNER_STATE_ROLE,
        dynamodbTable: "terraform-locks",
        useLockfile: false,
        kmsKeyId: STATE_KMS_KEY,
      },
      accessor: {
        bucket: "unit-test-accessor-state",
        key: "org/accessor.tfstate",
        region: "eu-central-1",
        roleArn: ACCESSOR_STATE_ROLE,
        useLockfile: true,
      },
      ownerStateReaderRoleArn: READER_ROLE,
    },
  },
  s3AccessorRoleReads: {
    backend: {
      type: "s3",
      bucketOwner: { bucket: STATE_BUCKET, roleArn: OWNER_STATE_ROLE },
      accessor: { roleArn: ACCESSOR_STATE_ROLE },
    },
  },
  s3Profiles: {
    backend: {
      type: "s3",
      bucketOwner: { bucket: STATE_BUCKET, profile: "state-owner" },
      accessor: { profile: "state-accessor" },
    },
  },
  s3OwnerRoleReads: {
    backend: {
      type: "s3",
      bucketOwner: { bucket: STATE_BUCKET, roleArn: OWNER_STATE_ROLE, dynamodbTable: "terraform-locks" },
    },
  },
  cloud: {
    backend: {
      type: "cloud",
      organization: "acme-platform",
      bucketOwnerWorkspace: "shared-data-owner",
      accessorWorkspace: "shared-data-accessor",
    },
  },
  enterprise: {
    backend: {
      type: "cloud",
      organization: "acme-platform",
      hostname: "tfe.example.com",
      bucketOwnerWorkspace: "shared-data-owner",
      accessorWorkspace: "shared-data-accessor",
    },
  },
};

const synths: Record<string, SynthesizedApp> = {};
beforeAll(() => {
  for (const [name, overrides] of Object.entries(BACKENDS)) synths[name] = synthWith(overrides);
}, HOOK_TIMEOUT_MS);

describe("local (the default)", () => {
  test("each stack keeps a relative local state file named after it; no S3 or cloud settings", () => {
    const { ownerJson, accessorJson } = synths.local!;
    expect(terraformBlock(ownerJson).backend).toEqual({ local: { path: "../../../terraform.bucket-owner.tfstate" } });
    expect(terraformBlock(accessorJson).backend).toEqual({ local: { path: "../../../terraform.accessor.tfstate" } });
    expect(terraformBlock(ownerJson).cloud).toBeUndefined();
  });

  test("the accessor reads the owner's state file (same file, resolved from each stack's folder)", () => {
    const remote = ownerRemoteState(synths.local!.accessorJson);
    expect(remote).toEqual({ backend: "local", config: { path: "../../../terraform.bucket-owner.tfstate" } });
    const stacks = "/checkouts/cross-account-s3-access/cdktf.out/stacks";
    expect(path.resolve(stacks, "accessor", "../../../terraform.bucket-owner.tfstate")).toBe(
      "/checkouts/cross-account-s3-access/terraform.bucket-owner.tfstate",
    );
  });
});

describe("s3 with only the state bucket given", () => {
  test("each stack has its own key under cross-account-s3-access/, encrypted, with a lock file", () => {
    const { ownerJson, accessorJson } = synths.s3Minimal!;
    expect(terraformBlock(ownerJson).backend).toEqual({
      s3: {
        bucket: STATE_BUCKET,
        key: "cross-account-s3-access/bucket-owner.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(terraformBlock(accessorJson).backend).toEqual({
      s3: {
        bucket: STATE_BUCKET,
        key: "cross-account-s3-access/accessor.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test("the accessor reads exactly the owner's bucket, key and region, with its own credentials", () => {
    expect(ownerRemoteState(synths.s3Minimal!.accessorJson)).toEqual({
      backend: "s3",
      config: {
        bucket: STATE_BUCKET,
        key: "cross-account-s3-access/bucket-owner.tfstate",
        region: "eu-west-1",
        encrypt: true,
      },
    });
  });
});

describe("s3 with every setting", () => {
  test("the owner's state: its key, region, role, DynamoDB lock table and KMS key; no lock file when turned off", () => {
    expect(terraformBlock(synths.s3Full!.ownerJson).backend).toEqual({
      s3: {
        bucket: STATE_BUCKET,
        key: "org/bucket-owner.tfstate",
        region: "us-east-1",
        encrypt: true,
        kms_key_id: STATE_KMS_KEY,
        dynamodb_table: "terraform-locks",
        assume_role: { role_arn: OWNER_STATE_ROLE },
      },
    });
  });

  test("the accessor's state: its own bucket, key, region and role; table and key inherited from the owner's", () => {
    expect(terraformBlock(synths.s3Full!.accessorJson).backend).toEqual({
      s3: {
        bucket: "unit-test-accessor-state",
        key: "org/accessor.tfstate",
        region: "eu-central-1",
        encrypt: true,
        kms_key_id: STATE_KMS_KEY,
        dynamodb_table: "terraform-locks",
        use_lockfile: true,
        assume_role: { role_arn: ACCESSOR_STATE_ROLE },
      },
    });
  });

  test("the accessor reads the owner's object (not its own) with the reader role", () => {
    expect(ownerRemoteState(synths.s3Full!.accessorJson)).toEqual({
      backend: "s3",
      config: {
        bucket: STATE_BUCKET,
        key: "org/bucket-owner.tfstate",
        region: "us-east-1",
        encrypt: true,
        assume_role: { role_arn: READER_ROLE },
      },
    });
  });

  test("without ownerStateReaderRoleArn the accessor's backend credentials read it (here copied from the owner's); lock file and table together", () => {
    const { ownerJson, accessorJson } = synths.s3OwnerRoleReads!;
    expect(terraformBlock(ownerJson).backend).toEqual({
      s3: {
        bucket: STATE_BUCKET,
        key: "cross-account-s3-access/bucket-owner.tfstate",
        region: "eu-west-1",
        encrypt: true,
        dynamodb_table: "terraform-locks",
        use_lockfile: true,
        assume_role: { role_arn: OWNER_STATE_ROLE },
      },
    });
    expect((ownerRemoteState(accessorJson).config as Record<string, unknown>).assume_role).toEqual({
      role_arn: OWNER_STATE_ROLE,
    });
  });
});

describe("s3: whose credentials read the owner's state", () => {
  test("the accessor's own state role reads it, never the owner's state-writing role", () => {
    const { ownerJson, accessorJson } = synths.s3AccessorRoleReads!;
    expect((terraformBlock(ownerJson).backend as { s3: Record<string, unknown> }).s3.assume_role).toEqual({
      role_arn: OWNER_STATE_ROLE,
    });
    expect((ownerRemoteState(accessorJson).config as Record<string, unknown>).assume_role).toEqual({
      role_arn: ACCESSOR_STATE_ROLE,
    });
  });

  test("a CLI profile per state: each backend uses its own, and the hand-off reads with the accessor's", () => {
    const { ownerJson, accessorJson } = synths.s3Profiles!;
    expect((terraformBlock(ownerJson).backend as { s3: Record<string, unknown> }).s3.profile).toBe("state-owner");
    expect((terraformBlock(accessorJson).backend as { s3: Record<string, unknown> }).s3.profile).toBe("state-accessor");
    expect(ownerRemoteState(accessorJson).config).toEqual({
      bucket: STATE_BUCKET,
      key: "cross-account-s3-access/bucket-owner.tfstate",
      region: "eu-west-1",
      encrypt: true,
      profile: "state-accessor",
    });
  });
});

// The release that introduced the newest feature each stack uses: use_lockfile (1.10), the S3 backend's and
// terraform_remote_state's assume_role block (1.6), terraform_data (1.4, the floor).
describe("required_version: the oldest Terraform that reads each stack", () => {
  test.each([
    ["local", ">= 1.4.0", ">= 1.4.0"],
    ["cloud", ">= 1.4.0", ">= 1.4.0"],
    ["s3Minimal", ">= 1.10.0", ">= 1.10.0"],
    ["s3Full", ">= 1.6.0", ">= 1.10.0"],
    ["s3Profiles", ">= 1.10.0", ">= 1.10.0"],
  ])("%s: owner %s, accessor %s", (mode, owner, accessor) => {
    expect(terraformBlock(synths[mode]!.ownerJson).required_version).toBe(owner);
    expect(terraformBlock(synths[mode]!.accessorJson).required_version).toBe(accessor);
  });

  test("a DynamoDB-locked state without roles needs only the floor; its reader role needs the assume_role block", () => {
    const tableOnly = { type: "s3", bucketOwner: { bucket: STATE_BUCKET, useLockfile: false, dynamodbTable: "locks" } };
    const plain = synthWith({ backend: tableOnly });
    expect(terraformBlock(plain.ownerJson).required_version).toBe(">= 1.4.0");
    expect(terraformBlock(plain.accessorJson).required_version).toBe(">= 1.4.0");
    const withReader = synthWith({ backend: { ...tableOnly, ownerStateReaderRoleArn: READER_ROLE } });
    expect(terraformBlock(withReader.ownerJson).required_version).toBe(">= 1.4.0");
    expect(terraformBlock(withReader.accessorJson).required_version).toBe(">= 1.6.0");
  });
});

describe("cloud (HCP Terraform / Terraform Enterprise)", () => {
  test("each stack has a cloud block with the organization and its own workspace, and no backend", () => {
    const { ownerJson, accessorJson } = synths.cloud!;
    expect(terraformBlock(ownerJson).cloud).toEqual({
      organization: "acme-platform",
      hostname: "app.terraform.io",
      workspaces: { name: "shared-data-owner" },
    });
    expect(terraformBlock(accessorJson).cloud).toEqual({
      organization: "acme-platform",
      hostname: "app.terraform.io",
      workspaces: { name: "shared-data-accessor" },
    });
    expect(terraformBlock(ownerJson).backend).toBeUndefined();
    expect(terraformBlock(accessorJson).backend).toBeUndefined();
  });

  test("the hand-off reads the owner's workspace through the remote backend", () => {
    expect(ownerRemoteState(synths.cloud!.accessorJson)).toEqual({
      backend: "remote",
      config: {
        organization: "acme-platform",
        hostname: "app.terraform.io",
        workspaces: { name: "shared-data-owner" },
      },
    });
  });

  test("a Terraform Enterprise host is used by both the cloud blocks and the hand-off", () => {
    const { ownerJson, accessorJson } = synths.enterprise!;
    expect((terraformBlock(ownerJson).cloud as Record<string, unknown>).hostname).toBe("tfe.example.com");
    expect((terraformBlock(accessorJson).cloud as Record<string, unknown>).hostname).toBe("tfe.example.com");
    expect((ownerRemoteState(accessorJson).config as Record<string, unknown>).hostname).toBe("tfe.example.com");
  });
});

describe.each(Object.keys(BACKENDS))("in backend mode %s", (mode) => {
  test("allowed_account_ids stays pinned on both providers", () => {
    const { ownerSynth, accessorSynth, ownerJson, accessorJson } = synths[mode]!;
    expect(ownerSynth).toHaveProviderWithProperties(AwsProvider, {
      alias: "bucket_owner",
      allowed_account_ids: [OWNER_ACCOUNT],
    });
    expect(accessorSynth).toHaveProviderWithProperties(AwsProvider, {
      alias: "accessor",
      allowed_account_ids: [ACCESSOR_ACCOUNT],
    });
    expect(onlyProvider(ownerJson).allowed_account_ids).toEqual([OWNER_ACCOUNT]);
    expect(onlyProvider(accessorJson).allowed_account_ids).toEqual([ACCESSOR_ACCOUNT]);
  });

  test("the instance role assumes the target role ARN read from the owner's state", () => {
    const policy = policyOf(synths[mode]!.accessorJson, "aws_iam_role_policy", "instance_role_assume_target_role");
    expect(policy.Statement).toEqual([
      {
        Sid: "AssumeTargetRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: ownerOutputRef("target_role_arn"),
      },
    ]);
  });
});

describe("config rules of the backend section", () => {
  const s3 = (bucketOwner: RawConfig, extra: RawConfig = {}): RawConfig =>
    rawConfig({ backend: { type: "s3", bucketOwner: { bucket: STATE_BUCKET, ...bucketOwner }, ...extra } });

  test.each(Object.entries(BACKENDS))("Compliance: %s", (_name, overrides) => {
    expect(problemMessages(rawConfig(overrides))).toEqual([]);
  });

  test("Compliance: an explicit local backend", () => {
    expect(problemMessages(rawConfig({ backend: { type: "local" } }))).toEqual([]);
  });

  test("Noncompliance: an unknown backend type", () => {
    expect(problemMessages(rawConfig({ backend: { type: "gcs" } }))).toEqual([
      'backend.type: "gcs" must be one of "local", "s3", "cloud" (e.g. "local")',
    ]);
    expect(BACKEND_TYPES).toEqual(["local", "s3", "cloud"]);
  });

  test("Noncompliance: backend is not an object", () => {
    expect(problemPaths(rawConfig({ backend: "s3" }))).toEqual(["backend"]);
  });

  test("Noncompliance: a local backend with settings it does not take", () => {
    expect(problemMessages(rawConfig({ backend: { type: "local", path: "x.tfstate" } }))).toEqual([
      "backend.path: unknown key; known keys here: type",
    ]);
  });

  test("Noncompliance: s3 without the owner's state, or without its bucket", () => {
    expect(problemMessages(rawConfig({ backend: { type: "s3" } }))).toEqual([
      'backend.bucketOwner: (missing) is required: an object (e.g. {"bucket": "example-terraform-state", "key": "shared/bucket-owner.tfstate"})',
    ]);
    expect(problemPaths(rawConfig({ backend: { type: "s3", bucketOwner: { key: "a.tfstate" } } }))).toEqual([
      "backend.bucketOwner.bucket",
    ]);
  });

  test("Noncompliance: both stacks on the same state object, naming the accessor's key", () => {
    const raw = s3({ key: "shared.tfstate" }, { accessor: { key: "shared.tfstate" } });
    expect(problemMessages(raw)).toEqual([
      'backend.accessor.key: "shared.tfstate" is the bucket owner stack\'s state object too; each stack needs its own key (e.g. "cross-account-s3-access/accessor.tfstate")',
    ]);
  });

  test("Noncompliance: the shared object is reported together with problems elsewhere in the config", () => {
    const raw = { ...s3({ key: "shared.tfstate" }, { accessor: { key: "shared.tfstate" } }), accessLevel: "admin" };
    expect(problemPaths(raw)).toEqual(["accessLevel", "backend.accessor.key"]);
  });

  test("Noncompliance: a state with neither a lock file nor a lock table", () => {
    expect(problemMessages(s3({ useLockfile: false }))).toEqual([
      'backend.bucketOwner.useLockfile: false leaves this state without a lock, so two deploys at once can corrupt it (the accessor\'s state copies these settings unless it sets its own); keep true (the default, Terraform >= 1.10) or set dynamodbTable (e.g. "terraform-locks")',
    ]);
    expect(problemPaths(s3({}, { accessor: { useLockfile: false } }))).toEqual(["backend.accessor.useLockfile"]);
  });

  test("Compliance: no lock file but a DynamoDB table; a bad profile name is named", () => {
    expect(problemMessages(s3({ useLockfile: false, dynamodbTable: "terraform-locks" }))).toEqual([]);
    expect(problemPaths(s3({ profile: "has space" }))).toEqual(["backend.bucketOwner.profile"]);
  });

  test("Compliance: the same key in two different state buckets", () => {
    expect(
      problemMessages(
        s3({ key: "shared.tfstate" }, { accessor: { bucket: "other-state-bucket", key: "shared.tfstate" } }),
      ),
    ).toEqual([]);
  });

  test.each([
    ["key", "/abs/state.tfstate", "backend.bucketOwner.key"],
    ["key", "has space.tfstate", "backend.bucketOwner.key"],
    ["region", "eu-westish-1", "backend.bucketOwner.region"],
    ["roleArn", "arn:aws:iam::999988887777:user/state", "backend.bucketOwner.roleArn"],
    ["dynamodbTable", "ab", "backend.bucketOwner.dynamodbTable"],
    ["useLockfile", "yes", "backend.bucketOwner.useLockfile"],
    ["kmsKeyId", "my-key", "backend.bucketOwner.kmsKeyId"],
    ["bucket", "Not_A_Bucket", "backend.bucketOwner.bucket"],
    ["lockTable", "terraform-locks", "backend.bucketOwner.lockTable"],
  ])("Noncompliance: backend.bucketOwner.%s = %j", (field, value, expectedPath) => {
    expect(new Set(problemPaths(s3({ [field]: value })))).toEqual(new Set([expectedPath]));
  });

  test("Noncompliance: a bad accessor state setting and reader role, each naming its path", () => {
    const raw = s3({}, { accessor: { key: "/x" }, ownerStateReaderRoleArn: "reader" });
    expect(problemPaths(raw)).toEqual(["backend.accessor.key", "backend.ownerStateReaderRoleArn"]);
  });

  test("Noncompliance: cloud without organization or workspaces", () => {
    expect(problemPaths(rawConfig({ backend: { type: "cloud" } }))).toEqual([
      "backend.organization",
      "backend.bucketOwnerWorkspace",
      "backend.accessorWorkspace",
    ]);
  });

  test("Noncompliance: both stacks in one workspace", () => {
    const raw = rawConfig({
      backend: { type: "cloud", organization: "acme", bucketOwnerWorkspace: "shared", accessorWorkspace: "shared" },
    });
    expect(problemMessages(raw)).toEqual([
      'backend.accessorWorkspace: "shared" is the same workspace as backend.bucketOwnerWorkspace; each stack needs its own workspace (e.g. "cross-account-s3-accessor")',
    ]);
  });

  test("Noncompliance: cloud with an s3-only key, a bad host and a bad workspace", () => {
    const raw = rawConfig({
      backend: {
        type: "cloud",
        organization: "acme",
        hostname: "https://tfe.example.com",
        bucketOwnerWorkspace: "owner workspace",
        accessorWorkspace: "accessor",
        bucketOwner: { bucket: STATE_BUCKET },
      },
    });
    expect(problemPaths(raw)).toEqual(["backend.bucketOwner", "backend.hostname", "backend.bucketOwnerWorkspace"]);
  });
});

describe("rules used by the backend section", () => {
  const messages = (rule: (p: string, v: unknown) => { message: string }[], value: unknown) =>
    rule("field", value).map((p) => p.message);

  test.each(["cross-account-s3-access/bucket-owner.tfstate", "a", "env/prod/x.tfstate"])(
    "stateKeyRule Compliance: %s",
    (v) => {
      expect(messages(stateKeyRule, v)).toEqual([]);
    },
  );
  test.each(["", "/leading", "with space", "x".repeat(1025)])("stateKeyRule Noncompliance: %j", (v) => {
    expect(messages(stateKeyRule, v)).toEqual([
      `field: ${JSON.stringify(v).length > 80 ? `${JSON.stringify(v).slice(0, 77)}...` : JSON.stringify(v)} is not a usable state object key: 1 to 1024 characters, no spaces, not starting with "/" (e.g. "cross-account-s3-access/bucket-owner.tfstate")`,
    ]);
  });

  test.each(["terraform-locks", "a_b.c", "abc"])("dynamodbTableRule Compliance: %s", (v) => {
    expect(messages(dynamodbTableRule, v)).toEqual([]);
  });
  test.each(["ab", "has space", "x".repeat(256)])("dynamodbTableRule Noncompliance: %j", (v) => {
    expect(messages(dynamodbTableRule, v)).toHaveLength(1);
  });

  // What Terraform 1.11's S3 backend accepts at init, checked with terraform init against each value.
  test.each([
    STATE_KMS_KEY,
    "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    "mrk-f827515944fb43f9b902a09d2c8b554f",
    "arn:aws:kms:eu-west-1:999988887777:key/mrk-f827515944fb43f9b902a09d2c8b554f",
    "alias/terraform-state",
    "arn:aws:kms:eu-west-1:999988887777:alias/terraform-state",
  ])("kmsKeyIdRule Compliance: %s", (v) => {
    expect(messages(kmsKeyIdRule, v)).toEqual([]);
  });
  test.each([
    "my-key",
    "arn:aws:kms:eu-west-1:9999:key/x",
    "arn:aws:s3:::bucket",
    // AWS's documentation example: not a version 1-5 UUID, so terraform init fails with "Invalid KMS Key ID".
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:eu-west-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  ])("kmsKeyIdRule Noncompliance: %s", (v) => {
    expect(messages(kmsKeyIdRule, v)).toEqual([
      `field: ${JSON.stringify(v)} is not a KMS key id, key ARN or alias that Terraform's S3 backend accepts (e.g. "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")`,
    ]);
  });

  test.each(["acme-platform", "A_1"])("cloudOrganizationRule Compliance: %s", (v) => {
    expect(messages(cloudOrganizationRule, v)).toEqual([]);
  });
  test.each(["acme platform", "acme.platform", "", "x".repeat(65)])("cloudOrganizationRule Noncompliance: %j", (v) => {
    expect(messages(cloudOrganizationRule, v)).toHaveLength(1);
  });

  test.each(["cross-account-s3-bucket-owner", "ws_1"])("cloudWorkspaceRule Compliance: %s", (v) => {
    expect(messages(cloudWorkspaceRule, v)).toEqual([]);
  });
  test.each(["ws 1", "ws/1", "", "x".repeat(91)])("cloudWorkspaceRule Noncompliance: %j", (v) => {
    expect(messages(cloudWorkspaceRule, v)).toHaveLength(1);
  });

  test.each(["app.terraform.io", "tfe.example.com", "tfe.internal.example.co.uk"])(
    "hostnameRule Compliance: %s",
    (v) => {
      expect(messages(hostnameRule, v)).toEqual([]);
    },
  );
  test.each(["https://app.terraform.io", "localhost", "tfe.example.com/", "TFE.example.com"])(
    "hostnameRule Noncompliance: %s",
    (v) => {
      expect(messages(hostnameRule, v)).toEqual([
        `field: ${JSON.stringify(v)} is not a host name (e.g. "app.terraform.io")`,
      ]);
    },
  );

  test("oneOfRule: Compliance for a listed value, Noncompliance naming the choices", () => {
    expect(messages(oneOfRule(["a", "b"]), "b")).toEqual([]);
    expect(messages(oneOfRule(["a", "b"]), "c")).toEqual(['field: "c" must be one of "a", "b" (e.g. "a")']);
    expect(messages(oneOfRule(["a", "b"]), 1)).toEqual(['field: 1 must be one of "a", "b" (e.g. "a")']);
  });
});
