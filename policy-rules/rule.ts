/**
 * What a policy rule is: an id (also the name of its file and what a
 * suppression names), the checkov and AWS Security Hub controls it matches,
 * a level, and a check over one stack's resources.
 */
import type { IConstruct } from "constructs";
import type { AccessLevel } from "../config/types";
import type { StackElements } from "./stack-elements";

/** The matching controls of other tools, so a finding can be looked up there. */
export interface ControlIds {
  /** checkov check ids, e.g. ["CKV_AWS_70"]. */
  readonly checkov?: readonly string[];
  /** AWS Security Hub control ids, e.g. ["S3.5"]. */
  readonly securityHub?: readonly string[];
}

/** What the rules know beyond the resources. */
export interface RuleContext {
  readonly elements: StackElements;
  /**
   * The configured access level: `full` may use `s3:*` on the app's own buckets.
   * @default undefined: treated as not full
   */
  readonly accessLevel?: AccessLevel;
  /** Names of the buckets the app defines or reads (in any stack): "this bucket" for the full level. */
  readonly appBucketNames: readonly string[];
  /**
   * The stack's account's IAM "Role trust policy length" quota, in characters.
   * @default 2048, IAM's default quota
   */
  readonly roleTrustPolicyLengthQuota?: number;
}

/** One problem a rule found. */
export interface Finding {
  /** The construct to annotate: the one that synthesizes the offending block. */
  readonly construct: IConstruct;
  /** What is wrong and what is expected, naming the Terraform address. */
  readonly message: string;
}

export interface PolicyRule {
  /** Kebab-case id, e.g. "s3-versioning-enabled"; the file name and what suppressRule names. */
  readonly id: string;
  /** What the rule ensures, in one line. */
  readonly description: string;
  readonly controls: ControlIds;
  /** error fails the synth; warning is shown. */
  readonly level: "error" | "warning";
  check(context: RuleContext): Finding[];
}

/** "(checkov CKV_AWS_70; Security Hub S3.2)", or "" when the rule matches no external control. */
export function controlsText(controls: ControlIds): string {
  const parts = [
    controls.checkov?.length ? `checkov ${controls.checkov.join(", ")}` : undefined,
    controls.securityHub?.length ? `Security Hub ${controls.securityHub.join(", ")}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? "" : ` (${parts.join("; ")})`;
}
