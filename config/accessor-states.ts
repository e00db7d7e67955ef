/**
 * Where each consumer's stack keeps its state in the `accessors` form: one
 * local file, S3 object or HCP Terraform workspace per stack, named after the
 * consumer unless the entry's `backend` names it. The owner's state is shared
 * (every consumer's stack reads it); `backend.accessor` holds the S3 settings
 * all consumers' states share (bucket, credentials, locking) except the key.
 */
import { isObject, Json, objectAt, optionalField, unknownKeys } from "./json-shape";
import { roleArnRule } from "./rules";
import { keysOf, ruleOf } from "./field-table";
import { BACKEND, ENTRY_BACKEND } from "./fields";
import { Problem, problem } from "./problems";
import {
  backendProblems,
  checkS3State,
  DEFAULT_CLOUD_HOSTNAME,
  DEFAULT_STATE_KEY_PREFIX,
  KEYS_BY_TYPE,
  S3_STATE_KEYS,
  s3StateWithDefaults,
} from "./backend";
import { BUCKET_OWNER_STACK_ID } from "./defaults";
import type { BackendConfig, S3StateConfig } from "./types";

/** The keys of an entry's `backend`, by backend type (none with the local backend). */
const ENTRY_BACKEND_KEYS: Readonly<Record<string, readonly string[]>> = {
  local: [],
  s3: keysOf(ENTRY_BACKEND.variants.s3),
  cloud: keysOf(ENTRY_BACKEND.variants.cloud),
};

/** HCP Terraform's limit on workspace names ("Workspace naming" in the HCP Terraform docs), as cloudWorkspaceRule checks it. */
const MAX_WORKSPACE_NAME = 90;

function backendType(backend: unknown): string {
  return isObject(backend) && typeof backend.type === "string" ? backend.type : "local";
}

/** The folder of the owner's state key ("team/lake/" of "team/lake/bucket-owner.tfstate"), where consumers' keys go by default. */
function keyFolder(ownerKey: string): string {
  return ownerKey.slice(0, ownerKey.lastIndexOf("/") + 1);
}

/** The default state key of a consumer's stack: beside the owner's, named after the stack. */
export function defaultAccessorStateKey(ownerKey: string, stackId: string): string {
  return `${keyFolder(ownerKey)}${stackId}.tfstate`;
}

/** The default workspace of a consumer's stack: the owner's workspace name, then the stack id. */
export function defaultAccessorWorkspace(ownerWorkspace: string, stackId: string): string {
  return `${ownerWorkspace}-${stackId}`;
}

function ownerS3State(backend: Json, ownerRegion: string): S3StateConfig {
  return s3StateWithDefaults(
    backend.bucketOwner as Json,
    undefined,
    `${DEFAULT_STATE_KEY_PREFIX}/${BUCKET_OWNER_STACK_ID}.tfstate`,
    ownerRegion,
  );
}

function lockProblem(path: string): Problem {
  return problem(
    path,
    false,
    `leaves this state without a lock, so two deploys at once can corrupt it; keep true (the default, Terraform >= 1.10) or set dynamodbTable (e.g. "terraform-locks")`,
  );
}

function locksItself(state: unknown): boolean {
  return isObject(state) && (state.useLockfile !== undefined || state.dynamodbTable !== undefined);
}

/**
 * The shared `backend` section with `accessors`: the single form's checks of
 * the owner's state, plus the keys that now belong to each consumer.
 */
