/**
 * One function per configuration rule. Each takes the field path and the value
 * and returns the problems found (empty when the value is good). The same rules
 * check the JSON config (config/validate.ts) and the props of constructs built
 * from code (modules/, stacks/), so both report the same messages.
 * Values that are unresolved cdktf tokens are skipped: they are only known at
 * apply time.
 *
 * Each rule a config field uses also carries its JSON Schema fragment (schema-rule.ts): the
 * same regular expression, list of values or range, so cross-account-config.schema.json checks
 * in an editor what the rule checks here. A near-miss value gets the closest valid one as a
 * hint (did-you-mean.ts).
 */
import { Token } from "cdktf";
import { ACCESS_LEVELS } from "./types";
import { DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA, DEFAULT_TAGS, MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA } from "./defaults";
import { isKnownRegion, KNOWN_REGIONS, partitionOf, REGION_SHAPE } from "./regions";
import { Problem, problem } from "./problems";
import { describedRule, type SchemaRule } from "./schema-rule";
import { didYouMean, nearest, suggestInstanceType } from "./did-you-mean";

export type { Rule, SchemaRule } from "./schema-rule";

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

/** `expected`, then the hint when there is one, else the example: the suggestion is the better example. */
function expectedWithHint(expected: string, suggestion: string | undefined, example: string): string {
  return suggestion === undefined ? `${expected} (e.g. ${example})` : `${expected}; ${didYouMean(suggestion)}`;
}

/** A quoted number or boolean where JSON wants the bare value: "true" for true, "2" for 2. */
function unquotedHint(value: unknown, accepts: (unquoted: unknown) => boolean): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  const unquoted: boolean | number | undefined =
    text === "true" ? true : text === "false" ? false : /^-?\d+$/.test(text) ? Number(text) : undefined;
  return unquoted !== undefined && accepts(unquoted) ? `did you mean ${String(unquoted)}, without quotes?` : undefined;
}

const ACCOUNT_ID = /^\d{12}$/;

export const accountIdRule: SchemaRule = describedRule(
  (path, value) => {
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
    if (!ACCOUNT_ID.test(value as string)) {
      return [problem(path, value, 'is not a 12-digit AWS account id (e.g. "111122223333")')];
    }
    return none;
  },
  {
    schema: {
      type: "string",
      pattern: ACCOUNT_ID.source,
      patternErrorMessage:
        'Not a 12-digit AWS account id (e.g. "111122223333"); write it in quotes, a number loses leading zeros.',
    },
    label: "12-digit account id (a string)",
    example: "111122223333",
  },
);

export const regionRule: SchemaRule = describedRule(
  (path, value) => {
    const typeProblems = requireString(path, value, "eu-west-1");
    if (typeProblems.length > 0 || isToken(value)) return typeProblems;
    const region = value as string;
    if (!REGION_SHAPE.test(region)) {
      const expected = "is not shaped like an AWS region code";
      return [
        problem(
          path,
          value,
          expectedWithHint(expected, nearest(region, KNOWN_REGIONS), '"eu-west-1" or "us-gov-west-1"'),
        ),
      ];
    }
    if (!isKnownRegion(region)) {
      const suggestion = nearest(region, KNOWN_REGIONS);
      const expected =
        suggestion === undefined ? "is not a known AWS region; check the spelling" : "is not a known AWS region";
      return [problem(path, value, expectedWithHint(expected, suggestion, '"eu-west-1", "us-east-2"'))];
    }
    return none;
  },
  {
    // The known regions, so an editor completes them; a region AWS opens later is added to regions.ts.
    schema: {
      type: "string",
      enum: KNOWN_REGIONS,
      errorMessage: 'Not a known AWS region code (e.g. "eu-west-1"); the editor completes the known ones.',
    },
    label: "AWS region code",
    example: "eu-west-1",
  },
);

