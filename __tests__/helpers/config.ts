/**
 * Config builders for tests: the checked-in example as raw JSON, raw configs
 * with overrides, and validated configs (defaults applied) ready for stacks.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { validateConfig } from "../../config/validate";
import type { AccessLevel, CrossAccountConfig } from "../../config/types";

export type RawConfig = Record<string, unknown>;

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const EXAMPLE_PATH = path.join(PROJECT_ROOT, "config", "example.json");

/** Distinct, recognisable values used across suites. */
export const OWNER_ACCOUNT = "111122223333";
export const ACCESSOR_ACCOUNT = "444455556666";
export const BUCKET_NAME = "unit-test-shared-data";
export const TARGET_ROLE = "unit-test-target";
export const INSTANCE_ROLE = "unit-test-instance";
export const ACCESS_LEVELS: readonly AccessLevel[] = ["read-only", "read-write", "full"];

/** The checked-in example config, parsed. */
export function exampleRaw(): RawConfig {
  return JSON.parse(readFileSync(EXAMPLE_PATH, "utf8")) as RawConfig;
}

/** A minimal valid raw config (only required keys) with `overrides` merged in one level deep. */
export function rawConfig(overrides: RawConfig = {}): RawConfig {
  const base: RawConfig = {
    bucketOwner: { accountId: OWNER_ACCOUNT, region: "eu-west-1" },
    accessor: { accountId: ACCESSOR_ACCOUNT, region: "eu-central-1" },
    bucket: { name: BUCKET_NAME },
    targetRoleName: TARGET_ROLE,
    instanceRoleName: INSTANCE_ROLE,
  };
  const merged: RawConfig = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value;
  }
  return merged;
}

/** A minimal valid raw config of the `accessors` form: one consumer, `team-a`, with only its required keys. */
export function minimalListConfig(): RawConfig {
  return {
    bucketOwner: { accountId: OWNER_ACCOUNT, region: "eu-west-1" },
    bucket: { name: "example-shared-data" },
    accessors: [
      {
        name: "team-a",
        accountId: ACCESSOR_ACCOUNT,
        region: "eu-west-1",
        targetRoleName: "team-a-reader",
        instanceRoleName: "team-a-instance",
      },
    ],
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates `raw` and returns the config with defaults; fails the test with every problem otherwise. */
export function toConfig(raw: RawConfig): CrossAccountConfig {
  const { config, problems } = validateConfig(raw);
  if (config === undefined) {
    throw new Error(`test config is invalid:\n${problems.map((p) => p.message).join("\n")}`);
  }
  return config;
}

/** A valid config built from `rawConfig(overrides)`. */
export function validConfig(overrides: RawConfig = {}): CrossAccountConfig {
  return toConfig(rawConfig(overrides));
}

/** The messages of the problems `validateConfig` finds in `raw`. */
export function problemMessages(raw: unknown): string[] {
  return validateConfig(raw).problems.map((p) => p.message);
}

/** The field paths of the problems `validateConfig` finds in `raw`. */
export function problemPaths(raw: unknown): string[] {
  return validateConfig(raw).problems.map((p) => p.path);
}
