/**
 * SSE-KMS with a customer managed key in the owner account (issue 6): rotation
 * on, a deletion window, an alias; a key policy where the owner account
 * administers the key and the target role only uses it through S3, for its
 * access level; the bucket encrypting with it and an S3 Bucket Key; the
 * target role's own `kms-use` policy; and the key created after the role
 * (KMS rejects a key policy naming a principal that does not exist yet).
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import fc from "fast-check";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import type { AccessLevel } from "../config/types";
import { kmsAliasName } from "../modules/bucket-kms-key";
import { ACCESS_LEVELS, BUCKET_NAME, OWNER_ACCOUNT, problemMessages, rawConfig } from "./helpers/config";
import { allActions } from "./helpers/policy";
import type { SynthesizedApp } from "./helpers/synth";
import {
  block,
  OWNER_ADMINISTERS_KEY,
  ownerOutputRef,
  policyOf,
  statementsOf,
  synthWith,
  TARGET_ROLE_ARN,
} from "./helpers/org-configs";

const KEY_ARN_REF = "${aws_kms_key.bucket_key.arn}";
const VIA_S3 = { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } };
const KMS_ACTIONS: Record<AccessLevel, string[]> = {
  "read-only": ["kms:Decrypt"],
  "read-write": ["kms:Decrypt", "kms:GenerateDataKey"],
  full: ["kms:Decrypt", "kms:GenerateDataKey"],
};
const EXISTING_KEY = `arn:aws:kms:eu-west-1:${OWNER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const byLevel = {} as Record<AccessLevel, SynthesizedApp>;
let sseS3: SynthesizedApp;
let existingKey: SynthesizedApp;
beforeAll(() => {
  for (const level of ACCESS_LEVELS)
    byLevel[level] = synthWith({ accessLevel: level, bucket: { encryption: "SSE-KMS" } });
  sseS3 = synthWith({});
  existingKey = synthWith({ accessLevel: "read-write", bucket: { existing: true, kmsKeyArn: EXISTING_KEY } });
});

describe("the customer managed key", () => {
  test("rotation on, a 30-day deletion window, in the owner account", () => {
    const { ownerSynth } = byLevel["read-only"];
    expect(ownerSynth).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      description: `Encrypts objects in s3://${BUCKET_NAME}`,
      provider: "aws.bucket_owner",
    });
  });

  test("an alias named after the bucket points at the key", () => {
    expect(byLevel["read-only"].ownerSynth).toHaveResourceWithProperties(KmsAlias, {
      name: `alias/s3/${BUCKET_NAME}`,
      target_key_id: "${aws_kms_key.bucket_key.key_id}",
      provider: "aws.bucket_owner",
    });
  });

  test("a bucket name with dots gets a valid alias (dots become underscores, which bucket names never hold)", () => {
    const dotted = synthWith({ bucket: { name: "data.example.com", encryption: "SSE-KMS" } });
    expect(block(dotted.ownerJson, "aws_kms_alias", "bucket_key_alias").name).toBe("alias/s3/data_example_com");
  });

  test("every valid bucket name maps to a distinct alias the provider accepts", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/), { minLength: 2, maxLength: 2 }),
        (names) => {
          const aliases = names.map(kmsAliasName);
          // The provider's rule for aws_kms_alias.name (terraform-provider-aws, internal/service/kms/validate.go).
          for (const alias of aliases) expect(alias).toMatch(/^alias\/[0-9A-Za-z_/-]+$/);
          expect(aliases[0]).not.toBe(aliases[1]);
        },
      ),
      { seed: 20261130, numRuns: 200 },
    );
  });

  test("key and alias have prevent_destroy, like the bucket: the key is the only way to read the kept objects", () => {
    const { ownerJson } = byLevel["read-only"];
    expect(block(ownerJson, "aws_kms_key", "bucket_key").lifecycle).toEqual({ prevent_destroy: true });
    expect(block(ownerJson, "aws_kms_alias", "bucket_key_alias").lifecycle).toEqual({ prevent_destroy: true });
  });

  test("the key does not wait for the target role: its policy names the owner root narrowed by ArnEquals", () => {
    expect(block(byLevel["read-only"].ownerJson, "aws_kms_key", "bucket_key").depends_on).toBeUndefined();
  });

  test("the owner outputs the key's ARN", () => {
    expect(byLevel["read-only"].ownerJson.output?.kms_key_arn).toMatchObject({ value: KEY_ARN_REF });
  });
});

describe.each(ACCESS_LEVELS)("key policy and role permissions, %s", (level) => {
  test("key policy: owner root administers; the target role uses the key only through S3, for its level", () => {
    expect(statementsOf(policyOf(byLevel[level].ownerJson, "aws_kms_key", "bucket_key"))).toEqual([
      OWNER_ADMINISTERS_KEY,
      {
        Sid: "BucketAccessorUsesKeyThroughS3",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:root` },
        Action: KMS_ACTIONS[level],
        Resource: "*",
        Condition: { ...VIA_S3, ArnEquals: { "aws:PrincipalArn": TARGET_ROLE_ARN } },
      },
    ]);
  });

  test("the target role's separate kms-use policy: the same actions on exactly this key, through S3", () => {
    const { ownerJson } = byLevel[level];
    expect(block(ownerJson, "aws_iam_role_policy", "target_role_kms_use")).toMatchObject({
      name: "kms-use",
      role: "${aws_iam_role.target_role.name}",
    });
    expect(statementsOf(policyOf(ownerJson, "aws_iam_role_policy", "target_role_kms_use"))).toEqual([
      {
        Sid: "UseBucketKeyThroughS3",
        Effect: "Allow",
        Action: KMS_ACTIONS[level],
        Resource: KEY_ARN_REF,
        Condition: VIA_S3,
      },
    ]);
  });

  test("the s3-access policy holds no KMS permission (it exists before the key)", () => {
    const actions = allActions(policyOf(byLevel[level].ownerJson, "aws_iam_role_policy", "target_role_s3_access"));
    expect(actions.filter((action) => action.startsWith("kms:"))).toEqual([]);
  });

  test("the accessor side is still only sts:AssumeRole on the target role", () => {
    expect(
      statementsOf(policyOf(byLevel[level].accessorJson, "aws_iam_role_policy", "instance_role_assume_target_role")),
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

test("read-only never gets kms:GenerateDataKey (it would let the role write encrypted objects)", () => {
  const { ownerJson } = byLevel["read-only"];
  for (const policy of [
    policyOf(ownerJson, "aws_kms_key", "bucket_key"),
    policyOf(ownerJson, "aws_iam_role_policy", "target_role_kms_use"),
  ]) {
    expect(allActions(policy)).not.toContain("kms:GenerateDataKey");
  }
});

describe("bucket encryption", () => {
  test("SSE-KMS: aws:kms with the key, and an S3 Bucket Key", () => {
    expect(byLevel["read-write"].ownerSynth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: "${aws_s3_bucket.bucket.id}",
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY_ARN_REF },
          bucket_key_enabled: true,
        },
      ],
    });
  });

  test("SSE-S3 (the default): AES256, no key, no kms-use policy, no kms_key_arn output", () => {
    const { ownerJson, ownerSynth } = sseS3;
    expect(ownerSynth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
    expect(ownerJson.resource?.aws_kms_key).toBeUndefined();
    expect(ownerJson.resource?.aws_kms_alias).toBeUndefined();
    expect(Object.keys(ownerJson.resource?.aws_iam_role_policy ?? {})).toEqual(["target_role_s3_access"]);
    expect(ownerJson.output).not.toHaveProperty("kms_key_arn");
  });
});

describe("an existing bucket's key (bucket.kmsKeyArn)", () => {
  test("no key is created; the target role may use the given key through S3", () => {
    const { ownerJson } = existingKey;
    expect(ownerJson.resource?.aws_kms_key).toBeUndefined();
    expect(statementsOf(policyOf(ownerJson, "aws_iam_role_policy", "target_role_kms_use"))).toEqual([
      {
        Sid: "UseBucketKeyThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: EXISTING_KEY,
        Condition: VIA_S3,
      },
    ]);
    expect(ownerJson.output?.kms_key_arn?.value).toBe(EXISTING_KEY);
  });
});

describe("config rule: bucket.encryption", () => {
  test.each(["SSE-S3", "SSE-KMS"])("Compliance: %s", (encryption) => {
    expect(problemMessages(rawConfig({ bucket: { encryption } }))).toEqual([]);
  });

  test.each([
    ["aws:kms", "SSE-KMS"],
    ["AES256", "SSE-S3"],
    ["sse-kms", "SSE-KMS"],
    ["SSE_S3", "SSE-S3"],
  ])("Noncompliance: %s, with the value meant (S3's own names included)", (encryption, meant) => {
    expect(problemMessages(rawConfig({ bucket: { encryption } }))).toEqual([
      `bucket.encryption: ${JSON.stringify(encryption)} must be one of "SSE-S3", "SSE-KMS"; did you mean "${meant}"?`,
    ]);
  });

  test.each(["DSSE-KMS-AND-MORE", true])("Noncompliance: %j, near no value", (encryption) => {
    expect(problemMessages(rawConfig({ bucket: { encryption } }))).toEqual([
      `bucket.encryption: ${JSON.stringify(encryption)} must be one of "SSE-S3", "SSE-KMS" (e.g. "SSE-S3")`,
    ]);
  });
});
