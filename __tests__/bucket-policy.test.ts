/**
 * BucketAccessPolicy (modules/bucket-access-policy.ts): the bucket's one
 * policy. TLS only, the target role gets exactly its access level, nobody
 * else is allowed anything, and it waits for Block Public Access and
 * ownership controls.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { SecureBucket } from "../modules/secure-bucket";
import { BucketAccessPolicy } from "../modules/bucket-access-policy";
import type { AccessLevel } from "../config/types";
import { onlyResource, synthModule, TEST_PROVIDER_REF, TfJson } from "./helpers/synth";
import { ADMIN_ACTIONS, EXPECTED_ACTIONS, list, parsePolicy, ParsedPolicy, statementsWith } from "./helpers/policy";

const BUCKET = "bucket-policy-test-data";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const GRANTEE = "arn:aws:iam::111122223333:role/shared-data-reader";

function build(accessLevel: AccessLevel): { synth: string; json: TfJson; policy: ParsedPolicy } {
  const { synth, json } = synthModule((scope, provider) => {
    const bucket = new SecureBucket(scope, "bucket", { provider, bucketName: BUCKET, partition: "aws" });
    new BucketAccessPolicy(scope, "bucket_policy", {
      provider,
      bucketName: bucket.bucketName,
      bucketArn: bucket.bucketArn,
      grantee: { principal: { AWS: GRANTEE } },
      accessLevel,
      dependsOn: bucket.policyPrerequisites,
    });
  });
  return { synth, json, policy: parsePolicy(onlyResource(json, "aws_s3_bucket_policy").policy) };
}

const built = {
  "read-only": build("read-only"),
  "read-write": build("read-write"),
  full: build("full"),
};

describe.each(["read-only", "read-write", "full"] as const)("bucket policy, %s", (level) => {
  const { synth, json, policy } = built[level];

  test("is written to this bucket through the owner's provider", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketPolicy, { bucket: BUCKET, provider: TEST_PROVIDER_REF });
  });

  test("depends_on the public access block and the ownership controls", () => {
    const dependsOn = onlyResource(json, "aws_s3_bucket_policy").depends_on as string[];
    expect(dependsOn).toEqual(
      expect.arrayContaining([
        "aws_s3_bucket_public_access_block.bucket_public_access_block",
        "aws_s3_bucket_ownership_controls.bucket_ownership_controls",
      ]),
    );
  });

  test("denies every request over plain HTTP (aws:SecureTransport = false), on the bucket and its objects", () => {
    const denies = statementsWith(policy, "Deny");
    expect(denies).toHaveLength(1);
    const [deny] = denies;
    expect(deny!.Principal).toBe("*");
    expect(list(deny!.Action)).toEqual(["s3:*"]);
    expect(list(deny!.Resource).sort()).toEqual([BUCKET_ARN, `${BUCKET_ARN}/*`]);
    expect(deny!.Condition).toEqual({ Bool: { "aws:SecureTransport": false } });
  });

  test('never allows Principal "*"; every Allow names exactly the target role', () => {
    const allows = statementsWith(policy, "Allow");
    expect(allows.length).toBeGreaterThan(0);
    for (const allow of allows) {
      expect(allow.Principal).toEqual({ AWS: GRANTEE });
      expect(allow.NotPrincipal).toBeUndefined();
      expect(allow.Condition).toBeUndefined();
    }
  });

  test("allows only this bucket and its objects, without wildcard actions or bucket administration", () => {
    for (const allow of statementsWith(policy, "Allow")) {
      for (const resource of list(allow.Resource)) expect([BUCKET_ARN, `${BUCKET_ARN}/*`]).toContain(resource);
      for (const action of list(allow.Action)) {
        expect(action).not.toContain("*");
        expect(ADMIN_ACTIONS as readonly string[]).not.toContain(action);
      }
    }
  });

  test("the statements have distinct Sids and the current policy version", () => {
    expect(policy.Version).toBe("2012-10-17");
    const sids = policy.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });
});

describe.each(["read-only", "read-write"] as const)("bucket policy grants exactly the %s actions", (level) => {
  const { policy } = built[level];
  const allowedOn = (resource: string) =>
    statementsWith(policy, "Allow")
      .filter((s) => list(s.Resource).includes(resource))
      .flatMap((s) => list(s.Action))
      .sort();

  test("bucket-level actions on the bucket ARN", () => {
    expect(allowedOn(BUCKET_ARN)).toEqual([...EXPECTED_ACTIONS[level].bucket]);
  });

  test("object-level actions on the objects", () => {
    expect(allowedOn(`${BUCKET_ARN}/*`)).toEqual([...EXPECTED_ACTIONS[level].object]);
  });
});

test("read-only grants no write; read-write grants writes but no version deletion", () => {
  const actionsOf = (policy: ParsedPolicy) => statementsWith(policy, "Allow").flatMap((s) => list(s.Action));
  expect(actionsOf(built["read-only"].policy)).not.toEqual(expect.arrayContaining(["s3:PutObject"]));
  expect(actionsOf(built["read-only"].policy)).not.toEqual(expect.arrayContaining(["s3:DeleteObject"]));
  expect(actionsOf(built["read-write"].policy)).not.toEqual(expect.arrayContaining(["s3:DeleteObjectVersion"]));
  expect(actionsOf(built.full.policy)).toEqual(expect.arrayContaining(["s3:DeleteObjectVersion", "s3:PutObject"]));
});

test("an invalid access level is rejected with the construct path", () => {
  expect(() =>
    synthModule((scope, provider) => {
      new BucketAccessPolicy(scope, "bucket_policy", {
        provider,
        bucketName: BUCKET,
        bucketArn: BUCKET_ARN,
        grantee: { principal: { AWS: GRANTEE } },
        accessLevel: "admin" as AccessLevel,
        dependsOn: [],
      });
    }),
  ).toThrow('[stack/bucket_policy] accessLevel: "admin" must be one of "read-only", "read-write", "full"');
});
