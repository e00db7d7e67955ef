/**
 * The access report of a synth output: every scenario evaluated and compared
 * with what the configured access level implies, plus the problems met on the
 * way and the policy rule findings cdktf recorded in the manifest (suppressed
 * rules with their reasons, warnings).
 */
import { buildAccessModel } from "./access-model";
import { evaluateScenario, Evaluation } from "./evaluate";
import type { AccessExpectations } from "./expectations";
import { buildScenarios, Decision, Scenario } from "./scenarios";
import { readSynthOutput, SynthAnnotation } from "./synth-output";

export interface AccessReportRow {
  readonly id: string;
  readonly group: string;
  readonly question: string;
  readonly principal: string;
  readonly principalArn: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceArn: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  readonly expected: Decision;
  readonly expectedBecause: string;
  readonly evaluated: Decision;
  readonly evaluatorResult: Evaluation["result"];
  readonly decidedBy: readonly string[];
  readonly asExpected: boolean;
}

export interface PolicyRuleFinding {
  readonly stack: string;
  readonly constructPath: string;
  readonly level: "error" | "warning" | "info";
  readonly message: string;
}

export interface AccessReport {
  readonly outdir: string;
  readonly accessLevel: AccessExpectations["accessLevel"];
  readonly expectations: AccessExpectations;
  readonly rows: readonly AccessReportRow[];
  /** Problems that make the report incomplete (missing roles, unreadable policies, unresolved references). */
  readonly problems: readonly string[];
  /** What the report assumed where the synth output cannot say (an existing bucket's or key's policy). */
  readonly notes: readonly string[];
  /** Policy rule annotations from the manifest: suppressions with their reasons, warnings, errors. */
  readonly policyRuleFindings: readonly PolicyRuleFinding[];
  /** True when every row is as expected and there are no problems. */
  readonly ok: boolean;
}

const LEVELS: Readonly<Record<string, PolicyRuleFinding["level"]>> = {
  "@cdktf/error": "error",
  "@cdktf/warn": "warning",
  "@cdktf/info": "info",
};

/** Policy rule messages start with the rule id in brackets, e.g. "[s3-versioning-enabled]". */
function ruleFindings(stack: string, annotations: readonly SynthAnnotation[]): PolicyRuleFinding[] {
  return annotations.flatMap((a) => {
    const level = LEVELS[a.level];
    return level !== undefined && /^\[[a-z0-9-]+\]/.test(a.message)
      ? [{ stack, constructPath: a.constructPath, level, message: a.message }]
      : [];
  });
}

function toRow(scenario: Scenario, evaluation: Evaluation): AccessReportRow {
  return {
    id: scenario.id,
    group: scenario.group,
    question: scenario.question,
    principal: scenario.principalLabel,
    principalArn: scenario.request.principal,
    action: scenario.request.action,
    resource: scenario.resourceLabel,
    resourceArn: scenario.request.resource,
    context: scenario.request.context,
    expected: scenario.expected,
    expectedBecause: scenario.expectedBecause,
    evaluated: evaluation.decision,
    evaluatorResult: evaluation.result,
    decidedBy: evaluation.decidedBy,
    asExpected: evaluation.result !== "Error" && evaluation.decision === scenario.expected,
  };
}

/** Reads the synth output in `outdir` and evaluates every scenario against `expectations`. */
export async function buildAccessReport(outdir: string, expectations: AccessExpectations): Promise<AccessReport> {
  const output = readSynthOutput(outdir);
  const model = buildAccessModel(output);
  const { scenarios, problems, notes } = buildScenarios(model, expectations);
  const rows: AccessReportRow[] = [];
  for (const scenario of scenarios) rows.push(toRow(scenario, await evaluateScenario(scenario)));
  const allProblems = [...problems, ...model.problems];
  return {
    outdir: output.outdir,
    accessLevel: expectations.accessLevel,
    expectations,
    rows,
    problems: allProblems,
    notes,
    policyRuleFindings: output.stacks.flatMap((stack) => ruleFindings(stack.id, stack.annotations)),
    ok: allProblems.length === 0 && rows.every((row) => row.asExpected),
  };
}
