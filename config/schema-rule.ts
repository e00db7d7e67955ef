/**
 * A configuration rule and what it says about a value in JSON Schema terms. The validator runs
 * the rule; the schema generator (json-schema.ts) writes its fragment into
 * cross-account-config.schema.json, so editors check the same shape as the validator does.
 */
import type { Problem } from "./problems";

/** Checks the value at `path`; returns the problems found (empty when the value is good). */
export type Rule = (path: string, value: unknown) => Problem[];

/** A JSON Schema fragment (draft-07). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What a rule accepts, for the schema and the configuration reference. */
export interface RuleDescription {
  /**
   * What JSON Schema can say of a valid value, e.g. `{ type: "string", pattern: "^\\d{12}$" }`. It
   * never rejects a value the rule accepts; where it is looser, the schema's description says so.
   */
  readonly schema: JsonSchema;
  /** The kind of value in a few words, for the configuration reference ("IAM role name"). */
  readonly label: string;
  /** A good value, for the schema's examples and the reference. */
  readonly example?: unknown;
}

/** A rule that also describes itself. It is called like any rule: `accountIdRule(path, value)`. */
export type SchemaRule = Rule & RuleDescription;

/** `rule`, described by `description`. */
export function describedRule(rule: Rule, description: RuleDescription): SchemaRule {
  const check: Rule = (path, value) => rule(path, value);
  return Object.assign(check, description);
}
