import "cdktf/lib/testing/adapters/jest";
import type { AccessReport } from "../access-report/report";
import {
  MUTATION_CONFIGS,
  MUTATIONS,
  type ExpectedFinding,
  type ExpectedRow,
  type MutationConfig,
} from "./helpers/access-report-mutations";
import { findingSummaries, reportConfig, reportFor, synthApp } from "./helpers/access-report-synth";
import type { CrossAccountConfig } from "../config/types";

/** One synth per configuration, shared by every mutation of it. */
const synths = new Map<MutationConfig, { outdir: string; config: CrossAccountConfig }>();
beforeAll(() => {
  for (const name of Object.keys(MUTATION_CONFIGS) as MutationConfig[]) {
    const { config } = reportConfig(MUTATION_CONFIGS[name]);
    synths.set(name, { outdir: synthApp(config), config });
  }
}, 240_000);

const isRow = (expected: ExpectedFinding | ExpectedRow): expected is ExpectedRow => "row" in expected;

function matchingFinding(report: AccessReport, expected: ExpectedFinding) {
  return report.findings.find(
    (finding) =>
      finding.severity === expected.severity &&
      (finding.principalKey.includes(expected.principal) || finding.principal.includes(expected.principal)) &&
      (finding.actions.includes(expected.action) || finding.actionsAsWritten.includes(expected.action)) &&
      finding.resource.includes(expected.resource) &&
      finding.statement.label.includes(expected.statement),
  );
}

test("the suite covers at least 40 distinct mutations across every configuration", () => {
  expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
  expect(MUTATIONS.length).toBeGreaterThanOrEqual(40);
  expect(new Set(MUTATIONS.map((m) => m.config))).toEqual(new Set(Object.keys(MUTATION_CONFIGS)));
});

describe.each(Object.keys(MUTATION_CONFIGS) as MutationConfig[])("the unchanged %s synth", (name) => {
  test("has no finding, no problem, and every check as expected", async () => {
    const synth = synths.get(name)!;
    const report = await reportFor(synth.outdir, synth.config);
    expect(findingSummaries(report)).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(report.rows.filter((row) => !row.asExpected).map((row) => row.id)).toEqual([]);
    expect(report.ok).toBe(true);
  }, 60_000);
});

describe.each(MUTATIONS.map((mutation) => [mutation.name, mutation] as const))("%s", (_name, mutation) => {
  test("is flagged, naming the principal, the action, the resource and the statement", async () => {
    const synth = synths.get(mutation.config)!;
    const report = await reportFor(mutation.change(synth.outdir), synth.config);
    const expected = mutation.expect;
    if (isRow(expected)) {
      const failing = report.rows.find((row) => row.id === expected.row);
      expect(failing?.asExpected).toBe(false);
      const result = failing?.results.find((r) => r.action === expected.action);
      expect(result?.asExpected).toBe(false);
      expect(failing?.principalArn).toMatch(/^arn:aws:(sts|iam)::\d{12}:/);
      expect(failing?.resourceArn).toMatch(/^arn:aws:/);
      expect(result?.evaluation.decidedBy.join("; ")).toContain(expected.decidedBy);
      expect(report.ok).toBe(false);
      return;
    }
    const finding = matchingFinding(report, expected);
    if (finding === undefined) {
      throw new Error(
        `no ${expected.severity} finding for ${expected.principal} / ${expected.action} / ${expected.resource} / ${expected.statement}; findings:\n${findingSummaries(report).join("\n")}\n${report.findings.map((f) => f.message).join("\n")}`,
      );
    }
    // The policies' own statements explain it: the evaluator's table found nothing they do not.
    expect(report.findings.filter((f) => f.side === "effective access").map((f) => f.message)).toEqual([]);
    // The message a reviewer reads names all four too.
    expect(finding.message).toContain(expected.statement);
    expect(finding.message).toContain(finding.resource);
    expect(report.ok).toBe(expected.severity === "warning");
    if (expected.severity === "warning") {
      expect(finding.verdict).toBe("stated, not effective");
      expect(finding.probes.length).toBeGreaterThan(0);
      expect(finding.probes.every((probe) => probe.evaluation.decision === "Denied")).toBe(true);
      expect(report.warningCount).toBeGreaterThan(0);
    }
  }, 60_000);
});