export function sharedBackendProblems(value: unknown): Problem[] {
  if (!isObject(value)) return objectAt("backend", value, '{"type": "local"}', false);
  const typeProblems = BACKEND.tagField.check("backend.type", value.type);
  if (typeProblems.length > 0) return typeProblems;
  if (value.type === "cloud") {
    const found = value.accessorWorkspace === undefined ? [] : [accessorWorkspaceProblem(value.accessorWorkspace)];
    // The single form's checks, with the consumer's workspace left to each entry.
    const owner = backendProblems({ ...value, accessorWorkspace: undefined }).filter(
      (p) => p.path !== "backend.accessorWorkspace",
    );
    return [...owner, ...found];
  }
  if (value.type !== "s3") return backendProblems(value);
  const found: Problem[] = [
    ...unknownKeys("backend", value, KEYS_BY_TYPE.s3 ?? []),
    ...checkS3State("backend.bucketOwner", value.bucketOwner, true),
    ...checkS3State("backend.accessor", value.accessor, false),
    ...optionalField(value, "backend", "ownerStateReaderRoleArn", roleArnRule()),
  ];
  if (isObject(value.accessor) && value.accessor.key !== undefined) {
    found.push(
      problem(
        "backend.accessor.key",
        value.accessor.key,
        'cannot be combined with "accessors": backend.accessor holds what every consumer\'s state shares, and each consumer\'s stack has its own key, accessors[n].backend.key (by default beside the owner\'s state, e.g. "cross-account-s3-access/accessor-team-a.tfstate")',
      ),
    );
  }
  if (found.length > 0) return found;
  const owner = ownerS3State(value, "");
  if (!owner.useLockfile && owner.dynamodbTable === undefined) {
    found.push(lockProblem("backend.bucketOwner.useLockfile"));
  }
  if (locksItself(value.accessor)) {
    const shared = s3StateWithDefaults(value.accessor as Json, owner, "", "");
    if (!shared.useLockfile && shared.dynamodbTable === undefined)
      found.push(lockProblem("backend.accessor.useLockfile"));
  }
  return found;
}

function accessorWorkspaceProblem(value: unknown): Problem {
  return problem(
    "backend.accessorWorkspace",
    value,
    'cannot be combined with "accessors": each consumer\'s stack has its own workspace, accessors[n].backend.workspace (by default backend.bucketOwnerWorkspace followed by "-accessor-<name>")',
  );
}

/** What one consumer's stack keeps in the backend, for the checks across consumers. */
export type AccessorState =
  | { readonly type: "local" }
  | { readonly type: "s3"; readonly bucket: string; readonly key: string }
  | { readonly type: "cloud"; readonly workspace: string };

/** Problems of `accessors[n].backend`; `backend` is the shared section, already checked on its own. */
export function entryBackendProblems(backend: unknown, path: string, entry: Json, stackId: string): Problem[] {
  const value = entry.backend;
  const type = backendType(backend);
  const keys = ENTRY_BACKEND_KEYS[type] ?? [];
  if (value === undefined) return [];
  if (type === "local") {
    return [
      problem(
        path,
        value,
        `has nothing to set with the local backend: each stack keeps its state in terraform.<stack id>.tfstate (here terraform.${stackId}.tfstate); remove it, or use an "s3" or "cloud" backend`,
      ),
    ];
  }
  const example = type === "s3" ? `{"key": "shared/${stackId}.tfstate"}` : `{"workspace": "shared-data-${stackId}"}`;
  const found = objectAt(path, value, example, false);
  if (!isObject(value)) return found;
  found.push(...unknownKeys(path, value, keys));
  if (type === "cloud") {
    return [...found, ...optionalField(value, path, "workspace", ruleOf(ENTRY_BACKEND.variants.cloud, "workspace"))];
  }
  // checkS3State reports unknown keys too; the entry's own known keys were checked above.
  const stateKeys = Object.fromEntries(Object.entries(value).filter(([key]) => S3_STATE_KEYS.includes(key)));
  found.push(
    ...checkS3State(path, stateKeys, false),
    ...optionalField(value, path, "ownerStateReaderRoleArn", roleArnRule()),
  );
  if (found.length === 0 && isObject(backend) && isObject(backend.bucketOwner) && locksItself(value)) {
    const state = entryS3State(backend, value, stackId, "");
    if (!state.useLockfile && state.dynamodbTable === undefined) found.push(lockProblem(`${path}.useLockfile`));
  }
  return found;
}

/**
 * A default workspace name that would be too long for HCP Terraform: the
 * problem is on the consumer's name, with the way out.
 */
export function defaultWorkspaceProblems(backend: unknown, namePath: string, entry: Json, stackId: string): Problem[] {
  if (!isObject(backend) || backend.type !== "cloud" || typeof backend.bucketOwnerWorkspace !== "string") return [];
  if (isObject(entry.backend) && entry.backend.workspace !== undefined) return [];
  const workspace = defaultAccessorWorkspace(backend.bucketOwnerWorkspace, stackId);
  if (workspace.length <= MAX_WORKSPACE_NAME) return [];
  return [
    problem(
      namePath,
      entry.name,
      `makes the default workspace ${JSON.stringify(workspace)}, ${workspace.length} characters, more than the ${MAX_WORKSPACE_NAME} HCP Terraform allows; use a shorter name or set ${namePath.replace(/\.name$/, "")}.backend.workspace (e.g. "shared-data-${stackId.slice(0, 30)}")`,
    ),
  ];
}

