/**
 * Synthesizes the two stacks for a config once, and gives typed access to the
 * synthesized Terraform JSON. No network, no credentials, no terraform binary:
 * `Testing.synth` only renders JSON in memory.
 */
import fs from "node:fs"; // the module object itself (default import), which cdktf's Testing calls
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { CrossAccountConfig } from "../../config/types";
import { BucketOwnerStack, BUCKET_OWNER_STACK_ID } from "../../stacks/bucket-owner-stack";
import { AccessorStack, ACCESSOR_STACK_ID } from "../../stacks/accessor-stack";
import { HOOK_TIMEOUT_MS } from "./timeouts";

/** Synthesized Terraform JSON of one stack (as `Testing.synth` returns it, parsed). */
export interface TfJson {
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
  readonly terraform?: {
    backend?: Record<string, Record<string, unknown>>;
    required_providers?: Record<string, unknown>;
  };
}

export interface SynthesizedApp {
  readonly app: App;
  readonly owner: BucketOwnerStack;
  readonly accessor: AccessorStack;
  /** `Testing.synth` output of each stack, for the cdktf matchers. */
  readonly ownerSynth: string;
  readonly accessorSynth: string;
  /** The same, parsed. */
  readonly ownerJson: TfJson;
  readonly accessorJson: TfJson;
}

export interface SynthOptions {
  /**
   * Folder the local state files live in (the checkout).
   * @default a temporary folder shared by this test file (TEST_PROJECT_ROOT)
   */
  readonly projectRoot?: string;
  /**
   * The app's outdir; relative to projectRoot when relative.
   * @default "cdktf.out"
   */
  readonly outdir?: string;
}

/**
 * A temporary stand-in for the checkout folder. cdktf's App creates its outdir
 * when it is constructed, so tests never point it into the real project.
 */
export const TEST_PROJECT_ROOT = mkdtempSync(path.join(tmpdir(), "cdktf-test-checkout-"));
// Each test file loads its own copy of this module, so each file removes its own folder.
afterAll(() => rmSync(TEST_PROJECT_ROOT, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

/** A test App whose outdir is inside TEST_PROJECT_ROOT, for building stacks that are never synthesized to disk. */
export function testApp(): App {
  const outdir = path.join(TEST_PROJECT_ROOT, "cdktf.out");
  mkdirSync(outdir, { recursive: true });
  return Testing.app({ outdir });
}

/** Builds both stacks as main.ts does and synthesizes each (in memory, nothing but the empty outdir is written). */
export function synthApp(config: CrossAccountConfig, options: SynthOptions = {}): SynthesizedApp {
  const projectRoot = options.projectRoot ?? TEST_PROJECT_ROOT;
  const outdir = path.resolve(projectRoot, options.outdir ?? "cdktf.out");
  mkdirSync(outdir, { recursive: true });
  const app = Testing.app({ outdir });
  const owner = new BucketOwnerStack(app, BUCKET_OWNER_STACK_ID, { config, projectRoot });
  const accessor = new AccessorStack(app, ACCESSOR_STACK_ID, { config, bucketOwnerStack: owner, projectRoot });
  const ownerSynth = Testing.synth(owner);
  const accessorSynth = Testing.synth(accessor);
  return {
    app,
    owner,
    accessor,
    ownerSynth,
    accessorSynth,
    ownerJson: JSON.parse(ownerSynth) as TfJson,
    accessorJson: JSON.parse(accessorSynth) as TfJson,
  };
}

/** Synthesizes one construct tree in a test stack that has an aliased AWS provider; returns the JSON string and parsed. */
export function synthModule(build: (scope: Construct, provider: AwsProvider) => void): { synth: string; json: TfJson } {
  // Testing.synthScope makes a fresh temporary outdir per call (via Testing.app)
  // and never removes it; remove exactly the folders made during this call.
  const made: string[] = [];
  const mkdtemp = fs.mkdtempSync;
  const spy = jest.spyOn(fs, "mkdtempSync").mockImplementation((prefix: string) => {
    const dir = mkdtemp(prefix);
    made.push(dir);
    return dir;
  });
  try {
    const synth = Testing.synthScope((scope) => {
      const provider = new AwsProvider(scope, "aws", { alias: "test", region: "eu-west-1" });
      build(scope, provider);
    });
    return { synth, json: JSON.parse(synth) as TfJson };
  } finally {
    spy.mockRestore();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  }
}

/** The provider reference a resource of the test stack carries. */
export const TEST_PROVIDER_REF = "aws.test";

/** The resources of `type`, by logical id. */
export function resourcesOf(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The data sources of `type`, by logical id. */
export function dataSourcesOf(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.data?.[type] ?? {};
}

/** The single resource of `type`; fails when there are none or several. */
export function onlyResource(json: TfJson, type: string): Record<string, unknown> {
  return only(resourcesOf(json, type), type);
}

/** The single data source of `type`; fails when there are none or several. */
export function onlyDataSource(json: TfJson, type: string): Record<string, unknown> {
  return only(dataSourcesOf(json, type), `data.${type}`);
}

function only(byId: Record<string, Record<string, unknown>>, what: string): Record<string, unknown> {
  const values = Object.values(byId);
  if (values.length !== 1) throw new Error(`expected exactly one ${what}, found ${values.length}`);
  return values[0]!;
}

/** Every resource and data source as [address, body], e.g. ["aws_s3_bucket.bucket", {...}]. */
export function allBlocks(json: TfJson): Array<[string, Record<string, unknown>]> {
  const blocks: Array<[string, Record<string, unknown>]> = [];
  for (const [kind, byType] of [
    ["", json.resource ?? {}],
    ["data.", json.data ?? {}],
  ] as const) {
    for (const [type, byId] of Object.entries(byType)) {
      for (const [id, body] of Object.entries(byId)) blocks.push([`${kind}${type}.${id}`, body]);
    }
  }
  return blocks;
}

/** The names of every resource type in the stack, sorted. */
export function resourceTypes(json: TfJson): string[] {
  return Object.keys(json.resource ?? {}).sort();
}
