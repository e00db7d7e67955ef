/**
 * One function per configuration rule. Each takes the field path and the value
 * and returns the problems found (empty when the value is good). The same rules
 * check the JSON config (config/validate.ts) and the props of constructs built
 * from code (modules/, stacks/), so both report the same messages.
 * Values that are unresolved cdktf tokens are skipped: they are only known at
 * apply time.
 */
import { Token } from "cdktf";
import { ACCESS_LEVELS } from "./types";
import { DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA, DEFAULT_TAGS, MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA } from "./defaults";
import { isKnownRegion, partitionOf, REGION_SHAPE } from "./regions";
import { Problem, problem } from "./problems";

type Rule = (path: string, value: unknown) => Problem[];

const none: Problem[] = [];

function isToken(value: unknown): boolean {
  return typeof value === "string" && Token.isUnresolved(value);
}

/** A required string: reports a missing value or a value of another type. */
function requireString(path: string, value: unknown, example: string): Problem[] {
  if (typeof value === "string") return none;
  if (value === undefined) return [problem(path, value, `is required: a string (e.g. ${JSON.stringify(example)})`)];
  return [problem(path, value, `must be a string (e.g. ${JSON.stringify(example)})`)];
}

export const accountIdRule: Rule = (path, value) => {
  if (typeof value === "number") {
    return [
      problem(
        path,
        value,
        'is a number; write the account id as a 12-digit string in quotes, because a number loses leading zeros (e.g. "011122223333")',
      ),
    ];
  }
  const typeProblems = requireString(path, value, "111122223333");
  if (typeProblems.length > 0 || isToken(value)) return typeProblems;
  if (!/^\d{12}$/.test(value as string)) {
    return [problem(path, value, 'is not a 12-digit AWS account id (e.g. "111122223333")')];
  }
  return none;
};

export const regionRule: Rule = (path, value) => {
  const typeProblems = requireString(path, value, "eu-west-1");
  if (typeProblems.length > 0 || isToken(value)) return typeProblems;
  const region = value as string;
  if (!REGION_SHAPE.test(region)) {
    return [problem(path, value, 'is not shaped like an AWS region code (e.g. "eu-west-1" or "us-gov-west-1")')];
  }
  if (!isKnownRegion(region)) {
    return [problem(path, value, 'is not a known AWS region; check the spelling (e.g. "eu-west-1", "us-east-2")')];
  }
  return none;
};

const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** The S3 general purpose bucket naming rules ("Bucket naming rules" in the S3 user guide). */
export const bucketNameRule: Rule = (path, value) => {
  const typeProblems = requireString(path, value, "example-shared-data");
  if (typeProblems.length > 0 || isToken(value)) return typeProblems;
  const name = value as string;
  const example = '(e.g. "example-shared-data")';
  const found: Problem[] = [];
  if (name.length < 3 || name.length > 63) {
    found.push(problem(path, value, `must be 3 to 63 characters long, not ${name.length} ${example}`));
  }
  if (!/^[a-z0-9.-]*$/.test(name)) {
    found.push(problem(path, value, `may contain only lowercase letters, digits, dots and hyphens ${example}`));
  }
  if (name.length > 0 && !/^[a-z0-9].*[a-z0-9]$|^[a-z0-9]$/.test(name)) {
    found.push(problem(path, value, `must start and end with a lowercase letter or digit ${example}`));
  }
  if (name.includes("..")) {
    found.push(problem(path, value, `must not contain two adjacent periods ${example}`));
  }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    found.push(problem(path, value, `must not be shaped like an IP address ${example}`));
  }
  for (const prefix of RESERVED_BUCKET_PREFIXES) {
    if (name.startsWith(prefix)) {
      found.push(problem(path, value, `must not start with the reserved prefix "${prefix}" ${example}`));
    }
  }
  for (const suffix of RESERVED_BUCKET_SUFFIXES) {
    if (name.endsWith(suffix)) {
      found.push(problem(path, value, `must not end with the reserved suffix "${suffix}" ${example}`));
    }
  }
  return found;
};

