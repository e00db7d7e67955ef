/**
 * Deliberate over- and under-grants for the access report's mutation suite:
 * each one a single statement added to or changed in the synthesized JSON of
 * a real synth, the way a reviewer would break it by hand, with the finding
 * the report must show for it.
 */
import type { PolicyJson, StatementJson } from "../../access-report/policy-json";
import { withChangedPolicy, withChangedStack, type PolicyLocation, type StackJson } from "./access-report-synth";

export const OWNER = "111122223333";
export const ACCESSOR = "444455556666";
export const THIRD = "730335212345";

/** The configurations the suite synthesizes once each (overrides of config/example.json). */
export const MUTATION_CONFIGS = {
  "read-only": {},
  "read-write": { accessLevel: "read-write" },
  full: { accessLevel: "full" },
  kms: {
    bucket: { name: "example-sensitive-111122223333", encryption: "SSE-KMS" },
    accessLevel: "read-write",
    targetRoleName: "sensitive-data-writer",
    instanceRoleName: "sensitive-data-instance",
    instance: { instanceType: "t3.micro", sessionManager: true },
  },
  direct: {
    bucket: { name: "example-direct-share-111122223333" },
    accessLevel: "read-write",
    accessMode: "direct",
    instanceRoleName: "direct-share-instance",
  },
  "direct-kms-prefix": {
    accessor: { accountId: ACCESSOR, region: "eu-central-1" },
    bucket: { name: "example-direct-kms-111122223333", encryption: "SSE-KMS", keyPrefix: "in/" },
    accessLevel: "full",
    accessMode: "direct",
    instanceRoleName: "direct-kms-instance",
  },
  existing: {
    bucket: {
      name: "example-legacy-archive",
      existing: true,
      kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    },
    targetRoleName: "legacy-archive-reader",
    instanceRoleName: "archive-indexer",
    existingInstanceRole: true,
    instance: { create: false },
  },
  "existing-role-path": {
    bucket: { name: "example-path-role-111122223333" },
    instanceRoleName: "arn:aws:iam::444455556666:role/service-role/app-runner",
    existingInstanceRole: true,
    instance: { create: false },
  },
  people: {
    bucket: { name: "example-team-data-111122223333", keyPrefix: "team-a/" },
    targetRoleName: "team-a-reader",
    instanceRoleName: "team-a-instance",
    humanAccess: {
      groupName: "team-a-readers",
      userNames: ["alice", "bob"],
      roleArns: [
        "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataReaders_0123456789abcdef",
      ],
    },
    instance: { create: false },
  },
} as const;

export type MutationConfig = keyof typeof MUTATION_CONFIGS;

/** What the finding must name. */
export interface ExpectedFinding {
  readonly severity: "error" | "warning";
  /** A part of the principal as written (an ARN, an account, "*", a service). */
  readonly principal: string;
  /** One of the actions beyond the zone of trust. */
  readonly action: string;
  /** A part of the resource (pattern) the finding names. */
  readonly resource: string;
  /** A part of the statement's label (its Sid, or the policy's address). */
  readonly statement: string;
}

/** What a failing row must name instead (an under-grant or a lost guardrail). */
export interface ExpectedRow {
  readonly row: string;
  readonly action: string;
  /** A part of the statement the evaluator names in "decided by". */
  readonly decidedBy: string;
}

export interface Mutation {
  readonly name: string;
  readonly config: MutationConfig;
  readonly change: (outdir: string) => string;
  readonly expect: ExpectedFinding | ExpectedRow;
}

const bucketArn = (config: MutationConfig): string => {
  const bucket = (MUTATION_CONFIGS[config] as { bucket?: { name: string } }).bucket;
  return `arn:aws:s3:::${bucket?.name ?? "example-shared-data-111122223333"}`;
};

const BUCKET_POLICY: PolicyLocation = {
  stack: "bucket-owner",
  type: "aws_s3_bucket_policy",
  name: "bucket_policy",
  attribute: "policy",
};
const TRUST_POLICY: PolicyLocation = {
  stack: "bucket-owner",
  type: "aws_iam_role",
  name: "target_role",
  attribute: "assume_role_policy",
};
const TARGET_ROLE_POLICY: PolicyLocation = {
  stack: "bucket-owner",
  type: "aws_iam_role_policy",
  name: "target_role_s3_access",
  attribute: "policy",
};
const TARGET_ROLE_KMS_POLICY: PolicyLocation = { ...TARGET_ROLE_POLICY, name: "target_role_kms_use" };
const KEY_POLICY: PolicyLocation = {
  stack: "bucket-owner",
  type: "aws_kms_key",
  name: "bucket_key",
  attribute: "policy",
};
const INSTANCE_ROLE_POLICY: PolicyLocation = {
  stack: "accessor",
  type: "aws_iam_role_policy",
  name: "instance_role_assume_target_role",
  attribute: "policy",
};
const DIRECT_INSTANCE_ROLE_POLICY: PolicyLocation = {
  ...INSTANCE_ROLE_POLICY,
  name: "instance_role_cross_account_s3_access",
};
const GROUP_POLICY: PolicyLocation = {
  stack: "accessor",
  type: "aws_iam_group_policy",
  name: "human_access_assume_target_role",
  attribute: "policy",
};

const add =
  (statement: StatementJson) =>
  (document: PolicyJson): PolicyJson => ({ ...document, Statement: [...document.Statement, statement] });

