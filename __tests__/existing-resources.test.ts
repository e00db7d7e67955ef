/**
 * Existing resources (issue 6). An existing bucket is never created or
 * managed, and its single bucket policy is never replaced: the statements to
 * merge are an output. An existing instance role gets only the inline policy.
 * `instance.create: false` creates the role and profile for your own instance.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { kmsKeyArnRule } from "../config/rules";
import {
  ACCESSOR_ACCOUNT,
  INSTANCE_ROLE,
  OWNER_ACCOUNT,
  problemMessages,
  problemPaths,
  rawConfig,
  TARGET_ROLE,
} from "./helpers/config";
import { LEVEL_ACTIONS } from "./helpers/policy";
import { resourceTypes, SynthesizedApp } from "./helpers/synth";
import {
  ACCESSOR_ROOT,
  BUCKET_ARN,
  DENY_INSECURE_TRANSPORT,
  INSTANCE_ROLE_ARN,
  outputPolicy,
  OWNER_ADMINISTERS_KEY,
  ownerOutputRef,
  policyOf,
  statementsOf,
  synthWith,
  TARGET_ROLE_ARN,
} from "./helpers/org-configs";

const EXISTING_KEY = `arn:aws:kms:eu-west-1:${OWNER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const READ_WRITE_OBJECT_ACTIONS = LEVEL_ACTIONS["read-write"].object;

let existingBucket: SynthesizedApp;
let existingBucketDirectKms: SynthesizedApp;
let existingRole: SynthesizedApp;
let noInstance: SynthesizedApp;
beforeAll(() => {
  existingBucket = synthWith({ bucket: { existing: true }, accessLevel: "read-write" });
  existingBucketDirectKms = synthWith({ bucket: { existing: true, kmsKeyArn: EXISTING_KEY }, accessMode: "direct" });
  existingRole = synthWith({ existingInstanceRole: true });
  noInstance = synthWith({ instance: { create: false } });
});

describe("an existing bucket (role chaining)", () => {
  test("no aws_s3_bucket* resource at all: not the bucket, its settings, nor its policy", () => {
    const types = resourceTypes(existingBucket.ownerJson);
    expect(types.filter((type) => type.startsWith("aws_s3_"))).toEqual([]);
    expect(types).toEqual(["aws_iam_role", "aws_iam_role_policy"]);
  });

  test("the target role is created, with the bucket statements on the existing bucket", () => {
    expect(existingBucket.ownerSynth).toHaveResourceWithProperties(IamRole, {
      name: TARGET_ROLE,
      max_session_duration: 3600,
    });
    expect(statementsOf(policyOf(existingBucket.ownerJson, "aws_iam_role_policy", "target_role_s3_access"))).toEqual([
      {
        Sid: "BucketLevelAccess",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: BUCKET_ARN,
      },
      { Sid: "ObjectLevelAccess", Effect: "Allow", Action: READ_WRITE_OBJECT_ACTIONS, Resource: `${BUCKET_ARN}/*` },
    ]);
  });

  test("bucket_policy_statements parses to the deny and the grant to the target role", () => {
    expect(statementsOf(outputPolicy(existingBucket.ownerJson, "bucket_policy_statements"))).toEqual([
      DENY_INSECURE_TRANSPORT,
      {
        Sid: "BucketLevelAccess",
        Effect: "Allow",
        Principal: { AWS: TARGET_ROLE_ARN },
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: BUCKET_ARN,
      },
      {
        Sid: "ObjectLevelAccess",
        Effect: "Allow",
        Principal: { AWS: TARGET_ROLE_ARN },
        Action: READ_WRITE_OBJECT_ACTIONS,
        Resource: `${BUCKET_ARN}/*`,
      },
    ]);
  });

  test("the output says to merge, and that the policy is never replaced", () => {
    const description = existingBucket.ownerJson.output?.bucket_policy_statements?.description ?? "";
    expect(description).toContain("merge these statements");
    expect(description).toContain("never replaces an existing bucket policy");
  });

  test("the hand-off outputs are still there; no KMS output without a key", () => {
    expect(Object.keys(existingBucket.ownerJson.output ?? {}).sort()).toEqual([
      "bucket_arn",
      "bucket_name",
      "bucket_policy_statements",
      "target_role_arn",
    ]);
  });

  test("the accessor side is unchanged: the instance role assumes the target role from remote state", () => {
    expect(
      statementsOf(policyOf(existingBucket.accessorJson, "aws_iam_role_policy", "instance_role_assume_target_role")),
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

describe("an existing SSE-KMS bucket with a direct grant", () => {
  test("no resources at all in the owner account: no bucket, no policy, no role, no key", () => {
    expect(existingBucketDirectKms.ownerJson.resource ?? {}).toEqual({});
  });

  test("bucket_policy_statements grant the accessor root narrowed to the instance role", () => {
    const grantee = {
      Principal: { AWS: ACCESSOR_ROOT },
      Condition: { ArnEquals: { "aws:PrincipalArn": INSTANCE_ROLE_ARN } },
    };
    expect(statementsOf(outputPolicy(existingBucketDirectKms.ownerJson, "bucket_policy_statements"))).toEqual([
      DENY_INSECURE_TRANSPORT,
      {
        Sid: "BucketLevelAccess",
        Effect: "Allow",
        Principal: grantee.Principal,
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: BUCKET_ARN,
        Condition: grantee.Condition,
      },
      {
        Sid: "ObjectLevelAccess",
        Effect: "Allow",
        Principal: grantee.Principal,
        Action: ["s3:GetObject"],
        Resource: `${BUCKET_ARN}/*`,
        Condition: grantee.Condition,
      },
    ]);
  });

  test("kms_key_policy_statements let the instance role decrypt through S3 only", () => {
    expect(statementsOf(outputPolicy(existingBucketDirectKms.ownerJson, "kms_key_policy_statements"))).toEqual([
      OWNER_ADMINISTERS_KEY,
      {
        Sid: "BucketAccessorUsesKeyThroughS3",
        Effect: "Allow",
        Principal: { AWS: ACCESSOR_ROOT },
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
          ArnEquals: { "aws:PrincipalArn": INSTANCE_ROLE_ARN },
        },
      },
    ]);
    expect(existingBucketDirectKms.ownerJson.output?.kms_key_arn?.value).toBe(EXISTING_KEY);
  });

  test("the instance role's identity policy covers the bucket and the key from remote state", () => {
    const statements = statementsOf(
      policyOf(existingBucketDirectKms.accessorJson, "aws_iam_role_policy", "instance_role_cross_account_s3_access"),
    );
    expect(statements.map((s) => [s.Sid, s.Resource])).toEqual([
      ["BucketLevelAccess", ownerOutputRef("bucket_arn")],
      ["ObjectLevelAccess", `${ownerOutputRef("bucket_arn")}/*`],
      ["UseBucketKeyThroughS3", ownerOutputRef("kms_key_arn")],
    ]);
  });
});

describe("an existing instance role", () => {
  test("the accessor creates no role, no instance profile and no instance, only the inline policy", () => {
    expect(resourceTypes(existingRole.accessorJson)).toEqual(["aws_iam_role_policy"]);
    expect(existingRole.accessorJson.data?.aws_ssm_parameter).toBeUndefined();
  });

  test("the inline policy is attached to the named role and assumes exactly the target role", () => {
    expect(existingRole.accessorSynth).toHaveResourceWithProperties(IamRolePolicy, {
      name: "assume-target-role",
      role: INSTANCE_ROLE,
    });
    expect(
      statementsOf(policyOf(existingRole.accessorJson, "aws_iam_role_policy", "instance_role_assume_target_role")),
    ).toEqual([
      {
        Sid: "AssumeTargetRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: ownerOutputRef("target_role_arn"),
      },
    ]);
  });

  test("outputs: the role's ARN as a plain string, the CLI profile to install yourself; no instance id or profile", () => {
    const outputs = existingRole.accessorJson.output ?? {};
    expect(outputs.instance_role_arn?.value).toBe(INSTANCE_ROLE_ARN);
    expect(Object.keys(outputs).sort()).toEqual(["cli_profile", "instance_role_arn", "verify_commands"]);
    expect(outputs.cli_profile?.description).toContain("Add this AWS CLI profile");
  });

  test("the target role still trusts exactly that role's ARN", () => {
    const [trust] = statementsOf(policyOf(existingRole.ownerJson, "aws_iam_role", "target_role", "assume_role_policy"));
    expect(trust!.Condition).toEqual({ ArnEquals: { "aws:PrincipalArn": INSTANCE_ROLE_ARN } });
  });
});

describe("an existing instance role named by its ARN, with an IAM path", () => {
  const PATH_ROLE_ARN = `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/service-role/app-runner`;
  let chained: SynthesizedApp;
  let direct: SynthesizedApp;
  beforeAll(() => {
    chained = synthWith({ existingInstanceRole: true, instanceRoleName: PATH_ROLE_ARN });
    direct = synthWith({
      existingInstanceRole: true,
      instanceRoleName: PATH_ROLE_ARN,
      accessMode: "direct",
      bucket: { encryption: "SSE-KMS" },
    });
  }, 120_000);

  // aws:PrincipalArn of a role session is the role's ARN with its path; role/<name> alone never matches it.
  test("the target role trusts the ARN with its path", () => {
    const [trust] = statementsOf(policyOf(chained.ownerJson, "aws_iam_role", "target_role", "assume_role_policy"));
    expect(trust!.Condition).toEqual({ ArnEquals: { "aws:PrincipalArn": PATH_ROLE_ARN } });
  });

  test("the inline policy goes on the role by its name (IAM's role argument takes the name, not the path)", () => {
    expect(chained.accessorSynth).toHaveResourceWithProperties(IamRolePolicy, {
      name: "assume-target-role",
      role: "app-runner",
    });
    expect(chained.accessorJson.output?.instance_role_arn?.value).toBe(PATH_ROLE_ARN);
  });

  test("direct grant: bucket policy and key policy narrow to the ARN with its path", () => {
    const bucketStatements = statementsOf(policyOf(direct.ownerJson, "aws_s3_bucket_policy", "bucket_policy"));
    const allows = bucketStatements.filter((statement) => statement.Effect === "Allow");
    expect(allows.length).toBeGreaterThan(0);
    for (const statement of allows) {
      expect(statement.Condition?.ArnEquals).toEqual({ "aws:PrincipalArn": PATH_ROLE_ARN });
    }
    const keyStatements = statementsOf(policyOf(direct.ownerJson, "aws_kms_key", "bucket_key"));
    expect(keyStatements[1]!.Condition?.ArnEquals).toEqual({ "aws:PrincipalArn": PATH_ROLE_ARN });
  });

  test("Noncompliance: a role ARN for a role this project would create, or in another account", () => {
    expect(problemMessages(rawConfig({ instanceRoleName: PATH_ROLE_ARN }))).toEqual([
      `instanceRoleName: ${JSON.stringify(PATH_ROLE_ARN)} is a role ARN, which only names an existing role; set "existingInstanceRole": true, or give the name of the role to create (e.g. "app-runner")`,
    ]);
    const otherAccount = "arn:aws:iam::999988887777:role/service-role/app-runner";
    expect(problemMessages(rawConfig({ existingInstanceRole: true, instanceRoleName: otherAccount }))).toEqual([
      `instanceRoleName: "${otherAccount}" is in account 999988887777, but must be in accessor.accountId ${ACCESSOR_ACCOUNT} (e.g. "arn:aws:iam::${ACCESSOR_ACCOUNT}:role/deploy")`,
    ]);
  });
});

describe("instance.create: false", () => {
  test("creates the role and the instance profile, but no instance and no AMI lookup", () => {
    expect(resourceTypes(noInstance.accessorJson)).toEqual([
      "aws_iam_instance_profile",
      "aws_iam_role",
      "aws_iam_role_policy",
    ]);
    expect(noInstance.accessorSynth).toHaveResourceWithProperties(IamInstanceProfile, {
      name: INSTANCE_ROLE,
      role: "${aws_iam_role.instance_role.name}",
    });
    expect(noInstance.accessorJson.data?.aws_ssm_parameter).toBeUndefined();
  });

  test("outputs instance_profile_name (to attach to your instance) instead of instance_id", () => {
    const outputs = noInstance.accessorJson.output ?? {};
    expect(outputs.instance_profile_name?.value).toBe("${aws_iam_instance_profile.instance_profile.name}");
    expect(outputs.instance_profile_name?.description).toMatch(/Attach this instance profile/);
    expect(outputs).not.toHaveProperty("instance_id");
    expect(Object.keys(outputs).sort()).toEqual([
      "cli_profile",
      "instance_profile_name",
      "instance_role_arn",
      "verify_commands",
    ]);
  });
});

describe("config rules of existing resources", () => {
  test.each([
    ["an existing bucket", { bucket: { existing: true } }],
    ["an existing SSE-KMS bucket", { bucket: { existing: true, kmsKeyArn: EXISTING_KEY } }],
    ["an existing bucket with SSE-S3 named", { bucket: { existing: true, encryption: "SSE-S3" } }],
    ["an existing instance role", { existingInstanceRole: true }],
    ["an existing instance role, create false", { existingInstanceRole: true, instance: { create: false } }],
    ["no instance", { instance: { create: false } }],
  ])("Compliance: %s", (_what, overrides) => {
    expect(problemMessages(rawConfig(overrides))).toEqual([]);
  });

  test("Noncompliance: existingInstanceRole with instance.create true", () => {
    expect(problemMessages(rawConfig({ existingInstanceRole: true, instance: { create: true } }))).toEqual([
      "instance.create: true cannot be true with existingInstanceRole: an existing role has no instance profile here; attach the role to your instance yourself (set instance.create to false)",
    ]);
  });

  test("Noncompliance: SSE-KMS asked of an existing bucket, pointing to bucket.kmsKeyArn", () => {
    const [line, ...rest] = problemMessages(rawConfig({ bucket: { existing: true, encryption: "SSE-KMS" } }));
    expect(rest).toEqual([]);
    expect(line).toMatch(/^bucket\.encryption: "SSE-KMS" cannot be set for an existing bucket/);
    expect(line).toContain("set bucket.kmsKeyArn instead");
  });

  test("Noncompliance: bucket.kmsKeyArn on a bucket this project creates", () => {
    const [line, ...rest] = problemMessages(rawConfig({ bucket: { kmsKeyArn: EXISTING_KEY } }));
    expect(rest).toEqual([]);
    expect(line).toMatch(/^bucket\.kmsKeyArn: ".*" is only for an existing bucket \("existing": true\)/);
  });

  test("Noncompliance: the existing bucket's key in another account", () => {
    const key = `arn:aws:kms:eu-west-1:${ACCESSOR_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(problemMessages(rawConfig({ bucket: { existing: true, kmsKeyArn: key } }))).toEqual([
      `bucket.kmsKeyArn: ${JSON.stringify(key)} is in account ${ACCESSOR_ACCOUNT}, but the bucket's key must be in the bucket owner account ${OWNER_ACCOUNT} (e.g. "arn:aws:kms:eu-west-1:${OWNER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab")`,
    ]);
  });

  test.each([
    ["an alias", `arn:aws:kms:eu-west-1:${OWNER_ACCOUNT}:alias/s3`],
    ["a bare key id", "1234abcd-12ab-34cd-56ef-1234567890ab"],
  ])("Noncompliance: bucket.kmsKeyArn is %s", (_what, kmsKeyArn) => {
    expect(problemPaths(rawConfig({ bucket: { existing: true, kmsKeyArn } }))).toEqual(["bucket.kmsKeyArn"]);
  });

  test.each([
    [{ bucket: { existing: "yes" } }, 'bucket.existing: "yes" must be true or false (e.g. false)'],
    [{ existingInstanceRole: 1 }, "existingInstanceRole: 1 must be true or false (e.g. false)"],
    [
      { instance: { create: "false" } },
      'instance.create: "false" must be true or false; did you mean false, without quotes?',
    ],
  ])("Noncompliance: %j is not a boolean", (overrides, line) => {
    expect(problemMessages(rawConfig(overrides))).toEqual([line]);
  });

  test("Noncompliance: a misspelt bucket key, with the closest known key", () => {
    expect(problemMessages(rawConfig({ bucket: { existng: true } }))).toEqual([
      'bucket.existng: unknown key; did you mean "existing"?',
    ]);
  });

  test("kmsKeyArnRule: Compliance for a multi-Region key in the owner account", () => {
    const mrk = `arn:aws:kms:eu-west-1:${OWNER_ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;
    expect(kmsKeyArnRule(OWNER_ACCOUNT)("bucket.kmsKeyArn", mrk)).toEqual([]);
  });
});
