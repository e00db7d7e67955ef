/**
 * Real synths for the access report tests: every stack of the app (the owner
 * and one per consumer, through addStacks as main.ts builds them) from a
 * config and synthesized to a temp folder (as `cdktf synth` does, with the
 * config record beside them), and copies of that output with one policy, or
 * one resource, deliberately changed.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { validateConfig } from "../../config/validate";
import type { CrossAccountConfig } from "../../config/types";
import { writeConfigRecord } from "../../config/config-record";
import { addStacks } from "../../stacks/app-stacks";
import { buildAccessReport, AccessReport } from "../../access-report/report";
import type { CheckRow } from "../../access-report/checks";
import type { Finding } from "../../access-report/judge";
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

/** A synth output folder and the config file it was made from. */
export interface Synthesized {
  readonly outdir: string;
  readonly config: CrossAccountConfig;
  readonly raw: Record<string, unknown>;
  /** The config written to a file, as `CROSS_ACCOUNT_CONFIG` would name it. */
  readonly configFile: string;
}

function synthInto(outdir: string, config: CrossAccountConfig): void {
  const app = new App({ outdir, stackTraces: false });
  addStacks(app, config);
  app.synth();
}

/** Synthesizes every stack of `config` into a new temp folder (no config record) and returns it. */
export function synthApp(config: CrossAccountConfig): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "access-report-synth-"));
  synthInto(outdir, config);
  return outdir;
}

/** Synthesizes every stack of `raw` into a new temp folder, with the config record the real synth writes. */
export function synthWithRecord(raw: Record<string, unknown>): Synthesized {
  const { config, problems } = validateConfig(raw);
  if (config === undefined) throw new Error(problems.map((p) => p.message).join("\n"));
  const root = mkdtempSync(path.join(os.tmpdir(), "access-report-synth-"));
  const configFile = path.join(root, "config.json");
  const text = `${JSON.stringify(raw, null, 2)}\n`;
  writeFileSync(configFile, text);
  const outdir = path.join(root, "cdktf.out");
  synthInto(outdir, config);
  writeConfigRecord(outdir, { file: configFile, usedExample: false, text }, root);
  return { outdir, config, raw, configFile };
}

/** The Terraform JSON of one stack, as the tests change it. */
export interface StackJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value?: unknown }>;
}

/** A copy of a synth output with one stack's JSON changed by `change`. */
export function withChangedStack(outdir: string, stack: string, change: (json: StackJson) => void): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "access-report-changed-"));
  const copy = path.join(root, "cdktf.out");
  cpSync(outdir, copy, { recursive: true });
  const file = path.join(copy, "stacks", stack, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as StackJson;
  change(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return copy;
}

/** Where a policy lives in the synthesized JSON. */
export interface PolicyLocation {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
}

/** A copy of a synth output with one resource's policy attribute changed by `change`. */
export function withChangedPolicy(
  outdir: string,
  where: PolicyLocation,
  change: (document: PolicyJson) => PolicyJson,
): string {
  return withChangedStack(outdir, where.stack, (json) => {
    const resource = json.resource[where.type]?.[where.name];
    const policy = resource?.[where.attribute];
    if (resource === undefined || typeof policy !== "string") {
      throw new Error(`no ${where.type}.${where.name}.${where.attribute} in stack ${where.stack}`);
    }
    resource[where.attribute] = JSON.stringify(change(JSON.parse(policy) as PolicyJson));
  });
}

/** The report of `outdir` against `config` (the library entry point; the CLI reads the record instead). */
export function reportFor(outdir: string, config: CrossAccountConfig): Promise<AccessReport> {
  return buildAccessReport(outdir, config);
}

/** The row with `id`; fails the test when there is none. */
export function row(report: AccessReport, id: string): CheckRow {
  const found = report.rows.find((r) => r.id === id);
  if (found === undefined)
    throw new Error(`no row "${id}" in the report; rows: ${report.rows.map((r) => r.id).join(", ")}`);
  return found;
}

/** The ids of the rows that are not as expected. */
export function mismatches(report: AccessReport): string[] {
  return report.rows.filter((r) => !r.asExpected).map((r) => r.id);
}

/** Findings in a short form a test can compare: severity, principal as written, resource, statement label. */
export function findingSummaries(report: AccessReport): string[] {
  return report.findings.map(
    (f: Finding) => `${f.severity} ${f.verdict}: ${f.principalKey} | ${f.resource} | ${f.statement.label}`,
  );
}
