/**
 * Reading a statement's Condition block the way IAM evaluates it, for the two
 * questions the report asks of conditions: does a condition narrow who a
 * resource policy admits (aws:PrincipalArn, aws:PrincipalAccount,
 * aws:PrincipalOrgID), and does it carry a condition the configuration
 * requires (kms:ViaService = S3 in the bucket's region, s3:prefix inside the
 * key prefix). Only operators that can only ever narrow count:
 * `...IfExists` passes when the key is absent ("Condition operators" in the
 * IAM user guide), and `ForAllValues:` passes when it is absent or empty.
 */
import { globContains } from "./arn-pattern";
import type { JsonValue, StatementJson } from "./policy-json";

/** One key of one operator of a Condition block. */
export interface ConditionEntry {
  /** The operator as written, e.g. "ForAnyValue:StringLikeIfExists". */
  readonly operator: string;
  /** Without the set qualifier and IfExists, e.g. "StringLike". */
  readonly base: string;
  readonly ifExists: boolean;
  readonly qualifier?: "ForAnyValue" | "ForAllValues";
  /** The context key, lower case. */
  readonly key: string;
  /** The context key as written. */
  readonly name: string;
  readonly values: readonly string[];
}

/** Every operator/key pair of a statement's Condition block. */
export function conditionEntries(statement: StatementJson): ConditionEntry[] {
  const entries: ConditionEntry[] = [];
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    const match = /^(?:(ForAnyValue|ForAllValues):)?(.*?)(IfExists)?$/.exec(operator);
    const qualifier = match?.[1] as ConditionEntry["qualifier"];
    const base = match?.[2] ?? operator;
    for (const [key, raw] of Object.entries(keys)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map((value: JsonValue) =>
        typeof value === "string" ? value : JSON.stringify(value),
      );
      entries.push({
        operator,
        base,
        ifExists: match?.[3] !== undefined,
        qualifier,
        key: key.toLowerCase(),
        name: key,
        values,
      });
    }
  }
  return entries;
}

const LIKE_OPERATORS = new Set(["StringLike", "ArnLike"]);
const EQUALS_OPERATORS = new Set(["StringEquals", "StringEqualsIgnoreCase", "ArnEquals"]);

/**
 * The patterns a positive string/ARN condition on `key` limits the value to,
 * one list per narrowing entry (all must hold); undefined when no entry
 * narrows. An Equals value holding `*` matches only that literal text, which
 * no principal ARN or service name has, so it narrows to nothing.
 */
export function narrowingPatterns(
  entries: readonly ConditionEntry[],
  key: string,
  options: { readonly absentPasses?: boolean } = {},
): string[][] | undefined {
  const lists: string[][] = [];
  for (const entry of entries) {
    if (entry.key !== key.toLowerCase() || entry.qualifier === "ForAllValues") continue;
    if (entry.ifExists && options.absentPasses === true) continue;
    if (LIKE_OPERATORS.has(entry.base)) lists.push([...entry.values]);
    else if (EQUALS_OPERATORS.has(entry.base)) lists.push(entry.values.filter((value) => !/[*?]/.test(value)));
  }
  return lists.length === 0 ? undefined : lists;
}

/** True when the statement has some IfExists entry on `key` (which passes for callers without that key). */
export function hasIfExistsOn(entries: readonly ConditionEntry[], key: string): boolean {
  return entries.some((entry) => entry.key === key.toLowerCase() && entry.ifExists);
}

/** A condition the configuration requires on a grant, e.g. kms:ViaService = s3.eu-west-1.amazonaws.com. */
export interface Requirement {
  /** The context key, as AWS spells it. */
  readonly key: string;
  /** Patterns every allowed value must lie within. */
  readonly within: readonly string[];
  /** What a reader sees, e.g. "only through S3 in eu-west-1 (kms:ViaService)". */
  readonly description: string;
  /**
   * Requests that break the requirement, for the evaluator to try: a value
   * outside it, or undefined for a request without the key (a direct KMS call
   * has no kms:ViaService; a listing without a prefix has no s3:prefix).
   */
  readonly violations: readonly (string | undefined)[];
}

/**
 * True when the statement's own conditions keep the key inside the
 * requirement: a positive string condition on the key (not IfExists, which
 * passes when the key is absent: a direct KMS call has no kms:ViaService,
 * an unfiltered listing no s3:prefix) whose every value lies within the
 * required patterns.
 */
export function meetsRequirement(statement: StatementJson, requirement: Requirement): boolean {
  const lists = narrowingPatterns(conditionEntries(statement), requirement.key, { absentPasses: true });
  if (lists === undefined) return false;
  return lists.some(
    (values) =>
      values.length > 0 && values.every((value) => requirement.within.some((allowed) => globContains(allowed, value))),
  );
}

/** The Condition block in one line, for findings: `StringLike s3:prefix ["a/*"]`. */
export function describeConditions(statement: StatementJson): string {
  return conditionEntries(statement)
    .map((entry) => `${entry.operator} ${entry.name} ${JSON.stringify(entry.values)}`)
    .join("; ");
}
