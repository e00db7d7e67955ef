/**
 * Ways to break one key of a valid config, for the suites that check the validator and the JSON
 * Schema agree: every key of the configuration reference has at least one breaker (the suite
 * checks it), each with the path both must report. A breaker breaks its key on its own: the
 * value is wrong in shape, never right in shape but wrong with another key (an ARN in the wrong
 * account, say), which only the validator can see.
 */
import fc from "fast-check";
import type { RawConfig } from "./config";
import { accountId, bucketName, REGIONS, validRaw } from "./config-arbitraries";

/** A valid config, and what a breaker needs to know of it. */
export interface BaseConfig {
  readonly raw: RawConfig;
  /** The ARN partition of its regions ("aws", "aws-cn", …). */
  readonly partition: string;
}

/** One way to break one key. */
export interface Breaker {
  /** The key as the configuration reference lists it (path, and its variant, e.g. ` (type "s3")`). */
  readonly key: string;
  /** Where the validator and the schema both report it. */
  readonly path: string;
  /** What the test names it by. */
  readonly label: string;
  /**
   * Breakers of one group are not combined: they touch the same object (all of `backend`, one
   * consumer key), and one would undo or change the other.
   */
  readonly group: string;
  readonly apply: (base: BaseConfig) => void;
}

/** What a breaker does first; `touches` is the object it sets up, for grouping. */
type Setup = ((base: BaseConfig) => void) & { readonly touches?: string };

