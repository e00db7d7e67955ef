/** Every registered policy rule is listed, with its checkov and Security Hub controls, in docs/policy-rules.md. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ALL_RULES } from "../../policy-rules/rules";

const PAGE = readFileSync(path.join(__dirname, "..", "..", "docs", "policy-rules.md"), "utf8");

test.each(ALL_RULES.map((rule) => [rule.id, rule] as const))("%s has a row naming its controls", (id, rule) => {
  const row = PAGE.split("\n").find((line) => line.startsWith(`| \`${id}\``));
  expect(row).toBeDefined();
  for (const control of [...(rule.controls.checkov ?? []), ...(rule.controls.securityHub ?? [])]) {
    expect(row).toContain(control);
  }
});