export const accessLevelRule: Rule = (path, value) => {
  if (isToken(value)) return none;
  if (typeof value === "string" && (ACCESS_LEVELS as readonly string[]).includes(value)) return none;
  return [problem(path, value, `must be one of ${ACCESS_LEVELS.map((l) => `"${l}"`).join(", ")} (e.g. "read-only")`)];
};

/** IAM role names: 1-64 characters of letters, digits and `+=,.@_-` (IAM quotas page). */
export const roleNameRule: Rule = (path, value) => {
  const typeProblems = requireString(path, value, "s3-reader");
  if (typeProblems.length > 0 || isToken(value)) return typeProblems;
  const name = value as string;
  if (name.length < 1 || name.length > 64 || !/^[A-Za-z0-9+=,.@_-]+$/.test(name)) {
    return [
      problem(
        path,
        value,
        'is not a valid IAM role name: 1 to 64 letters, digits or any of "+=,.@_-" (e.g. "shared-data-reader")',
      ),
    ];
  }
  return none;
};

/** Both accounts must differ (this project exists for cross-account access) and share a partition. */
export function accountPairRule(
  owner: { accountId: unknown; region: unknown },
  accessor: { accountId: unknown; region: unknown },
): Problem[] {
  const found: Problem[] = [];
  if (typeof owner.accountId === "string" && owner.accountId === accessor.accountId && !isToken(owner.accountId)) {
    found.push(
      problem(
        "accessor.accountId",
        accessor.accountId,
        "is the same as bucketOwner.accountId; this project grants access across two different accounts (within one account, an IAM policy on the instance role is enough)",
      ),
    );
  }
  if (
    typeof owner.region === "string" &&
    typeof accessor.region === "string" &&
    isKnownRegion(owner.region) &&
    isKnownRegion(accessor.region) &&
    partitionOf(owner.region) !== partitionOf(accessor.region)
  ) {
    found.push(
      problem(
        "accessor.region",
        accessor.region,
        `is in partition "${partitionOf(accessor.region)}" but bucketOwner.region is in "${partitionOf(owner.region)}"; a role cannot be assumed across partitions (pick regions in one partition, e.g. "eu-west-1" and "us-east-1")`,
      ),
    );
  }
  return found;
}

function idRule(prefix: string, label: string, example: string): Rule {
  return (path, value) => {
    const typeProblems = requireString(path, value, example);
    if (typeProblems.length > 0 || isToken(value)) return typeProblems;
    if (!new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(value as string)) {
      return [problem(path, value, `is not ${label}: "${prefix}-" and 8 or 17 hex digits (e.g. "${example}")`)];
    }
    return none;
  };
}

export const amiIdRule = idRule("ami", "an AMI id", "ami-0123456789abcdef0");
export const subnetIdRule = idRule("subnet", "a subnet id", "subnet-0123456789abcdef0");
export const securityGroupIdRule = idRule("sg", "a security group id", "sg-0123456789abcdef0");

/** EC2 instance types look like family+generation, then a size: t3.micro, m7g.large, u-6tb1.metal. */
export const instanceTypeRule: Rule = (path, value) => {
  const typeProblems = requireString(path, value, "t3.micro");
  if (typeProblems.length > 0 || isToken(value)) return typeProblems;
  if (!/^[a-z][a-z0-9-]*\d[a-z0-9-]*\.[a-z0-9]+$/.test(value as string)) {
    return [problem(path, value, 'is not shaped like an EC2 instance type (e.g. "t3.micro" or "m7g.large")')];
  }
  return none;
};

export const ssmParameterRule: Rule = (path, value) => {
  const typeProblems = requireString(
    path,
    value,
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
  );
  if (typeProblems.length > 0 || isToken(value)) return typeProblems;
  if (!/^\/[A-Za-z0-9_.\-/]{1,2047}$/.test(value as string)) {
    return [
      problem(
        path,
        value,
        'is not an SSM parameter path: starts with "/" and uses letters, digits and "_.-/" (e.g. "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")',
      ),
    ];
  }
  return none;
};

export const cliProfileNameRule: Rule = (path, value) => {
  const typeProblems = requireString(path, value, "cross-account-s3");
  if (typeProblems.length > 0 || isToken(value)) return typeProblems;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value as string)) {
    return [
      problem(
        path,
        value,
        'is not a usable AWS CLI profile name: 1 to 64 letters, digits or "_.-" (e.g. "cross-account-s3")',
      ),
    ];
  }
  return none;
};