function entryS3State(backend: Json, entryBackend: Json, stackId: string, ownerRegion: string): S3StateConfig {
  const owner = ownerS3State(backend, ownerRegion);
  const shared = s3StateWithDefaults((backend.accessor as Json | undefined) ?? {}, owner, owner.key, ownerRegion);
  return s3StateWithDefaults(entryBackend, shared, defaultAccessorStateKey(owner.key, stackId), ownerRegion);
}

/** The state a consumer's stack gets when its entry names none: its default key or workspace. */
export function defaultAccessorState(backend: unknown, stackId: string): string | undefined {
  if (!isObject(backend)) return undefined;
  if (backend.type === "cloud") {
    return typeof backend.bucketOwnerWorkspace === "string"
      ? defaultAccessorWorkspace(backend.bucketOwnerWorkspace, stackId)
      : undefined;
  }
  return backend.type === "s3" && isObject(backend.bucketOwner)
    ? defaultAccessorStateKey(ownerS3State(backend, "").key, stackId)
    : undefined;
}

/** Where a consumer's stack keeps its state, read from valid or invalid input alike (for the checks across consumers). */
export function accessorStateOf(backend: unknown, entry: Json, stackId: string): AccessorState | undefined {
  const entryBackend = isObject(entry.backend) ? entry.backend : {};
  const type = backendType(backend);
  if (!isObject(backend) || type === "local") return { type: "local" };
  if (type === "cloud") {
    const given = entryBackend.workspace;
    if (typeof given === "string") return { type: "cloud", workspace: given };
    const owner = backend.bucketOwnerWorkspace;
    return typeof owner === "string"
      ? { type: "cloud", workspace: defaultAccessorWorkspace(owner, stackId) }
      : undefined;
  }
  if (type !== "s3" || !isObject(backend.bucketOwner)) return undefined;
  const state = entryS3State(backend, entryBackend, stackId, "");
  return typeof state.bucket === "string" && typeof state.key === "string"
    ? { type: "s3", bucket: state.bucket, key: state.key }
    : undefined;
}

/** The owner's state, for the check that no consumer shares it. */
export function ownerStateOf(backend: unknown): AccessorState | undefined {
  if (!isObject(backend) || backendType(backend) === "local") return { type: "local" };
  if (backend.type === "cloud") {
    return typeof backend.bucketOwnerWorkspace === "string"
      ? { type: "cloud", workspace: backend.bucketOwnerWorkspace }
      : undefined;
  }
  if (!isObject(backend.bucketOwner)) return undefined;
  const owner = ownerS3State(backend, "");
  return { type: "s3", bucket: owner.bucket, key: owner.key };
}

/**
 * A consumer's backends as its stack sees them, in the single form's shape:
 * the owner's state (which it reads), and its own.
 */
export function entryBackendWithDefaults(
  backend: unknown,
  entry: Json,
  stackId: string,
  ownerRegion: string,
): BackendConfig {
  const entryBackend = isObject(entry.backend) ? entry.backend : {};
  if (!isObject(backend) || backendType(backend) === "local") return { type: "local" };
  if (backend.type === "cloud") {
    const ownerWorkspace = backend.bucketOwnerWorkspace as string;
    return {
      type: "cloud",
      organization: backend.organization as string,
      hostname: (backend.hostname as string | undefined) ?? DEFAULT_CLOUD_HOSTNAME,
      bucketOwnerWorkspace: ownerWorkspace,
      accessorWorkspace:
        (entryBackend.workspace as string | undefined) ?? defaultAccessorWorkspace(ownerWorkspace, stackId),
    };
  }
  return {
    type: "s3",
    bucketOwner: ownerS3State(backend, ownerRegion),
    accessor: entryS3State(backend, entryBackend, stackId, ownerRegion),
    ownerStateReaderRoleArn:
      (entryBackend.ownerStateReaderRoleArn as string | undefined) ??
      (backend.ownerStateReaderRoleArn as string | undefined),
  };
}
