/**
 * The `backend` section: where each stack keeps its state, and so where the
 * accessor reads the owner's `target_role_arn` from. Checks and defaults.
 */
import { isObject, Json, objectAt, optionalField, unknownKeys } from "./json-shape";
import {
  booleanRule,
  bucketNameRule,
  cliProfileNameRule,
  cloudOrganizationRule,
  cloudWorkspaceRule,
  dynamodbTableRule,
  hostnameRule,
  kmsKeyIdRule,
  oneOfRule,
  regionRule,
  roleArnRule,
  stateKeyRule,
} from "./rules";
import { Problem, problem } from "./problems";
import { ACCESSOR_STACK_ID, BUCKET_OWNER_STACK_ID } from "./defaults";
import type { BackendConfig, S3StateConfig } from "./types";

export const BACKEND_TYPES = ["local", "s3", "cloud"] as const;
export const DEFAULT_STATE_KEY_PREFIX = "cross-account-s3-access";
export const DEFAULT_CLOUD_HOSTNAME = "app.terraform.io";

export const S3_STATE_KEYS = [
  "bucket",
  "key",
  "region",
  "profile",
  "roleArn",
  "dynamodbTable",
  "useLockfile",
  "kmsKeyId",
];
export const KEYS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  local: ["type"],
  s3: ["type", "bucketOwner", "accessor", "ownerStateReaderRoleArn"],
  cloud: ["type", "organization", "hostname", "bucketOwnerWorkspace", "accessorWorkspace"],
};

/** Every problem in one S3 state's settings (`required`: the bucket must be given here). */
export function checkS3State(path: string, value: unknown, required: boolean): Problem[] {
  const found = objectAt(
    path,
    value,
    '{"bucket": "example-terraform-state", "key": "shared/bucket-owner.tfstate"}',
    required,
  );
  if (!isObject(value)) return found;
  const requiredBucket = required || value.bucket !== undefined ? bucketNameRule(`${path}.bucket`, value.bucket) : [];
  return [
    ...found,
    ...unknownKeys(path, value, S3_STATE_KEYS),
    ...requiredBucket,
    ...optionalField(value, path, "key", stateKeyRule),
    ...optionalField(value, path, "region", regionRule),
    ...optionalField(value, path, "profile", cliProfileNameRule),
    ...optionalField(value, path, "roleArn", roleArnRule()),
    ...optionalField(value, path, "dynamodbTable", dynamodbTableRule),
    ...optionalField(value, path, "useLockfile", booleanRule),
    ...optionalField(value, path, "kmsKeyId", kmsKeyIdRule),
  ];
}

/**
 * Problems of the two S3 states together, on their effective settings (the
 * accessor's copied from the owner's where not given): a shared object, and a
 * state without any lock.
 */
function s3StateProblems(value: Json): Problem[] {
  const backend = backendWithDefaults(value, { bucketOwner: BUCKET_OWNER_STACK_ID, accessor: ACCESSOR_STACK_ID }, "");
  if (backend.type !== "s3") return [];
  const found: Problem[] = [];
  if (backend.accessor.bucket === backend.bucketOwner.bucket && backend.accessor.key === backend.bucketOwner.key) {
    found.push(
      problem(
        "backend.accessor.key",
        backend.accessor.key,
        `is the bucket owner stack's state object too; each stack needs its own key (e.g. ${JSON.stringify(
          `${DEFAULT_STATE_KEY_PREFIX}/${ACCESSOR_STACK_ID}.tfstate` === backend.bucketOwner.key
            ? `${DEFAULT_STATE_KEY_PREFIX}/${ACCESSOR_STACK_ID}-2.tfstate`
            : `${DEFAULT_STATE_KEY_PREFIX}/${ACCESSOR_STACK_ID}.tfstate`,
        )})`,
      ),
    );
  }
  const accessorGiven = isObject(value.accessor) ? value.accessor : {};
  // An accessor state that copies the owner's lock settings is covered by the owner's problem.
  const accessorOwnLocking = accessorGiven.useLockfile !== undefined || accessorGiven.dynamodbTable !== undefined;
  for (const side of accessorOwnLocking ? (["bucketOwner", "accessor"] as const) : (["bucketOwner"] as const)) {
    const state = backend[side];
    if (!state.useLockfile && state.dynamodbTable === undefined) {
      found.push(
        problem(
          `backend.${side}.useLockfile`,
          false,
          `leaves this state without a lock, so two deploys at once can corrupt it (the accessor's state copies these settings unless it sets its own); keep true (the default, Terraform >= 1.10) or set dynamodbTable (e.g. "terraform-locks")`,
        ),
      );
    }
  }
  return found;
}

