/**
 * Many consumers of one bucket: the `accessors` list. Each entry holds what
 * the single form spreads over `accessor`, `targetRoleName`,
 * `instanceRoleName`, `accessLevel`, `bucket.keyPrefix`, … plus a short
 * `name`. An entry is checked and completed with the single form's own rules
 * and defaults, on the single-form view of that one consumer, so the two forms
 * can never drift apart; the problems are then moved to the entry's path
 * (`accessor.region` → `accessors[2].region`). The checks across entries are
 * in accessor-set-rules.ts, and each consumer's state in accessor-states.ts.
 *
 * The single `accessor` form stays as it is: accessorsOf() reads it as a list
 * of one, named "accessor", whose stack is "accessor".
 */
import { isObject, Json, joinPath, optionalField, unknownKeys } from "./json-shape";
import { tagsRule, tagsRuleWithoutInstance } from "./rules";
import { givenOrDefault, keysOf, ruleOf } from "./field-table";
import { ACCOUNT_KEYS, CONSUMER_KEYS, ENTRY, LIST_FORM } from "./fields";
import { Problem, problem } from "./problems";
import { ACCESSOR_STACK_ID } from "./defaults";
import { accessorNameRule, accessorStackId, accessPointConfig } from "./accessor-names";
import {
  accessorStateOf,
  defaultAccessorState,
  defaultWorkspaceProblems,
  entryBackendProblems,
  entryBackendWithDefaults,
  ownerStateOf,
  sharedBackendProblems,
} from "./accessor-states";
import { AccessorFacts, accessorSetProblems } from "./accessor-set-rules";
import type { AccessorConfig, CrossAccountConfig } from "./types";

/** The single form's checks (validate.ts), passed in so this file and validate.ts do not import each other. */
export type SingleFormProblems = (raw: unknown) => Problem[];
/** The single form's defaults (validate.ts), likewise. */
export type SingleFormDefaults = (raw: Json) => CrossAccountConfig;

/** Top-level keys with `accessors`. */
const LIST_ROOT_KEYS = keysOf(LIST_FORM);

/** An entry's own keys; the account's keys sit in the entry itself. */
const ENTRY_KEYS = keysOf(ENTRY);

const ENTRY_EXAMPLE = ENTRY.example;

/**
 * Top-level keys of the single form that describe the one consumer; with a
 * list each consumer has its own, so they are errors, each saying where the
 * value goes.
 */
const REPLACED_BY_ENTRY: Readonly<Record<string, string>> = {
  accessor: `cannot be combined with "accessors": a list replaces the single accessor; make it an entry with a name (e.g. ${ENTRY_EXAMPLE})`,
  accessLevel: 'cannot be combined with "accessors": set it on each consumer (e.g. accessors[0].accessLevel)',
  targetRoleName:
    'cannot be combined with "accessors": each consumer has its own target role (e.g. accessors[0].targetRoleName)',
  instanceRoleName:
    'cannot be combined with "accessors": each consumer has its own instance role (e.g. accessors[0].instanceRoleName)',
  cliProfileName: 'cannot be combined with "accessors": set it on each consumer (e.g. accessors[0].cliProfileName)',
  instance: 'cannot be combined with "accessors": set it on each consumer (e.g. accessors[0].instance)',
  existingInstanceRole:
    'cannot be combined with "accessors": set it on each consumer (e.g. accessors[0].existingInstanceRole)',
  humanAccess: 'cannot be combined with "accessors": set it on each consumer (e.g. accessors[0].humanAccess)',
  accessMode:
    'cannot be combined with "accessors": every consumer chains through its own target role and S3 access point, which keeps the bucket and key policies the same size however many consumers there are; remove it',
};

