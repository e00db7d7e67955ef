import "cdktf/lib/testing/adapters/jest";
import type { AccessReport } from "../access-report/report";
import { reportFor, synthWithRecord, type Synthesized } from "./helpers/access-report-synth";
import { cell, ISOLATION_MUTATIONS, manyConsumersExample, matrixLines } from "./helpers/access-report-matrix";

/**
 * One bucket, many consumers: each single-policy change that lets a consumer
 * out of its prefix (or locks it out of its own) must fail the report, in the
 * isolation matrix and as an over-grant naming the statement.
 */
let synth: Synthesized;
beforeAll(() => {
  synth = synthWithRecord(manyConsumersExample());
}, 120_000);

test("the unchanged example is clean", async () => {
  const report = await reportFor(synth.outdir, synth.config);
  expect(report.ok).toBe(true);
  expect(matrixLines(report)).toEqual([
    "analytics: analytics=R--L ingest=---- archive=----",
    "ingest: analytics=---- ingest=RWDL archive=----",
    "archive: analytics=---- ingest=---- archive=RWDL",
  ]);
}, 60_000);

describe.each(ISOLATION_MUTATIONS.map((mutation) => [mutation.name, mutation] as const))("%s", (_name, mutation) => {
  let report: AccessReport;
  beforeAll(async () => {
    report = await reportFor(mutation.change(synth.outdir), synth.config);
  }, 60_000);

  test("fails the report", () => {
    expect(report.ok).toBe(false);
    expect(report.errorCount).toBeGreaterThan(0);
  });

  test("shows in the isolation matrix, naming who gets through and how", () => {
    const { row, column, evaluated, via } = mutation.expect;
    const found = cell(report, row, column);
    expect(found.evaluated).toBe(evaluated);
    expect(found.asExpected).toBe(false);
    expect(found.differences.map((difference) => difference.via)).toContainEqual(expect.stringContaining(via));
    expect(report.isolationMatrix.mismatches).toBeGreaterThan(0);
  });

  test("is an over-grant naming the principal, the resource and the statement", () => {
    const { principal, resource, statement } = mutation.expect.finding;
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        severity: "error",
        principalKey: principal,
        resource,
        statement: expect.objectContaining({ label: expect.stringContaining(statement) }),
      }),
    );
  });
});
