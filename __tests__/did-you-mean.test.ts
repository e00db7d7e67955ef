/**
 * "Did you mean" for near misses: one suggestion, only when it is close (the rule unknown keys
 * already used), for every value taken from a known list, at the field's own path in both forms.
 */
import { nearest, suggestInstanceType } from "../config/did-you-mean";
import { INSTANCE_SIZES_BY_FAMILY } from "../config/instance-types";
import { KNOWN_REGIONS } from "../config/regions";
import { instanceTypeRule } from "../config/rules";
import { minimalListConfig, problemMessages, rawConfig, type RawConfig } from "./helpers/config";

const LEVELS = ["read-only", "read-write", "full"];

describe("the closeness rule", () => {
  test("compares regardless of case and offers the candidate as written", () => {
    expect(nearest("EU-WEST-1", KNOWN_REGIONS)).toBe("eu-west-1");
    expect(nearest("accesslevel", ["accessLevel", "accessMode"])).toBe("accessLevel");
  });

  test("allows max(2, a third of the length) edits", () => {
    // 12 characters: up to 4 edits.
    expect(nearest("eu-centrl-1", KNOWN_REGIONS)).toBe("eu-central-1");
    expect(nearest("read-wirte", LEVELS)).toBe("read-write");
    // 5 characters: up to 2 edits; "admin" is 5 from "full".
    expect(nearest("admin", LEVELS)).toBeUndefined();
  });

  test("a value that keeps nothing of any candidate gets no hint", () => {
    expect(nearest("c", ["a", "b"])).toBeUndefined();
    expect(nearest("gs", ["local", "s3", "cloud"])).toBeUndefined();
    expect(nearest("", LEVELS)).toBeUndefined();
  });

  test("one suggestion: the first of equally close candidates", () => {
    expect(nearest("eu-west-9", KNOWN_REGIONS)).toBe("eu-west-1");
  });
});

