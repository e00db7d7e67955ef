/**
 * Every key of the config file, declared once: its rule, whether it is required, its default, one
 * line on what it is for. The validator (validate.ts, backend.ts, accessors.ts) walks these
 * tables; `npm run schema` turns them into cross-account-config.schema.json and the reference in
 * docs/configuration.md. Checks that join several keys stay code beside the walk, and the
 * schema's description lists them.
 */
import {
  type BackendDependentShape,
  type Field,
  objectShape,
  type TaggedShape,
  withFields,
  withoutFields,
} from "./field-table";
import {
  accessLevelRule,
  accountIdRule,
  amiIdRule,
  booleanRule,
  bucketNameRule,
  cliProfileNameRule,
  cloudOrganizationRule,
  cloudWorkspaceRule,
  dynamodbTableRule,
  externalIdRule,
  hostnameRule,
  iamGroupNameRule,
  iamUserNameRule,
  instanceRoleNameRule,
  instanceTypeRule,
  keyPrefixRule,
  kmsKeyArnRule,
  kmsKeyIdRule,
  listRule,
  metadataHopLimitRule,
  oneOfRule,
  regionRule,
  roleArnRule,
  roleNameRule,
  roleTrustPolicyLengthQuotaRule,
  rootVolumeSizeRule,
  schemaReferenceRule,
  securityGroupIdRule,
  sessionNameRule,
  ssmParameterRule,
  stateKeyRule,
  subnetIdRule,
  tagsRule,
} from "./rules";
import { accessPointNameRule, consumerNameRule } from "./accessor-names";
import { ACCESS_MODES, BUCKET_ENCRYPTIONS } from "./types";
import {
  DEFAULT_ACCESS_LEVEL,
  DEFAULT_CLI_PROFILE_NAME,
  DEFAULT_CLOUD_HOSTNAME,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_METADATA_HOP_LIMIT,
  DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA,
  DEFAULT_STATE_KEY_PREFIX,
  DEFAULT_TAGS,
} from "./defaults";

/** `$schema`: accepted in both forms and ignored, so an editor can find the schema. */
const SCHEMA_REFERENCE: Field = {
  check: schemaReferenceRule,
  description: "Where editors find this file's JSON Schema, relative to the file; the app ignores it.",
  example: "./config/cross-account-config.schema.json",
};

export const DEPLOY_ROLE = objectShape(
  '{"roleArn": "arn:aws:iam::111122223333:role/deploy"}',
  {
    roleArn: { check: roleArnRule(), required: true, description: "The deploy role's ARN, in this account." },
    sessionName: {
      check: sessionNameRule,
      defaultText: "chosen by the provider",
      description: "Session name CloudTrail shows for the deploy.",
    },
    externalId: { check: externalIdRule, description: "External id the deploy role's trust policy requires." },
  },
  "deployRole",
);

export const ACCOUNT = objectShape(
  '{"accountId": "111122223333", "region": "eu-west-1"}',
  {
    accountId: { check: accountIdRule, required: true, description: "The 12-digit AWS account id, in quotes." },
    region: { check: regionRule, required: true, description: "The region this account's resources live in." },
    profile: {
      check: cliProfileNameRule,
      defaultText: "ambient credentials",
      description: "AWS CLI profile the provider reads credentials from.",
      example: "owner-deploy",
    },
    assumeRole: { check: DEPLOY_ROLE, description: "A role the provider assumes to deploy into this account." },
    roleTrustPolicyLengthQuota: {
      check: roleTrustPolicyLengthQuotaRule,
      default: DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA,
      description: 'This account\'s IAM "Role trust policy length" quota, once Service Quotas raised it.',
    },
  },
  "account",
);

export const BUCKET = objectShape(
  '{"name": "example-shared-data"}',
  {
    name: { check: bucketNameRule, required: true, description: "The bucket's name." },
    existing: {
      check: booleanRule,
      default: false,
      description: "The bucket exists in the owner account: it is granted, not created or managed.",
    },
    keyPrefix: {
      check: keyPrefixRule,
      defaultText: "the whole bucket",
      description: 'Grant only keys under this prefix (ends with "/").',
    },
    encryption: {
      // S3's own names for the two: "AES256" is SSE-S3, "aws:kms" is SSE-KMS.
      check: oneOfRule(BUCKET_ENCRYPTIONS, { AES256: "SSE-S3", "aws:kms": "SSE-KMS" }),
      default: "SSE-S3",
      description: "Encryption of a bucket this project creates; SSE-KMS creates a customer managed key.",
    },
    kmsKeyArn: {
      check: kmsKeyArnRule(),
      description: "For an existing bucket encrypted with a customer managed key: that key's ARN.",
    },
  },
  "bucket",
);