/** The group of a breaker at `path`: its top-level key, or its consumer's key in the list. */
function groupOf(path: string, setup: Setup | undefined): string {
  // A consumer's backend settings depend on the shared backend: all of them are one group.
  if (setup?.touches?.startsWith("backend") === true || /^accessors\[\d+\]\.backend\b/.test(path)) return "backend";
  const entry = /^accessors\[\d+\]\.[^.[]+/.exec(path);
  return entry?.[0] ?? path.split(/[.[]/)[0] ?? path;
}

/** Sets `value` at a dotted path (`accessors[0].backend.key`), making the objects on the way; undefined deletes. */
export function setAt(raw: RawConfig, path: string, value: unknown): void {
  const segments = path.split(/\.|(?=\[)/).map((segment) => {
    const index = /^\[(\d+)\]$/.exec(segment);
    return index ? Number(index[1]) : segment;
  });
  let holder: Record<string | number, unknown> = raw;
  segments.slice(0, -1).forEach((segment, i) => {
    const next = holder[segment];
    if (typeof next !== "object" || next === null) {
      holder[segment] = typeof segments[i + 1] === "number" ? [] : {};
    }
    holder = holder[segment] as Record<string | number, unknown>;
  });
  const last = segments[segments.length - 1] as string | number;
  if (value === undefined) delete holder[last];
  else holder[last] = value;
}

/** A readable name for a value, `(missing)` for a deleted key. */
function show(value: unknown): string {
  return value === undefined ? "(missing)" : JSON.stringify(value);
}

/** Breakers that set `values` at `path` (by default the key's own path), after `setup`. */
function bad(key: string, values: readonly unknown[], setup?: Setup, path = key.replace(/ \(.*\)$/, "")): Breaker[] {
  return values.map((value) => ({
    key,
    path,
    label: `${path} = ${show(value)}`,
    group: groupOf(path, setup),
    apply: (base) => {
      setup?.(base);
      setAt(base.raw, path, value);
    },
  }));
}

/** A breaker whose value sits at `path` but which is reported at `reported`. */
function badAt(key: string, path: string, reported: string, value: unknown, setup?: Setup): Breaker {
  return {
    key,
    path: reported,
    label: `${path} = ${show(value)}`,
    group: groupOf(path, setup),
    apply: (base) => {
      setup?.(base);
      setAt(base.raw, path, value);
    },
  };
}

function set(path: string, value: unknown): Setup {
  return Object.assign((base: BaseConfig) => setAt(base.raw, path, structuredClone(value)), { touches: path });
}

const deployRole: Setup = ({ raw, partition }) => {
  const owner = raw.bucketOwner as { accountId: string };
  setAt(raw, "bucketOwner.assumeRole", { roleArn: `arn:${partition}:iam::${owner.accountId}:role/deploy` });
};

const S3_BACKEND = { type: "s3", bucketOwner: { bucket: "example-terraform-state" } };
const CLOUD_BACKEND = {
  type: "cloud",
  organization: "acme-platform",
  bucketOwnerWorkspace: "shared-data-owner",
  accessorWorkspace: "shared-data-accessor",
};
const S3_STATE_BREAKS: ReadonlyArray<[string, readonly unknown[]]> = [
  ["bucket", ["Bad_Name", "ab"]],
  ["key", ["/absolute.tfstate", "has space.tfstate"]],
  ["region", ["eu-centrl-1"]],
  ["profile", ["has space"]],
  ["roleArn", ["not-an-arn"]],
  ["dynamodbTable", ["tl", "bad table"]],
  ["useLockfile", ["yes"]],
  ["kmsKeyId", ["1234abcd-12ab-34cd-56ef-1234567890ab", "bad"]],
];

/** Every breaker of the single `accessor` form. */
export function singleFormBreakers(): Breaker[] {
  const humanAccess = set("humanAccess", { groupName: "shared-data-readers", userNames: ["alice"] });
  return [
    ...bad("bucketOwner", ["111122223333", [], null]),
    ...bad("bucketOwner.accountId", ["12345", 111122223333, "11112222333a", undefined]),
    ...bad("bucketOwner.region", ["eu-centrl-1", "EU-WEST-1", 7, ""]),
    ...bad("bucketOwner.profile", ["has space", "", 5]),
    ...bad("bucketOwner.assumeRole", ["arn:aws:iam::111122223333:role/deploy", []]),
    ...bad(
      "bucketOwner.assumeRole.roleArn",
      ["not-an-arn", "arn:aws:iam::111122223333:user/deploy", undefined],
      set("bucketOwner.assumeRole", {}),
    ),
    ...bad("bucketOwner.assumeRole.sessionName", ["x", "has space", 5], deployRole),
    ...bad("bucketOwner.assumeRole.externalId", ["x", "bad#id"], deployRole),
    ...bad("bucketOwner.roleTrustPolicyLengthQuota", [1000, 5000, 2048.5, "4096"]),
    ...bad("accessor", ["444455556666"]),
    badAt("accessor", "accessor.region", "accessor.region", "eu-wast-1"),
    ...bad("bucket", ["example-shared-data", null]),
    ...bad("bucket.name", ["Bad_Name", "ab", "192.168.0.1", "xn--data", "data-s3alias", "my..bucket", undefined]),
    ...bad("bucket.existing", ["yes", 1]),
    ...bad("bucket.keyPrefix", ["no-slash", "/leading/", "a*b/", "${x}/", "emoji😀/", 5]),
    ...bad("bucket.encryption", ["AES256", "sse-kms", 1]),
    ...bad(
      "bucket.kmsKeyArn",
      ["not-an-arn", "arn:aws:kms:eu-west-1:111122223333:alias/x"],
      set("bucket.existing", true),
    ),
    ...bad("accessLevel", ["admin", "READ-ONLY", 3]),
    ...bad("targetRoleName", ["", "has space", "x".repeat(65), undefined]),
    ...bad("instanceRoleName", ["bad*name", 12, "", undefined]),
    ...bad("cliProfileName", ["has space", ""]),
    ...bad("tags", ["team", []]),
    badAt("tags", "tags", "tags.aws:team", { "aws:team": "x" }),
    badAt("tags", "tags", "tags.team", { team: 5 }),
    badAt("tags", "tags", "tags.team", { team: "a*b" }),
    badAt("tags", "tags", "tags.x".concat("y".repeat(128)), { ["x".concat("y".repeat(128))]: "long key" }),
    ...bad("existingInstanceRole", ["yes", 1]),
    ...bad("instance", ["t3.micro", []]),
    ...bad("instance.create", ["false", 0]),
    ...bad("instance.instanceType", ["big", "T3.micro", "t3.mirco", "t3"]),
    ...bad("instance.amiId", ["ami-xyz", "ami-123"]),
    ...bad("instance.amiSsmParameter", ["no-leading-slash", "/has space"]),
    ...bad("instance.subnetId", ["subnet-xyz"]),
    ...bad("instance.securityGroupIds", ["sg-12345678"]),
    badAt("instance.securityGroupIds", "instance.securityGroupIds", "instance.securityGroupIds[0]", ["sg-xyz"]),
    ...bad("instance.associatePublicIpAddress", ["yes"]),
    ...bad("instance.metadataHopLimit", [0, 3, 1.5, "2"]),
    ...bad("instance.rootVolumeSizeGiB", [0, 16385, 8.5]),
    ...bad("instance.sessionManager", ["on", 1]),
    ...bad("accessMode", ["Direct", "assume-role", true]),
    ...bad("humanAccess", ["alice", []]),
    ...bad("humanAccess.groupName", ["bad name", ""], set("humanAccess", { userNames: ["alice"] })),
    badAt(
      "humanAccess.userNames",
      "humanAccess.userNames",
      "humanAccess.userNames[0]",
      ["bad name"],
      set("humanAccess.groupName", "readers"),
    ),
    ...bad("humanAccess.roleArns", ["arn:aws:iam::444455556666:role/x"], humanAccess),
    badAt(
      "humanAccess.roleArns",
      "humanAccess.roleArns",
      "humanAccess.roleArns[0]",
      ["not-an-arn"],
      set("humanAccess", {}),
    ),
    ...bad("backend", ["s3", []]),
    ...bad("backend.type", ["gcs", "S3", "remote", undefined], set("backend", { type: "local" })),
    ...bad('backend.bucketOwner (type "s3")', [undefined, "example-terraform-state"], set("backend", S3_BACKEND)),
    ...S3_STATE_BREAKS.flatMap(([key, values]) => [
      ...bad(`backend.bucketOwner.${key} (type "s3")`, values, set("backend", S3_BACKEND)),
      ...bad(`backend.accessor.${key} (type "s3")`, values, set("backend", S3_BACKEND)),
    ]),
    ...bad('backend.bucketOwner.bucket (type "s3")', [undefined], set("backend", S3_BACKEND)),
    ...bad('backend.accessor (type "s3")', ["x"], set("backend", S3_BACKEND)),
    ...bad('backend.ownerStateReaderRoleArn (type "s3")', ["not-an-arn"], set("backend", S3_BACKEND)),
    ...bad('backend.organization (type "cloud")', ["has space", undefined], set("backend", CLOUD_BACKEND)),
    ...bad('backend.hostname (type "cloud")', ["not a host", "localhost"], set("backend", CLOUD_BACKEND)),
    ...bad('backend.bucketOwnerWorkspace (type "cloud")', ["has space", undefined], set("backend", CLOUD_BACKEND)),
    ...bad('backend.accessorWorkspace (type "cloud")', ["x".repeat(91), undefined], set("backend", CLOUD_BACKEND)),
    ...bad("$schema", [5, true]),
    // Keys no table has, at each level.
    ...bad("(unknown)", ["read-only"], undefined, "acessLevel"),
    ...bad("(unknown)", ["deploy"], undefined, "bucketOwner.profle"),
    ...bad("(unknown)", ["x"], deployRole, "bucketOwner.assumeRole.externalID"),
    ...bad("(unknown)", [true], undefined, "bucket.existng"),
    ...bad("(unknown)", ["t3.micro"], undefined, "instance.instanceTyp"),
    ...bad("(unknown)", ["readers"], humanAccess, "humanAccess.group"),
    ...bad("(unknown)", ["x.tfstate"], set("backend", { type: "local" }), "backend.path"),
    ...bad("(unknown)", [true], set("backend", S3_BACKEND), "backend.bucketOwner.lockfile"),
    ...bad("(unknown)", ["ws"], set("backend", CLOUD_BACKEND), "backend.workspace"),
  ];
}

const LIST_S3_BACKEND = { type: "s3", bucketOwner: { bucket: "example-terraform-state" } };
const LIST_CLOUD_BACKEND = { type: "cloud", organization: "acme-platform", bucketOwnerWorkspace: "shared-data" };

/** Every breaker of the `accessors` form, on its first consumer. */
export function listFormBreakers(): Breaker[] {
  const entry = "accessors[0]";
  const ownBackend = (key: string): string => `accessors[].backend.${key} (backend.type "s3")`;
  return [
    ...bad("accessors", [[], "team-a"]),
    ...bad("accessors[].name", ["Team A", "ab", "a-", undefined], undefined, `${entry}.name`),
    ...bad("accessors[].accountId", ["4444", 444455556666, undefined], undefined, `${entry}.accountId`),
    ...bad("accessors[].region", ["eu-centrl-1", undefined], undefined, `${entry}.region`),
    ...bad("accessors[].profile", ["has space"], undefined, `${entry}.profile`),
    ...bad("accessors[].assumeRole", ["x"], undefined, `${entry}.assumeRole`),
    ...bad("accessors[].roleTrustPolicyLengthQuota", [100], undefined, `${entry}.roleTrustPolicyLengthQuota`),
    ...bad("accessors[].targetRoleName", ["has space", undefined], undefined, `${entry}.targetRoleName`),
    ...bad("accessors[].instanceRoleName", ["bad*name", undefined], undefined, `${entry}.instanceRoleName`),
    ...bad("accessors[].accessLevel", ["admin", "Full"], undefined, `${entry}.accessLevel`),
    ...bad("accessors[].keyPrefix", ["no-slash"], undefined, `${entry}.keyPrefix`),
    ...bad("accessors[].instance", ["x"], undefined, `${entry}.instance`),
    ...bad("accessors[].instance", ["t3.mirco"], undefined, `${entry}.instance.instanceType`),
    ...bad("accessors[].humanAccess", ["x"], undefined, `${entry}.humanAccess`),
    ...bad("accessors[].existingInstanceRole", ["yes"], undefined, `${entry}.existingInstanceRole`),
    ...bad("accessors[].cliProfileName", ["has space"], undefined, `${entry}.cliProfileName`),
    ...bad("accessors[].accessPointName", ["AP", "xn--team", "team-s3alias"], undefined, `${entry}.accessPointName`),
    ...bad("accessors[].allowPrefixOverlap", ["yes"], undefined, `${entry}.allowPrefixOverlap`),
    ...bad("accessors[].backend", [{ key: "x.tfstate" }], set("backend", { type: "local" }), `${entry}.backend`),
    ...bad("accessors[].backend", [{ key: "x.tfstate" }], set("backend", undefined), `${entry}.backend`),
    ...bad("accessors[].backend", ["x"], set("backend", LIST_S3_BACKEND), `${entry}.backend`),
    ...S3_STATE_BREAKS.flatMap(([key, values]) =>
      bad(ownBackend(key), values, set("backend", LIST_S3_BACKEND), `${entry}.backend.${key}`),
    ),
    ...bad(
      ownBackend("ownerStateReaderRoleArn"),
      ["x"],
      set("backend", LIST_S3_BACKEND),
      `${entry}.backend.ownerStateReaderRoleArn`,
    ),
    ...bad(
      'accessors[].backend.workspace (backend.type "cloud")',
      ["has space", "x".repeat(91)],
      set("backend", LIST_CLOUD_BACKEND),
      `${entry}.backend.workspace`,
    ),
    // Keys the list form does not take, or takes per consumer.
    ...bad("(list form)", [{ accountId: "444455556666", region: "eu-west-1" }], undefined, "accessor"),
    ...bad("(list form)", ["read-only"], undefined, "accessLevel"),
    ...bad("(list form)", ["direct"], undefined, "accessMode"),
    ...bad("(list form)", ["team-a/"], undefined, "bucket.keyPrefix"),
    ...bad("(list form)", ["shared/accessor.tfstate"], set("backend", LIST_S3_BACKEND), "backend.accessor.key"),
    ...bad("(list form)", ["shared-data-accessor"], set("backend", LIST_CLOUD_BACKEND), "backend.accessorWorkspace"),
    ...bad("(list form)", ["x"], set("backend", LIST_S3_BACKEND), `${entry}.backend.workspace`),
    ...bad("(list form)", ["team-a/"], undefined, `${entry}.keyprefix`),
    ...bad("(list form)", [5], undefined, "$schema"),
  ];
}

const NAMES = ["analytics", "ingest", "archive"];

/**
 * Valid configs of the `accessors` form: one to three consumers in accounts other than the
 * owner's, with their own names, roles and prefixes, and a local, S3 or HCP Terraform backend.
 */
export const validListRaw: fc.Arbitrary<BaseConfig> = fc
  .record({
    accounts: fc.uniqueArray(accountId, { minLength: 4, maxLength: 4 }),
    partition: fc.constantFrom(...Object.keys(REGIONS)),
    regionPicks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    bucket: bucketName,
    count: fc.integer({ min: 1, max: 3 }),
    backend: fc.constantFrom<unknown>(undefined, { type: "local" }, LIST_S3_BACKEND, LIST_CLOUD_BACKEND),
    tags: fc.option(fc.constant({ team: "data-platform" }), { nil: undefined }),
  })
  .map(({ accounts, partition, regionPicks, bucket, count, backend, tags }) => {
    const regions = REGIONS[partition] ?? [];
    const region = (i: number): string => regions[(regionPicks[i] ?? 0) % regions.length] ?? "eu-west-1";
    const raw: RawConfig = {
      bucketOwner: { accountId: accounts[0], region: region(0) },
      bucket: { name: bucket },
      accessors: NAMES.slice(0, count).map((name, i) => ({
        name,
        accountId: accounts[i + 1],
        region: region(i + 1),
        targetRoleName: `${name}-reader`,
        instanceRoleName: `${name}-instance`,
        keyPrefix: `${name}/`,
      })),
    };
    if (backend !== undefined) raw.backend = structuredClone(backend);
    if (tags !== undefined) raw.tags = tags;
    return { raw, partition };
  });

/** Valid configs of the single form (config-arbitraries' validRaw). */
export const validSingleRaw: fc.Arbitrary<BaseConfig> = validRaw;

/** A deep copy of a base config, so a breaker never changes the one fast-check keeps. */
export function copyOf(base: BaseConfig): BaseConfig {
  return { raw: structuredClone(base.raw), partition: base.partition };
}
