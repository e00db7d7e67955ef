/**
 * Turns the parsed JSON of a config file into a CrossAccountConfig, or into
 * the full list of problems: every field is checked before anything is built,
 * and unknown keys are reported with the closest known key.
 */
import { closest, distance } from "fastest-levenshtein";
import {
  accessLevelRule,
  accountIdRule,
  accountPairRule,
  amiIdRule,
  booleanRule,
  bucketNameRule,
  cliProfileNameRule,
  instanceTypeRule,
  metadataHopLimitRule,
  regionRule,
  roleNameRule,
  rootVolumeSizeRule,
  securityGroupIdRule,
  ssmParameterRule,
  subnetIdRule,
  tagsRule,
} from "./rules";
import {
  DEFAULT_ACCESS_LEVEL,
  DEFAULT_CLI_PROFILE_NAME,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_METADATA_HOP_LIMIT,
  DEFAULT_TAGS,
  defaultAmiSsmParameter,
} from "./defaults";
import { Problem, problem } from "./problems";
import type { AccessLevel, AccountConfig, CrossAccountConfig, InstanceConfig } from "./types";

type Json = Record<string, unknown>;

export interface ValidationResult {
  /** The config with defaults applied; undefined when there are problems. */
  readonly config?: CrossAccountConfig;
  readonly problems: readonly Problem[];
}

const KNOWN_KEYS = {
  root: [
    "bucketOwner",
    "accessor",
    "bucket",
    "accessLevel",
    "targetRoleName",
    "instanceRoleName",
    "cliProfileName",
    "tags",
    "instance",
  ],
  account: ["accountId", "region"],
  bucket: ["name"],
  instance: [
    "instanceType",
    "amiId",
    "amiSsmParameter",
    "subnetId",
    "securityGroupIds",
    "associatePublicIpAddress",
    "metadataHopLimit",
    "rootVolumeSizeGiB",
  ],
} as const;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

/** Reports keys that are not in `known`, suggesting the closest known key. */
export function unknownKeys(path: string, value: Json, known: readonly string[]): Problem[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const suggestion = closest(key, [...known]);
      const near = distance(key.toLowerCase(), suggestion.toLowerCase()) <= Math.max(2, Math.floor(key.length / 3));
      const hint = near ? `did you mean "${suggestion}"?` : `known keys here: ${known.join(", ")}`;
      return { path: join(path, key), message: `${join(path, key)}: unknown key; ${hint}` };
    });
}

/** Checks that `value` is an object, reporting it as `path` otherwise. */
function objectAt(path: string, value: unknown, example: string, required: boolean): Problem[] {
  if (isObject(value)) return [];
  if (value === undefined && !required) return [];
  const expected = value === undefined ? `is required: an object (e.g. ${example})` : `must be an object (e.g. ${example})`;
  return [problem(path, value, expected)];
}

function checkAccount(path: string, value: unknown): Problem[] {
  const found = objectAt(path, value, '{"accountId": "111122223333", "region": "eu-west-1"}', true);
  if (!isObject(value)) return found;
  return [
    ...found,
    ...unknownKeys(path, value, KNOWN_KEYS.account),
    ...accountIdRule(`${path}.accountId`, value.accountId),
    ...regionRule(`${path}.region`, value.region),
  ];
}

function checkInstance(value: unknown): Problem[] {
  const path = "instance";
  const found = objectAt(path, value, '{"instanceType": "t3.micro"}', false);
  if (!isObject(value)) return found;
  const optional = (key: string, rule: (p: string, v: unknown) => Problem[]): Problem[] =>
    value[key] === undefined ? [] : rule(`${path}.${key}`, value[key]);
  const groups = value.securityGroupIds;
  const groupProblems =
    groups === undefined
      ? []
      : Array.isArray(groups)
        ? groups.flatMap((id, index) => securityGroupIdRule(`${path}.securityGroupIds[${index}]`, id))
        : [problem(`${path}.securityGroupIds`, groups, 'must be a list of security group ids (e.g. ["sg-0123456789abcdef0"])')];
  const amiProblems =
    value.amiId !== undefined && value.amiSsmParameter !== undefined
      ? [problem(`${path}.amiId`, value.amiId, "cannot be combined with instance.amiSsmParameter; set only one of the two")]
      : [];
  return [
    ...found,
    ...unknownKeys(path, value, KNOWN_KEYS.instance),
    ...optional("instanceType", instanceTypeRule),
    ...optional("amiId", amiIdRule),
    ...optional("amiSsmParameter", ssmParameterRule),
    ...optional("subnetId", subnetIdRule),
    ...groupProblems,
    ...optional("associatePublicIpAddress", booleanRule),
    ...optional("metadataHopLimit", metadataHopLimitRule),
    ...optional("rootVolumeSizeGiB", rootVolumeSizeRule),
    ...amiProblems,
  ];
}