export function booleanRule(path: string, value: unknown): Problem[] {
  if (typeof value === "boolean") return none;
  return [problem(path, value, "must be true or false (e.g. false)")];
}

export function integerRangeRule(min: number, max: number, example: number): Rule {
  return (path, value) => {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return none;
    return [problem(path, value, `must be a whole number from ${min} to ${max} (e.g. ${example})`)];
  };
}

export const metadataHopLimitRule = integerRangeRule(1, 2, 1);
export const rootVolumeSizeRule = integerRangeRule(1, 16384, 20);

/** AWS's limit on tags per resource. */
const MAX_TAGS = 50;

/**
 * AWS tag rules ("Tag naming limits and requirements"): keys 1-128, values
 * 0-256, no "aws:" prefix, and at most 50 on a resource counting the
 * project's default tags and `resourceTags` (the instance's Name).
 */
function tagsRuleWith(resourceTags: readonly string[], where: string): Rule {
  return (path, value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return [problem(path, value, 'must be an object of tag keys to string values (e.g. {"team": "data-platform"})')];
    }
    const found: Problem[] = [];
    const entries = Object.entries(value as Record<string, unknown>);
    const added = [...Object.keys(DEFAULT_TAGS), ...resourceTags];
    const total = new Set([...added, ...entries.map(([key]) => key)]).size;
    found.push(...caseDuplicateTagProblems(path, entries));
    if (total > MAX_TAGS) {
      found.push(
        problem(
          path,
          `${entries.length} tags`,
          `makes ${total} tags on ${where} with ${added.join(", ")}, more than the ${MAX_TAGS} AWS allows on a resource; use at most ${MAX_TAGS - added.length} of your own`,
        ),
      );
    }
    return [...found, ...tagEntryProblems(path, entries)];
  };
}

/** Tags when the project creates the instance (which also carries its Name tag). */
export const tagsRule: Rule = tagsRuleWith(["Name"], "the instance");
/** Tags when no instance is created. */
export const tagsRuleWithoutInstance: Rule = tagsRuleWith([], "each resource");

/**
 * Tag keys that differ only in case. Most services keep them apart, but IAM
 * does not for roles and users ("Tagging IAM resources" in the IAM user guide:
 * adding department=hr to a role tagged Department=finance replaces it), and
 * default_tags puts every tag on the target and instance roles: the second
 * key would overwrite the first on the role and show as a change on every plan.
 */
function caseDuplicateTagProblems(path: string, entries: ReadonlyArray<[string, unknown]>): Problem[] {
  const firstByLowerCase = new Map<string, { key: string; isDefault: boolean }>(
    Object.keys(DEFAULT_TAGS).map((key) => [key.toLowerCase(), { key, isDefault: true }]),
  );
  const found: Problem[] = [];
  for (const [key] of entries) {
    const first = firstByLowerCase.get(key.toLowerCase());
    if (first === undefined) {
      firstByLowerCase.set(key.toLowerCase(), { key, isDefault: false });
    } else if (first.key !== key) {
      const other = first.isDefault
        ? `the project's default tag key ${JSON.stringify(first.key)}`
        : `${path}.${first.key}`;
      const fix = first.isDefault
        ? `write ${JSON.stringify(first.key)} to override the default, or choose another key`
        : "keep one of them";
      found.push(
        problem(
          `${path}.${key}`,
          key,
          `differs from ${other} only in case; IAM treats tag keys on roles as one key regardless of case, so the target and instance roles would keep only one of them; ${fix} (e.g. "team")`,
        ),
      );
    }
  }
  return found;
}

/** Length in Unicode characters, which AWS's tag limits count (a letter outside the BMP is one, not two). */
function characterCount(text: string): number {
  // Code points, not graphemes: AWS counts Unicode characters, and an emoji sequence is several of them.
  return Array.from(text).length;
}

