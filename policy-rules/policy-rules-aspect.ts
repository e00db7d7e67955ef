/**
 * The policy rules as a cdktf Aspect. Added to a stack, it runs every rule
 * once over that stack's resources when the stack is synthesized (by the CLI,
 * app.synth() or Testing.synth) and reports each finding as an annotation on
 * the construct that writes the offending block: errors fail the synth, a
 * suppressed finding becomes an info annotation with the suppression's reason.
 */
import { IAspect, Annotations, App, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { AccessLevel } from "../config/types";
import { controlsText, PolicyRule } from "./rule";
import { ALL_RULES } from "./rules";
import { StackElements } from "./stack-elements";
import { Suppression, SUPPRESSION_METADATA, suppressionsOf } from "./suppression";

export interface PolicyRulesProps {
  /**
   * The configured access level: only `full` may use `s3:*`, and only on the app's own buckets.
   * @default undefined: no wildcard actions at all
   */
  readonly accessLevel?: AccessLevel;
  /**
   * The stack's account's IAM "Role trust policy length" quota, in characters
   * (config `bucketOwner.roleTrustPolicyLengthQuota` / `accessor.roleTrustPolicyLengthQuota`).
   * @default 2048, IAM's default quota
   */
  readonly roleTrustPolicyLengthQuota?: number;
  /**
   * The rules to run.
   * @default ALL_RULES
   */
  readonly rules?: readonly PolicyRule[];
}

/** Stacks already checked: cdktf invokes aspects again on every synth of the same tree. */
const checkedStacks = new WeakSet<TerraformStack>();

/**
 * Each stack's elements, resolved once: the rules of every stack read every
 * stack's buckets, and an app with a stack per consumer has many stacks.
 */
const elementsOfStack = new WeakMap<TerraformStack, StackElements>();

function elementsOf(stack: TerraformStack): StackElements {
  let elements = elementsOfStack.get(stack);
  if (elements === undefined) {
    elements = new StackElements(stack);
    elementsOfStack.set(stack, elements);
  }
  return elements;
}

/** Bucket names each stack defines or reads. */
function bucketNamesOf(elements: StackElements): string[] {
  return [
    ...elements.ofType("aws_s3_bucket"),
    ...elements.ofType("aws_s3_bucket", "data"),
    ...elements.ofType("aws_s3_bucket_policy"),
  ]
    .map((e) => e.config.bucket)
    .filter((name): name is string => typeof name === "string" && !name.includes("${"));
}

/**
 * Each app's bucket names, gathered once for all its stacks (and again if a
 * stack was added since, as a test may do between two synths).
 */
const bucketNamesOfApp = new WeakMap<App, { readonly stacks: number; readonly names: readonly string[] }>();

/** Bucket names defined or read anywhere in the app: what "this bucket" means for the full level. */
function appBucketNames(stack: TerraformStack): readonly string[] {
  const app = App.of(stack);
  // Stacks are the app's children; walking the whole tree for them would cost every stack the whole app.
  const stacks = app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c));
  const known = bucketNamesOfApp.get(app);
  if (known !== undefined && known.stacks === stacks.length) return known.names;
  const names = stacks.flatMap((s) => bucketNamesOf(elementsOf(s)));
  bucketNamesOfApp.set(app, { stacks: stacks.length, names });
  return names;
}

export class PolicyRules implements IAspect {
  private readonly rules: readonly PolicyRule[];

  constructor(private readonly props: PolicyRulesProps = {}) {
    this.rules = props.rules ?? ALL_RULES;
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || checkedStacks.has(node)) return;
    checkedStacks.add(node);
    // Resolved afresh for its own rules (a test may add to a stack after another stack's rules read it).
    const elements = new StackElements(node);
    elementsOfStack.set(node, elements);
    const context = {
      elements,
      accessLevel: this.props.accessLevel,
      appBucketNames: appBucketNames(node),
      roleTrustPolicyLengthQuota: this.props.roleTrustPolicyLengthQuota,
    };
    const known = new Set(this.rules.map((rule) => rule.id));
    for (const construct of node.node.findAll()) {
      for (const entry of construct.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA)) {
        const { ruleId } = entry.data as Suppression;
        if (!known.has(ruleId)) {
          Annotations.of(construct).addWarning(
            `[policy-rules] suppression names unknown rule "${ruleId}"; known rules: ${[...known].join(", ")}`,
          );
        }
      }
    }
    for (const rule of this.rules) {
      for (const finding of rule.check(context)) {
        const message = `[${rule.id}] ${finding.message}${controlsText(rule.controls)}`;
        const suppression = suppressionsOf(finding.construct).find((s) => s.ruleId === rule.id);
        const annotations = Annotations.of(finding.construct);
        if (suppression !== undefined) annotations.addInfo(`${message} — suppressed: ${suppression.reason}`);
        else if (rule.level === "error") annotations.addError(message);
        else annotations.addWarning(message);
      }
    }
  }
}
