/**
 * The `backend` section: where each stack keeps its state, and so where the
 * accessor reads the owner's `target_role_arn` from. Checks and defaults; the
 * keys of each backend type are the BACKEND table in fields.ts.
 */
import { isObject, Json } from "./json-shape";
import { checkFields, checkObject, checkTagged, givenOrDefault, keysOf, variantKeys, variantOf } from "./field-table";
import { BACKEND, CLOUD_BACKEND, S3_BACKEND, S3_OWNER_STATE, S3_STATE } from "./fields";
import { Problem, problem } from "./problems";
import { ACCESSOR_STACK_ID, BUCKET_OWNER_STACK_ID, DEFAULT_STATE_KEY_PREFIX } from "./defaults";
import type { BackendConfig, S3StateConfig } from "./types";

export { BACKEND_TYPES } from "./fields";
export { DEFAULT_CLOUD_HOSTNAME, DEFAULT_STATE_KEY_PREFIX } from "./defaults";

export const S3_STATE_KEYS: readonly string[] = keysOf(S3_STATE);
export const KEYS_BY_TYPE: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(BACKEND.variants).map(([type, variant]) => [type, variantKeys(BACKEND, variant)]),
);

/** Every problem in one S3 state's settings (`required`: the bucket must be given here). */
export function checkS3State(path: string, value: unknown, required: boolean): Problem[] {
  // The bucket of backend.accessor defaults to backend.bucketOwner's, but once given it must be a good name.
  const requiredBucket = required || (isObject(value) && value.bucket !== undefined);
  return checkObject(path, value, requiredBucket ? S3_OWNER_STATE : S3_STATE, required);
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
  const problems = checkTagged(path, value, BACKEND, false);
  if (!isObject(value) || variantOf(BACKEND, value) === undefined) return problems;
  if (value.type === "s3") {
    // The two states together are checked once each is good on its own (unknown keys aside).
    return [...problems, ...(checkFields(path, value, S3_BACKEND).length === 0 ? s3StateProblems(value) : [])];
  }
  if (
    value.type === "cloud" &&
    value.bucketOwnerWorkspace !== undefined &&
    value.bucketOwnerWorkspace === value.accessorWorkspace
  ) {
    return [
      ...problems,
      {
        path: `${path}.accessorWorkspace`,
        message: `${path}.accessorWorkspace: ${JSON.stringify(value.accessorWorkspace)} is the same workspace as backend.bucketOwnerWorkspace; each stack needs its own workspace (e.g. "cross-account-s3-accessor")`,
      },
    ];
  }
  return problems;
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
    useLockfile: given.useLockfile ?? fallback?.useLockfile ?? (S3_STATE.fields.useLockfile.default as boolean),
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
      hostname: givenOrDefault(value, CLOUD_BACKEND, "hostname") as string,
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
