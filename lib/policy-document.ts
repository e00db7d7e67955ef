/**
 * IAM policy documents as typed objects, serialized once. Every policy in the
 * synthesized JSON is a readable JSON string built here, never a
 * jsonencode(...) expression, so a reviewer reads it as AWS will see it.
 */

export type PolicyValue = string | readonly string[];

/** `Principal` of a resource-based policy: "*" or a map such as { AWS: [...] }. */
export type Principal =
  "*" | { readonly AWS?: PolicyValue; readonly Service?: PolicyValue; readonly Federated?: PolicyValue };

/** Condition operator → condition key → value(s), e.g. { ArnEquals: { "aws:PrincipalArn": "arn:…" } }. */
export type Condition = Readonly<Record<string, Readonly<Record<string, PolicyValue | boolean>>>>;

export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Action: PolicyValue;
  readonly Resource?: PolicyValue;
  readonly Condition?: Condition;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

/** A policy document with the current policy language version. */
export function policyDocument(statements: readonly Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** The JSON text AWS receives. Keys keep the order above so diffs stay stable. */
export function toPolicyJson(document: PolicyDocument): string {
  return JSON.stringify(document);
}

/** Parses a policy JSON string back into a document (tests and the access report read policies this way). */
export function parsePolicyJson(json: string): PolicyDocument {
  return JSON.parse(json) as PolicyDocument;
}

/** A value as a list, for code that reads `Action`/`Resource` either way. */
export function asList(value: PolicyValue | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}