export const INSTANCE = objectShape(
  '{"instanceType": "t3.micro"}',
  {
    create: {
      check: booleanRule,
      default: true,
      defaultText: "`true` (`false` with `existingInstanceRole`)",
      description: "false: create only the role and instance profile; attach them to your own instance.",
    },
    instanceType: { check: instanceTypeRule, default: DEFAULT_INSTANCE_TYPE, description: "EC2 instance type." },
    amiId: { check: amiIdRule, description: "A fixed AMI instead of the SSM lookup." },
    amiSsmParameter: {
      check: ssmParameterRule,
      defaultText: "Amazon Linux 2023 for the type's architecture",
      description: "Public SSM parameter naming the AMI, read at the first deploy.",
    },
    subnetId: { check: subnetIdRule, defaultText: "the default VPC's", description: "Subnet to launch in." },
    securityGroupIds: {
      check: listRule(securityGroupIdRule, ["sg-0123456789abcdef0"], "list of security group ids"),
      default: [],
      defaultText: "the VPC's default group",
      description: "Security groups of the instance.",
    },
    associatePublicIpAddress: {
      check: booleanRule,
      default: false,
      description: "Give the instance a public IPv4 address.",
    },
    metadataHopLimit: {
      check: metadataHopLimitRule,
      default: DEFAULT_METADATA_HOP_LIMIT,
      description: "IMDSv2 hop limit; 2 lets containers on the instance reach it.",
    },
    rootVolumeSizeGiB: {
      check: rootVolumeSizeRule,
      defaultText: "the AMI's size",
      description: "Root volume size in GiB (encrypted gp3).",
    },
    sessionManager: {
      check: booleanRule,
      default: false,
      description: "Reach the instance with SSM Session Manager: no SSH keys, no inbound ports.",
    },
  },
  "instance",
);

export const HUMAN_ACCESS = objectShape(
  '{"groupName": "shared-data-readers", "userNames": ["alice"]}',
  {
    groupName: {
      check: iamGroupNameRule,
      description: "IAM group created in the accessor account; its members may assume the target role.",
    },
    userNames: {
      check: listRule(iamUserNameRule, ["alice"], "list of IAM user names"),
      default: [],
      description: "Existing IAM users added to the group and named in the trust policy.",
    },
    roleArns: {
      check: listRule(roleArnRule(), ["arn:aws:iam::444455556666:role/data-analyst"], "list of IAM role ARNs"),
      default: [],
      description: "Existing roles in the accessor account (e.g. IAM Identity Center ones) named in the trust policy.",
    },
  },
  "humanAccess",
);

export const BACKEND_TYPES = ["local", "s3", "cloud"] as const;

/** One stack's state in S3; in `backend.bucketOwner` the bucket is required. */
export const S3_STATE = objectShape(
  '{"bucket": "example-terraform-state", "key": "shared/bucket-owner.tfstate"}',
  {
    bucket: {
      check: bucketNameRule,
      defaultText: "`backend.bucketOwner.bucket`",
      description: "The state bucket.",
      example: "example-terraform-state",
    },
    key: {
      check: stateKeyRule,
      defaultText: `\`${DEFAULT_STATE_KEY_PREFIX}/<stack id>.tfstate\``,
      description: "Object key of this stack's state.",
    },
    region: {
      check: regionRule,
      defaultText: "`bucketOwner.region`",
      description: "Region of the state bucket.",
    },
    profile: {
      check: cliProfileNameRule,
      defaultText: "ambient credentials",
      description: "AWS CLI profile the backend uses (not the provider's).",
      example: "state-admin",
    },
    roleArn: { check: roleArnRule(), description: "Role the backend assumes to read and write this state." },
    dynamodbTable: { check: dynamodbTableRule, description: "DynamoDB table for legacy state locking." },
    useLockfile: {
      check: booleanRule,
      default: true,
      description: "Terraform's native S3 locking (1.10 or later): a .tflock object beside the state.",
    },
    kmsKeyId: { check: kmsKeyIdRule, description: "KMS key for the state object; else the bucket's default." },
  },
  "s3State",
);

/** backend.bucketOwner: the bucket is required here; an accessor's state falls back to these settings. */
export const S3_OWNER_STATE = withFields(
  S3_STATE,
  {
    bucket: {
      check: bucketNameRule,
      required: true,
      description: "The state bucket.",
      example: "example-terraform-state",
    },
  },
  "s3OwnerState",
);

