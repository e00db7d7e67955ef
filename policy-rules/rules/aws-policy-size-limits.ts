import { listOf, type JsonValue, type PolicyJson } from "../../access-report/policy-json";
import {
  ACCESSOR_STACK_ID,
  BUCKET_OWNER_STACK_ID,
  DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA,
  MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA,
} from "../../config/defaults";
import { PolicySlot, policySlots } from "../policy-sources";
import { describeReferences, PolicyText, PolicyTexts } from "../policy-text";
import type { Finding, PolicyRule } from "../rule";
import type { ElementView, StackElements } from "../stack-elements";

/**
 * The size limits AWS puts on policies, checked on the policies the stacks
 * contain, as the AWS API will receive them (policy-text.ts), so a policy that
 * grows cannot outgrow the check.
 *
 * IAM ("IAM and AWS STS quotas" in the IAM user guide) counts characters and
 * does not count white space: a role trust policy may have 2,048 characters
 * by default and 4,096 at most after a quota increase; the inline policies of
 * a role together 10,240, of a group 5,120, of a user 2,048; a managed policy
 * 6,144. S3 allows a bucket policy of 20 KB ("Bucket policies and user
 * policies" in the S3 user guide) and an access point policy of 20 KB
 * ("Access points restrictions and limitations"); KMS a key policy of 32 KB,
 * 32,768 bytes ("Key policy format" in the KMS developer guide). We read S3's
 * KB as 1,024 bytes too, and count UTF-8 bytes for both.
 */
export const IAM_ROLE_INLINE_POLICIES_CHARACTERS = 10_240;
export const IAM_GROUP_INLINE_POLICIES_CHARACTERS = 5_120;
export const IAM_USER_INLINE_POLICIES_CHARACTERS = 2_048;
export const IAM_MANAGED_POLICY_CHARACTERS = 6_144;
export const S3_BUCKET_POLICY_BYTES = 20 * 1024;
export const S3_ACCESS_POINT_POLICY_BYTES = 20 * 1024;
export const KMS_KEY_POLICY_BYTES = 32 * 1024;

/** Characters IAM counts: everything but JSON white space. */
export function iamCharacters(text: string): number {
  return Array.from(text.replace(/[ \t\n\r]/g, "")).length;
}

/** Bytes S3 and KMS count: the UTF-8 encoding. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

const n = (value: number): string => value.toLocaleString("en-US");

interface Measured {
  readonly slot: PolicySlot;
  readonly text: PolicyText;
}

/** The config key of the account a stack deploys to, for the quota setting. */
function accountConfigKey(elements: StackElements): string | undefined {
  const id = elements.stack.node.id;
  if (id === BUCKET_OWNER_STACK_ID) return "bucketOwner";
  if (id === ACCESSOR_STACK_ID) return "accessor";
  return undefined;
}

/** " (…measured as …)" when the policy had references, for a finding's message. */
function referencesNote(measured: readonly Measured[]): string {
  const references = measured.flatMap((m) => m.text.references);
  return references.length === 0 ? "" : `; ${describeReferences(references)}`;
}

/** Principal ARNs a trust policy names: in Principal, and in conditions on aws:PrincipalArn. */
function trustedArns(document: unknown): string[] {
  const statements = listOf((document as PolicyJson).Statement as PolicyJson["Statement"] | undefined);
  const arns = statements.flatMap((statement) => {
    const principal = statement.Principal;
    const fromPrincipal = principal === undefined || principal === "*" ? [] : listOf(principal.AWS);
    const fromConditions = Object.values(statement.Condition ?? {}).flatMap((byKey) =>
      Object.entries(byKey)
        .filter(([key]) => key.toLowerCase() === "aws:principalarn")
        .flatMap(([, value]) => listOf<JsonValue>(value)),
    );
    return [...fromPrincipal, ...fromConditions].filter((arn): arn is string => typeof arn === "string");
  });
  return [...new Set(arns)];
}