/** Problem paths of the single-form view that belong to the consumer (the rest is shared and checked once). */
function isConsumerPath(path: string): boolean {
  const root = /^[^.[]+/.exec(path)?.[0] ?? "";
  return root === "accessor" || (CONSUMER_KEYS as readonly string[]).includes(root) || path === "bucket.keyPrefix";
}

/** A single-form path as the entry's path: accessor.region → accessors[2].region, bucket.keyPrefix → accessors[2].keyPrefix. */
function entryPath(entry: string, path: string): string {
  if (path === "bucket.keyPrefix") return `${entry}.keyPrefix`;
  if (path === "accessor") return entry;
  if (path.startsWith("accessor.")) return `${entry}.${path.slice("accessor.".length)}`;
  return `${entry}.${path}`;
}

/**
 * Field paths of the single form written in a message, outside quotes (a
 * quoted key such as `"existingInstanceRole": true` is an example of what to
 * write in the entry, and stays).
 */
const REFERENCE =
  /(?<![\w."[\]])(accessor\.(?:accountId|region|profile|assumeRole|roleTrustPolicyLengthQuota)|bucket\.keyPrefix|humanAccess(?:\.\w+)*|instance(?:\.\w+)+|instanceRoleName|existingInstanceRole|targetRoleName|accessLevel|cliProfileName)(?![\w"])/g;

/** A single-form problem of one consumer, at the entry's path. */
export function atEntry(entry: string, found: Problem): Problem {
  const path = entryPath(entry, found.path);
  const rest = found.message.startsWith(found.path) ? found.message.slice(found.path.length) : found.message;
  const message = path + rest.replace(REFERENCE, (reference: string) => entryPath(entry, reference));
  return { path, message };
}

/** What the single-form view of an entry holds: the owner account, the bucket with the entry's prefix, the entry's fields. */
function entryAsSingleForm(raw: Json, entry: Json): Json {
  const pick = (keys: readonly string[]): Json =>
    Object.fromEntries(keys.filter((key) => entry[key] !== undefined).map((key) => [key, entry[key]]));
  const owner = isObject(raw.bucketOwner) ? raw.bucketOwner : {};
  const bucket = isObject(raw.bucket) ? { ...raw.bucket } : {};
  delete bucket.keyPrefix;
  if (entry.keyPrefix !== undefined) bucket.keyPrefix = entry.keyPrefix;
  return {
    bucketOwner: { accountId: owner.accountId, region: owner.region },
    accessor: pick(ACCOUNT_KEYS),
    bucket,
    ...pick(CONSUMER_KEYS),
  };
}

/** Whether an entry asks for an EC2 instance (instance.create, by default unless the role exists). */
function createsInstance(entry: unknown): boolean {
  if (!isObject(entry)) return false;
  const create = isObject(entry.instance) ? entry.instance.create : undefined;
  return create === undefined ? entry.existingInstanceRole !== true : create === true;
}

function stackIdOf(entry: Json): string {
  return typeof entry.name === "string" ? accessorStackId(entry.name) : `${ACCESSOR_STACK_ID}-<name>`;
}

function entryProblems(raw: Json, entry: unknown, index: number, singleFormProblems: SingleFormProblems): Problem[] {
  const path = `accessors[${index}]`;
  if (!isObject(entry)) return [problem(path, entry, `must be an object, one consumer (e.g. ${ENTRY_EXAMPLE})`)];
  const stackId = stackIdOf(entry);
  const named = accessorNameRule(`${path}.name`, entry.name, entry.accessPointName === undefined);
  return [
    ...unknownKeys(path, entry, ENTRY_KEYS),
    ...named,
    ...optionalField(entry, path, "accessPointName", ruleOf(ENTRY, "accessPointName")),
    ...singleFormProblems(entryAsSingleForm(raw, entry))
      .filter((p) => isConsumerPath(p.path))
      .map((p) => atEntry(path, p)),
    ...optionalField(entry, path, "allowPrefixOverlap", ruleOf(ENTRY, "allowPrefixOverlap")),
    ...entryBackendProblems(raw.backend, joinPath(path, "backend"), entry, stackId),
    ...(named.length === 0 ? defaultWorkspaceProblems(raw.backend, `${path}.name`, entry, stackId) : []),
  ];
}

/** The facts of a raw entry for the rules across entries; unusable values are left out. */
function rawFacts(raw: Json, entry: unknown, index: number): AccessorFacts {
  const path = `accessors[${index}]`;
  if (!isObject(entry)) return { path, allowPrefixOverlap: false, stateGiven: false };
  const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
  const name = text(entry.name);
  const accountId = text(entry.accountId);
  const apName = text(entry.accessPointName) ?? name;
  const instanceRole = text(entry.instanceRoleName);
  const group = isObject(entry.humanAccess) ? text(entry.humanAccess.groupName) : undefined;
  const prefix = entry.keyPrefix === undefined ? "" : text(entry.keyPrefix);
  return {
    path,
    name,
    accessPoint:
      apName === undefined
        ? undefined
        : { name: apName, field: entry.accessPointName === undefined ? "name" : "accessPointName" },
    targetRoleName: text(entry.targetRoleName),
    instanceRole:
      accountId === undefined || instanceRole === undefined
        ? undefined
        : { accountId, name: instanceRole.split("/").pop() ?? instanceRole },
    group: accountId === undefined || group === undefined ? undefined : { accountId, name: group },
    keyPrefix: prefix,
    allowPrefixOverlap: entry.allowPrefixOverlap === true,
    state: name === undefined ? undefined : accessorStateOf(raw.backend, entry, accessorStackId(name)),
    stateGiven: isObject(entry.backend) && (entry.backend.key !== undefined || entry.backend.workspace !== undefined),
    defaultState: name === undefined ? undefined : defaultAccessorState(raw.backend, accessorStackId(name)),
  };
}

/** Every problem of a config with an `accessors` list, all at once. */
export function accessorListProblems(raw: Json, singleFormProblems: SingleFormProblems): Problem[] {
  const bucket = isObject(raw.bucket) ? { ...raw.bucket } : raw.bucket;
  if (isObject(bucket)) delete bucket.keyPrefix;
  const found: Problem[] = [
    ...unknownKeys("", raw, [...LIST_ROOT_KEYS, ...Object.keys(REPLACED_BY_ENTRY)]),
    ...Object.entries(REPLACED_BY_ENTRY)
      .filter(([key]) => raw[key] !== undefined)
      .map(([key, expected]) => problem(key, raw[key], expected)),
    ...(isObject(raw.bucket) && raw.bucket.keyPrefix !== undefined
      ? [
          problem(
            "bucket.keyPrefix",
            raw.bucket.keyPrefix,
            'cannot be combined with "accessors": each consumer has its own prefix (e.g. accessors[0].keyPrefix)',
          ),
        ]
      : []),
    // The owner account and the bucket, checked once with the single form's rules.
    ...singleFormProblems({ bucketOwner: raw.bucketOwner, bucket }).filter(
      (p) => p.path === "bucketOwner" || p.path.startsWith("bucketOwner.") || p.path.startsWith("bucket"),
    ),
    ...sharedBackendProblems(raw.backend),
  ];
  const entries = raw.accessors;
  const anyInstance = Array.isArray(entries) && entries.some(createsInstance);
  found.push(
    ...optionalField(raw, "", "tags", anyInstance ? tagsRule : tagsRuleWithoutInstance),
    ...optionalField(raw, "", "$schema", ruleOf(LIST_FORM, "$schema")),
  );
  if (!Array.isArray(entries) || entries.length === 0) {
    found.push(
      problem(
        "accessors",
        entries,
        `must be a list of one or more consumers (e.g. [${ENTRY_EXAMPLE}]); for a single consumer the "accessor" form works too`,
      ),
    );
    return found;
  }
  found.push(
    ...entries.flatMap((entry, index) => entryProblems(raw, entry, index, singleFormProblems)),
    ...accessorSetProblems(
      entries.map((entry, index) => rawFacts(raw, entry, index)),
      ownerStateOf(raw.backend),
    ),
  );
  return found;
}

/** The facts of a validated consumer, for checking a config built in code. */
export function configFacts(accessor: AccessorConfig, index: number): AccessorFacts {
  const backend = accessor.backend;
  const roleName = accessor.instanceRoleName.split("/").pop() ?? accessor.instanceRoleName;
  return {
    path: `accessors[${index}]`,
    name: accessor.name,
    accessPoint:
      accessor.accessPoint === undefined
        ? undefined
        : {
            name: accessor.accessPoint.name,
            field: accessor.accessPoint.name === accessor.name ? "name" : "accessPointName",
          },
    targetRoleName: accessor.targetRoleName,
    instanceRole: { accountId: accessor.account.accountId, name: roleName },
    group:
      accessor.humanAccess?.groupName === undefined
        ? undefined
        : { accountId: accessor.account.accountId, name: accessor.humanAccess.groupName },
    keyPrefix: accessor.keyPrefix ?? "",
    allowPrefixOverlap: accessor.allowPrefixOverlap,
    state:
      backend.type === "s3"
        ? { type: "s3", bucket: backend.accessor.bucket, key: backend.accessor.key }
        : backend.type === "cloud"
          ? { type: "cloud", workspace: backend.accessorWorkspace }
          : { type: "local" },
    // A validated config's states are final: which were given is no longer known, so every duplicate is reported.
    stateGiven: true,
  };
}

/** The single-form view of one consumer of a list config: a complete config, as if it were the only consumer. */
export function accessorView(config: CrossAccountConfig, accessor: AccessorConfig): CrossAccountConfig {
  if (config.accessors === undefined) return config;
  const { keyPrefix: _shared, ...bucket } = config.bucket;
  return {
    bucketOwner: config.bucketOwner,
    accessor: accessor.account,
    bucket: accessor.keyPrefix === undefined ? bucket : { ...bucket, keyPrefix: accessor.keyPrefix },
    accessLevel: accessor.accessLevel,
    targetRoleName: accessor.targetRoleName,
    instanceRoleName: accessor.instanceRoleName,
    cliProfileName: accessor.cliProfileName,
    tags: config.tags,
    instance: accessor.instance,
    existingInstanceRole: accessor.existingInstanceRole,
    accessMode: accessor.accessMode,
    humanAccess: accessor.humanAccess,
    backend: accessor.backend,
  };
}

/** The one consumer of a single-form config. */
function singleAccessor(config: CrossAccountConfig): AccessorConfig {
  return {
    name: ACCESSOR_STACK_ID,
    stackId: ACCESSOR_STACK_ID,
    account: config.accessor,
    accessLevel: config.accessLevel,
    keyPrefix: config.bucket.keyPrefix,
    targetRoleName: config.targetRoleName,
    instanceRoleName: config.instanceRoleName,
    cliProfileName: config.cliProfileName,
    instance: config.instance,
    existingInstanceRole: config.existingInstanceRole,
    accessMode: config.accessMode,
    humanAccess: config.humanAccess,
    backend: config.backend,
    accessPoint: undefined,
    allowPrefixOverlap: false,
  };
}

/** Every consumer of the bucket: the `accessors` list, or the single accessor as a list of one. */
export function accessorsOf(config: CrossAccountConfig): readonly AccessorConfig[] {
  return config.accessors ?? [singleAccessor(config)];
}

/** A config with an `accessors` list and no problems, with every default applied. */
export function accessorListWithDefaults(raw: Json, singleFormDefaults: SingleFormDefaults): CrossAccountConfig {
  const entries = raw.accessors as Json[];
  const owner = raw.bucketOwner as { accountId: string; region: string };
  const accessors = entries.map((entry): AccessorConfig => {
    const name = entry.name as string;
    const stackId = accessorStackId(name);
    const view = singleFormDefaults({ ...entryAsSingleForm(raw, entry), bucketOwner: raw.bucketOwner });
    return {
      name,
      stackId,
      account: view.accessor,
      accessLevel: view.accessLevel,
      keyPrefix: view.bucket.keyPrefix,
      targetRoleName: view.targetRoleName,
      instanceRoleName: view.instanceRoleName,
      cliProfileName: view.cliProfileName,
      instance: view.instance,
      existingInstanceRole: view.existingInstanceRole,
      accessMode: view.accessMode,
      humanAccess: view.humanAccess,
      backend: entryBackendWithDefaults(raw.backend, entry, stackId, owner.region),
      accessPoint: accessPointConfig(
        (entry.accessPointName as string | undefined) ?? name,
        owner.accountId,
        owner.region,
      ),
      allowPrefixOverlap: givenOrDefault(entry, ENTRY, "allowPrefixOverlap") as boolean,
    };
  });
  const [firstEntry] = entries;
  const [first] = accessors;
  if (firstEntry === undefined || first === undefined) throw new Error("accessors: an empty list has no defaults");
  // The shared fields (owner account, bucket, tags) with their defaults, from the first consumer's view.
  const base = singleFormDefaults({
    ...entryAsSingleForm(raw, firstEntry),
    bucketOwner: raw.bucketOwner,
    tags: raw.tags,
  });
  const { keyPrefix: _first, ...bucket } = base.bucket;
  return { ...accessorView({ ...base, bucket, accessors }, first), accessors };
}