/** Every problem in `raw`, in the order of the fields in the contract. */
export function findProblems(raw: unknown): Problem[] {
  if (!isObject(raw)) {
    return [
      problem(
        "(top level)",
        raw,
        'must be a JSON object with bucketOwner, accessor, bucket, targetRoleName and instanceRoleName (see config/example.json)',
      ),
    ];
  }
  const bucket = raw.bucket;
  const found: Problem[] = [
    ...unknownKeys("", raw, KNOWN_KEYS.root),
    ...checkAccount("bucketOwner", raw.bucketOwner),
    ...checkAccount("accessor", raw.accessor),
    ...objectAt("bucket", bucket, '{"name": "example-shared-data"}', true),
  ];
  if (isObject(bucket)) {
    found.push(...unknownKeys("bucket", bucket, KNOWN_KEYS.bucket), ...bucketNameRule("bucket.name", bucket.name));
  }
  if (raw.accessLevel !== undefined) found.push(...accessLevelRule("accessLevel", raw.accessLevel));
  found.push(
    ...roleNameRule("targetRoleName", raw.targetRoleName),
    ...roleNameRule("instanceRoleName", raw.instanceRoleName),
  );
  if (raw.cliProfileName !== undefined) found.push(...cliProfileNameRule("cliProfileName", raw.cliProfileName));
  if (raw.tags !== undefined) found.push(...tagsRule("tags", raw.tags));
  found.push(...checkInstance(raw.instance));
  if (isObject(raw.bucketOwner) && isObject(raw.accessor)) {
    found.push(
      ...accountPairRule(
        { accountId: raw.bucketOwner.accountId, region: raw.bucketOwner.region },
        { accountId: raw.accessor.accountId, region: raw.accessor.region },
      ),
    );
  }
  return found;
}

function withInstanceDefaults(raw: Json | undefined): InstanceConfig {
  const value = raw ?? {};
  const instanceType = (value.instanceType as string | undefined) ?? DEFAULT_INSTANCE_TYPE;
  return {
    instanceType,
    amiId: value.amiId as string | undefined,
    amiSsmParameter:
      value.amiId === undefined
        ? ((value.amiSsmParameter as string | undefined) ?? defaultAmiSsmParameter(instanceType))
        : undefined,
    subnetId: value.subnetId as string | undefined,
    securityGroupIds: (value.securityGroupIds as string[] | undefined) ?? [],
    associatePublicIpAddress: (value.associatePublicIpAddress as boolean | undefined) ?? false,
    metadataHopLimit: (value.metadataHopLimit as number | undefined) ?? DEFAULT_METADATA_HOP_LIMIT,
    rootVolumeSizeGiB: value.rootVolumeSizeGiB as number | undefined,
  };
}

/** Applies every default to a config that has no problems. */
function withDefaults(raw: Json): CrossAccountConfig {
  const account = (value: unknown): AccountConfig => {
    const json = value as Json;
    return { accountId: json.accountId as string, region: json.region as string };
  };
  return {
    bucketOwner: account(raw.bucketOwner),
    accessor: account(raw.accessor),
    bucket: { name: (raw.bucket as Json).name as string },
    accessLevel: (raw.accessLevel as AccessLevel | undefined) ?? DEFAULT_ACCESS_LEVEL,
    targetRoleName: raw.targetRoleName as string,
    instanceRoleName: raw.instanceRoleName as string,
    cliProfileName: (raw.cliProfileName as string | undefined) ?? DEFAULT_CLI_PROFILE_NAME,
    tags: { ...DEFAULT_TAGS, ...((raw.tags as Record<string, string> | undefined) ?? {}) },
    instance: withInstanceDefaults(raw.instance as Json | undefined),
  };
}

/** Validates parsed JSON and applies defaults. */
export function validateConfig(raw: unknown): ValidationResult {
  const problems = findProblems(raw);
  if (problems.length > 0) return { problems };
  return { config: withDefaults(raw as Json), problems };
}
