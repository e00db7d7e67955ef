/**
 * The report as a terminal table, as Markdown for the pull request, and as
 * JSON for tools. Each starts with what was analysed; findings come before
 * the rows that passed, errors before warnings.
 */
import type { CheckRow } from "./checks";
import type { AccessEntry } from "./effective-access";
import type { Finding } from "./judge";
import { actionList } from "./judge";
import type { AccessReport } from "./report";
import { matrixMarkdownLines, matrixMismatchLines, matrixTableLines } from "./render-matrix";

const MARK = { ok: "ok", mismatch: "MISMATCH" } as const;

/** The verdict line: what a reviewer reads first and last. */
export function summary(report: AccessReport, strict = false): string {
  const matching = report.rows.filter((row) => row.asExpected).length;
  const errors = report.findings.filter((f) => f.severity === "error").length;
  const passes = report.ok && (!strict || report.warningCount === 0);
  const verdict = passes
    ? report.warningCount > 0
      ? "as expected, with warnings to review"
      : "as expected"
    : "NOT as expected";
  const consumers = report.analysed.consumers;
  const what = consumers.length > 1 ? `${consumers.length} consumers` : `Access level ${report.accessLevel}`;
  const matrix = report.isolationMatrix;
  const cells = matrix.rows.reduce((count, row) => count + row.cells.length, 0);
  const isolation =
    consumers.length > 1 ? `${cells - matrix.mismatches} of ${cells} isolation cells as expected, ` : "";
  return (
    `${what}: ${matching} of ${report.rows.length} checks as expected, ${isolation}` +
    `${errors} over-grant(s), ${report.warningCount} warning(s), ${report.problems.length} problem(s)` +
    `${strict ? " (--strict)" : ""}; access is ${verdict}.`
  );
}

/** The header lines: what was analysed. */
export function scopeLines(report: AccessReport): string[] {
  const a = report.analysed;
  const sha = a.config.sha256 === undefined ? "" : `, sha256 ${a.config.sha256.slice(0, 12)}`;
  if (a.consumers.length > 1 || a.consumers.some((consumer) => consumer.accessPoint !== undefined)) {
    return [
      `Config:        ${a.config.file} (${a.config.via}${sha})`,
      `Bucket:        ${a.bucket.name} in account ${a.bucket.account} (${a.bucket.region})`,
      `KMS key:       ${a.kmsKey ?? "none (SSE-S3)"}`,
      `Consumers:     ${a.consumers.length}, each through its own access point, role chain`,
      ...a.consumers.map(
        (c) =>
          `  ${c.name}: account ${c.account} (${c.region}), ${c.accessLevel} on ${c.keyPrefix ?? "the whole bucket"}` +
          `${c.allowPrefixOverlap ? " (allowPrefixOverlap)" : ""}, target role ${c.targetRole ?? "none"}, ` +
          `instance role ${c.instanceRole}, access point ${c.accessPoint ?? "none"}` +
          (c.people.length === 0 ? "" : `, people ${c.people.join(", ")}`),
      ),
      `Policies:      ${a.policies.map((p) => `${p.name} (${p.statements})`).join(", ")}`,
    ];
  }
  return [
    `Config:        ${a.config.file} (${a.config.via}${sha})`,
    `Bucket:        ${a.bucket.name} in account ${a.bucket.account} (${a.bucket.region})` +
      (a.keyPrefix === undefined ? "" : `, key prefix ${a.keyPrefix}`),
    `Accessor:      account ${a.accessor.account} (${a.accessor.region})`,
    `Access:        ${a.accessLevel}, ${a.accessMode === "direct" ? "direct grant to the instance role" : "role chain"}`,
    `Target role:   ${a.targetRole ?? "none (direct grant)"}`,
    `Instance role: ${a.instanceRole}`,
    `KMS key:       ${a.kmsKey ?? "none (SSE-S3)"}`,
    ...(a.people.length === 0 ? [] : [`People:        ${a.people.join(", ")}`]),
    `Policies:      ${a.policies.map((p) => `${p.name} (${p.statements})`).join(", ")}`,
  ];
}

