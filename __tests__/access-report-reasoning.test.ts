import * as fc from "fast-check";
import {
  arnContains,
  arnMatches,
  arnOverlaps,
  globContains,
  globMatches,
  globOverlaps,
  instancesOf,
} from "../access-report/arn-pattern";
import { meetsRequirement, type Requirement } from "../access-report/conditions";
import { ActionCatalog } from "../access-report/iam-actions";
import { admittedPrincipals } from "../access-report/principals";
import type { StatementJson } from "../access-report/policy-json";

const TARGET = "arn:aws:iam::111122223333:role/shared-data-reader";
const INSTANCE = "arn:aws:iam::444455556666:role/shared-data-client-instance";
const allow = (rest: Partial<StatementJson>): StatementJson => ({ Effect: "Allow", Action: "s3:GetObject", ...rest });

describe("ARN patterns, as IAM matches them", () => {
  // Small alphabets make collisions, wildcards and prefixes likely.
  const glob = fc.string({ unit: fc.constantFrom("a", "b", "/", "*", "?"), maxLength: 6 });
  const text = fc.string({ unit: fc.constantFrom("a", "b", "/"), maxLength: 6 });

  test("containment is sound: whatever the inner pattern matches, the outer one matches", () => {
    fc.assert(
      fc.property(glob, glob, text, (outer, inner, value) => {
        if (globContains(outer, inner) && globMatches(inner, value)) expect(globMatches(outer, value)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test("overlap is exact on values both match, and a pattern overlaps every value it matches", () => {
    fc.assert(
      fc.property(glob, glob, text, (first, second, value) => {
        if (globMatches(first, value) && globMatches(second, value)) expect(globOverlaps(first, second)).toBe(true);
        if (globMatches(first, value)) expect(globOverlaps(first, value)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test("every instance a pattern offers the evaluator is matched by it", () => {
    fc.assert(
      fc.property(glob, (pattern) => {
        for (const value of instancesOf(`arn:aws:s3:::${pattern}`))
          expect(arnMatches(`arn:aws:s3:::${pattern}`, value)).toBe(true);
      }),
    );
  });

  test("a wildcard stays inside its ARN segment; the resource part is one string", () => {
    expect(arnMatches("arn:aws:iam::*:role/x", "arn:aws:iam::111122223333:role/x")).toBe(true);
    expect(arnMatches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c")).toBe(true);
    expect(arnContains("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/team-a/*")).toBe(true);
    expect(arnContains("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket*/*")).toBe(false);
    expect(arnOverlaps("arn:aws:s3:::bucket*/*", "arn:aws:s3:::bucket-other/x")).toBe(true);
    expect(arnContains("*", "arn:aws:s3:::anything")).toBe(true);
    expect(arnContains("arn:aws:s3:::bucket/*", "*")).toBe(false);
  });
});

describe("who a resource-policy statement admits", () => {
  test("an account narrowed by aws:PrincipalArn admits only the named principals of that account", () => {
    expect(
      admittedPrincipals(
        allow({
          Principal: { AWS: ["arn:aws:iam::444455556666:root", "730335212345"] },
          Condition: { ArnEquals: { "aws:PrincipalArn": INSTANCE } },
        }),
      ),
    ).toEqual([{ kind: "principal", pattern: INSTANCE }]);
  });

  test("ArnLike with a wildcard account admits that role name in every account", () => {
    expect(
      admittedPrincipals(
        allow({
          Principal: "*",
          Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/shared-data-reader" } },
        }),
      ),
    ).toEqual([{ kind: "principal", pattern: "arn:aws:iam::*:role/shared-data-reader" }]);
  });

  test('"*" admits everyone and unsigned requests; IfExists narrows signed callers only', () => {
    expect(admittedPrincipals(allow({ Principal: "*" }))).toEqual([{ kind: "anyone" }, { kind: "anonymous" }]);
    expect(
      admittedPrincipals(allow({ Principal: "*", Condition: { ArnEqualsIfExists: { "aws:PrincipalArn": TARGET } } })),
    ).toEqual([{ kind: "principal", pattern: TARGET }, { kind: "anonymous" }]);
  });

  test("ForAllValues and negative operators never narrow (an absent key passes ForAllValues)", () => {
    const conditions: StatementJson["Condition"][] = [
      { "ForAllValues:ArnEquals": { "aws:PrincipalArn": TARGET } },
      { ArnNotEquals: { "aws:PrincipalArn": TARGET } },
    ];
    for (const Condition of conditions) {
      expect(admittedPrincipals(allow({ Principal: { AWS: "444455556666" }, Condition }))).toEqual([
        { kind: "account", account: "444455556666", delegated: true },
      ]);
    }
  });

  test('aws:PrincipalAccount and aws:PrincipalOrgID narrow "*" to an account or an organization, granted directly', () => {
    expect(
      admittedPrincipals(
        allow({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "444455556666" } } }),
      ),
    ).toEqual([{ kind: "account", account: "444455556666", delegated: false }]);
    expect(
      admittedPrincipals(
        allow({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }),
      ),
    ).toEqual([{ kind: "organization", ids: ["o-a1b2c3d4e5"] }]);
  });

  test("services, web-identity providers and NotPrincipal are admitted as what they are", () => {
    expect(
      admittedPrincipals(
        allow({ Principal: { Service: "ec2.amazonaws.com", Federated: "cognito-identity.amazonaws.com" } }),
      ),
    ).toEqual([
      { kind: "service", service: "ec2.amazonaws.com", sourceAccounts: undefined },
      { kind: "federated", provider: "cognito-identity.amazonaws.com" },
    ]);
    expect(admittedPrincipals(allow({ NotPrincipal: { AWS: TARGET } }))).toEqual([
      { kind: "all-except", except: [TARGET] },
      { kind: "anonymous" },
    ]);
  });
});

describe("conditions the config requires", () => {
  const viaS3: Requirement = {
    key: "kms:ViaService",
    within: ["s3.eu-west-1.amazonaws.com"],
    description: "through S3",
    violations: [undefined],
  };
  const prefix: Requirement = {
    key: "s3:prefix",
    within: ["team-a/*"],
    description: "inside team-a/",
    violations: [""],
  };

  test.each([
    [{ StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } }, viaS3, true],
    [{ StringEqualsIfExists: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } }, viaS3, false],
    [{ StringLike: { "kms:ViaService": "s3.*" } }, viaS3, false],
    [
      { StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "ec2.eu-west-1.amazonaws.com"] } },
      viaS3,
      false,
    ],
    [{ StringLike: { "s3:prefix": ["team-a/", "team-a/*"] } }, prefix, true],
    [{ StringLike: { "s3:prefix": "*" } }, prefix, false],
    [undefined, prefix, false],
  ])("%j meets %j: %s", (Condition, requirement, expected) => {
    expect(meetsRequirement(allow(Condition === undefined ? {} : { Condition }), requirement)).toBe(expected);
  });
});

describe("actions, from AWS's catalogue", () => {
  const catalog = new ActionCatalog();

  test("wildcards and NotAction expand to the actions AWS lists", async () => {
    expect(await catalog.expand(["s3:GetObject*"])).toEqual(
      expect.arrayContaining(["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"]),
    );
    const notIam = await catalog.statementActions({ Effect: "Allow", NotAction: "iam:*", Resource: "*" });
    expect(notIam).toEqual(expect.arrayContaining(["s3:PutBucketPolicy", "sts:AssumeRole", "kms:Decrypt"]));
    expect(notIam.some((action) => action.startsWith("iam:"))).toBe(false);
  }, 30_000);

  test("an action applies only to the resources it can name (ListBucket never names an object)", async () => {
    expect(await catalog.appliesTo("s3:ListBucket", "arn:aws:s3:::bucket")).toBe(true);
    expect(await catalog.appliesTo("s3:ListBucket", "arn:aws:s3:::bucket/*")).toBe(false);
    expect(await catalog.appliesTo("s3:GetObject", "arn:aws:s3:::bucket/*")).toBe(true);
    expect(await catalog.appliesTo("s3:GetObject", "arn:aws:s3:::bucket*")).toBe(true);
    // Actions without resource-level permissions match only "*".
    expect(await catalog.appliesTo("s3:ListAllMyBuckets", "arn:aws:s3:::*")).toBe(false);
    expect(await catalog.appliesTo("s3:ListAllMyBuckets", "*")).toBe(true);
    expect(await catalog.appliesTo("sts:AssumeRole", TARGET)).toBe(true);
  });
});
