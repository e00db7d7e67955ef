/**
 * TargetRole (modules/target-role.ts): the role in the bucket owner account.
 * Its trust policy works before and after the accessor's role exists, and its
 * permissions are exactly the access level's actions on this bucket only.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { TargetRole, TargetRoleProps } from "../modules/target-role";
import type { AccessLevel } from "../config/types";
import { onlyResource, resourceTypes, synthModule, TEST_PROVIDER_REF, TfJson } from "./helpers/synth";
import { ADMIN_ACTIONS, allActions, EXPECTED_ACTIONS, list, parsePolicy } from "./helpers/policy";

const OWNER = "111122223333";
const ACCESSOR = "444455556666";
const BUCKET_ARN = "arn:aws:s3:::target-role-test-data";
const INSTANCE_ROLE_ARN = `arn:aws:iam::${ACCESSOR}:role/reader-instance`;

function build(overrides: Partial<Omit<TargetRoleProps, "provider">> = {}): {
  synth: string;
  json: TfJson;
  role: TargetRole;
} {
  let role: TargetRole | undefined;
  const { synth, json } = synthModule((scope, provider) => {
    role = new TargetRole(scope, "target_role", {
      provider,
      roleName: "shared-data-reader",
      partition: "aws",
      ownerAccountId: OWNER,
      accessorAccountId: ACCESSOR,
      trustedPrincipalArns: [INSTANCE_ROLE_ARN],
      bucketArn: BUCKET_ARN,
      accessLevel: "read-only",
      ...overrides,
    });
  });
  return { synth, json, role: role! };
}

function permissions(json: TfJson) {
  return parsePolicy(onlyResource(json, "aws_iam_role_policy").policy);
}

describe("TargetRole trust policy", () => {
  const { synth, json, role } = build();
  const body = onlyResource(json, "aws_iam_role");
  const trust = parsePolicy(body.assume_role_policy);

  test("the role has the configured name, in the owner's provider", () => {
    expect(synth).toHaveResourceWithProperties(IamRole, { name: "shared-data-reader", provider: TEST_PROVIDER_REF });
    expect(resourceTypes(json)).toEqual(["aws_iam_role", "aws_iam_role_policy"]);
  });

  test("has one statement: Allow sts:AssumeRole to the accessor account root", () => {
    expect(trust.Version).toBe("2012-10-17");
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(statement!.Effect).toBe("Allow");
    expect(statement!.Principal).toEqual({ AWS: `arn:aws:iam::${ACCESSOR}:root` });
    expect(list(statement!.Action)).toEqual(["sts:AssumeRole"]);
    expect(statement!.NotPrincipal).toBeUndefined();
    expect(statement!.NotAction).toBeUndefined();
  });

  test("narrows the account root with ArnEquals aws:PrincipalArn = the instance role ARN, and nothing else", () => {
    expect(trust.Statement[0]!.Condition).toEqual({ ArnEquals: { "aws:PrincipalArn": INSTANCE_ROLE_ARN } });
  });

  test("does not name the instance role as a principal (it may not exist yet, and re-creation would break it)", () => {
    expect(JSON.stringify(trust.Statement[0]!.Principal)).not.toContain(":role/");
  });

  test("max_session_duration is one hour: role chaining caps sessions at 1 h", () => {
    expect(body.max_session_duration).toBe(3600);
  });

  test("exposes the role ARN built from owner account, partition and name", () => {
    expect(role.roleArn).toBe(`arn:aws:iam::${OWNER}:role/shared-data-reader`);
    expect(role.roleName).toBe("shared-data-reader");
  });

  test("several trusted principals become a list under the same ArnEquals key", () => {
    const second = `arn:aws:iam::${ACCESSOR}:role/other-instance`;
    const several = build({ trustedPrincipalArns: [INSTANCE_ROLE_ARN, second] });
    const condition = parsePolicy(onlyResource(several.json, "aws_iam_role").assume_role_policy).Statement[0]!
      .Condition;
    expect(condition).toEqual({ ArnEquals: { "aws:PrincipalArn": [INSTANCE_ROLE_ARN, second] } });
  });

  test("a shorter session is allowed; more than one hour is rejected", () => {
    expect(onlyResource(build({ maxSessionDurationSeconds: 900 }).json, "aws_iam_role").max_session_duration).toBe(900);
    expect(() => build({ maxSessionDurationSeconds: 7200 })).toThrow(
      "[stack/target_role] maxSessionDurationSeconds: 7200 must be a whole number from 900 to 3600",
    );
  });

  test("the partition flows into the principal and the role ARN", () => {
    const gov = build({ partition: "aws-us-gov", trustedPrincipalArns: [`arn:aws-us-gov:iam::${ACCESSOR}:role/x`] });
    const statement = parsePolicy(onlyResource(gov.json, "aws_iam_role").assume_role_policy).Statement[0]!;
    expect(statement.Principal).toEqual({ AWS: `arn:aws-us-gov:iam::${ACCESSOR}:root` });
    expect(gov.role.roleArn).toBe(`arn:aws-us-gov:iam::${OWNER}:role/shared-data-reader`);
  });
});

describe.each(["read-only", "read-write"] as const)("TargetRole permissions, %s", (level) => {
  const { synth, json } = build({ accessLevel: level });
  const policy = permissions(json);
  const expected = EXPECTED_ACTIONS[level];

  test("the inline policy is attached to this role", () => {
    expect(synth).toHaveResourceWithProperties(IamRolePolicy, {
      role: "${aws_iam_role.target_role.name}",
      provider: TEST_PROVIDER_REF,
    });
  });

  test("bucket-level actions exactly, on the bucket ARN", () => {
    const bucketStatements = policy.Statement.filter((s) => list(s.Resource).includes(BUCKET_ARN));
    expect(bucketStatements).toHaveLength(1);
    expect(bucketStatements[0]!.Effect).toBe("Allow");
    expect(list(bucketStatements[0]!.Resource)).toEqual([BUCKET_ARN]);
    expect(list(bucketStatements[0]!.Action).sort()).toEqual([...expected.bucket]);
  });

  test("object-level actions exactly, on the bucket's objects", () => {
    const objectStatements = policy.Statement.filter((s) => list(s.Resource).includes(`${BUCKET_ARN}/*`));
    expect(objectStatements).toHaveLength(1);
    expect(objectStatements[0]!.Effect).toBe("Allow");
    expect(list(objectStatements[0]!.Resource)).toEqual([`${BUCKET_ARN}/*`]);
    expect(list(objectStatements[0]!.Action).sort()).toEqual([...expected.object]);
  });

  test("nothing else: two Allow statements, no principal, no condition, no wildcard action", () => {
    expect(policy.Statement).toHaveLength(2);
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe("Allow");
      expect(statement.Principal).toBeUndefined();
      expect(statement.Condition).toBeUndefined();
    }
    for (const action of allActions(policy)) expect(action).not.toContain("*");
  });
});

describe("TargetRole permissions, full", () => {
  const policy = permissions(build({ accessLevel: "full" }).json);
  const actions = allActions(policy);

  test("includes everything read-write grants", () => {
    expect(actions).toEqual(
      expect.arrayContaining([...EXPECTED_ACTIONS["read-write"].bucket, ...EXPECTED_ACTIONS["read-write"].object]),
    );
  });

  test("adds object versions, tagging and multipart listing", () => {
    expect(actions).toEqual(
      expect.arrayContaining([
        "s3:GetObjectVersion",
        "s3:DeleteObjectVersion",
        "s3:ListBucketVersions",
        "s3:ListBucketMultipartUploads",
        "s3:ListMultipartUploadParts",
        "s3:PutObjectTagging",
      ]),
    );
  });

  test("never a wildcard, never bucket administration, only s3 actions", () => {
    for (const action of actions) {
      expect(action).not.toContain("*");
      expect(action).toMatch(/^s3:[A-Za-z]+$/);
    }
    for (const admin of ADMIN_ACTIONS) expect(actions).not.toContain(admin);
  });

  test("resources are only this bucket and its objects; bucket actions on the bucket, object actions on objects", () => {
    for (const statement of policy.Statement) {
      const resources = list(statement.Resource);
      expect(resources).toHaveLength(1);
      expect([BUCKET_ARN, `${BUCKET_ARN}/*`]).toContain(resources[0]);
      const onBucket = resources[0] === BUCKET_ARN;
      for (const action of list(statement.Action)) {
        expect([action, /^s3:(ListBucket|GetBucket)/.test(action)]).toEqual([action, onBucket]);
      }
    }
  });
});

describe("TargetRole description names the access", () => {
  test.each<AccessLevel>(["read-only", "read-write", "full"])("%s", (level) => {
    const body = onlyResource(build({ accessLevel: level }).json, "aws_iam_role");
    expect(body.description).toBe(`Assumed from account ${ACCESSOR} for ${level} access to ${BUCKET_ARN}`);
  });
});