function groups(rows: readonly CheckRow[]): Map<string, CheckRow[]> {
  const byGroup = new Map<string, CheckRow[]>();
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

function accessText(entry: AccessEntry): string {
  const unintended = entry.unintended.length === 0 ? "" : `; NOT intended: ${actionList(entry.unintended, 4)}`;
  const when = entry.conditions.length === 0 ? "" : ` (when ${entry.conditions.join(" / ")})`;
  return `${actionList(entry.allowed, 4)}${when}${unintended}`;
}

function findingLines(finding: Finding): string[] {
  const label = finding.severity === "error" ? "OVER-GRANT" : "WARNING";
  return [`${label} ${finding.message}`];
}

function mismatchLine(row: CheckRow): string {
  const wrong = row.results.filter((r) => !r.asExpected);
  const detail = wrong.map((r) => `${r.action}: ${r.evaluation.result} (${r.evaluation.decidedBy.join("; ")})`);
  return `MISMATCH ${row.id}: ${row.question}: ${row.principal} (${row.principalArn}) on ${row.resourceArn}: expected ${row.expected} (${row.expectedBecause}); ${detail.join("; ")}.`;
}

/** The terminal table; `shownOutdir` is the folder as the user named it. */
export function renderTable(report: AccessReport, strict = false, shownOutdir: string = report.outdir): string {
  // First, as in every command: the config and both accounts (the Config line below adds how it was chosen).
  const { config, accounts } = report.analysed;
  const from = config.via === "given" ? "against the config given" : `synthesized from ${config.file}`;
  const lines = [`Access report for ${shownOutdir}, ${from}: ${accounts}`, "", ...scopeLines(report), ""];
  for (const [group, rows] of groups(report.rows)) {
    lines.push(group);
    lines.push(
      ...textTable(
        ["", "check", "actions", "expected", "evaluated", "decided by"],
        rows.map((row) => [
          row.asExpected ? MARK.ok : MARK.mismatch,
          row.question,
          actionList(row.actions, 3),
          row.expected,
          row.evaluated,
          row.decidedBy.join("; "),
        ]),
      ).map((text) => `  ${text}`),
      "",
    );
  }
  lines.push("Who can do what (every principal the policies name, evaluated)");
  lines.push(
    ...textTable(
      ["", "principal", "resource", "allowed"],
      report.effectiveAccess.map((entry) => [
        entry.unintended.length === 0 ? MARK.ok : MARK.mismatch,
        entry.principal,
        entry.resourceArn,
        accessText(entry),
      ]),
    ).map((text) => `  ${text}`),
    "",
  );
  lines.push(...matrixTableLines(report.isolationMatrix, textTable));
  for (const row of report.rows.filter((r) => !r.asExpected)) lines.push(mismatchLine(row));
  lines.push(...matrixMismatchLines(report.isolationMatrix));
  const ordered = [...report.findings].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
  );
  for (const finding of ordered) lines.push(...findingLines(finding));
  for (const problem of report.problems) lines.push(`PROBLEM ${problem}`);
  for (const note of report.notes) lines.push(`NOTE ${note}`);
  lines.push(summary(report, strict));
  return lines.join("\n") + "\n";
}

const escapeCell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The Markdown written next to the synth output, for the pull request. */
export function renderMarkdown(report: AccessReport, strict = false): string {
  const passes = report.ok && (!strict || report.warningCount === 0);
  const lines = [
    "# Access report",
    "",
    `${passes ? "✅" : "❌"} ${summary(report, strict)}`,
    "",
    "## What was analysed",
    "",
    ...scopeLines(report).map((line) => `- ${escapeCell(line.replace(/^([A-Za-z ]+):\s+/, "**$1:** "))}`),
    "",
    "Every Allow statement of every policy above is expanded (principals, actions, resources) and compared with the " +
      "zone of trust the config implies; each grant beyond it is then judged by @cloud-copilot/iam-simulate with every " +
      "other policy in play. The rows below evaluate the intended chain and its guardrails.",
    "",
  ];
  if (report.findings.length > 0) {
    lines.push(
      "## Over-grants",
      "",
      "| | Principal | Actions | Resource | Statement | Verdict |",
      "|---|---|---|---|---|---|",
    );
    for (const f of report.findings) {
      const verdict = f.message.slice(
        f.message.indexOf(
          f.verdict === "effective"
            ? "Effective"
            : f.verdict === "stated, not effective"
              ? "Stated, not effective"
              : "Not evaluated",
        ),
      );
      lines.push(
        `| ${f.severity === "error" ? "❌" : "⚠️"} | ${escapeCell(f.principal)} | ${escapeCell(f.actions.length > 0 ? actionList(f.actions) : f.actionsAsWritten)} | \`${escapeCell(f.resource)}\` | ${escapeCell(f.statement.label)}<br><sub>${escapeCell(f.detail)}</sub> | ${escapeCell(verdict)} |`,
      );
    }
    lines.push("");
  }
  lines.push(
    "## Who can do what",
    "",
    "Every principal and account the policies name, asking for every action the access level or any statement covers.",
    "",
    "| | Principal | Resource | Allowed |",
    "|---|---|---|---|",
    ...report.effectiveAccess.map(
      (entry) =>
        `| ${entry.unintended.length === 0 ? "✅" : "❌"} | ${escapeCell(entry.principal)} | \`${entry.resourceArn}\` | ${escapeCell(accessText(entry))} |`,
    ),
    "",
  );
  lines.push(...matrixMarkdownLines(report.isolationMatrix));
  if (report.isolationMatrix.mismatches > 0) {
    lines.push(...matrixMismatchLines(report.isolationMatrix).map((line) => `- ${escapeCell(line)}`), "");
  }
  for (const [group, rows] of groups(report.rows)) {
    lines.push(
      `## ${group}`,
      "",
      "| | Check | Actions | Expected | Evaluated | Decided by |",
      "|---|---|---|---|---|---|",
    );
    for (const row of rows) {
      const check = `${row.question}<br><sub>${row.expectedBecause}</sub>`;
      lines.push(
        `| ${row.asExpected ? "✅" : "❌"} | ${escapeCell(check)} | ${escapeCell(row.actions.map((a) => `\`${a}\``).join(", "))} | ${row.expected} | ${escapeCell(row.evaluated)} | ${escapeCell(row.decidedBy.join("<br>"))} |`,
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