const changeStatement =
  (sid: string, change: (statement: StatementJson) => StatementJson) =>
  (document: PolicyJson): PolicyJson => {
    if (!document.Statement.some((s) => s.Sid === sid)) throw new Error(`no statement ${sid}`);
    return { ...document, Statement: document.Statement.map((s) => (s.Sid === sid ? change(s) : s)) };
  };

const removeStatement =
  (sid: string) =>
  (document: PolicyJson): PolicyJson => {
    if (!document.Statement.some((s) => s.Sid === sid)) throw new Error(`no statement ${sid}`);
    return { ...document, Statement: document.Statement.filter((s) => s.Sid !== sid) };
  };

const policy = (where: PolicyLocation, change: (document: PolicyJson) => PolicyJson) => (outdir: string) =>
  withChangedPolicy(outdir, where, change);

const stack = (name: string, change: (json: StackJson) => void) => (outdir: string) =>
  withChangedStack(outdir, name, change);

/** The trust statement's ArnEquals aws:PrincipalArn narrowed to `arns` instead of the instance role (one: a string). */
const trustAdmits = (first: string, ...more: string[]) =>
  policy(
    TRUST_POLICY,
    changeStatement("AssumeFromAccessorPrincipals", (s) => ({
      ...s,
      Condition: { ArnEquals: { "aws:PrincipalArn": more.length === 0 ? first : [first, ...more] } },
    })),
  );

const document = (...statements: StatementJson[]): string =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });

const TARGET = (name = "shared-data-reader"): string => `arn:aws:iam::${OWNER}:role/${name}`;
const INSTANCE = (name = "shared-data-client-instance"): string => `arn:aws:iam::${ACCESSOR}:role/${name}`;