function tagEntryProblems(path: string, entries: ReadonlyArray<[string, unknown]>): Problem[] {
  const found: Problem[] = [];
  const allowed = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
  for (const [key, tagValue] of entries) {
    const keyPath = `${path}.${key}`;
    if (key.length < 1 || characterCount(key) > 128 || !allowed.test(key)) {
      found.push(
        problem(keyPath, key, 'is not a valid tag key: 1 to 128 letters, digits, spaces or "_.:/=+-@" (e.g. "team")'),
      );
    } else if (key.toLowerCase().startsWith("aws:")) {
      found.push(problem(keyPath, key, 'uses the reserved "aws:" prefix; choose another key (e.g. "team")'));
    }
    if (typeof tagValue !== "string") {
      found.push(problem(keyPath, tagValue, 'must be a string tag value (e.g. "data-platform")'));
    } else if (characterCount(tagValue) > 256 || !allowed.test(tagValue)) {
      found.push(
        problem(
          keyPath,
          tagValue,
          'is not a valid tag value: up to 256 letters, digits, spaces or "_.:/=+-@" (e.g. "data-platform")',
        ),
      );
    }
  }
  return found;
}

/** A string field that must match `shape`; `expected` says what is wanted, with an example. */
function shapeRule(shape: RegExp, example: string, expected: string): Rule {
  return (path, value) => {
    const typeProblems = requireString(path, value, example);
    if (typeProblems.length > 0 || isToken(value)) return typeProblems;
    return shape.test(value as string) ? none : [problem(path, value, `${expected} (e.g. ${JSON.stringify(example)})`)];
  };
}

const ROLE_ARN = /^arn:aws(-[a-z-]+)?:iam::(\d{12}):role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/**
 * The role an ARN names, as "<account>:<name in lower case>": IAM role names
 * are unique in an account regardless of case and path ("IAM and AWS STS
 * quotas"), so two ARNs with the same identity name one role (or one of them
 * names nothing). Undefined when `arn` is not a role ARN.
 */
export function roleIdentity(arn: unknown): string | undefined {
  if (typeof arn !== "string" || !ROLE_ARN.test(arn)) return undefined;
  const account = arn.split(":")[4] ?? "";
  const name = arn.slice(arn.lastIndexOf("/") + 1);
  return `${account}:${name.toLowerCase()}`;
}

/** An IAM role ARN, optionally required to be in `accountId`. */
export function roleArnRule(accountId?: string, accountField?: string, region?: unknown): Rule {
  return (path, value) => {
    const example = `arn:aws:iam::${accountId ?? "111122223333"}:role/deploy`;
    const shapeProblems = shapeRule(ROLE_ARN, example, "is not an IAM role ARN")(path, value);
    if (shapeProblems.length > 0 || isToken(value)) return shapeProblems;
    const arnPartition = (value as string).split(":")[1];
    if (typeof region === "string" && isKnownRegion(region) && arnPartition !== partitionOf(region)) {
      return [
        problem(
          path,
          value,
          `is in partition "${arnPartition ?? "?"}", but region ${region} is in "${partitionOf(region)}"; a role is only reachable within its partition (e.g. ${JSON.stringify(example.replace("arn:aws:", `arn:${partitionOf(region)}:`))})`,
        ),
      ];
    }
    if (accountId === undefined) return none;
    const roleAccount = ROLE_ARN.exec(value as string)?.[2];
    if (roleAccount !== accountId) {
      return [
        problem(
          path,
          value,
          `is in account ${roleAccount ?? "?"}, but must be in ${accountField ?? "the account"} ${accountId} (e.g. ${JSON.stringify(example)})`,
        ),
      ];
    }
    return none;
  };
}

/** sts:AssumeRole session names: 2-64 of `[\w+=,.@-]`. */
export const sessionNameRule = shapeRule(
  /^[\w+=,.@-]{2,64}$/,
  "cdktf-deploy",
  'is not a valid role session name: 2 to 64 letters, digits or "+=,.@_-"',
);

/** sts:AssumeRole external ids: 2-1224 of `[\w+=,.@:/-]`. */
export const externalIdRule = shapeRule(
  /^[\w+=,.@:/-]{2,1224}$/,
  "deploy-7f3a",
  'is not a valid external id: 2 to 1224 letters, digits or "+=,.@:/_-"',
);

export const iamGroupNameRule = shapeRule(
  /^[\w+=,.@-]{1,128}$/,
  "shared-data-readers",
  'is not a valid IAM group name: 1 to 128 letters, digits or "+=,.@_-"',
);

