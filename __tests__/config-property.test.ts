/**
 * Property tests (fast-check, fixed seed so CI is reproducible): random valid
 * configs synthesize with exactly the configured names and account ids;
 * random invalid configs fail with one problem line per broken field, naming
 * every broken field path and nothing else.
 */
import fc from "fast-check";
import { validateConfig } from "../config/validate";
import { ConfigError } from "../config/problems";
import type { CrossAccountConfig } from "../config/types";
import { BucketOwnerStack } from "../stacks/bucket-owner-stack";
import { onlyResource, synthApp, testApp } from "./helpers/synth";
import { parsePolicy, statementsWith } from "./helpers/policy";
import type { RawConfig } from "./helpers/config";
import { validRaw } from "./helpers/config-arbitraries";

const SEED = 42;

describe("random valid configs", () => {
  test("validate without problems and synthesize with exactly the configured names and account ids", () => {
    fc.assert(
      fc.property(validRaw, ({ raw, partition }) => {
        const { config, problems } = validateConfig(raw);
        expect(problems).toEqual([]);
        const c = config as CrossAccountConfig;
        const { ownerJson, accessorJson } = synthApp(c);
        const owner = raw.bucketOwner as { accountId: string; region: string };
        const accessor = raw.accessor as { accountId: string; region: string };
        const bucket = (raw.bucket as { name: string }).name;
        const targetRoleName = raw.targetRoleName as string;
        const instanceRoleName = raw.instanceRoleName as string;

        expect(ownerJson.provider!.aws![0]).toEqual(
          expect.objectContaining({ allowed_account_ids: [owner.accountId], region: owner.region }),
        );
        expect(accessorJson.provider!.aws![0]).toEqual(
          expect.objectContaining({ allowed_account_ids: [accessor.accountId], region: accessor.region }),
        );
        expect(onlyResource(ownerJson, "aws_s3_bucket").bucket).toBe(bucket);
        expect(onlyResource(ownerJson, "aws_iam_role").name).toBe(targetRoleName);
        expect(onlyResource(accessorJson, "aws_iam_role").name).toBe(instanceRoleName);
        expect(onlyResource(accessorJson, "aws_iam_instance_profile").name).toBe(instanceRoleName);

        const trust = parsePolicy(onlyResource(ownerJson, "aws_iam_role").assume_role_policy).Statement[0]!;
        expect(trust.Principal).toEqual({ AWS: `arn:${partition}:iam::${accessor.accountId}:root` });
        expect(trust.Condition).toEqual({
          ArnEquals: { "aws:PrincipalArn": `arn:${partition}:iam::${accessor.accountId}:role/${instanceRoleName}` },
        });
        const grantee = `arn:${partition}:iam::${owner.accountId}:role/${targetRoleName}`;
        for (const allow of statementsWith(
          parsePolicy(onlyResource(ownerJson, "aws_s3_bucket_policy").policy),
          "Allow",
        )) {
          expect(allow.Principal).toEqual({ AWS: grantee });
        }
        expect(ownerJson.output!.bucket_arn!.value).toBe(`arn:${partition}:s3:::${bucket}`);
        expect(accessorJson.output!.verify_commands!.value).toEqual([
          `aws sts get-caller-identity --profile ${c.cliProfileName}`,
          `aws s3 ls s3://${bucket} --profile ${c.cliProfileName}`,
        ]);
        for (const [key, value] of Object.entries((raw.tags as Record<string, string> | undefined) ?? {})) {
          expect(
            (ownerJson.provider!.aws![0]!.default_tags as Array<{ tags: Record<string, string> }>)[0]!.tags[key],
          ).toBe(value);
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
  });
});

/** One way to break a field: where the problem is reported, and the edit that causes it. */
interface Breaker {
  readonly path: string;
  readonly apply: (raw: RawConfig) => void;
}

const set =
  (objectKey: string, key: string, value: unknown) =>
  (raw: RawConfig): void => {
    raw[objectKey] = { ...(raw[objectKey] as Record<string, unknown> | undefined), [key]: value };
  };

function breakers(): Array<fc.Arbitrary<Breaker>> {
  const pick = <T>(path: string, values: T[], apply: (value: T) => (raw: RawConfig) => void) =>
    fc.constantFrom(...values).map((value): Breaker => ({ path, apply: apply(value) }));
  return [
    pick("bucketOwner.accountId", ["12345", 111122223333, "abcdefghijkl", "1111222233334"], (v) =>
      set("bucketOwner", "accountId", v),
    ),
    pick("accessor.accountId", ["4444", 444455556666, "44445555666x"], (v) => set("accessor", "accountId", v)),
    pick("bucketOwner.region", ["eu-west-9", "EU-WEST-1", "euwest1", 7], (v) => set("bucketOwner", "region", v)),
    pick("accessor.region", ["us-north-1", "us_east_1", ""], (v) => set("accessor", "region", v)),
    pick("bucket.name", ["ab", "Bad_Name", "my..bucket", "192.168.0.1", "xn--data", "data-s3alias", "-data"], (v) =>
      set("bucket", "name", v),
    ),
    pick("accessLevel", ["admin", "READ-ONLY", 3], (v) => (raw) => void (raw.accessLevel = v)),
    pick(
      "targetRoleName",
      ["", "has space", "x".repeat(65), "role/path"],
      (v) => (raw) => void (raw.targetRoleName = v),
    ),
    pick("instanceRoleName", ["", "bad*name", 12], (v) => (raw) => void (raw.instanceRoleName = v)),
    pick("cliProfileName", ["has space", ""], (v) => (raw) => void (raw.cliProfileName = v)),
    pick("tags.aws:team", ["x"], (v) => (raw) => void (raw.tags = { "aws:team": v })),
    pick("instance.instanceType", ["big", "T3.micro"], (v) => set("instance", "instanceType", v)),
    pick("instance.metadataHopLimit", [0, 3, 1.5], (v) => set("instance", "metadataHopLimit", v)),
    pick("instance.rootVolumeSizeGiB", [0, 20000], (v) => set("instance", "rootVolumeSizeGiB", v)),
    pick("instance.subnetId", ["subnet-xyz"], (v) => set("instance", "subnetId", v)),
    pick("instance.sessionManager", ["yes", 1], (v) => set("instance", "sessionManager", v)),
    pick("acessLevel", ["read-only"], (v) => (raw) => void (raw.acessLevel = v)),
  ];
}

const invalidRaw = fc
  .tuple(validRaw, fc.uniqueArray(fc.oneof(...breakers()), { minLength: 1, maxLength: 6, selector: (b) => b.path }))
  .map(([{ raw }, broken]) => {
    const copy = JSON.parse(JSON.stringify(raw)) as RawConfig;
    for (const breaker of broken) breaker.apply(copy);
    return { raw: copy, paths: broken.map((b) => b.path) };
  });

describe("random invalid configs", () => {
  test("report every broken field path, each on its own line starting with the path, and nothing else", () => {
    fc.assert(
      fc.property(invalidRaw, ({ raw, paths }) => {
        const { config, problems } = validateConfig(raw);
        expect(config).toBeUndefined();
        expect([...new Set(problems.map((p) => p.path))].sort()).toEqual([...paths].sort());
        for (const p of problems) {
          expect(p.message.startsWith(`${p.path}: `)).toBe(true);
          expect(p.message).not.toContain("\n");
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  test("a stack built from code with the same config throws one ConfigError naming every broken field", () => {
    fc.assert(
      fc.property(invalidRaw, ({ raw, paths }) => {
        let error: unknown;
        try {
          new BucketOwnerStack(testApp(), "bucket-owner", {
            config: raw as unknown as CrossAccountConfig,
          });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(ConfigError);
        const message = (error as ConfigError).message;
        for (const path of paths) expect(message).toContain(`[bucket-owner] ${path}: `);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