const OWNER_STATE_READER_ROLE_ARN: Field = {
  check: roleArnRule(),
  defaultText: "`backend.accessor.roleArn`",
  description: "Role the accessor stack assumes to read the owner's state.",
};

export const S3_BACKEND = objectShape("", {
  bucketOwner: { check: S3_OWNER_STATE, required: true, description: "The bucket owner stack's state." },
  accessor: {
    check: S3_STATE,
    defaultText: "`backend.bucketOwner`'s settings",
    description: "The accessor stack's state; unset keys copy backend.bucketOwner's.",
  },
  ownerStateReaderRoleArn: OWNER_STATE_READER_ROLE_ARN,
});

export const CLOUD_BACKEND = objectShape("", {
  organization: { check: cloudOrganizationRule, required: true, description: "HCP Terraform organization." },
  hostname: {
    check: hostnameRule,
    default: DEFAULT_CLOUD_HOSTNAME,
    description: "app.terraform.io, or a Terraform Enterprise host.",
  },
  bucketOwnerWorkspace: {
    check: cloudWorkspaceRule,
    required: true,
    description: "Workspace of the bucket owner stack.",
    example: "shared-data-owner",
  },
  accessorWorkspace: {
    check: cloudWorkspaceRule,
    required: true,
    description: "Workspace of the accessor stack.",
    example: "shared-data-accessor",
  },
});

const BACKEND_TYPE: TaggedShape["tagField"] = {
  // Terraform's `remote` backend is the older name of HCP Terraform's `cloud` block.
  check: oneOfRule(BACKEND_TYPES, { remote: "cloud" }),
  required: true,
  description: "local: terraform.<stack>.tfstate files; s3: an S3 bucket; cloud: HCP Terraform workspaces.",
};

export const BACKEND: TaggedShape = {
  kind: "tagged",
  tag: "type",
  tagField: BACKEND_TYPE,
  variants: { local: objectShape("", {}), s3: S3_BACKEND, cloud: CLOUD_BACKEND },
  example: '{"type": "local"}',
};

const BACKEND_FIELD: Field = {
  check: BACKEND,
  default: { type: "local" },
  description: "Where each stack keeps its Terraform state (the accessor reads the owner's).",
};

/** The single `accessor` form, in the order the validator reports problems. */
export const SINGLE_FORM = objectShape(
  "",
  {
    bucketOwner: { check: ACCOUNT, required: true, description: "Account A: owns the bucket and the target role." },
    accessor: { check: ACCOUNT, required: true, description: "Account B: runs the EC2 workload." },
    bucket: { check: BUCKET, required: true, description: "The shared bucket, in the bucket owner account." },
    accessLevel: {
      check: accessLevelRule,
      default: DEFAULT_ACCESS_LEVEL,
      description: "What the accessor may do in the bucket (never s3:* or bucket administration).",
    },
    targetRoleName: {
      check: roleNameRule,
      required: true,
      description: "Role created in the bucket owner account for the accessor to assume.",
    },
    instanceRoleName: {
      check: instanceRoleNameRule(),
      required: true,
      description: "The EC2 instance's role in the accessor account; an existing role's ARN with existingInstanceRole.",
      example: "shared-data-client-instance",
    },
    cliProfileName: {
      check: cliProfileNameRule,
      default: DEFAULT_CLI_PROFILE_NAME,
      description: "Name of the AWS CLI profile written on the instance.",
    },
    tags: {
      check: tagsRule,
      default: {},
      defaultText: `\`{}\`, merged over \`${JSON.stringify(DEFAULT_TAGS)}\``,
      description: "Tags on every resource, through each provider's default_tags.",
    },
    existingInstanceRole: {
      check: booleanRule,
      default: false,
      description: "The instance role exists: only its permission to assume the target role is added.",
    },
    instance: { check: INSTANCE, description: "The accessor's EC2 instance." },
    accessMode: {
      check: oneOfRule(ACCESS_MODES),
      default: "role-chain",
      description: "direct: no target role; the bucket policy grants the instance role itself.",
    },
    humanAccess: {
      check: HUMAN_ACCESS,
      description: "People in the accessor account who may also assume the target role.",
    },
    backend: BACKEND_FIELD,
    $schema: SCHEMA_REFERENCE,
  },
  "singleForm",
);

