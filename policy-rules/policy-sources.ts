/**
 * Where policies live in Terraform, by kind: identity policies (what a
 * principal may do), trust policies (who may assume a role) and bucket
 * policies (who may use a bucket). Rules ask for a kind and get every
 * document of that kind in the stack with the element that writes it.
 */
import { listOf, PolicyJson, StatementJson } from "../access-report/policy-json";
import type { Finding } from "./rule";
import type { ElementView, StackElements } from "./stack-elements";

export interface PolicySource {
  readonly element: ElementView;
  /** "aws_iam_role_policy.target_role_s3_access.policy" */
  readonly where: string;
  readonly document: PolicyJson;
}

/** Resource types whose `policy` attribute is an identity policy. */
const IDENTITY_POLICY_TYPES = ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

/** Resource types whose `policy` attribute is an S3 access point policy (inline, or its own resource). */
const ACCESS_POINT_POLICY_TYPES = ["aws_s3_access_point", "aws_s3control_access_point_policy"];

/** What a policy governs, which decides the limits AWS applies to it. */
export type PolicyKind = "identity" | "trust" | "bucket" | "key" | "access-point";

/** One attribute that may hold a policy, with its address and raw value. */
export interface PolicySlot {
  readonly element: ElementView;
  /** "aws_iam_role_policy.target_role_s3_access.policy" */
  readonly where: string;
  readonly value: unknown;
  readonly kind: PolicyKind;
}

/** Every attribute that holds a policy document: identity, trust, bucket, key and access point policies. */
const POLICY_ATTRIBUTES: ReadonlyArray<{ types: readonly string[]; attribute: string; kind: PolicyKind }> = [
  { types: IDENTITY_POLICY_TYPES, attribute: "policy", kind: "identity" },
  { types: ["aws_iam_role"], attribute: "assume_role_policy", kind: "trust" },
  { types: ["aws_s3_bucket_policy", "aws_s3_bucket"], attribute: "policy", kind: "bucket" },
  { types: ["aws_kms_key", "aws_kms_key_policy"], attribute: "policy", kind: "key" },
  { types: ACCESS_POINT_POLICY_TYPES, attribute: "policy", kind: "access-point" },
];

/** The `attribute` of every resource of `types`. */
function attributeSlots(
  elements: StackElements,
  types: readonly string[],
  attribute: string,
  kind: PolicyKind,
): PolicySlot[] {
  return types.flatMap((type) =>
    elements.ofType(type).map((element) => ({
      element,
      where: `${element.address}.${attribute}`,
      value: element.config[attribute],
      kind,
    })),
  );
}

/** Each aws_iam_role inline_policy block's `policy`, addressed as "aws_iam_role.x.inline_policy[0]". */
function inlinePolicySlots(elements: StackElements): PolicySlot[] {
  return elements.ofType("aws_iam_role").flatMap((element) =>
    listOf<Readonly<Record<string, unknown>>>(
      element.config.inline_policy as Readonly<Record<string, unknown>> | undefined,
    ).map((block, index) => ({
      element,
      where: `${element.address}.inline_policy[${index}]`,
      value: block.policy,
      kind: "identity" as const,
    })),
  );
}

/** The slots whose value is a document the rules can read. */
function readable(elements: StackElements, slots: readonly PolicySlot[]): PolicySource[] {
  return slots.flatMap(({ element, where, value }) => {
    const document = elements.policyIn(value);
    return document === undefined ? [] : [{ element, where, document }];
  });
}

export function identityPolicies(elements: StackElements): PolicySource[] {
  return readable(elements, [
    ...attributeSlots(elements, IDENTITY_POLICY_TYPES, "policy", "identity"),
    ...inlinePolicySlots(elements),
  ]);
}

/**
 * Every policy attribute that is set, of every kind, in one walk: what the
 * readable check, the size limits and the character check all go through, so
 * a policy attribute added here is checked by all of them.
 */
export function policySlots(elements: StackElements): PolicySlot[] {
  const inline = inlinePolicySlots(elements).map((slot) => ({ ...slot, where: `${slot.where}.policy` }));
  return [
    ...POLICY_ATTRIBUTES.flatMap(({ types, attribute, kind }) => attributeSlots(elements, types, attribute, kind)),
    ...inline,
  ].filter(({ value }) => value !== undefined);
}

/**
 * Policy attributes that are set but are not a document the rules can read
 * (for example Terraform's jsonencode(), a variable, or a file()): no rule can
 * check what they allow.
 */
export function unreadablePolicies(elements: StackElements): Array<{ element: ElementView; where: string }> {
  return policySlots(elements)
    .filter(({ value }) => elements.policyIn(value) === undefined)
    .map(({ element, where }) => ({ element, where }));
}

export function trustPolicies(elements: StackElements): PolicySource[] {
  return readable(elements, attributeSlots(elements, ["aws_iam_role"], "assume_role_policy", "trust"));
}

export function bucketPolicies(elements: StackElements): PolicySource[] {
  return readable(elements, attributeSlots(elements, ["aws_s3_bucket_policy", "aws_s3_bucket"], "policy", "bucket"));
}

/** Access point policies: resource policies like a bucket policy, for requests through one access point. */
export function accessPointPolicies(elements: StackElements): PolicySource[] {
  return readable(elements, attributeSlots(elements, ACCESS_POINT_POLICY_TYPES, "policy", "access-point"));
}

/** "statement 2 (Sid ObjectLevelAccess)" */
function statementName(statement: StatementJson, index: number): string {
  return statement.Sid === undefined ? `statement ${index + 1}` : `statement ${index + 1} (Sid ${statement.Sid})`;
}

/** One Allow statement of a policy, with a way to report a problem in it. */
export interface AllowStatement {
  readonly source: PolicySource;
  readonly statement: StatementJson;
  /** A finding on the element that writes the policy, prefixed with the statement's address. */
  readonly finding: (problem: string) => Finding;
}

/** Every Allow statement of `sources`, in order: what most policy rules inspect. */
export function allowStatements(sources: readonly PolicySource[]): AllowStatement[] {
  return sources.flatMap((source) =>
    source.document.Statement.flatMap((statement, index) => {
      if (statement.Effect !== "Allow") return [];
      const where = `${source.where} ${statementName(statement, index)}`;
      const finding = (problem: string): Finding => ({
        construct: source.element.construct,
        message: `${where}: ${problem}`,
      });
      return [{ source, statement, finding }];
    }),
  );
}