function trustPolicyFinding(measured: Measured, elements: StackElements, quota: number): Finding | undefined {
  const size = iamCharacters(measured.text.text);
  if (size <= quota && size <= MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA) return undefined;
  const { element } = measured.slot;
  const arns = trustedArns(measured.text.document);
  const users = arns.filter((arn) => /^arn:[^:]+:iam::\d{12}:user\//.test(arn)).length;
  const roles = arns.filter((arn) => /^arn:[^:]+:iam::\d{12}:role\//.test(arn)).length;
  const subject = `the trust policy of ${element.address}`;
  const lead =
    users > 0
      ? `humanAccess.userNames: ${n(users)} users make ${subject}`
      : roles > 1
        ? `humanAccess.roleArns: ${n(roles)} roles (with the instance role) make ${subject}`
        : `${measured.slot.where}: ${subject} is`;
  const oneRole =
    "give the people one IAM role to assume instead (humanAccess.roleArns, e.g. the role of an IAM Identity Center permission set)";
  const counted = `counting characters other than white space, as IAM does, in the policy as the AWS provider sends it${referencesNote([measured])}`;
  if (size > MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA) {
    return {
      construct: element.construct,
      message: `${lead} ${n(size)} characters, over IAM's ${n(MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA)}-character maximum for a role trust policy, which no quota increase raises; ${oneRole}, or split them across several target roles (${counted})`,
    };
  }
  const field =
    accountConfigKey(elements) === undefined
      ? "roleTrustPolicyLengthQuota on this account in the config"
      : `${accountConfigKey(elements)}.roleTrustPolicyLengthQuota`;
  const account = elements.accountOf(element);
  const quotaText =
    quota === DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA
      ? `the ${n(quota)} characters IAM allows by default (the "Role trust policy length" quota)`
      : `the ${n(quota)} characters of this account's "Role trust policy length" quota (${field})`;
  return {
    construct: element.construct,
    message: `${lead} ${n(size)} characters, over ${quotaText}; ${oneRole}, or have Service Quotas raise the quota${account === undefined ? "" : ` for account ${account}`} (up to ${n(MAX_ROLE_TRUST_POLICY_LENGTH_QUOTA)}) and set ${field} to the new value (${counted})`,
  };
}

/** The IAM entity an inline policy is embedded in: a role, group or user, by its resource in the stack or its name. */
interface Entity {
  readonly key: string;
  readonly label: string;
  readonly noun: "role" | "group" | "user";
  /** IAM's limit on the entity's inline policies together. */
  readonly limit: number;
  /** The entity's resource, when this stack creates it. */
  readonly element?: ElementView;
}

const INLINE_ENTITY: Readonly<
  Record<string, { attribute: string; entityType: string; noun: Entity["noun"]; limit: number }>
> = {
  aws_iam_role_policy: {
    attribute: "role",
    entityType: "aws_iam_role",
    noun: "role",
    limit: IAM_ROLE_INLINE_POLICIES_CHARACTERS,
  },
  aws_iam_group_policy: {
    attribute: "group",
    entityType: "aws_iam_group",
    noun: "group",
    limit: IAM_GROUP_INLINE_POLICIES_CHARACTERS,
  },
  aws_iam_user_policy: {
    attribute: "user",
    entityType: "aws_iam_user",
    noun: "user",
    limit: IAM_USER_INLINE_POLICIES_CHARACTERS,
  },
};

function entityOf(elements: StackElements, slot: PolicySlot): Entity | undefined {
  if (slot.element.type === "aws_iam_role") {
    const { address } = slot.element;
    return {
      key: address,
      label: address,
      noun: "role",
      limit: IAM_ROLE_INLINE_POLICIES_CHARACTERS,
      element: slot.element,
    };
  }
  const spec = INLINE_ENTITY[slot.element.type];
  if (spec === undefined) return undefined;
  const value = slot.element.config[spec.attribute];
  if (typeof value !== "string") return undefined;
  const { noun, limit } = spec;
  const target = elements.ofType(spec.entityType).find((candidate) => elements.designates(value, candidate, ["name"]));
  if (target !== undefined) return { key: target.address, label: target.address, noun, limit, element: target };
  return { key: `${noun}:${value}`, label: `${noun} ${JSON.stringify(value)}`, noun, limit };
}

/** Inline policies summed per role, group and user: IAM limits their total. */
function inlinePolicyFindings(measured: readonly Measured[], elements: StackElements): Finding[] {
  const byEntity = new Map<string, { entity: Entity; first: Measured; policies: Measured[] }>();
  for (const m of measured) {
    const entity = entityOf(elements, m.slot);
    if (entity === undefined) continue;
    const group = byEntity.get(entity.key) ?? { entity, first: m, policies: [] };
    group.policies.push(m);
    byEntity.set(entity.key, group);
  }
  return [...byEntity.values()].flatMap(({ entity, first, policies }) => {
    const size = policies.reduce((sum, m) => sum + iamCharacters(m.text.text), 0);
    if (size <= entity.limit) return [];
    const parts = policies.map((m) => `${m.slot.where} ${n(iamCharacters(m.text.text))}`).join(", ");
    const unmanaged =
      entity.element === undefined
        ? `; the ${entity.noun}'s other inline policies, which this stack does not manage, count too`
        : "";
    return [
      {
        construct: (entity.element ?? first.slot.element).construct,
        message: `${entity.label}: its inline policies total ${n(size)} characters (${parts}), over IAM's ${n(entity.limit)}-character limit for the inline policies of a ${entity.noun}${unmanaged}; shorten bucket.keyPrefix, which each statement repeats, or split the permissions across managed policies (counting characters other than white space, as IAM does${referencesNote(policies)})`,
      },
    ];
  });
}

/** One policy against one limit, counted in IAM characters or UTF-8 bytes. */
function singleFinding(
  m: Measured,
  limit: { readonly size: number; readonly unit: "characters" | "bytes"; readonly what: string },
  wayOut: string,
): Finding[] {
  const size = limit.unit === "characters" ? iamCharacters(m.text.text) : utf8Bytes(m.text.text);
  if (size <= limit.size) return [];
  const counted =
    limit.unit === "characters"
      ? "counting characters other than white space, as IAM does"
      : "counting the UTF-8 bytes of the policy as the AWS provider sends it";
  return [
    {
      construct: m.slot.element.construct,
      message: `${m.slot.where}: ${n(size)} ${limit.unit}, over the ${n(limit.size)} ${limit.unit} AWS allows in ${limit.what}; ${wayOut} (${counted}${referencesNote([m])})`,
    },
  ];
}

export const awsPolicySizeLimits: PolicyRule = {
  id: "aws-policy-size-limits",
  description:
    "Every trust, inline, managed, bucket, access point and key policy fits the size AWS accepts, measured as AWS receives it",
  controls: {},
  level: "error",
  check({ elements, roleTrustPolicyLengthQuota }) {
    const texts = PolicyTexts.of(elements);
    const measured = policySlots(elements).flatMap((slot) => {
      const text = texts.textOf(slot.value);
      return text === undefined ? [] : [{ slot, text }];
    });
    const quota = roleTrustPolicyLengthQuota ?? DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA;
    const findings: Finding[] = [];
    for (const m of measured) {
      if (m.slot.kind === "trust") {
        const finding = trustPolicyFinding(m, elements, quota);
        if (finding !== undefined) findings.push(finding);
      } else if (m.slot.kind === "identity" && m.slot.element.type === "aws_iam_policy") {
        findings.push(
          ...singleFinding(
            m,
            { size: IAM_MANAGED_POLICY_CHARACTERS, unit: "characters", what: "a managed policy" },
            "split it into several managed policies",
          ),
        );
      } else if (m.slot.kind === "bucket") {
        findings.push(
          ...singleFinding(
            m,
            { size: S3_BUCKET_POLICY_BYTES, unit: "bytes", what: "a bucket policy (20 KB)" },
            "shorten bucket.keyPrefix, which each statement repeats, or grant through an access point",
          ),
        );
      } else if (m.slot.kind === "access-point") {
        findings.push(
          ...singleFinding(
            m,
            { size: S3_ACCESS_POINT_POLICY_BYTES, unit: "bytes", what: "an access point policy (20 KB)" },
            "split the grants across several access points",
          ),
        );
      } else if (m.slot.kind === "key") {
        findings.push(
          ...singleFinding(
            m,
            { size: KMS_KEY_POLICY_BYTES, unit: "bytes", what: "a KMS key policy (32 KB)" },
            "grant key use through IAM policies in the owner account (the key policy trusts the account) instead of naming each principal",
          ),
        );
      }
    }
    findings.push(
      ...inlinePolicyFindings(
        measured.filter((m) => m.slot.kind === "identity" && m.slot.element.type !== "aws_iam_policy"),
        elements,
      ),
    );
    return findings;
  },
};
