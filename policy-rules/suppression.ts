/**
 * Per-construct suppressions, cdk-nag style: a suppression is construct
 * metadata naming the rule and the reason, and covers the construct and
 * everything under it. A suppressed finding is still reported, as an info
 * annotation carrying the reason, so a reviewer (and the access report) sees
 * what was waived and why.
 */
import type { IConstruct } from "constructs";

export const SUPPRESSION_METADATA = "cross-account-s3/policy-rule-suppression";

export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/** Suppresses `ruleId` on `construct` and its children; `reason` is required and shown with the finding. */
export function suppressRule(construct: IConstruct, ruleId: string, reason: string): void {
  if (reason.trim().length < 10) {
    throw new Error(
      `suppressRule(${construct.node.path}, "${ruleId}"): reason ${JSON.stringify(reason)} is too short; say why the rule does not apply (e.g. "config instance.associatePublicIpAddress is true")`,
    );
  }
  construct.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason: reason.trim() } satisfies Suppression);
}

/** Every suppression on `construct` and its scopes, nearest first. */
export function suppressionsOf(construct: IConstruct): Suppression[] {
  return [...construct.node.scopes]
    .reverse()
    .flatMap((scope) => scope.node.metadata.filter((entry) => entry.type === SUPPRESSION_METADATA))
    .map((entry) => entry.data as Suppression);
}