export const iamUserNameRule = shapeRule(
  /^[\w+=,.@-]{1,64}$/,
  "alice",
  'is not a valid IAM user name: 1 to 64 letters, digits or "+=,.@_-"',
);

/** S3 object keys for Terraform state: relative, up to 1024 characters. */
export const stateKeyRule = shapeRule(
  /^(?!\/)[^\s]{1,1024}$/,
  "cross-account-s3-access/bucket-owner.tfstate",
  'is not a usable state object key: 1 to 1024 characters, no spaces, not starting with "/"',
);

export const dynamodbTableRule = shapeRule(
  /^[A-Za-z0-9_.-]{3,255}$/,
  "terraform-locks",
  'is not a DynamoDB table name: 3 to 255 letters, digits or "_.-"',
);

/**
 * A KMS key given as key id, key ARN, alias name or alias ARN, as Terraform's S3 backend checks kms_key_id at
 * init (internal/backend/remote-state/s3/validate.go): a key id is a UUID of version 1 to 5 with the RFC 4122
 * variant, or a multi-Region key id (mrk- and 32 hex digits). AWS's documentation example key id,
 * 1234abcd-12ab-34cd-56ef-1234567890ab, is not such a UUID, and Terraform rejects it.
 */
const KMS_KEY_ID = "([a-f0-9]{8}-[a-f0-9]{4}-[1-5][a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}|mrk-[a-f0-9]{32})";
const KMS_ALIAS = "alias/[a-zA-Z0-9/_-]+";
export const kmsKeyIdRule = shapeRule(
  new RegExp(
    `^(arn:aws(-[a-z-]+)?:kms:[a-z0-9-]+:\\d{12}:(key/${KMS_KEY_ID}|${KMS_ALIAS})|${KMS_KEY_ID}|${KMS_ALIAS})$`,
  ),
  "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
  "is not a KMS key id, key ARN or alias that Terraform's S3 backend accepts",
);

/**
 * A KMS key ARN in `accountId` (not an alias: grants need the key itself), and
 * in the bucket's region: S3 encrypts a bucket only with a key in the bucket's
 * own region ("Protecting data using server-side encryption with AWS KMS keys"
 * in the S3 user guide), and the key-use statement's kms:ViaService names S3
 * in that region, so a key elsewhere could never be used through it.
 */
export function kmsKeyArnRule(accountId?: string, region?: unknown, regionField = "bucketOwner.region"): Rule {
  return (path, value) => {
    const exampleRegion = typeof region === "string" && isKnownRegion(region) ? region : "eu-west-1";
    const examplePartition = partitionOf(exampleRegion);
    const example = `arn:${examplePartition}:kms:${exampleRegion}:${accountId ?? "111122223333"}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const shape =
      /^arn:aws(-[a-z-]+)?:kms:[a-z0-9-]+:(\d{12}):key\/[0-9a-f-]{36}$|^arn:aws(-[a-z-]+)?:kms:[a-z0-9-]+:(\d{12}):key\/mrk-[0-9a-f]{32}$/;
    const found = [...shapeRule(shape, example, "is not a KMS key ARN")(path, value)];
    if (found.length > 0 || isToken(value)) return found;
    const [, keyPartition = "?", , keyRegion = "?", keyAccount = "?"] = (value as string).split(":");
    if (accountId !== undefined && keyAccount !== accountId) {
      found.push(
        problem(
          path,
          value,
          `is in account ${keyAccount}, but the bucket's key must be in the bucket owner account ${accountId} (e.g. ${JSON.stringify(example)})`,
        ),
      );
    }
    if (typeof region !== "string" || !isKnownRegion(region)) return found;
    if (keyPartition !== partitionOf(region)) {
      found.push(
        problem(
          path,
          value,
          `is in partition "${keyPartition}", but ${regionField} ${region} is in "${partitionOf(region)}"; a bucket can only use a key of its own partition and region (e.g. ${JSON.stringify(example)})`,
        ),
      );
    } else if (keyRegion !== region) {
      found.push(
        problem(
          path,
          value,
          `is in region ${keyRegion}, but the bucket is in ${regionField} ${region}; S3 encrypts a bucket only with a key in the bucket's region, and the key-use permission only allows it through S3 in ${region} (e.g. ${JSON.stringify(example)})`,
        ),
      );
    }
    return found;
  };
}

