/**
 * The `accessors` form in tests: a raw config with three consumers of one
 * bucket (each its own account, level and prefix), and a synth of every stack
 * the app builds for a config (through addStacks, as main.ts does).
 */
import * as path from "node:path";
import { mkdirSync } from "node:fs";
import { Testing } from "cdktf";
import type { CrossAccountConfig } from "../../config/types";
import { addStacks } from "../../stacks/app-stacks";
import type { AccessorStack } from "../../stacks/accessor-stack";
import type { BucketOwnerStack } from "../../stacks/bucket-owner-stack";
import { OWNER_ACCOUNT, RawConfig, toConfig } from "./config";
import { TEST_PROJECT_ROOT, TfJson } from "./synth";

/** The three consumers' accounts, one each. */
export const CONSUMER_ACCOUNTS = {
  analytics: "444455556666",
  ingest: "777788889999",
  archive: "222233334444",
} as const;

export const LAKE_BUCKET = "unit-test-data-lake";
export const ARCHIVE_SSO_ROLE =
  "arn:aws:iam::222233334444:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Curators_0123456789abcdef";

/** One consumer entry with the required keys, named `name`. */
export function consumerEntry(name: string, accountId: string, overrides: RawConfig = {}): RawConfig {
  return {
    name,
    accountId,
    region: "eu-west-1",
    targetRoleName: `lake-${name}`,
    instanceRoleName: `${name}-instance`,
    keyPrefix: `${name}/`,
    ...overrides,
  };
}

/** The three consumers: read-only on analytics/, read-write on incoming/ingest/, full on archive/ with a person. */
export function threeConsumers(): RawConfig[] {
  return [
    consumerEntry("analytics", CONSUMER_ACCOUNTS.analytics, { accessLevel: "read-only" }),
    consumerEntry("ingest", CONSUMER_ACCOUNTS.ingest, {
      region: "eu-central-1",
      accessLevel: "read-write",
      keyPrefix: "incoming/ingest/",
      cliProfileName: "lake-ingest",
    }),
    consumerEntry("archive", CONSUMER_ACCOUNTS.archive, {
      accessLevel: "full",
      instance: { create: false },
      humanAccess: { roleArns: [ARCHIVE_SSO_ROLE] },
    }),
  ];
}

/** A raw `accessors` config: the owner, the bucket and `accessors`, with `overrides` replacing top-level keys. */
export function manyConsumersRaw(overrides: RawConfig = {}): RawConfig {
  return {
    bucketOwner: { accountId: OWNER_ACCOUNT, region: "eu-west-1" },
    bucket: { name: LAKE_BUCKET },
    accessors: threeConsumers(),
    ...overrides,
  };
}

export interface SynthesizedStack<T> {
  readonly stack: T;
  /** `Testing.synth` output, for the cdktf matchers. */
  readonly synth: string;
  readonly json: TfJson;
}

export interface SynthesizedStacks {
  readonly owner: SynthesizedStack<BucketOwnerStack>;
  /** By stack id ("accessor-analytics", …). */
  readonly accessors: ReadonlyMap<string, SynthesizedStack<AccessorStack>>;
}

/** Every stack of `config`, built as main.ts builds them and synthesized in memory (the rules run too). */
export function synthStacks(config: CrossAccountConfig, projectRoot: string = TEST_PROJECT_ROOT): SynthesizedStacks {
  const outdir = path.join(projectRoot, "cdktf.out");
  mkdirSync(outdir, { recursive: true });
  const app = Testing.app({ outdir });
  const stacks = addStacks(app, config, { projectRoot });
  const synthesized = <T extends BucketOwnerStack | AccessorStack>(stack: T): SynthesizedStack<T> => {
    const synth = Testing.synth(stack);
    return { stack, synth, json: JSON.parse(synth) as TfJson };
  };
  return {
    owner: synthesized(stacks.owner),
    accessors: new Map(stacks.accessors.map((stack) => [stack.node.id, synthesized(stack)] as const)),
  };
}

/**
 * The `accessors` configs for the Terraform suites (terraform validate of
 * every stack each one synthesizes): each backend, an existing SSE-KMS bucket,
 * and a consumer of the whole bucket beside consumers of prefixes.
 */
export function accessorListTerraformCases(): Array<{ readonly id: string; readonly config: CrossAccountConfig }> {
  const state = { bucket: "unit-test-terraform-state", key: "lake/bucket-owner.tfstate", region: "eu-west-1" };
  const whole = consumerEntry("auditor", "555566667777", { allowPrefixOverlap: true });
  delete whole.keyPrefix;
  const cases: Array<[string, RawConfig]> = [
    ["accessors-local", manyConsumersRaw({ bucket: { name: LAKE_BUCKET, encryption: "SSE-KMS" } })],
    [
      "accessors-s3",
      manyConsumersRaw({
        backend: {
          type: "s3",
          bucketOwner: { ...state, roleArn: "arn:aws:iam::999988887777:role/state-owner" },
          accessor: { roleArn: "arn:aws:iam::999988887777:role/state-consumer" },
          ownerStateReaderRoleArn: "arn:aws:iam::999988887777:role/state-reader",
        },
      }),
    ],
    [
      "accessors-cloud",
      manyConsumersRaw({
        backend: { type: "cloud", organization: "unit-test-org", bucketOwnerWorkspace: "lake-owner" },
      }),
    ],
    [
      "accessors-existing-bucket",
      manyConsumersRaw({
        bucket: {
          name: LAKE_BUCKET,
          existing: true,
          kmsKeyArn: `arn:aws:kms:eu-west-1:${OWNER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        },
      }),
    ],
    ["accessors-whole-bucket", manyConsumersRaw({ accessors: [whole, ...threeConsumers()] })],
  ];
  return cases.map(([id, raw]) => ({ id, config: toConfig(raw) }));
}