/** The top-level keys of the single form that are one consumer's; in the list form each entry has its own. */
export const CONSUMER_KEYS = [
  "targetRoleName",
  "instanceRoleName",
  "accessLevel",
  "cliProfileName",
  "instance",
  "existingInstanceRole",
  "humanAccess",
] as const;

const single = SINGLE_FORM.fields;

/** A consumer's own backend settings, by the config's backend type; with "local" there are none. */
export const ENTRY_BACKEND = {
  kind: "by-backend-type" as const,
  variants: {
    s3: objectShape(
      '{"key": "shared/accessor-team-a.tfstate"}',
      {
        ...S3_STATE.fields,
        key: {
          check: stateKeyRule,
          defaultText: "beside the owner's state: `<folder>/accessor-<name>.tfstate`",
          description: "Object key of this consumer's state.",
        },
        ownerStateReaderRoleArn: OWNER_STATE_READER_ROLE_ARN,
      },
      "entryS3Backend",
    ),
    cloud: objectShape(
      '{"workspace": "shared-data-accessor-team-a"}',
      {
        workspace: {
          check: cloudWorkspaceRule,
          defaultText: "`<backend.bucketOwnerWorkspace>-accessor-<name>`",
          description: "This consumer's workspace.",
          example: "shared-data-accessor-team-a",
        },
      },
      "entryCloudBackend",
    ),
  },
} satisfies BackendDependentShape;

/**
 * One consumer in the `accessors` list: the single form's accessor account, consumer keys and
 * key prefix in one object, plus its name, access point and backend settings.
 */
export const ENTRY = objectShape(
  '{"name": "team-a", "accountId": "444455556666", "region": "eu-west-1", "targetRoleName": "team-a-reader", "instanceRoleName": "team-a-instance", "keyPrefix": "team-a/"}',
  {
    name: {
      check: consumerNameRule,
      required: true,
      description: "Short name: the stack is accessor-<name>, and the access point is named after it.",
    },
    ...ACCOUNT.fields,
    targetRoleName: { ...field("targetRoleName"), description: "This consumer's target role, in the owner account." },
    instanceRoleName: field("instanceRoleName"),
    accessLevel: field("accessLevel"),
    keyPrefix: { ...BUCKET.fields.keyPrefix, description: 'Grant only keys under this prefix (ends with "/").' },
    instance: field("instance"),
    humanAccess: field("humanAccess"),
    existingInstanceRole: field("existingInstanceRole"),
    cliProfileName: field("cliProfileName"),
    accessPointName: {
      check: accessPointNameRule,
      defaultText: "the name",
      description: "The consumer's S3 access point in the owner account.",
    },
    allowPrefixOverlap: {
      check: booleanRule,
      default: false,
      description: "This consumer may reach keys of consumers whose prefix its own contains.",
    },
    backend: {
      check: ENTRY_BACKEND,
      description: 'Where this consumer\'s stack keeps its state: s3 settings, or a cloud "workspace".',
    },
  },
  "accessor",
);

function field(key: (typeof CONSUMER_KEYS)[number]): Field {
  return single[key];
}

/** The S3 backend with `accessors`: backend.accessor holds what every consumer's state shares, keys are per entry. */
const LIST_S3_BACKEND = withFields(S3_BACKEND, {
  accessor: {
    check: withoutFields(S3_STATE, ["key"], "s3SharedState"),
    defaultText: "`backend.bucketOwner`'s settings",
    description: "Settings every consumer's state shares (its key is accessors[].backend.key).",
  },
});

const LIST_BACKEND: TaggedShape = {
  ...BACKEND,
  variants: {
    ...BACKEND.variants,
    s3: LIST_S3_BACKEND,
    cloud: withoutFields(CLOUD_BACKEND, ["accessorWorkspace"]),
  },
};

/** The `accessors` form: one bucket, many consumers. */
export const LIST_FORM = objectShape(
  "",
  {
    bucketOwner: single.bucketOwner,
    bucket: { ...single.bucket, check: withoutFields(BUCKET, ["keyPrefix"], "listBucket") },
    tags: single.tags,
    backend: { ...BACKEND_FIELD, check: LIST_BACKEND },
    accessors: {
      check: { kind: "list", items: ENTRY, minItems: 1, example: `[${ENTRY.example}]` },
      required: true,
      description: "The consumers, each with its own accessor account, stack, target role and access point.",
    },
    $schema: SCHEMA_REFERENCE,
  },
  "accessorsForm",
);

/** The accessor account's keys, which an entry holds at its top level. */
export const ACCOUNT_KEYS: readonly string[] = Object.keys(ACCOUNT.fields);