const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** The S3 general purpose bucket naming rules ("Bucket naming rules" in the S3 user guide). */
export const bucketNameRule: SchemaRule = describedRule(
  (path, value) => {
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
  },
  {
    schema: {
      type: "string",
      // The checks above in one expression: reserved prefixes, "..", an IP address, reserved suffixes, then the shape.
      pattern: `^(?!${RESERVED_BUCKET_PREFIXES.map(escapeRegExp).join("|")})(?!.*\\.\\.)(?!\\d{1,3}(\\.\\d{1,3}){3}$)(?!.*(${RESERVED_BUCKET_SUFFIXES.map(escapeRegExp).join("|")})$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`,
      patternErrorMessage:
        'Not an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, no reserved prefix or suffix (e.g. "example-shared-data").',
    },
    label: "S3 bucket name",
    example: "example-shared-data",
  },
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** IAM role names: 1-64 characters of letters, digits and `+=,.@_-` (IAM quotas page). */
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

export const roleNameRule: SchemaRule = describedRule(
  (path, value) => {
    const typeProblems = requireString(path, value, "s3-reader");
    if (typeProblems.length > 0 || isToken(value)) return typeProblems;
    const name = value as string;
    if (!ROLE_NAME.test(name)) {
      return [
        problem(
          path,
          value,
          'is not a valid IAM role name: 1 to 64 letters, digits or any of "+=,.@_-" (e.g. "shared-data-reader")',
        ),
      ];
    }
    return none;
  },
  {
    schema: {
      type: "string",
      pattern: ROLE_NAME.source,
      patternErrorMessage:
        'Not a valid IAM role name: 1 to 64 letters, digits or any of "+=,.@_-" (e.g. "shared-data-reader").',
    },
    label: "IAM role name",
    example: "shared-data-reader",
  },
);

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

function idRule(prefix: string, label: string, example: string): SchemaRule {
  const shape = new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`);
  const expected = `is not ${label}: "${prefix}-" and 8 or 17 hex digits`;
  return shapeRule(shape, example, expected, `${prefix}-…`);
}

export const amiIdRule = idRule("ami", "an AMI id", "ami-0123456789abcdef0");
export const subnetIdRule = idRule("subnet", "a subnet id", "subnet-0123456789abcdef0");
export const securityGroupIdRule = idRule("sg", "a security group id", "sg-0123456789abcdef0");

/**
 * EC2 instance types are a family (series, generation, options: t3, m7g, c7i-flex, u-6tb1), a dot
 * and a size ("Amazon EC2 instance type naming conventions" in the EC2 instance types guide):
 * nano to large, xlarge, <n>xlarge, metal or metal-<n>xl (c7i.metal-24xl).
 */
const INSTANCE_FAMILY = "[a-z][a-z0-9-]*\\d[a-z0-9-]*";
const INSTANCE_SIZE = "(nano|micro|small|medium|large|xlarge|[1-9]\\d*xlarge|metal|metal-[1-9]\\d*xl)";
const INSTANCE_TYPE = new RegExp(`^${INSTANCE_FAMILY}\\.${INSTANCE_SIZE}$`);
const FAMILY_DOT_ANYTHING = new RegExp(`^${INSTANCE_FAMILY}\\.[a-z0-9-]+$`);

/**
 * Any family of that shape is valid, listed or not: AWS adds families and sizes, and a type
 * newer than this project's list must still work. The list only feeds the "did you mean" hint.
 */
export const instanceTypeRule: SchemaRule = describedRule(
  (path, value) => {
    const typeProblems = requireString(path, value, "t3.micro");
    if (typeProblems.length > 0 || isToken(value)) return typeProblems;
    const type = value as string;
    if (INSTANCE_TYPE.test(type)) return none;
    const expected = FAMILY_DOT_ANYTHING.test(type)
      ? `does not end in an EC2 instance size (nano, micro, small, medium, large, xlarge, <n>xlarge, metal or metal-<n>xl)`
      : "is not shaped like an EC2 instance type";
    return [problem(path, value, expectedWithHint(expected, suggestInstanceType(type), '"t3.micro" or "m7g.large"'))];
  },
  {
    schema: {
      type: "string",
      pattern: INSTANCE_TYPE.source,
      patternErrorMessage:
        'Not an EC2 instance type: a family, a dot and a size (nano to large, xlarge, <n>xlarge, metal, metal-<n>xl), e.g. "t3.micro" or "m7g.large".',
      examples: ["t3.micro", "t4g.small", "m7g.large", "c7i.xlarge"],
    },
    label: "EC2 instance type",
    example: "t3.micro",
  },
);

const SSM_PARAMETER = /^\/[A-Za-z0-9_.\-/]{1,2047}$/;

export const ssmParameterRule: SchemaRule = describedRule(
  (path, value) => {
    const typeProblems = requireString(
      path,
      value,
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    );
    if (typeProblems.length > 0 || isToken(value)) return typeProblems;
    if (!SSM_PARAMETER.test(value as string)) {
      return [
        problem(
          path,
          value,
          'is not an SSM parameter path: starts with "/" and uses letters, digits and "_.-/" (e.g. "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")',
        ),
      ];
    }
    return none;
  },
  {
    schema: {
      type: "string",
      pattern: SSM_PARAMETER.source,
      patternErrorMessage: 'Not an SSM parameter path: starts with "/" and uses letters, digits and "_.-/".',
    },
    label: "SSM parameter path",
    example: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
  },
);

const CLI_PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export const cliProfileNameRule: SchemaRule = describedRule(
  (path, value) => {
    const typeProblems = requireString(path, value, "cross-account-s3");
    if (typeProblems.length > 0 || isToken(value)) return typeProblems;
    if (!CLI_PROFILE_NAME.test(value as string)) {
      return [
        problem(
          path,
          value,
          'is not a usable AWS CLI profile name: 1 to 64 letters, digits or "_.-" (e.g. "cross-account-s3")',
        ),
      ];
    }
    return none;
  },
  {
    schema: {
      type: "string",
      pattern: CLI_PROFILE_NAME.source,
      patternErrorMessage: 'Not a usable AWS CLI profile name: 1 to 64 letters, digits or "_.-".',
    },
    label: "AWS CLI profile name",
    example: "cross-account-s3",
  },
);

export const booleanRule: SchemaRule = describedRule(
  (path, value) => {
    if (typeof value === "boolean") return none;
    const hint = unquotedHint(value, (unquoted) => typeof unquoted === "boolean");
    return [problem(path, value, `must be true or false${hint === undefined ? " (e.g. false)" : `; ${hint}`}`)];
  },
  { schema: { type: "boolean" }, label: "boolean" },
);

function isIntegerIn(min: number, max: number, value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

export function integerRangeRule(min: number, max: number, example: number): SchemaRule {
  return describedRule(
    (path, value) => {
      if (isIntegerIn(min, max, value)) return none;
      const hint = unquotedHint(value, (unquoted) => isIntegerIn(min, max, unquoted));
      return [
        problem(
          path,
          value,
          `must be a whole number from ${min} to ${max}${hint === undefined ? ` (e.g. ${example})` : `; ${hint}`}`,
        ),
      ];
    },
    { schema: { type: "integer", minimum: min, maximum: max }, label: `${min}–${max}`, example },
  );
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
function tagsRuleWith(resourceTags: readonly string[], where: string): SchemaRule {
  return describedRule((path, value) => {
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
  }, TAGS_DESCRIPTION);
}

const TAG_CHARACTERS = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]";

/**
 * What JSON Schema can say of tags: the key and value rules, and never more than 50 of your own.
 * The exact count (with the project's tags and the instance's Name) and keys that differ only in
 * case are the validator's.
 */
const TAGS_DESCRIPTION = {
  schema: {
    type: "object",
    maxProperties: MAX_TAGS,
    propertyNames: {
      pattern: `^(?![aA][wW][sS]:)${TAG_CHARACTERS}{1,128}$`,
      patternErrorMessage:
        'Not a valid tag key: 1 to 128 letters, digits, spaces or "_.:/=+-@", not starting with "aws:".',
    },
    additionalProperties: {
      type: "string",
      pattern: `^${TAG_CHARACTERS}{0,256}$`,
      patternErrorMessage: 'Not a valid tag value: up to 256 letters, digits, spaces or "_.:/=+-@".',
    },
  },
  label: "object of tag keys to strings",
  example: { team: "data-platform" },
} as const;

/** Tags when the project creates the instance (which also carries its Name tag). */
export const tagsRule: SchemaRule = tagsRuleWith(["Name"], "the instance");
/** Tags when no instance is created. */
export const tagsRuleWithoutInstance: SchemaRule = tagsRuleWith([], "each resource");

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
  const allowed = new RegExp(`^${TAG_CHARACTERS}*$`, "u");
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

/**
 * A string field that must match `shape`; `expected` says what is wanted, with an example. The
 * schema holds the same expression, and `expected` as the editor's message.
 */
function shapeRule(shape: RegExp, example: string, expected: string, label: string): SchemaRule {
  return describedRule(
    (path, value) => {
      const typeProblems = requireString(path, value, example);
      if (typeProblems.length > 0 || isToken(value)) return typeProblems;
      return shape.test(value as string)
        ? none
        : [problem(path, value, `${expected} (e.g. ${JSON.stringify(example)})`)];
    },
    {
      schema: { type: "string", pattern: shape.source, patternErrorMessage: editorMessage(expected, example) },
      label,
      example,
    },
  );
}

/** A rule's "is not a …" phrase as a sentence on its own, for the editor: `Not a …. (e.g. "x")`. */
function editorMessage(expected: string, example: string): string {
  const sentence = expected.replace(/^is not /, "Not ").replace(/^is /, "");
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)} (e.g. ${JSON.stringify(example)}).`;
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

/**
 * One shape rule per example, built once: the account-bound rules below are made for every
 * config checked, and a rule with its schema is not free to build.
 */
function cachedShapeRule(
  cache: Map<string, SchemaRule>,
  shape: RegExp,
  example: string,
  expected: string,
  label: string,
): SchemaRule {
  let rule = cache.get(example);
  if (rule === undefined) {
    rule = shapeRule(shape, example, expected, label);
    cache.set(example, rule);
  }
  return rule;
}

const roleArnShapes = new Map<string, SchemaRule>();

/** An IAM role ARN, optionally required to be in `accountId`. */
export function roleArnRule(accountId?: string, accountField?: string, region?: unknown): SchemaRule {
  const example = `arn:aws:iam::${accountId ?? "111122223333"}:role/deploy`;
  const shape = cachedShapeRule(roleArnShapes, ROLE_ARN, example, "is not an IAM role ARN", "IAM role ARN");
  return describedRule((path, value) => {
    const shapeProblems = shape(path, value);
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
  }, shape);
}

/** sts:AssumeRole session names: 2-64 of `[\w+=,.@-]`. */
export const sessionNameRule = shapeRule(
  /^[\w+=,.@-]{2,64}$/,
  "cdktf-deploy",
  'is not a valid role session name: 2 to 64 letters, digits or "+=,.@_-"',
  "role session name",
);

/** sts:AssumeRole external ids: 2-1224 of `[\w+=,.@:/-]`. */
export const externalIdRule = shapeRule(
  /^[\w+=,.@:/-]{2,1224}$/,
  "deploy-7f3a",
  'is not a valid external id: 2 to 1224 letters, digits or "+=,.@:/_-"',
  "external id",
);

export const iamGroupNameRule = shapeRule(
  /^[\w+=,.@-]{1,128}$/,
  "shared-data-readers",
  'is not a valid IAM group name: 1 to 128 letters, digits or "+=,.@_-"',
  "IAM group name",
);

export const iamUserNameRule = shapeRule(
  /^[\w+=,.@-]{1,64}$/,
  "alice",
  'is not a valid IAM user name: 1 to 64 letters, digits or "+=,.@_-"',
  "IAM user name",
);

/** S3 object keys for Terraform state: relative, up to 1024 characters. */
export const stateKeyRule = shapeRule(
  /^(?!\/)[^\s]{1,1024}$/,
  "cross-account-s3-access/bucket-owner.tfstate",
  'is not a usable state object key: 1 to 1024 characters, no spaces, not starting with "/"',
  "S3 object key",
);

export const dynamodbTableRule = shapeRule(
  /^[A-Za-z0-9_.-]{3,255}$/,
  "terraform-locks",
  'is not a DynamoDB table name: 3 to 255 letters, digits or "_.-"',
  "DynamoDB table name",
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
  "KMS key id, key ARN or alias",
);

/**
 * A KMS key ARN in `accountId` (not an alias: grants need the key itself), and
 * in the bucket's region: S3 encrypts a bucket only with a key in the bucket's
 * own region ("Protecting data using server-side encryption with AWS KMS keys"
 * in the S3 user guide), and the key-use statement's kms:ViaService names S3
 * in that region, so a key elsewhere could never be used through it.
 */
const KMS_KEY_ARN =
  /^arn:aws(-[a-z-]+)?:kms:[a-z0-9-]+:(\d{12}):key\/[0-9a-f-]{36}$|^arn:aws(-[a-z-]+)?:kms:[a-z0-9-]+:(\d{12}):key\/mrk-[0-9a-f]{32}$/;

const kmsKeyArnShapes = new Map<string, SchemaRule>();

export function kmsKeyArnRule(accountId?: string, region?: unknown, regionField = "bucketOwner.region"): SchemaRule {
  const exampleRegion = typeof region === "string" && isKnownRegion(region) ? region : "eu-west-1";
  const examplePartition = partitionOf(exampleRegion);
  const example = `arn:${examplePartition}:kms:${exampleRegion}:${accountId ?? "111122223333"}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const shape = cachedShapeRule(kmsKeyArnShapes, KMS_KEY_ARN, example, "is not a KMS key ARN", "KMS key ARN");
  return describedRule((path, value) => {
    const found = [...shape(path, value)];
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
  }, shape);
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
  "key prefix",
);

/** An S3 object key, prefix included, is at most 1,024 bytes of UTF-8 ("Creating object key names" in the S3 user guide). */
const MAX_OBJECT_KEY_BYTES = 1024;

/**
 * The schema adds IAM's policy characters to the shape; the prefix's length in UTF-8 bytes is
 * the validator's alone (JSON Schema counts characters, and a Latin-1 letter is two bytes).
 */
export const keyPrefixRule: SchemaRule = describedRule(
  (path, value) => {
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
  },
  {
    schema: {
      type: "string",
      allOf: [
        {
          pattern: keyPrefixShapeRule.schema.pattern,
          patternErrorMessage: keyPrefixShapeRule.schema.patternErrorMessage,
        },
        {
          pattern: POLICY_DOCUMENT_CHARACTERS.source,
          patternErrorMessage: "Has characters IAM does not accept in a policy document: only U+0020 to U+00FF.",
        },
      ],
    },
    label: 'key prefix ending in "/"',
    example: keyPrefixShapeRule.example,
  },
);

/** This account's "Role trust policy length" quota: the default, or a value Service Quotas can grant. */
export const roleTrustPolicyLengthQuotaRule: SchemaRule = describedRule(
  (path, value) => {
    if (isIntegerIn(DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA, MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA, value)) return none;
    return [
      problem(
        path,
        value,
        `is not a "Role trust policy length" quota IAM grants: a whole number of characters from ${DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA} (the default) to ${MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA} (the most Service Quotas raises it to); set it only after the quota was raised for this account (e.g. ${MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA})`,
      ),
    ];
  },
  {
    schema: {
      type: "integer",
      minimum: DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA,
      maximum: MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA,
    },
    label: `${DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA}–${MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA} characters`,
    example: MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA,
  },
);

export const cloudOrganizationRule = shapeRule(
  /^[A-Za-z0-9_-]{1,64}$/,
  "acme-platform",
  'is not an HCP Terraform organization name: letters, digits, "-" or "_"',
  "organization name",
);

export const cloudWorkspaceRule = shapeRule(
  /^[A-Za-z0-9_-]{1,90}$/,
  "shared-data-prod",
  'is not an HCP Terraform workspace name: 1 to 90 letters, digits, "-" or "_"',
  "workspace name",
);

export const hostnameRule = shapeRule(
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  "app.terraform.io",
  "is not a host name",
  "host name",
);

/** A list whose every item must pass `item`; `example` is a good list, `label` says what it lists. */
export function listRule(item: SchemaRule, example: readonly unknown[], label = `list of ${item.label}`): SchemaRule {
  return describedRule(
    (path, value) => {
      if (!Array.isArray(value)) return [problem(path, value, `must be a list (e.g. ${JSON.stringify(example)})`)];
      return value.flatMap((entry, index) => item(`${path}[${index}]`, entry));
    },
    { schema: { type: "array", items: item.schema }, label, example },
  );
}

/** What instanceRoleNameRule accepts, the same for every context (built once: the rule is made per config). */
const INSTANCE_ROLE_NAME = {
  schema: { anyOf: [roleNameRule.schema, roleArnRule().schema] },
  label: "IAM role name, or an existing role's ARN",
  example: "shared-data-client-instance",
};

/**
 * `instanceRoleName`: a role name, or (for an existing role, which may have an IAM path such as
 * "/service-role/") the role's ARN in the accessor account. Without `context` any role ARN is
 * accepted; with it, an ARN needs existingInstanceRole and must be in the accessor account.
 */
export function instanceRoleNameRule(context?: {
  readonly existingInstanceRole: boolean;
  readonly accountId: string | undefined;
  readonly region: unknown;
}): SchemaRule {
  const arnRule = roleArnRule(context?.accountId, "accessor.accountId", context?.region);
  return describedRule((path, value) => {
    if (typeof value !== "string" || !value.startsWith("arn:")) return roleNameRule(path, value);
    if (context !== undefined && !context.existingInstanceRole) {
      const name = value.split("/").pop() ?? "";
      return [
        problem(
          path,
          value,
          `is a role ARN, which only names an existing role; set "existingInstanceRole": true, or give the name of the role to create (e.g. ${JSON.stringify(name)})`,
        ),
      ];
    }
    return arnRule(path, value);
  }, INSTANCE_ROLE_NAME);
}

/**
 * One of a fixed list of strings. A near miss gets the closest allowed value as a hint, and so does
 * a name that means one of them elsewhere (`aliases`: S3's "AES256" is this project's "SSE-S3").
 */
export function oneOfRule(allowed: readonly string[], aliases: Readonly<Record<string, string>> = {}): SchemaRule {
  return describedRule(
    (path, value) => {
      if (isToken(value)) return none;
      if (typeof value === "string" && allowed.includes(value)) return none;
      const suggestion =
        typeof value !== "string"
          ? undefined
          : Object.hasOwn(aliases, value)
            ? aliases[value]
            : nearest(value, allowed);
      const expected = `must be one of ${allowed.map((v) => `"${v}"`).join(", ")}`;
      return [problem(path, value, expectedWithHint(expected, suggestion, `"${allowed[0] ?? ""}"`))];
    },
    { schema: { enum: allowed }, label: allowed.map((v) => `"${v}"`).join(" | "), example: allowed[0] },
  );
}

export const accessLevelRule: SchemaRule = oneOfRule(ACCESS_LEVELS);

/** The value of `$schema`: where the editor finds this file's JSON Schema. The app ignores it. */
export const schemaReferenceRule: SchemaRule = describedRule(
  (path, value) => requireString(path, value, "./config/cross-account-config.schema.json"),
  { schema: { type: "string" }, label: "path or URL", example: "./config/cross-account-config.schema.json" },
);