/** Every problem in the `backend` section (absent means local). */
export function backendProblems(value: unknown): Problem[] {
  const path = "backend";
  const found = objectAt(path, value, '{"type": "local"}', false);
  if (!isObject(value)) return found;
  const typeProblems = oneOfRule(BACKEND_TYPES)(`${path}.type`, value.type);
  if (typeProblems.length > 0) return [...found, ...typeProblems];
  const type = value.type as string;
  const known = KEYS_BY_TYPE[type] ?? [];
  const common = [...found, ...unknownKeys(path, value, known)];
  if (type === "s3") {
    const shapeProblems = [
      ...checkS3State(`${path}.bucketOwner`, value.bucketOwner, true),
      ...checkS3State(`${path}.accessor`, value.accessor, false),
      ...optionalField(value, path, "ownerStateReaderRoleArn", roleArnRule()),
    ];
    return [...common, ...shapeProblems, ...(shapeProblems.length === 0 ? s3StateProblems(value) : [])];
  }
  if (type === "cloud") {
    return [
      ...common,
      ...cloudOrganizationRule(`${path}.organization`, value.organization),
      ...optionalField(value, path, "hostname", hostnameRule),
      ...cloudWorkspaceRule(`${path}.bucketOwnerWorkspace`, value.bucketOwnerWorkspace),
      ...cloudWorkspaceRule(`${path}.accessorWorkspace`, value.accessorWorkspace),
      ...(value.bucketOwnerWorkspace !== undefined && value.bucketOwnerWorkspace === value.accessorWorkspace
        ? [
            {
              path: `${path}.accessorWorkspace`,
              message: `${path}.accessorWorkspace: ${JSON.stringify(value.accessorWorkspace)} is the same workspace as backend.bucketOwnerWorkspace; each stack needs its own workspace (e.g. "cross-account-s3-accessor")`,
            },
          ]
        : []),
    ];
  }
  return common;
}

/** One S3 state with defaults: its own settings, then `fallback`'s, then `key` and `region`. */
export function s3StateWithDefaults(
  value: Json,
  fallback: S3StateConfig | undefined,
  key: string,
  region: string,
): S3StateConfig {
  const given = value as Partial<S3StateConfig>;
  return {
    bucket: given.bucket ?? fallback?.bucket ?? "",
    key: given.key ?? key,
    region: given.region ?? fallback?.region ?? region,
    profile: given.profile ?? fallback?.profile,
    roleArn: given.roleArn ?? fallback?.roleArn,
    dynamodbTable: given.dynamodbTable ?? fallback?.dynamodbTable,
    useLockfile: given.useLockfile ?? fallback?.useLockfile ?? true,
    kmsKeyId: given.kmsKeyId ?? fallback?.kmsKeyId,
  };
}

/**
 * The backend with defaults: local when absent; for S3, state keys under
 * "cross-account-s3-access/", the owner's region, native lock files on, and
 * the accessor's settings copied from the owner's where not given.
 */
export function backendWithDefaults(
  value: unknown,
  stackIds: { bucketOwner: string; accessor: string },
  ownerRegion: string,
): BackendConfig {
  if (!isObject(value) || value.type === "local" || value.type === undefined) return { type: "local" };
  if (value.type === "cloud") {
    return {
      type: "cloud",
      organization: value.organization as string,
      hostname: (value.hostname as string | undefined) ?? DEFAULT_CLOUD_HOSTNAME,
      bucketOwnerWorkspace: value.bucketOwnerWorkspace as string,
      accessorWorkspace: value.accessorWorkspace as string,
    };
  }
  const owner = s3StateWithDefaults(
    value.bucketOwner as Json,
    undefined,
    `${DEFAULT_STATE_KEY_PREFIX}/${stackIds.bucketOwner}.tfstate`,
    ownerRegion,
  );
  const accessor = s3StateWithDefaults(
    (value.accessor as Json | undefined) ?? {},
    owner,
    `${DEFAULT_STATE_KEY_PREFIX}/${stackIds.accessor}.tfstate`,
    ownerRegion,
  );
  return {
    type: "s3",
    bucketOwner: owner,
    accessor,
    ownerStateReaderRoleArn: value.ownerStateReaderRoleArn as string | undefined,
  };
}