/**
 * What IAM accepts in a policy document: tab, line feed, carriage return and
 * U+0020 to U+00FF ("IAM name requirements" in "IAM and AWS STS quotas").
 */
export const POLICY_DOCUMENT_CHARACTERS = /^[\t\n\r\u0020-\u00FF]*$/;

/** The distinct characters of `text` that IAM does not accept in a policy document. */
export function charactersOutsidePolicyDocuments(text: string): string[] {
  return [...new Set(Array.from(text).filter((char) => !POLICY_DOCUMENT_CHARACTERS.test(char)))];
}

/** A config value that is written into policies: only characters IAM accepts there. */
function policyTextProblems(path: string, value: string, where: string, example: string): Problem[] {
  const outside = charactersOutsidePolicyDocuments(value);
  if (outside.length === 0) return none;
  const shown = outside.slice(0, 5).map((char) => JSON.stringify(char));
  return [
    problem(
      path,
      value,
      `has characters IAM does not accept in a policy document (${shown.join(", ")}${outside.length > 5 ? ", ..." : ""}), and it is written into ${where}; a policy may hold only characters from U+0020 to U+00FF (Basic Latin and Latin-1) (e.g. ${JSON.stringify(example)})`,
    ),
  ];
}

/**
 * A key prefix for scoped access: relative, ends with "/", no IAM wildcards,
 * and no "${" or "%{", which Terraform would read as a template in the policy.
 */
const keyPrefixShapeRule = shapeRule(
  /^(?!\/)(?!.*[$%]\{)[^*?\s]{0,1023}\/$/,
  "team-a/",
  'is not a usable key prefix: no leading "/", no "*" or "?", no "${" or "%{", no spaces, ending with "/"',
);

/** An S3 object key, prefix included, is at most 1,024 bytes of UTF-8 ("Creating object key names" in the S3 user guide). */
const MAX_OBJECT_KEY_BYTES = 1024;

export const keyPrefixRule: Rule = (path, value) => {
  const found = [...keyPrefixShapeRule(path, value)];
  if (typeof value !== "string" || isToken(value)) return found;
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > MAX_OBJECT_KEY_BYTES) {
    found.push(
      problem(
        path,
        value,
        `is ${bytes.toLocaleString("en-US")} bytes in UTF-8, but an S3 object key, prefix included, is at most ${MAX_OBJECT_KEY_BYTES.toLocaleString("en-US")} bytes (e.g. "team-a/")`,
      ),
    );
  }
  return [...found, ...policyTextProblems(path, value, "the target role's and the bucket's policies", "team-a/")];
};

/** This account's "Role trust policy length" quota: the default, or a value Service Quotas can grant. */
export const roleTrustPolicyLengthQuotaRule: Rule = (path, value) => {
  if (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA &&
    value <= MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA
  ) {
    return none;
  }
  return [
    problem(
      path,
      value,
      `is not a "Role trust policy length" quota IAM grants: a whole number of characters from ${DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA} (the default) to ${MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA} (the most Service Quotas raises it to); set it only after the quota was raised for this account (e.g. ${MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA})`,
    ),
  ];
};

export const cloudOrganizationRule = shapeRule(
  /^[A-Za-z0-9_-]{1,64}$/,
  "acme-platform",
  'is not an HCP Terraform organization name: letters, digits, "-" or "_"',
);

export const cloudWorkspaceRule = shapeRule(
  /^[A-Za-z0-9_-]{1,90}$/,
  "shared-data-prod",
  'is not an HCP Terraform workspace name: 1 to 90 letters, digits, "-" or "_"',
);

export const hostnameRule = shapeRule(
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  "app.terraform.io",
  "is not a host name",
);

/** One of a fixed list of strings. */
export function oneOfRule(allowed: readonly string[]): Rule {
  return (path, value) => {
    if (isToken(value)) return none;
    if (typeof value === "string" && allowed.includes(value)) return none;
    return [problem(path, value, `must be one of ${allowed.map((v) => `"${v}"`).join(", ")} (e.g. "${allowed[0]}")`)];
  };
}
