import "cdktf/lib/testing/adapters/jest";
import type { AccessReport } from "../access-report/report";
import { matrixMarkdownLines } from "../access-report/render-matrix";
import { renderJson, renderMarkdown, renderTable } from "../access-report/render";
import { reportFor, synthWithRecord, EXAMPLE_RAW_CONFIG } from "./helpers/access-report-synth";
import { cell, manyConsumersExample, matrixLines } from "./helpers/access-report-matrix";

/** The example with a fourth consumer, isolated on its own prefix. */
function withReporting(): Record<string, unknown> {
  const raw = manyConsumersExample();
  const accessors = raw.accessors as Record<string, unknown>[];
  return {
    ...raw,
    accessors: [
      ...accessors,
      {
        name: "reporting",
        accountId: "555566667777",
        region: "eu-west-1",
        targetRoleName: "data-lake-reporting-reader",
        instanceRoleName: "reporting-instance",
        keyPrefix: "reports/",
      },
    ],
  };
}

/** One consumer of the whole bucket whose prefix contains the others', as the config allows. */
const OVERLAP_CONFIG = {
  bucketOwner: { accountId: "111122223333", region: "eu-west-1" },
  bucket: { name: "example-overlap-lake-111122223333" },
  accessors: [
    {
      name: "lake-admin",
      accountId: "222233334444",
      region: "eu-west-1",
      targetRoleName: "lake-admin",
      instanceRoleName: "lake-admin-instance",
      accessLevel: "full",
      allowPrefixOverlap: true,
    },
    {
      name: "team-a",
      accountId: "444455556666",
      region: "eu-west-1",
      targetRoleName: "lake-team-a",
      instanceRoleName: "team-a-instance",
      keyPrefix: "team-a/",
    },
    {
      name: "team-b",
      accountId: "777788889999",
      region: "eu-west-1",
      targetRoleName: "lake-team-b",
      instanceRoleName: "team-b-instance",
      accessLevel: "read-write",
      keyPrefix: "team-b/",
    },
  ],
};

const reports: Record<string, AccessReport> = {};
beforeAll(async () => {
  const configs: Record<string, Record<string, unknown>> = {
    example: manyConsumersExample(),
    withReporting: withReporting(),
    overlap: OVERLAP_CONFIG,
    single: { ...EXAMPLE_RAW_CONFIG },
  };
  for (const [name, raw] of Object.entries(configs)) {
    const synth = synthWithRecord(raw);
    reports[name] = await reportFor(synth.outdir, synth.config);
  }
}, 300_000);

describe("examples/many-consumers.json", () => {
  test("each consumer has exactly its level on its own prefix and nothing on another's", () => {
    const report = reports.example!;
    expect(report.isolationMatrix.columns).toEqual([
      { consumer: "analytics", prefix: "analytics/", accessLevel: "read-only" },
      { consumer: "ingest", prefix: "incoming/ingest/", accessLevel: "read-write" },
      { consumer: "archive", prefix: "archive/", accessLevel: "full" },
    ]);
    const expected: Record<string, Record<string, [string, string]>> = {
      analytics: { analytics: ["own", "R--L"], ingest: ["none", "----"], archive: ["none", "----"] },
      ingest: { analytics: ["none", "----"], ingest: ["own", "RWDL"], archive: ["none", "----"] },
      archive: { analytics: ["none", "----"], ingest: ["none", "----"], archive: ["own", "RWDL"] },
    };
    for (const [row, columns] of Object.entries(expected)) {
      for (const [column, [intended, letters]] of Object.entries(columns)) {
        expect(cell(report, row, column)).toEqual({
          column,
          intended,
          expected: letters,
          evaluated: letters,
          asExpected: true,
          differences: [],
        });
      }
    }
    expect(report.isolationMatrix.mismatches).toBe(0);
    expect(report.ok).toBe(true);
  });

  test("a row acts as everything its account can: its own principals and the target role they reach", () => {
    const row = reports.example!.isolationMatrix.rows.find((r) => r.consumer === "archive")!;
    expect(row.principals).toEqual([
      "instance role archive-curator",
      "role AWSReservedSSO_ArchiveCurators_0123456789abcdef",
      "a principal of account 222233334444",
      "target role data-lake-archive-curator (archive)",
    ]);
  });

  test("the table shows the grid, the Markdown one line per consumer, the JSON every cell", () => {
    const report = reports.example!;
    const table = renderTable(report);
    expect(table).toContain("consumer \\ prefix of  analytics  ingest  archive");
    expect(table).toMatch(/ {2}analytics {13}R--L {7}---- {4}----\n/);
    expect(matrixMarkdownLines(report.isolationMatrix).filter((line) => line.startsWith("| ✅"))).toEqual([
      "| ✅ | analytics | `analytics/` | read-only | `R--L` | none |",
      "| ✅ | ingest | `incoming/ingest/` | read-write | `RWDL` | none |",
      "| ✅ | archive | `archive/` | full | `RWDL` | none |",
    ]);
    expect(renderMarkdown(report)).toContain("## Isolation matrix");
    const json = JSON.parse(renderJson(report)) as AccessReport;
    expect(json.isolationMatrix.rows.flatMap((row) => row.cells)).toHaveLength(9);
  });
});

test("adding a consumer adds one line to the Markdown matrix and changes none", () => {
  const before = matrixMarkdownLines(reports.example!.isolationMatrix);
  const after = matrixMarkdownLines(reports.withReporting!.isolationMatrix);
  expect(after.filter((line) => !before.includes(line))).toEqual([
    "| ✅ | reporting | `reports/` | read-only | `R--L` | none |",
  ]);
  expect(before.filter((line) => !after.includes(line))).toEqual([]);
  expect(matrixLines(reports.withReporting!)).toContain(
    "reporting: analytics=---- ingest=---- archive=---- reporting=R--L",
  );
});

test("allowPrefixOverlap: the whole-bucket consumer reaches the others' prefixes, as intended", () => {
  const report = reports.overlap!;
  expect(matrixLines(report)).toEqual([
    "lake-admin: lake-admin=RWDL team-a=RWDL team-b=RWDL",
    "team-a: lake-admin=---- team-a=R--L team-b=----",
    "team-b: lake-admin=---- team-a=---- team-b=RWDL",
  ]);
  expect(cell(report, "lake-admin", "team-a")).toMatchObject({
    intended: "overlap",
    expected: "RWDL",
    asExpected: true,
  });
  expect(matrixMarkdownLines(report.isolationMatrix)).toContain(
    "| ✅ | lake-admin | `(whole bucket)` | full | `RWDL` | team-a: `RWDL*`, team-b: `RWDL*` |",
  );
  expect(report.ok).toBe(true);
});

test("the single accessor form: one consumer, one cell", () => {
  const report = reports.single!;
  expect(matrixLines(report)).toEqual(["accessor: accessor=R--L"]);
  expect(report.ok).toBe(true);
});
