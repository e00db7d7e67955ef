/**
 * Real synths for the access report tests: the app's two stacks built from a
 * config and synthesized to a temp folder (as `cdktf synth` does), and copies
 * of that output with one policy deliberately changed.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { validateConfig } from "../../config/validate";
import type { CrossAccountConfig } from "../../config/types";
import { BucketOwnerStack, BUCKET_OWNER_STACK_ID } from "../../stacks/bucket-owner-stack";
import { AccessorStack, ACCESSOR_STACK_ID } from "../../stacks/accessor-stack";
import { buildAccessReport, AccessReport, AccessReportRow } from "../../access-report/report";
import { expectationsFromConfig } from "../../access-report/expectations";
import type { PolicyJson } from "../../access-report/policy-json";

/** The checked-in example config as written, for overriding. */
export const EXAMPLE_RAW_CONFIG: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(path.join(__dirname, "../../config/example.json"), "utf8"),
);

/** A validated config: the example with `overrides` merged over it. */
export function reportConfig(overrides: Readonly<Record<string, unknown>> = {}): {
  raw: Record<string, unknown>;
  config: CrossAccountConfig;
} {
  const raw = { ...EXAMPLE_RAW_CONFIG, ...overrides };
  const { config, problems } = validateConfig(raw);
  if (config === undefined) throw new Error(problems.map((p) => p.message).join("\n"));
  return { raw, config };
}

/** Synthesizes both stacks of `config` into a new temp folder and returns it. */
export function synthApp(config: CrossAccountConfig): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "access-report-synth-"));
  const app = new App({ outdir, stackTraces: false });
  const owner = new BucketOwnerStack(app, BUCKET_OWNER_STACK_ID, { config });
  new AccessorStack(app, ACCESSOR_STACK_ID, { config, bucketOwnerStack: owner });
  app.synth();
  return outdir;
}

/** A copy of a synth output with one resource's policy attribute changed by `change`. */
export function withChangedPolicy(
  outdir: string,
  where: { readonly stack: string; readonly type: string; readonly name: string; readonly attribute: string },
  change: (document: PolicyJson) => PolicyJson,
): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), "access-report-broken-"));
  cpSync(outdir, copy, { recursive: true });
  const file = path.join(copy, "stacks", where.stack, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as {
    resource: Record<string, Record<string, Record<string, string>>>;
  };
  const resource = json.resource[where.type]?.[where.name];
  const policy = resource?.[where.attribute];
  if (resource === undefined || policy === undefined) {
    throw new Error(`no ${where.type}.${where.name}.${where.attribute} in ${file}`);
  }
  resource[where.attribute] = JSON.stringify(change(JSON.parse(policy) as PolicyJson));
  writeFileSync(file, JSON.stringify(json, null, 2));
  return copy;
}

/** The report of `outdir` against what `config` implies. */
export function reportFor(outdir: string, config: CrossAccountConfig): Promise<AccessReport> {
  return buildAccessReport(outdir, expectationsFromConfig(config));
}

/** The row with `id`; fails the test when there is none. */
export function row(report: AccessReport, id: string): AccessReportRow {
  const found = report.rows.find((r) => r.id === id);
  if (found === undefined)
    throw new Error(`no row "${id}" in the report; rows: ${report.rows.map((r) => r.id).join(", ")}`);
  return found;
}

/** The ids of the rows that are not as expected. */
export function mismatches(report: AccessReport): string[] {
  return report.rows.filter((r) => !r.asExpected).map((r) => r.id);
}
