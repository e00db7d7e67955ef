/**
 * Helpers for the "run it in a real organisation" suites (issue 6): the
 * checked-in examples, configs with the new optional keys, one shared synth
 * per configuration, and readers for the policies and blocks those suites pin.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { loadConfig } from "../../config/load";
import type { CrossAccountConfig } from "../../config/types";
import {
  ACCESSOR_ACCOUNT,
  BUCKET_NAME,
  INSTANCE_ROLE,
  OWNER_ACCOUNT,
  PROJECT_ROOT,
  RawConfig,
  rawConfig,
  TARGET_ROLE,
  toConfig,
} from "./config";
import { parsePolicy, ParsedPolicy, ParsedStatement } from "./policy";
import { allBlocks, synthApp, SynthesizedApp, TfJson } from "./synth";

export const EXAMPLES_DIR = path.join(PROJECT_ROOT, "examples");

/** The example file names without ".json", sorted. */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

/** An example config, parsed but not validated. */
export function exampleRawConfig(name: string): RawConfig {
  return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), "utf8")) as RawConfig;
}

/** An example config loaded the way `cdktf synth` loads it: CROSS_ACCOUNT_CONFIG, relative to the project root. */
export function loadExample(name: string): CrossAccountConfig {
  return loadConfig({ CROSS_ACCOUNT_CONFIG: `examples/${name}.json` }, PROJECT_ROOT);
}

/** Validates `rawConfig(overrides)` and synthesizes both stacks. */
export function synthWith(overrides: RawConfig): SynthesizedApp {
  return synthApp(toConfig(rawConfig(overrides)));
}

/** A reference to one of the bucket owner's outputs, read through the accessor's terraform_remote_state. */
export function ownerOutputRef(output: string): string {
  return `\${data.terraform_remote_state.bucket_owner_state.outputs.${output}}`;
}

/** The one block of `type` with logical id `id`; fails when it is absent. */
export function block(json: TfJson, type: string, id: string): Record<string, unknown> {
  const found = json.resource?.[type]?.[id];
  if (found === undefined) {
    const ids = Object.keys(json.resource?.[type] ?? {});
    throw new Error(`no ${type}.${id} (have: ${ids.join(", ") || "none"})`);
  }
  return found;
}

/** The parsed policy held in `attribute` of the resource `type.id`. */
export function policyOf(json: TfJson, type: string, id: string, attribute = "policy"): ParsedPolicy {
  return parsePolicy(block(json, type, id)[attribute]);
}

/** The statements of a policy, without the policy's Version (asserted separately). */
export function statementsOf(policy: ParsedPolicy): ParsedStatement[] {
  expect(policy.Version).toBe("2012-10-17");
  return policy.Statement;
}

/** The parsed policy held in a stack output (a JSON string). */
export function outputPolicy(json: TfJson, output: string): ParsedPolicy {
  const found = json.output?.[output];
  if (found === undefined) throw new Error(`no output ${output} (have: ${Object.keys(json.output ?? {}).join(", ")})`);
  return parsePolicy(found.value);
}

/** The synthesized `terraform` block of a stack (backend, cloud, required_providers). */
export function terraformBlock(json: TfJson): Record<string, unknown> {
  return (json as { terraform?: Record<string, unknown> }).terraform ?? {};
}

/** The accessor's terraform_remote_state data source for the owner's state. */
export function ownerRemoteState(json: TfJson): Record<string, unknown> {
  const found = json.data?.terraform_remote_state?.bucket_owner_state;
  if (found === undefined) throw new Error("no data.terraform_remote_state.bucket_owner_state");
  return found;
}

/** The only provider block of a stack. */
export function onlyProvider(json: TfJson): Record<string, unknown> {
  const providers = json.provider?.aws ?? [];
  if (providers.length !== 1) throw new Error(`expected one aws provider, found ${providers.length}`);
  return providers[0]!;
}

/** Terraform names: a letter or "_" first, then letters, digits, "_" and "-" ("Resource Blocks" in the Terraform docs). */
export const TERRAFORM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Resource and data-source addresses whose name Terraform would reject. */
export function invalidAddresses(json: TfJson): string[] {
  const bad: string[] = [];
  for (const byType of [json.resource ?? {}, json.data ?? {}]) {
    for (const [type, byId] of Object.entries(byType)) {
      for (const id of Object.keys(byId)) if (!TERRAFORM_NAME.test(id)) bad.push(`${type}.${id}`);
    }
  }
  return bad;
}

/**
 * Entries of depends_on and lifecycle lists (ignore_changes, replace_triggered_by) written as "${…}" templates.
 * Terraform's JSON syntax takes bare references there (`aws_s3_bucket.bucket`); a template fails terraform init.
 */
export function templatedReferenceLists(json: TfJson): string[] {
  const bad: string[] = [];
  for (const [address, body] of allBlocks(json)) {
    const lifecycle = (body.lifecycle ?? {}) as Record<string, unknown>;
    const lists: Array<[string, unknown]> = [
      ["depends_on", body.depends_on],
      ["lifecycle.ignore_changes", lifecycle.ignore_changes],
      ["lifecycle.replace_triggered_by", lifecycle.replace_triggered_by],
    ];
    for (const [field, value] of lists) {
      for (const entry of Array.isArray(value) ? (value as unknown[]) : []) {
        if (typeof entry === "string" && entry.includes("${")) bad.push(`${address}.${field}: ${entry}`);
      }
    }
  }
  return bad;
}

/** Accounts and names the issue-6 suites share (same as helpers/config's minimal config). */
export const OWNER_ROOT = `arn:aws:iam::${OWNER_ACCOUNT}:root`;
export const ACCESSOR_ROOT = `arn:aws:iam::${ACCESSOR_ACCOUNT}:root`;
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET_NAME}`;
export const TARGET_ROLE_ARN = `arn:aws:iam::${OWNER_ACCOUNT}:role/${TARGET_ROLE}`;
export const INSTANCE_ROLE_ARN = `arn:aws:iam::${ACCESSOR_ACCOUNT}:role/${INSTANCE_ROLE}`;

/** The bucket policy's first statement in every mode: no plain-HTTP request, from anyone, on the whole bucket. */
export const DENY_INSECURE_TRANSPORT: ParsedStatement = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
  Condition: { Bool: { "aws:SecureTransport": false } },
};

/** The key policy's first statement: the owner account (and so its IAM admins) administers the key. */
export const OWNER_ADMINISTERS_KEY: ParsedStatement = {
  Sid: "OwnerAccountAdministersKey",
  Effect: "Allow",
  Principal: { AWS: OWNER_ROOT },
  Action: "kms:*",
  Resource: "*",
};