/** Every mutation of the suite. */
export const MUTATIONS: readonly Mutation[] = [
  // --- bucket policy (role chain, read-only) ---
  {
    name: "bucket policy: a third account may read objects",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "ThirdAccountReads",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${THIRD}:root` },
        Action: "s3:GetObject",
        Resource: `${bucketArn("read-only")}/*`,
      }),
    ),
    expect: {
      severity: "error",
      principal: THIRD,
      action: "s3:GetObject",
      resource: "/*",
      statement: "ThirdAccountReads",
    },
  },
  {
    name: "bucket policy: Principal * may read objects (public)",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "PublicRead",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `${bucketArn("read-only")}/*`,
      }),
    ),
    expect: {
      severity: "error",
      principal: "anonymous",
      action: "s3:GetObject",
      resource: "/*",
      statement: "PublicRead",
    },
  },
  {
    name: "bucket policy: Principal * with only a TLS condition",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "AnyoneOverTls",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "s3:ListBucket",
        Resource: bucketArn("read-only"),
        Condition: { Bool: { "aws:SecureTransport": "true" } },
      }),
    ),
    expect: {
      severity: "error",
      principal: "*",
      action: "s3:ListBucket",
      resource: bucketArn("read-only"),
      statement: "AnyoneOverTls",
    },
  },
  {
    name: "bucket policy: the target role may change the bucket policy",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      changeStatement("BucketLevelAccess", (s) => ({
        ...s,
        Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:PutBucketPolicy"],
      })),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:PutBucketPolicy",
      resource: bucketArn("read-only"),
      statement: "BucketLevelAccess",
    },
  },
  {
    name: "bucket policy: the TLS deny removed",
    config: "read-only",
    change: policy(BUCKET_POLICY, removeStatement("DenyInsecureTransport")),
    expect: { row: "guard/plain-http-objects", action: "s3:GetObject", decidedBy: "ObjectLevelAccess" },
  },
  {
    name: "bucket policy: the TLS deny narrowed to GetObject",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      changeStatement("DenyInsecureTransport", (s) => ({ ...s, Action: "s3:GetObject" })),
    ),
    expect: { row: "guard/plain-http-bucket", action: "s3:ListBucket", decidedBy: "BucketLevelAccess" },
  },
  {
    name: "bucket policy: NotPrincipal Allow",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "EveryoneButAccessor",
        Effect: "Allow",
        NotPrincipal: { AWS: `arn:aws:iam::${ACCESSOR}:root` },
        Action: "s3:GetObject",
        Resource: `${bucketArn("read-only")}/*`,
      }),
    ),
    expect: {
      severity: "error",
      principal: "not:",
      action: "s3:GetObject",
      resource: "/*",
      statement: "EveryoneButAccessor",
    },
  },
  {
    name: "bucket policy: ArnLike on the target role's name in any account",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "AnyAccountsReader",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `${bucketArn("read-only")}/*`,
        Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/shared-data-reader" } },
      }),
    ),
    expect: {
      severity: "error",
      principal: "arn:aws:iam::*:role/shared-data-reader",
      action: "s3:GetObject",
      resource: "/*",
      statement: "AnyAccountsReader",
    },
  },
  {
    name: "bucket policy: the whole accessor account may read",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "AccessorAccount",
        Effect: "Allow",
        Principal: { AWS: ACCESSOR },
        Action: "s3:GetObject",
        Resource: `${bucketArn("read-only")}/*`,
      }),
    ),
    expect: {
      severity: "error",
      principal: ACCESSOR,
      action: "s3:GetObject",
      resource: "/*",
      statement: "AccessorAccount",
    },
  },
  {
    name: "bucket policy: the instance role may read directly (its own policy does not let it: stated, not effective)",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "InstanceRoleDirect",
        Effect: "Allow",
        Principal: { AWS: INSTANCE() },
        Action: "s3:GetObject",
        Resource: `${bucketArn("read-only")}/*`,
      }),
    ),
    expect: {
      severity: "warning",
      principal: INSTANCE(),
      action: "s3:GetObject",
      resource: "/*",
      statement: "InstanceRoleDirect",
    },
  },
  {
    name: "bucket policy: any principal of an organization",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "Organization",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `${bucketArn("read-only")}/*`,
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      }),
    ),
    expect: {
      severity: "error",
      principal: "o-a1b2c3d4e5",
      action: "s3:GetObject",
      resource: "/*",
      statement: "Organization",
    },
  },
  {
    name: "bucket policy: a service may write",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "LogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucketArn("read-only")}/*`,
      }),
    ),
    expect: {
      severity: "error",
      principal: "logging.s3.amazonaws.com",
      action: "s3:PutObject",
      resource: "/*",
      statement: "LogDelivery",
    },
  },
  {
    name: "bucket policy: IfExists on aws:PrincipalArn lets unsigned requests in",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "IfExistsReader",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `${bucketArn("read-only")}/*`,
        Condition: { ArnEqualsIfExists: { "aws:PrincipalArn": TARGET() } },
      }),
    ),
    expect: {
      severity: "error",
      principal: "anonymous",
      action: "s3:GetObject",
      resource: "/*",
      statement: "IfExistsReader",
    },
  },

  // --- trust policy of the target role ---
  {
    name: "trust policy: a third account",
    config: "read-only",
    change: policy(
      TRUST_POLICY,
      add({
        Sid: "ThirdAccountAssumes",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${THIRD}:root` },
        Action: "sts:AssumeRole",
      }),
    ),
    expect: {
      severity: "error",
      principal: THIRD,
      action: "sts:AssumeRole",
      resource: TARGET(),
      statement: "ThirdAccountAssumes",
    },
  },
  {
    name: "trust policy: ArnEquals becomes ArnLike on the instance role's name in any account",
    config: "read-only",
    change: policy(
      TRUST_POLICY,
      changeStatement("AssumeFromAccessorPrincipals", (s) => ({
        ...s,
        Principal: "*",
        Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/shared-data-client-instance" } },
      })),
    ),
    expect: {
      severity: "error",
      principal: "arn:aws:iam::*:role/shared-data-client-instance",
      action: "sts:AssumeRole",
      resource: TARGET(),
      statement: "AssumeFromAccessorPrincipals",
    },
  },
  {
    name: "trust policy: a second role of the accessor account in the condition",
    config: "read-only",
    change: trustAdmits(INSTANCE(), `arn:aws:iam::${ACCESSOR}:role/batch-jobs`),
    expect: {
      severity: "error",
      principal: `arn:aws:iam::${ACCESSOR}:role/batch-jobs`,
      action: "sts:AssumeRole",
      resource: TARGET(),
      statement: "AssumeFromAccessorPrincipals",
    },
  },
  {
    name: "trust policy: the narrowing condition removed",
    config: "read-only",
    change: policy(
      TRUST_POLICY,
      changeStatement("AssumeFromAccessorPrincipals", ({ Condition: _dropped, ...s }) => s),
    ),
    expect: {
      severity: "error",
      principal: ACCESSOR,
      action: "sts:AssumeRole",
      resource: TARGET(),
      statement: "AssumeFromAccessorPrincipals",
    },
  },
  {
    name: "trust policy: the condition weakened from ArnEquals to StringLike with *",
    config: "read-only",
    change: policy(
      TRUST_POLICY,
      changeStatement("AssumeFromAccessorPrincipals", (s) => ({
        ...s,
        Condition: { StringLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCESSOR}:role/*` } },
      })),
    ),
    expect: {
      severity: "error",
      principal: `arn:aws:iam::${ACCESSOR}:role/*`,
      action: "sts:AssumeRole",
      resource: TARGET(),
      statement: "AssumeFromAccessorPrincipals",
    },
  },
  {
    name: "trust policy: EC2 may assume the target role",
    config: "read-only",
    change: policy(
      TRUST_POLICY,
      add({ Sid: "Ec2Too", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
    ),
    expect: {
      severity: "error",
      principal: "ec2.amazonaws.com",
      action: "sts:AssumeRole",
      resource: TARGET(),
      statement: "Ec2Too",
    },
  },
  {
    name: "trust policy: a web-identity provider",
    config: "read-only",
    change: policy(
      TRUST_POLICY,
      add({
        Sid: "GitHubActions",
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${OWNER}:oidc-provider/token.actions.githubusercontent.com` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
      }),
    ),
    expect: {
      severity: "error",
      principal: "token.actions.githubusercontent.com",
      action: "sts:AssumeRoleWithWebIdentity",
      resource: TARGET(),
      statement: "GitHubActions",
    },
  },
  {
    name: "trust policy: every principal of the accessor account through aws:PrincipalAccount",
    config: "read-only",
    change: policy(
      TRUST_POLICY,
      changeStatement("AssumeFromAccessorPrincipals", (s) => ({
        ...s,
        Principal: "*",
        Condition: { StringEquals: { "aws:PrincipalAccount": ACCESSOR } },
      })),
    ),
    expect: {
      severity: "error",
      principal: ACCESSOR,
      action: "sts:AssumeRole",
      resource: TARGET(),
      statement: "AssumeFromAccessorPrincipals",
    },
  },
  {
    name: "trust policy: the instance role may also tag its session (its own policy does not let it: stated, not effective)",
    config: "read-only",
    change: policy(
      TRUST_POLICY,
      changeStatement("AssumeFromAccessorPrincipals", (s) => ({ ...s, Action: ["sts:AssumeRole", "sts:TagSession"] })),
    ),
    expect: {
      severity: "warning",
      principal: INSTANCE(),
      action: "sts:TagSession",
      resource: TARGET(),
      statement: "AssumeFromAccessorPrincipals",
    },
  },
  {
    name: "trust policy: the trust statement removed (under-grant: the chain breaks)",
    config: "read-only",
    change: trustAdmits(`arn:aws:iam::${ACCESSOR}:role/someone-else`),
    expect: { row: "assume/instance-role", action: "sts:AssumeRole", decidedBy: "trust policy of shared-data-reader" },
  },

  // --- identity policy of the target role ---
  {
    name: "target role: s3:DeleteObjectVersion added at read-only",
    config: "read-only",
    change: policy(
      TARGET_ROLE_POLICY,
      changeStatement("ObjectLevelAccess", (s) => ({ ...s, Action: ["s3:GetObject", "s3:DeleteObjectVersion"] })),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:DeleteObjectVersion",
      resource: "/*",
      statement: "ObjectLevelAccess",
    },
  },
  {
    name: "target role: <bucket>*/* reaches other buckets",
    config: "read-only",
    change: policy(
      TARGET_ROLE_POLICY,
      changeStatement("ObjectLevelAccess", (s) => ({ ...s, Resource: `${bucketArn("read-only")}*/*` })),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:GetObject",
      resource: `${bucketArn("read-only")}*/*`,
      statement: "ObjectLevelAccess",
    },
  },
  {
    name: "target role: iam:PassRole",
    config: "read-only",
    change: policy(
      TARGET_ROLE_POLICY,
      add({ Sid: "PassAnyRole", Effect: "Allow", Action: "iam:PassRole", Resource: "*" }),
    ),
    expect: { severity: "error", principal: TARGET(), action: "iam:PassRole", resource: "*", statement: "PassAnyRole" },
  },
  {
    name: "target role: iam:CreateAccessKey for users",
    config: "read-only",
    change: policy(
      TARGET_ROLE_POLICY,
      add({
        Sid: "MintKeys",
        Effect: "Allow",
        Action: "iam:CreateAccessKey",
        Resource: `arn:aws:iam::${OWNER}:user/*`,
      }),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "iam:CreateAccessKey",
      resource: ":user/*",
      statement: "MintKeys",
    },
  },
  {
    name: "target role: sts:AssumeRole on any role",
    config: "read-only",
    change: policy(
      TARGET_ROLE_POLICY,
      add({ Sid: "AssumeAnything", Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "sts:AssumeRole",
      resource: "*",
      statement: "AssumeAnything",
    },
  },
  {
    name: "target role: a NotAction statement",
    config: "read-only",
    change: policy(TARGET_ROLE_POLICY, add({ Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: "*" })),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:PutBucketPolicy",
      resource: "*",
      statement: "AllButIam",
    },
  },
  {
    name: "target role: a NotResource statement",
    config: "read-only",
    change: policy(
      TARGET_ROLE_POLICY,
      add({
        Sid: "EverythingElse",
        Effect: "Allow",
        Action: "s3:GetObject",
        NotResource: `${bucketArn("read-only")}/*`,
      }),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:GetObject",
      resource: "everything except",
      statement: "EverythingElse",
    },
  },
  {
    name: "target role: s3:* on the bucket and its objects",
    config: "read-only",
    change: policy(
      TARGET_ROLE_POLICY,
      add({
        Sid: "AllS3",
        Effect: "Allow",
        Action: "s3:*",
        Resource: [bucketArn("read-only"), `${bucketArn("read-only")}/*`],
      }),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:DeleteBucket",
      resource: bucketArn("read-only"),
      statement: "AllS3",
    },
  },
  {
    name: "target role: a second inline policy",
    config: "read-only",
    change: stack("bucket-owner", (json) => {
      json.resource.aws_iam_role_policy = {
        ...json.resource.aws_iam_role_policy,
        target_role_extra: {
          name: "extra",
          role: "${aws_iam_role.target_role.name}",
          policy: document({
            Sid: "ExtraWrite",
            Effect: "Allow",
            Action: "s3:PutObject",
            Resource: `${bucketArn("read-only")}/*`,
          }),
        },
      };
    }),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:PutObject",
      resource: "/*",
      statement: "aws_iam_role_policy.target_role_extra",
    },
  },
  {
    name: "target role: a managed policy of the app attached",
    config: "read-only",
    change: stack("bucket-owner", (json) => {
      json.resource.aws_iam_policy = {
        broad: {
          provider: "aws.bucket_owner",
          name: "broad-read",
          policy: document({
            Sid: "ReadEveryBucket",
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: "arn:aws:s3:::*/*",
          }),
        },
      };
      json.resource.aws_iam_role_policy_attachment = {
        broad: { role: "${aws_iam_role.target_role.name}", policy_arn: "${aws_iam_policy.broad.arn}" },
      };
    }),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:GetObject",
      resource: "arn:aws:s3:::*/*",
      statement: "ReadEveryBucket",
    },
  },
  {
    name: "target role: an AWS managed policy attached (statements unknown)",
    config: "read-only",
    change: stack("bucket-owner", (json) => {
      json.resource.aws_iam_role_policy_attachment = {
        s3_full: { role: "${aws_iam_role.target_role.name}", policy_arn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" },
      };
    }),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "AmazonS3FullAccess",
      resource: "whatever the policy names",
      statement: "aws_iam_role_policy_attachment.s3_full",
    },
  },
  {
    name: "target role: an inline_policy block on the role",
    config: "read-only",
    change: stack("bucket-owner", (json) => {
      const role = json.resource.aws_iam_role?.target_role;
      if (role === undefined) throw new Error("no target role");
      role.inline_policy = [
        {
          name: "inline-extra",
          policy: document({
            Sid: "InlineDelete",
            Effect: "Allow",
            Action: "s3:DeleteObject",
            Resource: `${bucketArn("read-only")}/*`,
          }),
        },
      ];
    }),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:DeleteObject",
      resource: "/*",
      statement: "InlineDelete",
    },
  },

  // --- identity policy of the instance role ---
  {
    name: "instance role: sts:Assume* on any role",
    config: "read-only",
    change: policy(
      INSTANCE_ROLE_POLICY,
      add({ Sid: "AssumeStar", Effect: "Allow", Action: "sts:Assume*", Resource: "*" }),
    ),
    expect: {
      severity: "error",
      principal: INSTANCE(),
      action: "sts:AssumeRole",
      resource: "*",
      statement: "AssumeStar",
    },
  },
  {
    name: "instance role: reads the bucket directly (the bucket policy does not let it: stated, not effective)",
    config: "read-only",
    change: policy(
      INSTANCE_ROLE_POLICY,
      add({ Sid: "DirectRead", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn("read-only")}/*` }),
    ),
    expect: {
      severity: "warning",
      principal: INSTANCE(),
      action: "s3:GetObject",
      resource: "/*",
      statement: "DirectRead",
    },
  },
  {
    name: "instance role: iam:PassRole on itself",
    config: "read-only",
    change: policy(
      INSTANCE_ROLE_POLICY,
      add({ Sid: "PassSelf", Effect: "Allow", Action: "iam:PassRole", Resource: INSTANCE() }),
    ),
    expect: {
      severity: "error",
      principal: INSTANCE(),
      action: "iam:PassRole",
      resource: INSTANCE(),
      statement: "PassSelf",
    },
  },

  // --- read-write ---
  {
    name: "read-write bucket policy: s3:DeleteObjectVersion added",
    config: "read-write",
    change: policy(
      BUCKET_POLICY,
      changeStatement("ObjectLevelAccess", (s) => ({
        ...s,
        Action: [...(s.Action as string[]), "s3:DeleteObjectVersion"],
      })),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:DeleteObjectVersion",
      resource: "/*",
      statement: "ObjectLevelAccess",
    },
  },
  {
    name: "read-write: a Deny on writes (under-grant)",
    config: "read-write",
    change: policy(
      BUCKET_POLICY,
      add({
        Sid: "NoWrites",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${bucketArn("read-write")}/*`,
      }),
    ),
    expect: { row: "bucket/object-actions", action: "s3:PutObject", decidedBy: "NoWrites" },
  },
  {
    name: "read-write target role: s3:PutObjectAcl",
    config: "read-write",
    change: policy(
      TARGET_ROLE_POLICY,
      changeStatement("ObjectLevelAccess", (s) => ({ ...s, Action: [...(s.Action as string[]), "s3:PutObjectAcl"] })),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:PutObjectAcl",
      resource: "/*",
      statement: "ObjectLevelAccess",
    },
  },

  // --- full ---
  {
    name: "full target role: s3:DeleteBucket added",
    config: "full",
    change: policy(
      TARGET_ROLE_POLICY,
      changeStatement("BucketLevelAccess", (s) => ({ ...s, Action: [...(s.Action as string[]), "s3:DeleteBucket"] })),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:DeleteBucket",
      resource: bucketArn("full"),
      statement: "BucketLevelAccess",
    },
  },
  {
    name: "full bucket policy: s3:PutBucketVersioning added",
    config: "full",
    change: policy(
      BUCKET_POLICY,
      changeStatement("BucketLevelAccess", (s) => ({
        ...s,
        Action: [...(s.Action as string[]), "s3:PutBucketVersioning"],
      })),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:PutBucketVersioning",
      resource: bucketArn("full"),
      statement: "BucketLevelAccess",
    },
  },
  {
    name: "full target role: s3:* on objects goes beyond full",
    config: "full",
    change: policy(
      TARGET_ROLE_POLICY,
      changeStatement("ObjectLevelAccess", (s) => ({ ...s, Action: "s3:*" })),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:PutObjectRetention",
      resource: "/*",
      statement: "ObjectLevelAccess",
    },
  },
  {
    name: "full target role: s3:ListBucketVersions on every bucket",
    config: "full",
    change: policy(
      TARGET_ROLE_POLICY,
      add({ Sid: "VersionsEverywhere", Effect: "Allow", Action: "s3:ListBucketVersions", Resource: "arn:aws:s3:::*" }),
    ),
    expect: {
      severity: "error",
      principal: TARGET(),
      action: "s3:ListBucketVersions",
      resource: "arn:aws:s3:::*",
      statement: "VersionsEverywhere",
    },
  },

  // --- SSE-KMS ---
  {
    name: "key policy: kms:Decrypt for a third account",
    config: "kms",
    change: policy(
      KEY_POLICY,
      add({
        Sid: "ThirdAccountDecrypts",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${THIRD}:root` },
        Action: "kms:Decrypt",
        Resource: "*",
      }),
    ),
    expect: {
      severity: "error",
      principal: THIRD,
      action: "kms:Decrypt",
      resource: ":key/",
      statement: "ThirdAccountDecrypts",
    },
  },
  {
    name: "key policy: kms:ViaService removed (the role's own policy still requires it: stated, not effective)",
    config: "kms",
    change: policy(
      KEY_POLICY,
      changeStatement("BucketAccessorUsesKeyThroughS3", (s) => ({
        ...s,
        Condition: { ArnEquals: { "aws:PrincipalArn": TARGET("sensitive-data-writer") } },
      })),
    ),
    expect: {
      severity: "warning",
      principal: TARGET("sensitive-data-writer"),
      action: "kms:Decrypt",
      resource: ":key/",
      statement: "BucketAccessorUsesKeyThroughS3",
    },
  },
  {
    name: "target role: kms:ViaService removed from its key policy",
    config: "kms",
    change: policy(
      TARGET_ROLE_KMS_POLICY,
      changeStatement("UseBucketKeyThroughS3", ({ Condition: _dropped, ...s }) => s),
    ),
    expect: {
      severity: "error",
      principal: TARGET("sensitive-data-writer"),
      action: "kms:GenerateDataKey",
      resource: ":key/",
      statement: "UseBucketKeyThroughS3",
    },
  },
  {
    name: "key policy: kms:* for the target role",
    config: "kms",
    change: policy(
      KEY_POLICY,
      add({
        Sid: "RoleAdministersKey",
        Effect: "Allow",
        Principal: { AWS: TARGET("sensitive-data-writer") },
        Action: "kms:*",
        Resource: "*",
      }),
    ),
    expect: {
      severity: "error",
      principal: TARGET("sensitive-data-writer"),
      action: "kms:ScheduleKeyDeletion",
      resource: ":key/",
      statement: "RoleAdministersKey",
    },
  },
  {
    name: "key policy: Principal * through S3",
    config: "kms",
    change: policy(
      KEY_POLICY,
      changeStatement("BucketAccessorUsesKeyThroughS3", (s) => ({
        ...s,
        Principal: { AWS: "*" },
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
      })),
    ),
    expect: {
      severity: "error",
      principal: "*",
      action: "kms:Decrypt",
      resource: ":key/",
      statement: "BucketAccessorUsesKeyThroughS3",
    },
  },
  {
    name: "instance role: Session Manager channels widened to ssm:*",
    config: "kms",
    change: policy(
      { ...INSTANCE_ROLE_POLICY, name: "instance_role_session_manager" },
      changeStatement("SessionManagerChannels", (s) => ({ ...s, Action: "ssm:*" })),
    ),
    expect: {
      severity: "error",
      principal: INSTANCE("sensitive-data-instance"),
      action: "ssm:SendCommand",
      resource: "*",
      statement: "SessionManagerChannels",
    },
  },
  {
    name: "instance role: Session Manager registration widened from its instance to every instance",
    config: "kms",
    change: policy(
      { ...INSTANCE_ROLE_POLICY, name: "instance_role_session_manager" },
      changeStatement("SessionManagerRegistersInstance", (s) => ({ ...s, Resource: "*" })),
    ),
    expect: {
      severity: "error",
      principal: INSTANCE("sensitive-data-instance"),
      action: "ssm:UpdateInstanceInformation",
      resource: "*",
      statement: "SessionManagerRegistersInstance",
    },
  },
  {
    name: "SSE-KMS under-grant: kms:GenerateDataKey dropped from the target role",
    config: "kms",
    change: policy(
      TARGET_ROLE_KMS_POLICY,
      changeStatement("UseBucketKeyThroughS3", (s) => ({ ...s, Action: ["kms:Decrypt"] })),
    ),
    expect: { row: "kms/via-s3", action: "kms:GenerateDataKey", decidedBy: "sensitive-data-writer" },
  },

  {
    name: "key policy: kms:ViaService weakened to StringLike *",
    config: "kms",
    change: policy(
      KEY_POLICY,
      changeStatement("BucketAccessorUsesKeyThroughS3", (s) => ({
        ...s,
        Condition: { ArnEquals: s.Condition?.ArnEquals ?? {}, StringLike: { "kms:ViaService": "*" } },
      })),
    ),
    expect: {
      severity: "warning",
      principal: TARGET("sensitive-data-writer"),
      action: "kms:Decrypt",
      resource: ":key/",
      statement: "BucketAccessorUsesKeyThroughS3",
    },
  },

  // --- existing bucket, key and instance role: the statements to merge are analysed ---
  {
    name: "existing bucket: a third account in the statements to merge",
    config: "existing",
    change: stack("bucket-owner", (json) => {
      const output = json.output?.bucket_policy_statements;
      if (output === undefined || typeof output.value !== "string") throw new Error("no bucket_policy_statements");
      const merged = JSON.parse(output.value) as PolicyJson;
      output.value = JSON.stringify(
        add({
          Sid: "PartnerLists",
          Effect: "Allow",
          Principal: { AWS: THIRD },
          Action: "s3:ListBucket",
          Resource: "arn:aws:s3:::example-legacy-archive",
        })(merged),
      );
    }),
    expect: {
      severity: "error",
      principal: THIRD,
      action: "s3:ListBucket",
      resource: "arn:aws:s3:::example-legacy-archive",
      statement: "PartnerLists",
    },
  },
  {
    name: "existing instance role: its app policy reads the bucket directly (its other policies are unknown)",
    config: "existing",
    change: policy(
      INSTANCE_ROLE_POLICY,
      add({
        Sid: "ReadDirectly",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::example-legacy-archive/*",
      }),
    ),
    expect: {
      severity: "warning",
      principal: INSTANCE("archive-indexer"),
      action: "s3:GetObject",
      resource: "example-legacy-archive/*",
      statement: "ReadDirectly",
    },
  },
  {
    name: "existing role with an IAM path: the trust policy names it without its path (the chain breaks)",
    config: "existing-role-path",
    change: trustAdmits(`arn:aws:iam::${ACCESSOR}:role/app-runner`),
    expect: { row: "assume/instance-role", action: "sts:AssumeRole", decidedBy: "trust policy of shared-data-reader" },
  },
  {
    name: "existing role with an IAM path: its app policy lists every bucket",
    config: "existing-role-path",
    change: policy(
      INSTANCE_ROLE_POLICY,
      add({ Sid: "ListAll", Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }),
    ),
    expect: {
      severity: "error",
      principal: `arn:aws:iam::${ACCESSOR}:role/service-role/app-runner`,
      action: "s3:ListAllMyBuckets",
      resource: "*",
      statement: "ListAll",
    },
  },
  {
    name: "bucket policy: the TLS deny turned into an Allow",
    config: "read-only",
    change: policy(
      BUCKET_POLICY,
      changeStatement("DenyInsecureTransport", (s) => ({ ...s, Effect: "Allow" })),
    ),
    expect: {
      severity: "error",
      principal: "anonymous",
      action: "s3:DeleteBucket",
      resource: bucketArn("read-only"),
      statement: "DenyInsecureTransport",
    },
  },

  // --- direct grant ---
  {
    name: "direct bucket policy: the PrincipalArn condition removed",
    config: "direct",
    change: policy(
      BUCKET_POLICY,
      changeStatement("ObjectLevelAccess", ({ Condition: _dropped, ...s }) => s),
    ),
    expect: {
      severity: "error",
      principal: ACCESSOR,
      action: "s3:PutObject",
      resource: "/*",
      statement: "ObjectLevelAccess",
    },
  },
  {
    name: "direct bucket policy: a second role of the accessor account",
    config: "direct",
    change: policy(
      BUCKET_POLICY,
      changeStatement("BucketLevelAccess", (s) => ({
        ...s,
        Condition: {
          ArnEquals: {
            "aws:PrincipalArn": [INSTANCE("direct-share-instance"), `arn:aws:iam::${ACCESSOR}:role/reporting`],
          },
        },
      })),
    ),
    expect: {
      severity: "error",
      principal: `arn:aws:iam::${ACCESSOR}:role/reporting`,
      action: "s3:ListBucket",
      resource: bucketArn("direct"),
      statement: "BucketLevelAccess",
    },
  },
  {
    name: "direct: s3:PutObject dropped from the instance role (under-grant across accounts)",
    config: "direct",
    change: policy(
      DIRECT_INSTANCE_ROLE_POLICY,
      changeStatement("ObjectLevelAccess", (s) => ({
        ...s,
        Action: (s.Action as string[]).filter((a) => a !== "s3:PutObject"),
      })),
    ),
    expect: { row: "bucket/object-actions", action: "s3:PutObject", decidedBy: "direct-share-instance" },
  },
  {
    name: "direct instance role: s3:GetObject on every bucket",
    config: "direct",
    change: policy(
      DIRECT_INSTANCE_ROLE_POLICY,
      add({ Sid: "ReadEverything", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/*" }),
    ),
    expect: {
      severity: "error",
      principal: INSTANCE("direct-share-instance"),
      action: "s3:GetObject",
      resource: "arn:aws:s3:::*/*",
      statement: "ReadEverything",
    },
  },

  // --- direct grant, SSE-KMS, key prefix, full ---
  {
    name: "direct key policy: PrincipalArn widened to every role of the accessor account",
    config: "direct-kms-prefix",
    change: policy(
      KEY_POLICY,
      changeStatement("BucketAccessorUsesKeyThroughS3", (s) => ({
        ...s,
        Condition: {
          StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
          ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCESSOR}:role/*` },
        },
      })),
    ),
    expect: {
      severity: "error",
      principal: `arn:aws:iam::${ACCESSOR}:role/*`,
      action: "kms:Decrypt",
      resource: ":key/",
      statement: "BucketAccessorUsesKeyThroughS3",
    },
  },
  {
    name: "direct bucket policy: prefix widened to the whole bucket (the role's policy still limits it: stated, not effective)",
    config: "direct-kms-prefix",
    change: policy(
      BUCKET_POLICY,
      changeStatement("ObjectLevelAccess", (s) => ({ ...s, Resource: `${bucketArn("direct-kms-prefix")}/*` })),
    ),
    expect: {
      severity: "warning",
      principal: INSTANCE("direct-kms-instance"),
      action: "s3:GetObject",
      resource: `${bucketArn("direct-kms-prefix")}/*`,
      statement: "ObjectLevelAccess",
    },
  },
  {
    name: "direct: ListBucketMultipartUploads (no s3:prefix) added under a prefix",
    config: "direct-kms-prefix",
    change: policy(
      DIRECT_INSTANCE_ROLE_POLICY,
      changeStatement("BucketLocation", (s) => ({
        ...s,
        Action: ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
      })),
    ),
    expect: {
      severity: "warning",
      principal: INSTANCE("direct-kms-instance"),
      action: "s3:ListBucketMultipartUploads",
      resource: bucketArn("direct-kms-prefix"),
      statement: "BucketLocation",
    },
  },

  // --- key prefix and people (role chain, read-only) ---
  {
    name: "people: the target role's objects widened past the prefix",
    config: "people",
    change: policy(
      TARGET_ROLE_POLICY,
      changeStatement("ObjectLevelAccess", (s) => ({ ...s, Resource: `${bucketArn("people")}/*` })),
    ),
    expect: {
      severity: "error",
      principal: TARGET("team-a-reader"),
      action: "s3:GetObject",
      resource: `${bucketArn("people")}/*`,
      statement: "ObjectLevelAccess",
    },
  },
  {
    name: "people: the s3:prefix condition weakened to *",
    config: "people",
    change: policy(
      TARGET_ROLE_POLICY,
      changeStatement("ListKeyPrefix", (s) => ({ ...s, Condition: { StringLike: { "s3:prefix": "*" } } })),
    ),
    expect: {
      severity: "error",
      principal: TARGET("team-a-reader"),
      action: "s3:ListBucket",
      resource: bucketArn("people"),
      statement: "ListKeyPrefix",
    },
  },
  {
    name: "people: the s3:prefix condition removed from the bucket policy (same account: the bucket policy alone lets the role list)",
    config: "people",
    change: policy(
      BUCKET_POLICY,
      changeStatement("ListKeyPrefix", ({ Condition: _dropped, ...s }) => s),
    ),
    expect: {
      severity: "error",
      principal: TARGET("team-a-reader"),
      action: "s3:ListBucket",
      resource: bucketArn("people"),
      statement: "ListKeyPrefix",
    },
  },
  {
    name: "people: the group may assume any role",
    config: "people",
    change: policy(
      GROUP_POLICY,
      changeStatement("AssumeTargetRole", (s) => ({ ...s, Resource: "*" })),
    ),
    expect: {
      severity: "error",
      principal: "group/team-a-readers",
      action: "sts:AssumeRole",
      resource: "*",
      statement: "AssumeTargetRole",
    },
  },
  {
    name: "people: a user not in the config admitted by the trust policy",
    config: "people",
    change: policy(
      TRUST_POLICY,
      changeStatement("AssumeFromAccessorPrincipals", (s) => ({
        ...s,
        Condition: {
          ArnEquals: {
            "aws:PrincipalArn": [
              ...((s.Condition?.ArnEquals?.["aws:PrincipalArn"] as string[] | undefined) ?? []),
              `arn:aws:iam::${ACCESSOR}:user/mallory`,
            ],
          },
        },
      })),
    ),
    expect: {
      severity: "error",
      principal: `arn:aws:iam::${ACCESSOR}:user/mallory`,
      action: "sts:AssumeRole",
      resource: TARGET("team-a-reader"),
      statement: "AssumeFromAccessorPrincipals",
    },
  },
  {
    name: "people: alice dropped from the trust policy (under-grant)",
    config: "people",
    change: policy(
      TRUST_POLICY,
      changeStatement("AssumeFromAccessorPrincipals", (s) => ({
        ...s,
        Condition: {
          ArnEquals: {
            "aws:PrincipalArn": ((s.Condition?.ArnEquals?.["aws:PrincipalArn"] as string[] | undefined) ?? []).filter(
              (arn) => !arn.endsWith(":user/alice"),
            ),
          },
        },
      })),
    ),
    expect: { row: "assume/user-alice", action: "sts:AssumeRole", decidedBy: "trust policy of team-a-reader" },
  },
  {
    name: "a new role in the owner stack trusting a third account",
    config: "read-only",
    change: stack("bucket-owner", (json) => {
      json.resource.aws_iam_role = {
        ...json.resource.aws_iam_role,
        backdoor: {
          name: "backdoor",
          provider: "aws.bucket_owner",
          assume_role_policy: document({
            Sid: "PartnerAssumes",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${THIRD}:root` },
            Action: "sts:AssumeRole",
          }),
        },
      };
    }),
    expect: {
      severity: "error",
      principal: THIRD,
      action: "sts:AssumeRole",
      resource: `arn:aws:iam::${OWNER}:role/backdoor`,
      statement: "PartnerAssumes",
    },
  },
  {
    name: "people: an AWS managed policy on the group",
    config: "people",
    change: stack("accessor", (json) => {
      json.resource.aws_iam_group_policy_attachment = {
        admin: {
          group: "${aws_iam_group.human_access.name}",
          policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess",
        },
      };
    }),
    expect: {
      severity: "error",
      principal: "group/team-a-readers",
      action: "AdministratorAccess",
      resource: "whatever the policy names",
      statement: "aws_iam_group_policy_attachment.admin",
    },
  },
];
