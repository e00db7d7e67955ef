import { charactersOutsidePolicyDocuments } from "../../config/rules";
import { policySlots } from "../policy-sources";
import { PolicyTexts } from "../policy-text";
import type { Finding, PolicyRule } from "../rule";

/**
 * KMS accepts printable ASCII, the printable characters of Basic Latin and
 * Latin-1 Supplement, tab, line feed and carriage return in a key policy
 * ("Key policy format" in the KMS developer guide): IAM's set without the C1
 * control characters U+007F to U+009F.
 */
const KMS_OUTSIDE = /[\u007F-\u009F]/u;

/**
 * Policies hold only the characters AWS accepts in them: IAM takes tab, line
 * feed, carriage return and U+0020 to U+00FF ("IAM name requirements" in
 * "IAM and AWS STS quotas"), KMS the printable ones of those. A key prefix
 * with other characters (e.g. "チーム/") would pass synth and fail at apply
 * with MalformedPolicyDocument. Checked after Terraform references are
 * replaced by their values. S3 documents no character set for bucket
 * policies, so they are left to S3.
 */
export const awsPolicyCharacters: PolicyRule = {
  id: "aws-policy-characters",
  description: "IAM and KMS policies hold only the characters AWS accepts in a policy document",
  controls: {},
  level: "error",
  check({ elements }) {
    const texts = PolicyTexts.of(elements);
    const findings: Finding[] = [];
    for (const slot of policySlots(elements)) {
      if (slot.kind === "bucket" || slot.kind === "access-point") continue;
      const text = texts.textOf(slot.value)?.text;
      if (text === undefined) continue;
      const outside = [
        ...charactersOutsidePolicyDocuments(text),
        ...(slot.kind === "key" ? Array.from(text).filter((char) => KMS_OUTSIDE.test(char)) : []),
      ];
      const distinct = [...new Set(outside)];
      if (distinct.length === 0) continue;
      const shown = distinct.slice(0, 5).map((char) => JSON.stringify(char));
      const service = slot.kind === "key" ? "KMS" : "IAM";
      const allowed =
        slot.kind === "key"
          ? "printable characters from U+0020 to U+00FF, tab, line feed and carriage return"
          : "characters from U+0020 to U+00FF, tab, line feed and carriage return";
      findings.push({
        construct: slot.element.construct,
        message: `${slot.where}: holds characters ${service} does not accept in a policy document (${shown.join(", ")}${distinct.length > 5 ? ", ..." : ""}); a policy may hold only ${allowed} (if they come from bucket.keyPrefix, choose a prefix in Basic Latin and Latin-1, e.g. "team-a/")`,
      });
    }
    return findings;
  },
};
