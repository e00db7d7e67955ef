/**
 * Key prefix scoping: objects only under `bucket/prefix*`, listing
 * only with an s3:prefix condition, GetBucketLocation unconditioned, and no
 * ListBucketMultipartUploads (it cannot be limited by prefix). The same
 * statements appear on both sides: in the bucket policy and in the identity
 * policy (the target role's, or the instance role's with a direct grant).
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import type { AccessLevel } from "../config/types";
import { keyPrefixRule } from "../config/rules";
import { ACCESS_LEVELS, BUCKET_NAME, problemMessages, rawConfig } from "./helpers/config";
import { allActions, LEVEL_ACTIONS, ParsedStatement } from "./helpers/policy";
import type { SynthesizedApp } from "./helpers/synth";
import {
  ACCESSOR_ROOT,
  BUCKET_ARN,
  DENY_INSECURE_TRANSPORT,
  INSTANCE_ROLE_ARN,
  ownerOutputRef,
  policyOf,
  statementsOf,
  synthWith,
  TARGET_ROLE_ARN,
} from "./helpers/org-configs";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const PREFIX = "team-a/reports/";

const LISTING: Record<AccessLevel, string[]> = {
  "read-only": ["s3:ListBucket"],
  "read-write": ["s3:ListBucket"],
  full: ["s3:ListBucket", "s3:ListBucketVersions"],
};
/** The three prefix-scoped statements on `bucketArn`, as identity-policy statements. */
function scopedStatements(level: AccessLevel, bucketArn: string): ParsedStatement[] {
  return [
    { Sid: "BucketLocation", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: bucketArn },
    {
      Sid: "ListKeyPrefix",
      Effect: "Allow",
      Action: LISTING[level],
      Resource: bucketArn,
      Condition: { StringLike: { "s3:prefix": [PREFIX, `${PREFIX}*`] } },
    },
    {
      Sid: "ObjectLevelAccess",
      Effect: "Allow",
      Action: LEVEL_ACTIONS[level].object,
      Resource: `${bucketArn}/${PREFIX}*`,
    },
  ];
}

/** The same statements granted in a bucket policy to `principal`, with an optional extra condition. */
function granted(
  statements: ParsedStatement[],
  principal: string,
  extra?: Record<string, Record<string, unknown>>,
): ParsedStatement[] {
  return statements.map(({ Sid, Effect, Action, Resource, Condition }) => {
    const condition = { ...(Condition ?? {}), ...(extra ?? {}) };
    return Object.keys(condition).length > 0
      ? { Sid, Effect, Principal: { AWS: principal }, Action, Resource, Condition: condition }
      : { Sid, Effect, Principal: { AWS: principal }, Action, Resource };
  });
}

const chain = {} as Record<AccessLevel, SynthesizedApp>;
const direct = {} as Record<AccessLevel, SynthesizedApp>;
beforeAll(() => {
  for (const level of ACCESS_LEVELS) {
    chain[level] = synthWith({ accessLevel: level, bucket: { keyPrefix: PREFIX } });
    direct[level] = synthWith({ accessLevel: level, accessMode: "direct", bucket: { keyPrefix: PREFIX } });
  }
}, HOOK_TIMEOUT_MS);

describe.each(ACCESS_LEVELS)("role chaining, %s, keyPrefix team-a/reports/", (level) => {
  test("bucket policy: the TLS deny (whole bucket) and the prefix-scoped grant to the target role", () => {
    expect(statementsOf(policyOf(chain[level].ownerJson, "aws_s3_bucket_policy", "bucket_policy"))).toEqual([
      DENY_INSECURE_TRANSPORT,
      ...granted(scopedStatements(level, BUCKET_ARN), TARGET_ROLE_ARN),
    ]);
  });

  test("identity policy: the target role's s3-access policy has the same scoped statements", () => {
    expect(statementsOf(policyOf(chain[level].ownerJson, "aws_iam_role_policy", "target_role_s3_access"))).toEqual(
      scopedStatements(level, BUCKET_ARN),
    );
  });

  test("ListBucketMultipartUploads is never granted (it ignores s3:prefix)", () => {
    for (const policy of [
      policyOf(chain[level].ownerJson, "aws_s3_bucket_policy", "bucket_policy"),
      policyOf(chain[level].ownerJson, "aws_iam_role_policy", "target_role_s3_access"),
    ]) {
      expect(allActions(policy)).not.toContain("s3:ListBucketMultipartUploads");
    }
  });

  test("verify commands list the prefix, not the bucket root (which the grant does not allow)", () => {
    expect(chain[level].accessorJson.output?.verify_commands?.value).toEqual([
      "aws sts get-caller-identity --profile cross-account-s3",
      `aws s3 ls s3://${BUCKET_NAME}/${PREFIX} --profile cross-account-s3`,
    ]);
  });
});

describe.each(ACCESS_LEVELS)("direct grant, %s, keyPrefix team-a/reports/", (level) => {
  test("bucket policy: scoped statements granted to the accessor root, narrowed to the instance role", () => {
    expect(statementsOf(policyOf(direct[level].ownerJson, "aws_s3_bucket_policy", "bucket_policy"))).toEqual([
      DENY_INSECURE_TRANSPORT,
      ...granted(scopedStatements(level, BUCKET_ARN), ACCESSOR_ROOT, {
        ArnEquals: { "aws:PrincipalArn": INSTANCE_ROLE_ARN },
      }),
    ]);
  });

  test("identity policy: the instance role has the same scoped statements on the bucket from remote state", () => {
    expect(
      statementsOf(
        policyOf(direct[level].accessorJson, "aws_iam_role_policy", "instance_role_cross_account_s3_access"),
      ),
    ).toEqual(scopedStatements(level, ownerOutputRef("bucket_arn")));
  });
});

describe("config rule: bucket.keyPrefix", () => {
  test.each(["team-a/", "team-a/reports/2024/", "a/", "data.v2/x_y-z/"])("Compliance: %s", (keyPrefix) => {
    expect(problemMessages(rawConfig({ bucket: { keyPrefix } }))).toEqual([]);
  });

  test.each([
    ["no trailing slash", "team-a"],
    ["a leading slash", "/team-a/"],
    ["only a slash", "/"],
    ["empty", ""],
    ["a * wildcard", "team-*/"],
    ["a ? wildcard", "team-?/"],
    ["a space", "team a/"],
    ["a Terraform interpolation", "reports/${var.team}/"],
    ["a Terraform directive", "%{x}a/"],
  ])("Noncompliance: %s", (_what, keyPrefix) => {
    expect(problemMessages(rawConfig({ bucket: { keyPrefix } }))).toEqual([
      `bucket.keyPrefix: ${JSON.stringify(keyPrefix)} is not a usable key prefix: no leading "/", no "*" or "?", no "\${" or "%{", no spaces, ending with "/" (e.g. "team-a/")`,
    ]);
  });

  test("Noncompliance: not a string", () => {
    expect(keyPrefixRule("bucket.keyPrefix", 7).map((p) => p.message)).toEqual([
      'bucket.keyPrefix: 7 must be a string (e.g. "team-a/")',
    ]);
  });

  test("Compliance: a lone $ or % (only ${ and %{ start a Terraform template)", () => {
    expect(keyPrefixRule("bucket.keyPrefix", "price$/50%/")).toEqual([]);
  });
});
