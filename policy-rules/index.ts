/**
 * Policy rules that run during synth: add `Aspects.of(stack).add(new PolicyRules({ accessLevel }))`
 * to a stack, and waive a rule on one construct with `suppressRule(construct, ruleId, reason)`.
 */
export { PolicyRules, type PolicyRulesProps } from "./policy-rules-aspect";
export { suppressRule, suppressionsOf, type Suppression } from "./suppression";
export { ALL_RULES } from "./rules";
export { controlsText, type ControlIds, type Finding, type PolicyRule, type RuleContext } from "./rule";
