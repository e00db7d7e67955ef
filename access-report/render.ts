/**
 * The report as a terminal table, as Markdown for the pull request, and as
 * JSON for tools.
 */
import type { AccessReport, AccessReportRow } from "./report";

const MARK = { ok: "ok", mismatch: "MISMATCH" } as const;

function summary(report: AccessReport): string {
  const matching = report.rows.filter((row) => row.asExpected).length;
  const verdict = report.ok ? "as expected" : "NOT as expected";
  return `Access level ${report.accessLevel}: ${matching} of ${report.rows.length} checks as expected, ${report.problems.length} problem(s); access is ${verdict}.`;
}

function groups(rows: readonly AccessReportRow[]): Map<string, AccessReportRow[]> {
  const byGroup = new Map<string, AccessReportRow[]>();
  for (const row of rows) byGroup.set(row.group, [...(byGroup.get(row.group) ?? []), row]);
  return byGroup;
}

/** Pads columns to the widest cell; one line per row. */
function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];
}

/** The terminal table. */
export function renderTable(report: AccessReport): string {
  const lines = [`Access report for ${report.outdir}`, ""];
  for (const [group, rows] of groups(report.rows)) {
    lines.push(group);
    lines.push(
      ...textTable(
        // The check's own words: rows with the same principal and action differ in what they ask
        // (plain HTTP, not through S3, outside the key prefix), which a resource column cannot show.
        ["", "check", "action", "expected", "evaluated", "decided by"],
        rows.map((row) => [
          row.asExpected ? MARK.ok : MARK.mismatch,
          row.question,
          row.action,
          row.expected,
          row.evaluated,
          row.decidedBy.join("; "),
        ]),
      ).map((text) => `  ${text}`),
      "",
    );
  }
  for (const row of report.rows.filter((r) => !r.asExpected)) {
    lines.push(
      `MISMATCH ${row.id}: ${row.question}: expected ${row.expected} (${row.expectedBecause}), evaluated ${row.evaluated}.`,
    );
  }
  for (const problem of report.problems) lines.push(`PROBLEM ${problem}`);
  for (const note of report.notes) lines.push(`NOTE ${note}`);
  lines.push(summary(report));
  return lines.join("\n") + "\n";
}

const escapeCell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The Markdown written next to the synth output, for the pull request. */
export function renderMarkdown(report: AccessReport): string {
  const lines = [
    "# Access report",
    "",
    `${report.ok ? "✅" : "❌"} ${summary(report)}`,
    "",
    `Bucket \`${report.expectations.bucketName}\` in account ${report.expectations.bucketOwner.accountId}; ` +
      `instance role \`${report.expectations.instanceRoleName}\` in account ${report.expectations.accessor.accountId} ` +
      `assumes target role \`${report.expectations.targetRoleName}\`. Each check is evaluated with ` +
      "@cloud-copilot/iam-simulate on the synthesized policies (both sides of a cross-account request), " +
      "with aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType and aws:SecureTransport set explicitly.",
    "",
  ];
  for (const [group, rows] of groups(report.rows)) {
    lines.push(
      `## ${group}`,
      "",
      "| | Check | Action | Expected | Evaluated | Decided by |",
      "|---|---|---|---|---|---|",
    );
    for (const row of rows) {
      const check = `${row.question}<br><sub>${row.expectedBecause}</sub>`;
      lines.push(
        `| ${row.asExpected ? "✅" : "❌"} | ${escapeCell(check)} | \`${row.action}\` | ${row.expected} | ${row.evaluated} | ${escapeCell(row.decidedBy.join("<br>"))} |`,
      );
    }
    lines.push("");
  }
  if (report.problems.length > 0) {
    lines.push("## Problems", "", ...report.problems.map((problem) => `- ${escapeCell(problem)}`), "");
  }
  if (report.notes.length > 0) {
    lines.push("## Notes", "", ...report.notes.map((note) => `- ${escapeCell(note)}`), "");
  }
  if (report.policyRuleFindings.length > 0) {
    lines.push("## Policy rule findings", "", "| Level | Construct | Finding |", "|---|---|---|");
    for (const finding of report.policyRuleFindings) {
      lines.push(`| ${finding.level} | \`${finding.constructPath}\` | ${escapeCell(finding.message)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** The machine-readable report. */
export function renderJson(report: AccessReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