/** The one problem line of `raw`. */
function onlyLine(raw: RawConfig): string {
  const lines = problemMessages(raw);
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

const LIST: RawConfig = minimalListConfig();

function listWithEntry(entry: RawConfig, root: RawConfig = {}): RawConfig {
  const [first] = LIST.accessors as RawConfig[];
  return { ...LIST, ...root, accessors: [{ ...first, ...entry }] };
}

describe("near-miss values, at their paths", () => {
  test.each<[string, RawConfig, string]>([
    [
      "a region",
      rawConfig({ accessor: { region: "eu-centrl-1" } }),
      'accessor.region: "eu-centrl-1" is not a known AWS region; did you mean "eu-central-1"?',
    ],
    [
      "a region written in capitals",
      rawConfig({ bucketOwner: { region: "EU-WEST-1" } }),
      'bucketOwner.region: "EU-WEST-1" is not shaped like an AWS region code; did you mean "eu-west-1"?',
    ],
    [
      "an availability zone for a region",
      rawConfig({ bucketOwner: { region: "eu-west-1a" } }),
      'bucketOwner.region: "eu-west-1a" is not shaped like an AWS region code; did you mean "eu-west-1"?',
    ],
    [
      "a state bucket's region",
      rawConfig({ backend: { type: "s3", bucketOwner: { bucket: "example-state", region: "us-est-1" } } }),
      'backend.bucketOwner.region: "us-est-1" is not a known AWS region; did you mean "us-east-1"?',
    ],
    [
      "a consumer's region",
      listWithEntry({ region: "ap-southeast-22" }),
      'accessors[0].region: "ap-southeast-22" is not a known AWS region; did you mean "ap-southeast-2"?',
    ],
    [
      "an access level",
      rawConfig({ accessLevel: "read-wirte" }),
      'accessLevel: "read-wirte" must be one of "read-only", "read-write", "full"; did you mean "read-write"?',
    ],
    [
      "a consumer's access level",
      listWithEntry({ accessLevel: "Read-Only" }),
      'accessors[0].accessLevel: "Read-Only" must be one of "read-only", "read-write", "full"; did you mean "read-only"?',
    ],
    [
      "an access mode",
      rawConfig({ accessMode: "role_chain" }),
      'accessMode: "role_chain" must be one of "role-chain", "direct"; did you mean "role-chain"?',
    ],
    [
      "encryption",
      rawConfig({ bucket: { encryption: "SSE_KMS" } }),
      'bucket.encryption: "SSE_KMS" must be one of "SSE-S3", "SSE-KMS"; did you mean "SSE-KMS"?',
    ],
    [
      "S3's name for SSE-S3",
      rawConfig({ bucket: { encryption: "AES256" } }),
      'bucket.encryption: "AES256" must be one of "SSE-S3", "SSE-KMS"; did you mean "SSE-S3"?',
    ],
    [
      "S3's name for SSE-KMS",
      rawConfig({ bucket: { encryption: "aws:kms" } }),
      'bucket.encryption: "aws:kms" must be one of "SSE-S3", "SSE-KMS"; did you mean "SSE-KMS"?',
    ],
    [
      "a backend type in capitals",
      rawConfig({ backend: { type: "S3" } }),
      'backend.type: "S3" must be one of "local", "s3", "cloud"; did you mean "s3"?',
    ],
    [
      "a backend type misspelt",
      rawConfig({ backend: { type: "locale" } }),
      'backend.type: "locale" must be one of "local", "s3", "cloud"; did you mean "local"?',
    ],
    [
      "Terraform's older name for HCP Terraform",
      rawConfig({ backend: { type: "remote" } }),
      'backend.type: "remote" must be one of "local", "s3", "cloud"; did you mean "cloud"?',
    ],
    [
      "a consumer list's backend type",
      listWithEntry({}, { backend: { type: "Cloud" } }),
      'backend.type: "Cloud" must be one of "local", "s3", "cloud"; did you mean "cloud"?',
    ],
    [
      "a boolean in quotes",
      rawConfig({ instance: { sessionManager: "true" } }),
      'instance.sessionManager: "true" must be true or false; did you mean true, without quotes?',
    ],
    [
      "a boolean in quotes and capitals",
      rawConfig({ existingInstanceRole: "False" }),
      'existingInstanceRole: "False" must be true or false; did you mean false, without quotes?',
    ],
    [
      "a number in quotes",
      rawConfig({ instance: { metadataHopLimit: "2" } }),
      'instance.metadataHopLimit: "2" must be a whole number from 1 to 2; did you mean 2, without quotes?',
    ],
    [
      "an instance type's size",
      rawConfig({ instance: { instanceType: "t3.mirco" } }),
      'instance.instanceType: "t3.mirco" does not end in an EC2 instance size (nano, micro, small, medium, large, xlarge, <n>xlarge, metal or metal-<n>xl); did you mean "t3.micro"?',
    ],
    [
      "a consumer's instance type",
      listWithEntry({ instance: { instanceType: "m7g.lage" } }),
      'accessors[0].instance.instanceType: "m7g.lage" does not end in an EC2 instance size (nano, micro, small, medium, large, xlarge, <n>xlarge, metal or metal-<n>xl); did you mean "m7g.large"?',
    ],
    ["an unknown key", rawConfig({ acessLevel: "read-only" }), 'acessLevel: unknown key; did you mean "accessLevel"?'],
    [
      "an unknown key in capitals",
      rawConfig({ accessor: { Region: "eu-west-1" } }),
      'accessor.Region: unknown key; did you mean "region"?',
    ],
  ])("%s", (_what, raw, line) => {
    expect(onlyLine(raw)).toBe(line);
  });

  test.each<[string, RawConfig, string]>([
    [
      "an access level near none",
      rawConfig({ accessLevel: "admin" }),
      'accessLevel: "admin" must be one of "read-only", "read-write", "full" (e.g. "read-only")',
    ],
    [
      "a number in quotes out of range",
      rawConfig({ instance: { metadataHopLimit: "3" } }),
      'instance.metadataHopLimit: "3" must be a whole number from 1 to 2 (e.g. 1)',
    ],
    [
      "a word for a boolean",
      rawConfig({ instance: { sessionManager: "yes" } }),
      'instance.sessionManager: "yes" must be true or false (e.g. false)',
    ],
    [
      "a region near none",
      rawConfig({ accessor: { region: "xx-nowhere-9" } }),
      'accessor.region: "xx-nowhere-9" is not a known AWS region; check the spelling (e.g. "eu-west-1", "us-east-2")',
    ],
  ])("no hint for %s: the example instead", (_what, raw, line) => {
    expect(onlyLine(raw)).toBe(line);
  });
});

describe("instance types", () => {
  const listed = Object.entries(INSTANCE_SIZES_BY_FAMILY).flatMap(([family, sizes]) =>
    sizes.split(" ").map((size) => `${family}.${size}`),
  );

  test("the list holds the EC2 API's 1,437 types in 210 families", () => {
    expect(listed).toHaveLength(1437);
    expect(Object.keys(INSTANCE_SIZES_BY_FAMILY)).toHaveLength(210);
    expect(listed).toEqual(expect.arrayContaining(["t3.micro", "m7g.large", "c7i.metal-24xl", "u7i-12tb.224xlarge"]));
  });

  test("every listed type is valid, so a hint never offers an invalid one", () => {
    expect(listed.filter((type) => instanceTypeRule("t", type).length > 0)).toEqual([]);
  });

  test("a well-shaped type of a family or size the list does not have yet is valid", () => {
    for (const type of ["m9z.large", "t5g.micro", "c9i.metal-192xl", "r8i.96xlarge"]) {
      expect({ type, problems: instanceTypeRule("instance.instanceType", type) }).toEqual({ type, problems: [] });
    }
  });

  test.each([
    ["t3.mirco", "t3.micro"],
    ["T3.MICRO", "t3.micro"],
    [" t3.micro", "t3.micro"],
    ["t3", "t3.micro"],
    ["m7g", "m7g.medium"],
    ["t.micro", "t3.micro"],
    ["t3.2xlage", "t3.2xlarge"],
    ["c7i.metal24xl", "c7i.metal-24xl"],
    ["m7gmedium", "m7g.medium"],
  ])("%j: did you mean %j", (written, meant) => {
    expect(suggestInstanceType(written)).toBe(meant);
    expect(instanceTypeRule("instance.instanceType", written)[0]?.message).toContain(`did you mean "${meant}"?`);
  });

  test.each(["big", "micro", "zz9.mirco", "t3.huge"])("%j: no hint, the example instead", (written) => {
    expect(suggestInstanceType(written)).toBeUndefined();
    expect(instanceTypeRule("instance.instanceType", written)[0]?.message).toContain(
      '(e.g. "t3.micro" or "m7g.large")',
    );
  });
});
