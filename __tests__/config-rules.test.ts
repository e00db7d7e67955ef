/**
 * Every configuration rule (config/rules.ts, config/validate.ts,
 * config/load.ts), cdk-nag style: for each rule a Compliance case that
 * passes and a Noncompliance case whose one-line message names the field
 * path, the bad value, what is expected and an example.
 */
import fs from "node:fs"; // the module object itself (default import), so jest.spyOn reaches what config/load.ts calls
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  accessLevelRule,
  accountIdRule,
  amiIdRule,
  bucketNameRule,
  cliProfileNameRule,
  instanceTypeRule,
  metadataHopLimitRule,
  regionRule,
  roleNameRule,
  rootVolumeSizeRule,
  securityGroupIdRule,
  ssmParameterRule,
  subnetIdRule,
  tagsRule,
} from "../config/rules";
import { findProblems, validateConfig } from "../config/validate";
import { CONFIG_ENV_VAR, EXAMPLE_CONFIG_PATH, keyProblems, loadConfig, parseConfigJson } from "../config/load";
import { ConfigError } from "../config/problems";
import { BUCKET_NAME, exampleRaw, problemMessages, problemPaths, rawConfig, toConfig } from "./helpers/config";

/** The messages a rule returns for `value` at `field`. */
const messages = (rule: (p: string, v: unknown) => { message: string }[], field: string, value: unknown) =>
  rule(field, value).map((p) => p.message);

describe("the configs the project ships and the tests build are valid", () => {
  test("Compliance: config/example.json", () => {
    expect(problemMessages(exampleRaw())).toEqual([]);
  });
  test("Compliance: the minimal config with only required keys", () => {
    expect(problemMessages(rawConfig())).toEqual([]);
  });
});

describe("rule: account id is a 12-digit string", () => {
  test.each(["111122223333", "011122223333", "000000000000"])("Compliance: %s", (id) => {
    expect(messages(accountIdRule, "bucketOwner.accountId", id)).toEqual([]);
  });

  test("Noncompliance: too short, with the standard message", () => {
    expect(problemMessages(rawConfig({ bucketOwner: { accountId: "12345" } }))).toEqual([
      'bucketOwner.accountId: "12345" is not a 12-digit AWS account id (e.g. "111122223333")',
    ]);
  });

  test.each(["1111222233334", "11112222333a", " 111122223333", "1111-2222-3333"])("Noncompliance: %j", (id) => {
    expect(messages(accountIdRule, "accessor.accountId", id)).toEqual([
      `accessor.accountId: ${JSON.stringify(id)} is not a 12-digit AWS account id (e.g. "111122223333")`,
    ]);
  });

  test("Noncompliance: a JSON number, explaining that numbers lose leading zeros", () => {
    const [line] = problemMessages(rawConfig({ accessor: { accountId: 11122223333 } }));
    expect(line).toMatch(/^accessor\.accountId: 11122223333 is a number; /);
    expect(line).toContain("12-digit string in quotes");
    expect(line).toContain("loses leading zeros");
    expect(line).toContain('(e.g. "011122223333")');
  });

  test("Noncompliance: missing", () => {
    const raw = rawConfig();
    delete (raw.bucketOwner as Record<string, unknown>).accountId;
    expect(problemMessages(raw)).toEqual([
      'bucketOwner.accountId: (missing) is required: a string (e.g. "111122223333")',
    ]);
  });
});

describe("rule: bucket owner and accessor are different accounts", () => {
  test("Compliance: two accounts", () => {
    expect(problemPaths(rawConfig())).toEqual([]);
  });

  test("Noncompliance: the same account, explaining why", () => {
    const lines = problemMessages(rawConfig({ accessor: { accountId: "111122223333" } }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^accessor\.accountId: "111122223333" is the same as bucketOwner\.accountId; /);
    expect(lines[0]).toContain("two different accounts");
  });
});

describe("rule: region code", () => {
  test.each(["eu-west-1", "us-east-2", "ap-southeast-7", "il-central-1", "us-gov-west-1", "cn-north-1"])(
    "Compliance: %s",
    (region) => {
      expect(messages(regionRule, "bucketOwner.region", region)).toEqual([]);
    },
  );

  test.each(["EU-WEST-1", "euwest1", "eu-west", "eu_west_1", "eu-west-1a"])(
    "Noncompliance (shape, near a region): %j, with the region meant",
    (region) => {
      expect(messages(regionRule, "bucketOwner.region", region)).toEqual([
        `bucketOwner.region: ${JSON.stringify(region)} is not shaped like an AWS region code; did you mean "eu-west-1"?`,
      ]);
    },
  );

  test.each(["", "Frankfurt", "europe-west1"])("Noncompliance (shape, near no region): %j, with examples", (region) => {
    expect(messages(regionRule, "bucketOwner.region", region)).toEqual([
      `bucketOwner.region: ${JSON.stringify(region)} is not shaped like an AWS region code (e.g. "eu-west-1" or "us-gov-west-1")`,
    ]);
  });

  test.each([
    ["eu-wast-1", "eu-west-1"],
    ["eu-centrl-1", "eu-central-1"],
    ["eu-west-9", "eu-west-1"],
    ["us-north-1", "eu-north-1"],
  ])("Noncompliance (unknown region, named): %s, with the closest region", (region, meant) => {
    expect(problemMessages(rawConfig({ accessor: { region } }))).toEqual([
      `accessor.region: "${region}" is not a known AWS region; did you mean "${meant}"?`,
    ]);
  });

  test("Noncompliance (unknown region, near none): asks to check the spelling, with examples", () => {
    expect(problemMessages(rawConfig({ accessor: { region: "xx-nowhere-9" } }))).toEqual([
      'accessor.region: "xx-nowhere-9" is not a known AWS region; check the spelling (e.g. "eu-west-1", "us-east-2")',
    ]);
  });

  test("Noncompliance: not a string", () => {
    expect(messages(regionRule, "accessor.region", 1)).toEqual([
      'accessor.region: 1 must be a string (e.g. "eu-west-1")',
    ]);
  });

  test("Compliance: both accounts in one non-commercial partition", () => {
    expect(
      problemMessages(rawConfig({ bucketOwner: { region: "us-gov-west-1" }, accessor: { region: "us-gov-east-1" } })),
    ).toEqual([]);
    expect(
      problemMessages(rawConfig({ bucketOwner: { region: "cn-north-1" }, accessor: { region: "cn-northwest-1" } })),
    ).toEqual([]);
  });

  test("Noncompliance: regions in different partitions (a role cannot be assumed across partitions)", () => {
    const lines = problemMessages(
      rawConfig({ bucketOwner: { region: "eu-west-1" }, accessor: { region: "us-gov-west-1" } }),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^accessor\.region: "us-gov-west-1" is in partition "aws-us-gov" but bucketOwner\.region is in "aws"/,
    );
  });
});

describe("rule: S3 bucket names", () => {
  const bucketLines = (name: unknown) => problemMessages(rawConfig({ bucket: { name } }));
  const EXAMPLE = '(e.g. "example-shared-data")';

  test.each([
    "abc",
    "a".repeat(63),
    "my.bucket-1",
    "0bucket9",
    "192.168.5.com",
    "xn-single-dash",
    "data-s3alias-not-at-end",
  ])("Compliance: %s", (name) => {
    expect(bucketLines(name)).toEqual([]);
  });

  test.each([
    ["ab", 2],
    ["a".repeat(64), 64],
  ])("Noncompliance (3 to 63 characters): %s", (name, length) => {
    expect(bucketLines(name)).toEqual([
      `bucket.name: ${JSON.stringify(name)} must be 3 to 63 characters long, not ${length} ${EXAMPLE}`,
    ]);
  });

  test.each(["Uppercase", "under_score", "spa ce", "ünï"])("Noncompliance (characters): %s", (name) => {
    expect(bucketLines(name)).toContain(
      `bucket.name: ${JSON.stringify(name)} may contain only lowercase letters, digits, dots and hyphens ${EXAMPLE}`,
    );
  });

  test.each(["-leading", "trailing-", ".leading", "trailing."])("Noncompliance (start and end): %s", (name) => {
    expect(bucketLines(name)).toEqual([
      `bucket.name: ${JSON.stringify(name)} must start and end with a lowercase letter or digit ${EXAMPLE}`,
    ]);
  });

  test("Noncompliance (two adjacent periods)", () => {
    expect(bucketLines("my..bucket")).toEqual([
      `bucket.name: "my..bucket" must not contain two adjacent periods ${EXAMPLE}`,
    ]);
  });

  test.each(["192.168.5.4", "10.0.0.1"])("Noncompliance (IP address shape): %s", (name) => {
    expect(bucketLines(name)).toEqual([
      `bucket.name: ${JSON.stringify(name)} must not be shaped like an IP address ${EXAMPLE}`,
    ]);
  });

  test.each(["xn--", "sthree-", "amzn-s3-demo-"])("Noncompliance (reserved prefix %s)", (prefix) => {
    const name = `${prefix}data`;
    expect(bucketLines(name)).toEqual([
      `bucket.name: ${JSON.stringify(name)} must not start with the reserved prefix "${prefix}" ${EXAMPLE}`,
    ]);
  });

  test("Noncompliance (reserved prefix sthree-configurator is covered by sthree-)", () => {
    expect(bucketLines("sthree-configurator-x")).toHaveLength(1);
  });

  test.each(["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"])(
    "Noncompliance (reserved suffix %s)",
    (suffix) => {
      const name = `data${suffix}`;
      expect(bucketLines(name)).toEqual([
        `bucket.name: ${JSON.stringify(name)} must not end with the reserved suffix "${suffix}" ${EXAMPLE}`,
      ]);
    },
  );

  test("Noncompliance: several rules broken at once are all reported", () => {
    expect(messages(bucketNameRule, "bucket.name", "-Bad..Name")).toHaveLength(3);
  });

  test("Noncompliance: missing name and missing bucket object", () => {
    expect(bucketLines(undefined)).toEqual([
      'bucket.name: (missing) is required: a string (e.g. "example-shared-data")',
    ]);
    const raw = rawConfig();
    delete raw.bucket;
    expect(problemPaths(raw)).toEqual(["bucket"]);
    expect(problemMessages(raw)[0]).toMatch(/^bucket: \(missing\) is required: an object \(e\.g\. /);
  });
});

describe("rule: accessLevel", () => {
  test.each(["read-only", "read-write", "full"])("Compliance: %s", (level) => {
    expect(problemMessages(rawConfig({ accessLevel: level }))).toEqual([]);
  });

  test("Compliance: absent, defaulting to read-only", () => {
    expect(validateConfig(rawConfig()).config?.accessLevel).toBe("read-only");
  });

  test.each(["admin", 1])("Noncompliance: %j, listing the allowed values", (level) => {
    expect(problemMessages(rawConfig({ accessLevel: level }))).toEqual([
      `accessLevel: ${JSON.stringify(level)} must be one of "read-only", "read-write", "full" (e.g. "read-only")`,
    ]);
    expect(messages(accessLevelRule, "accessLevel", level)).toHaveLength(1);
  });

  test.each([
    ["READ-ONLY", "read-only"],
    ["readonly", "read-only"],
    ["read-wirte", "read-write"],
    ["Full", "full"],
  ])("Noncompliance: %j, listing the allowed values and the one meant", (level, meant) => {
    expect(problemMessages(rawConfig({ accessLevel: level }))).toEqual([
      `accessLevel: ${JSON.stringify(level)} must be one of "read-only", "read-write", "full"; did you mean "${meant}"?`,
    ]);
  });
});

describe.each(["targetRoleName", "instanceRoleName"])("rule: IAM role name in %s", (field) => {
  test.each(["a", "x".repeat(64), "Shared+Data=Reader,v1.0@team_a-b"])("Compliance: %s", (name) => {
    expect(problemMessages(rawConfig({ [field]: name }))).toEqual([]);
  });

  test.each(["", "x".repeat(65), "has space", "path/role", "star*", "ümlaut"])(
    "Noncompliance: %j, naming the field",
    (name) => {
      expect(problemMessages(rawConfig({ [field]: name }))).toEqual([
        `${field}: ${JSON.stringify(name).length > 80 ? JSON.stringify(name).slice(0, 77) + "..." : JSON.stringify(name)} is not a valid IAM role name: 1 to 64 letters, digits or any of "+=,.@_-" (e.g. "shared-data-reader")`,
      ]);
    },
  );

  test("Noncompliance: missing or not a string", () => {
    const raw = rawConfig();
    Reflect.deleteProperty(raw, field);
    expect(problemMessages(raw)).toEqual([`${field}: (missing) is required: a string (e.g. "s3-reader")`]);
    expect(messages(roleNameRule, field, 42)).toEqual([`${field}: 42 must be a string (e.g. "s3-reader")`]);
  });
});

describe("rule: instance type", () => {
  test.each(["t3.micro", "m7g.large", "c7gn.16xlarge", "u-6tb1.metal", "mac2-m2pro.metal"])(
    "Compliance: %s",
    (type) => {
      expect(problemMessages(rawConfig({ instance: { instanceType: type } }))).toEqual([]);
    },
  );

  test.each(["c7i.metal-24xl", "m7i-flex.16xlarge", "x8aedz.metal-24xl", "u7i-12tb.224xlarge", "zz9.large"])(
    "Compliance: %s (metal-<n>xl sizes; a family newer than the project's list)",
    (type) => {
      expect(messages(instanceTypeRule, "instance.instanceType", type)).toEqual([]);
    },
  );

  test.each(["micro", "", "big"])("Noncompliance: %j, near no type", (type) => {
    expect(messages(instanceTypeRule, "instance.instanceType", type)).toEqual([
      `instance.instanceType: ${JSON.stringify(type)} is not shaped like an EC2 instance type (e.g. "t3.micro" or "m7g.large")`,
    ]);
  });

  test.each([
    ["t3", "t3.micro"],
    ["T3.micro", "t3.micro"],
    ["t3.micro ", "t3.micro"],
    ["t.micro", "t3.micro"],
  ])("Noncompliance: %j, with the type meant", (type, meant) => {
    expect(messages(instanceTypeRule, "instance.instanceType", type)).toEqual([
      `instance.instanceType: ${JSON.stringify(type)} is not shaped like an EC2 instance type; did you mean "${meant}"?`,
    ]);
  });

  test.each([
    ["t3.mirco", "t3.micro"],
    ["m7g.lage", "m7g.large"],
    ["c7i.metal24xl", "c7i.metal-24xl"],
  ])("Noncompliance: %j, a size that is no EC2 size, with the family's size meant", (type, meant) => {
    expect(messages(instanceTypeRule, "instance.instanceType", type)).toEqual([
      `instance.instanceType: ${JSON.stringify(type)} does not end in an EC2 instance size (nano, micro, small, medium, large, xlarge, <n>xlarge, metal or metal-<n>xl); did you mean "${meant}"?`,
    ]);
  });

  test("Noncompliance: through the config, with its path", () => {
    expect(problemPaths(rawConfig({ instance: { instanceType: "big" } }))).toEqual(["instance.instanceType"]);
  });
});

describe("rule: a1 instances need an image other than Amazon Linux 2023", () => {
  test("Compliance: a1 with amiId or another SSM parameter; a1 when no instance is created; Graviton2+ types", () => {
    expect(
      problemMessages(rawConfig({ instance: { instanceType: "a1.large", amiId: "ami-0123456789abcdef0" } })),
    ).toEqual([]);
    const al2 = "/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-arm64-gp2";
    expect(problemMessages(rawConfig({ instance: { instanceType: "a1.large", amiSsmParameter: al2 } }))).toEqual([]);
    expect(problemMessages(rawConfig({ instance: { instanceType: "a1.large", create: false } }))).toEqual([]);
    expect(problemMessages(rawConfig({ instance: { instanceType: "t4g.small" } }))).toEqual([]);
  });

  test("Noncompliance: a1 with the default Amazon Linux 2023 image", () => {
    expect(problemMessages(rawConfig({ instance: { instanceType: "a1.medium" } }))).toEqual([
      'instance.instanceType: "a1.medium" is a first-generation Graviton type, which Amazon Linux 2023 (the default image) does not run on; choose a newer Graviton type (e.g. "t4g.small") or set instance.amiId',
    ]);
  });
});

describe("rule: AMI id", () => {
  test.each(["ami-12345678", "ami-0123456789abcdef0"])("Compliance: %s", (id) => {
    expect(problemMessages(rawConfig({ instance: { amiId: id } }))).toEqual([]);
  });

  test.each(["ami-123", "ami-0123456789ABCDEF0", "img-12345678", "ami-0123456789abcdef", "ami-g2345678"])(
    "Noncompliance: %s",
    (id) => {
      expect(messages(amiIdRule, "instance.amiId", id)).toEqual([
        `instance.amiId: ${JSON.stringify(id)} is not an AMI id: "ami-" and 8 or 17 hex digits (e.g. "ami-0123456789abcdef0")`,
      ]);
    },
  );

  test("Noncompliance: amiId and amiSsmParameter together", () => {
    expect(
      problemMessages(
        rawConfig({ instance: { amiId: "ami-12345678", amiSsmParameter: "/aws/service/ami-amazon-linux-latest/x" } }),
      ),
    ).toEqual([
      'instance.amiId: "ami-12345678" cannot be combined with instance.amiSsmParameter; set only one of the two',
    ]);
  });
});

describe("rule: AMI SSM parameter", () => {
  test("Compliance: a public parameter path", () => {
    expect(
      messages(
        ssmParameterRule,
        "instance.amiSsmParameter",
        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64",
      ),
    ).toEqual([]);
  });

  test.each(["aws/service/no-leading-slash", "/has space", "/star*"])("Noncompliance: %j", (value) => {
    expect(messages(ssmParameterRule, "instance.amiSsmParameter", value)[0]).toMatch(
      new RegExp(
        `^instance\\.amiSsmParameter: ${JSON.stringify(value).replace(/[*/]/g, "\\$&")} is not an SSM parameter path`,
      ),
    );
  });
});

describe("rule: subnet id", () => {
  test.each(["subnet-12345678", "subnet-0123456789abcdef0"])("Compliance: %s", (id) => {
    expect(problemMessages(rawConfig({ instance: { subnetId: id } }))).toEqual([]);
  });

  test.each(["subnet-xyz", "sg-12345678", "subnet-0123456789abcdef00"])("Noncompliance: %s", (id) => {
    expect(messages(subnetIdRule, "instance.subnetId", id)).toEqual([
      `instance.subnetId: ${JSON.stringify(id)} is not a subnet id: "subnet-" and 8 or 17 hex digits (e.g. "subnet-0123456789abcdef0")`,
    ]);
  });
});

describe("rule: security group ids", () => {
  test("Compliance: a list of ids", () => {
    expect(
      problemMessages(rawConfig({ instance: { securityGroupIds: ["sg-12345678", "sg-0123456789abcdef0"] } })),
    ).toEqual([]);
    expect(messages(securityGroupIdRule, "x", "sg-89abcdef")).toEqual([]);
  });

  test("Noncompliance: a bad element is named by its index", () => {
    expect(problemMessages(rawConfig({ instance: { securityGroupIds: ["sg-12345678", "subnet-12345678"] } }))).toEqual([
      'instance.securityGroupIds[1]: "subnet-12345678" is not a security group id: "sg-" and 8 or 17 hex digits (e.g. "sg-0123456789abcdef0")',
    ]);
  });

  test("Noncompliance: not a list", () => {
    const paths = problemPaths(rawConfig({ instance: { securityGroupIds: "sg-12345678" } }));
    expect(paths).toEqual(["instance.securityGroupIds"]);
  });
});

describe("rule: metadata hop limit (IMDSv2) is 1 or 2", () => {
  test.each([1, 2])("Compliance: %d", (limit) => {
    expect(problemMessages(rawConfig({ instance: { metadataHopLimit: limit } }))).toEqual([]);
  });

  test.each([0, 3, 64, 1.5, "3", -1])("Noncompliance: %j", (limit) => {
    expect(messages(metadataHopLimitRule, "instance.metadataHopLimit", limit)).toEqual([
      `instance.metadataHopLimit: ${JSON.stringify(limit)} must be a whole number from 1 to 2 (e.g. 1)`,
    ]);
  });

  test("Noncompliance: a good number in quotes, with the number meant", () => {
    expect(messages(metadataHopLimitRule, "instance.metadataHopLimit", "2")).toEqual([
      'instance.metadataHopLimit: "2" must be a whole number from 1 to 2; did you mean 2, without quotes?',
    ]);
  });
});

describe("rule: root volume size", () => {
  test.each([1, 8, 16384])("Compliance: %d GiB", (size) => {
    expect(problemMessages(rawConfig({ instance: { rootVolumeSizeGiB: size } }))).toEqual([]);
  });

  test.each([0, 16385, 8.5, "20 GiB"])("Noncompliance: %j", (size) => {
    expect(messages(rootVolumeSizeRule, "instance.rootVolumeSizeGiB", size)).toEqual([
      `instance.rootVolumeSizeGiB: ${JSON.stringify(size)} must be a whole number from 1 to 16384 (e.g. 20)`,
    ]);
  });

  test("Noncompliance: a good number in quotes, with the number meant", () => {
    expect(messages(rootVolumeSizeRule, "instance.rootVolumeSizeGiB", "20")).toEqual([
      'instance.rootVolumeSizeGiB: "20" must be a whole number from 1 to 16384; did you mean 20, without quotes?',
    ]);
  });
});

describe("rule: associatePublicIpAddress is a boolean", () => {
  test("Compliance: true and false", () => {
    expect(problemMessages(rawConfig({ instance: { associatePublicIpAddress: true } }))).toEqual([]);
    expect(problemMessages(rawConfig({ instance: { associatePublicIpAddress: false } }))).toEqual([]);
  });

  test("Noncompliance: a string", () => {
    expect(problemMessages(rawConfig({ instance: { associatePublicIpAddress: "yes" } }))).toEqual([
      'instance.associatePublicIpAddress: "yes" must be true or false (e.g. false)',
    ]);
  });
});

describe("rule: sessionManager is a boolean", () => {
  test("Compliance: true and false", () => {
    expect(problemMessages(rawConfig({ instance: { sessionManager: true } }))).toEqual([]);
    expect(problemMessages(rawConfig({ instance: { sessionManager: false } }))).toEqual([]);
  });

  test("Noncompliance: a string", () => {
    expect(problemMessages(rawConfig({ instance: { sessionManager: "on" } }))).toEqual([
      'instance.sessionManager: "on" must be true or false (e.g. false)',
    ]);
  });
});

describe("rule: tags follow the AWS tag limits", () => {
  test("Compliance: keys and values with spaces and the allowed symbols; 47 tags (50 with ManagedBy, Project, Name)", () => {
    expect(
      messages(tagsRule, "tags", { team: "data-platform", "cost center": "a b_c.d:e/f=g+h-i@j", empty: "" }),
    ).toEqual([]);
    const own = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`k${i}`, "v"]));
    expect(messages(tagsRule, "tags", own)).toEqual([]);
    // Overriding the project's own keys adds no tags.
    expect(messages(tagsRule, "tags", { ...own, ManagedBy: "platform", Project: "p", Name: "n" })).toEqual([]);
    expect(messages(tagsRule, "tags", { ["k".repeat(128)]: "v".repeat(256) })).toEqual([]);
  });

  test("Noncompliance: the reserved aws: prefix, named by the tag's path", () => {
    expect(problemMessages(rawConfig({ tags: { "aws:owner": "me" } }))).toEqual([
      'tags.aws:owner: "aws:owner" uses the reserved "aws:" prefix; choose another key (e.g. "team")',
    ]);
  });

  test("Noncompliance: key longer than 128, value longer than 256, bad characters, non-string value", () => {
    const tags = { ["k".repeat(129)]: "v", long: "v".repeat(257), "a*b": "x", count: 3 };
    const paths = messages(tagsRule, "tags", tags).map((line) => line.slice(0, line.indexOf(": ")));
    expect(paths).toEqual([`tags.${"k".repeat(129)}`, "tags.long", "tags.a*b", "tags.count"]);
  });

  test("Noncompliance: more than 50 tags on the instance, counting ManagedBy, Project and Name", () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, "v"]));
    expect(messages(tagsRule, "tags", tags)).toEqual([
      'tags: "48 tags" makes 51 tags on the instance with ManagedBy, Project, Name, more than the 50 AWS allows on a resource; use at most 47 of your own',
    ]);
  });

  test("Compliance: 48 tags when no instance is created (no Name tag: 50 with ManagedBy, Project)", () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, "v"]));
    expect(problemMessages(rawConfig({ tags, instance: { create: false } }))).toEqual([]);
    expect(problemMessages(rawConfig({ tags: { ...tags, k48: "v" }, instance: { create: false } }))).toEqual([
      'tags: "49 tags" makes 51 tags on each resource with ManagedBy, Project, more than the 50 AWS allows on a resource; use at most 48 of your own',
    ]);
  });

  test("Noncompliance: the config check and the stacks built from code report the same tag problem", () => {
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]));
    const expected = [
      'tags: "50 tags" makes 53 tags on the instance with ManagedBy, Project, Name, more than the 50 AWS allows on a resource; use at most 47 of your own',
    ];
    expect(problemMessages(rawConfig({ tags }))).toEqual(expected);
    // The stacks check the merged config (defaults included): the same count, the same words.
    const merged = {
      ...toConfig(rawConfig()),
      tags: { ManagedBy: "cdktf", Project: "cross-account-s3-access", ...tags },
    };
    expect(findProblems(merged).map((p) => p.message)).toEqual([expected[0]!.replace('"50 tags"', '"52 tags"')]);
  });

  test("Noncompliance: not an object", () => {
    expect(messages(tagsRule, "tags", ["team"])).toEqual([
      'tags: ["team"] must be an object of tag keys to string values (e.g. {"team": "data-platform"})',
    ]);
  });
});

describe("rule: CLI profile name", () => {
  test.each(["shared-data", "a", "Team_A.data-1"])("Compliance: %s", (name) => {
    expect(problemMessages(rawConfig({ cliProfileName: name }))).toEqual([]);
  });

  test.each(["has space", "", "x".repeat(65), "[profile]"])("Noncompliance: %j", (name) => {
    expect(messages(cliProfileNameRule, "cliProfileName", name)[0]).toMatch(
      /^cliProfileName: .* is not a usable AWS CLI profile name/,
    );
  });
});

describe("rule: unknown keys, with the closest known key", () => {
  test("Compliance: only known keys (the example uses most of them)", () => {
    expect(problemPaths(exampleRaw())).toEqual([]);
  });

  test("Noncompliance: a top-level typo suggests the key", () => {
    expect(problemMessages(rawConfig({ acessLevel: "read-only" }))).toEqual([
      'acessLevel: unknown key; did you mean "accessLevel"?',
    ]);
  });

  test.each([
    ["bucketOwner", { acountId: "x" }, "bucketOwner.acountId", "accountId"],
    ["accessor", { regoin: "x" }, "accessor.regoin", "region"],
    ["instance", { instancetype: "t3.micro" }, "instance.instancetype", "instanceType"],
    ["bucket", { nmae: "x" }, "bucket.nmae", "name"],
  ])("Noncompliance: a nested typo in %s", (key, value, fieldPath, suggestion) => {
    const lines = problemMessages(rawConfig({ [key]: value }));
    expect(lines).toContain(`${fieldPath}: unknown key; did you mean "${suggestion}"?`);
  });

  test("Noncompliance: a key far from every known key lists the known keys instead", () => {
    const [line] = problemMessages(rawConfig({ zzzzzzzzzzzz: 1 }));
    expect(line).toMatch(
      /^zzzzzzzzzzzz: unknown key; known keys here: bucketOwner, accessor, bucket, accessLevel, targetRoleName, instanceRoleName/,
    );
  });
});

describe("rule: the top level is an object", () => {
  test("Compliance: an object", () => {
    expect(findProblems(rawConfig())).toEqual([]);
  });

  test.each([[[]], ["text"], [null], [42]])("Noncompliance: %j", (raw) => {
    const problems = findProblems(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe("(top level)");
    expect(problems[0]!.message).toContain("must be a JSON object with bucketOwner, accessor, bucket");
  });
});

describe("every problem at once, one line each", () => {
  test("five broken fields give five lines, in contract order, each starting with its path", () => {
    const raw = rawConfig({
      bucketOwner: { accountId: "12345" },
      accessor: { region: "eu-wast-1" },
      bucket: { name: "bad_name" },
      accessLevel: "admin",
      instanceRoleName: "bad name",
    });
    const problems = validateConfig(raw).problems;
    expect(problems.map((p) => p.path)).toEqual([
      "bucketOwner.accountId",
      "accessor.region",
      "bucket.name",
      "accessLevel",
      "instanceRoleName",
    ]);
    for (const p of problems) {
      expect(p.message.startsWith(`${p.path}: `)).toBe(true);
      expect(p.message).not.toContain("\n");
    }
    expect(validateConfig(raw).config).toBeUndefined();
  });
});

describe("rule: the config file (CROSS_ACCOUNT_CONFIG)", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "config-file-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const loadError = (env: NodeJS.ProcessEnv, cwd = dir): ConfigError => {
    try {
      loadConfig(env, cwd);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error("loadConfig did not throw");
  };

  test("Compliance: unset uses the checked-in example", () => {
    expect(EXAMPLE_CONFIG_PATH).toBe(path.resolve(__dirname, "..", "config", "example.json"));
    expect(loadConfig({}, dir).bucket.name).toBe((exampleRaw().bucket as { name: string }).name);
  });

  test("Compliance: a relative path resolves against the working directory", () => {
    write("good.json", JSON.stringify(rawConfig()));
    expect(loadConfig({ [CONFIG_ENV_VAR]: "good.json" }, dir).targetRoleName).toBe("unit-test-target");
  });

  test("Noncompliance: a missing file names the path and how to set CROSS_ACCOUNT_CONFIG", () => {
    const error = loadError({ [CONFIG_ENV_VAR]: "nope.json" });
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain(`"${path.join(dir, "nope.json")}" does not exist`);
    expect(error.message).toContain("set CROSS_ACCOUNT_CONFIG to the path of your config JSON");
  });

  test("Noncompliance: a folder", () => {
    expect(loadError({ [CONFIG_ENV_VAR]: dir }).message).toContain(`"${dir}" is a folder, not a file`);
  });

  test("Noncompliance: an unreadable file says so and points at its permissions", () => {
    const file = write("locked.json", "{}");
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: "EACCES" });
    const spy = jest.spyOn(fs, "openSync").mockImplementationOnce(() => {
      throw denied;
    });
    try {
      expect(loadError({ [CONFIG_ENV_VAR]: file }).message).toBe(
        `${CONFIG_ENV_VAR}: "${file}" cannot be read (permission denied); check the file's permissions`,
      );
    } finally {
      spy.mockRestore();
    }
  });

  test("Noncompliance: malformed JSON says JSON, with line and column", () => {
    const file = write("broken.json", '{\n  "bucketOwner": {\n    "accountId": "111122223333",\n  }\n}\n');
    const error = loadError({ [CONFIG_ENV_VAR]: file });
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain(`${file}:4:3: not valid JSON`);
    expect(error.message).toContain("at line 4, column 3");
  });

  test("Noncompliance: a repeated key and a __proto__ key, which JSON parsing would silently resolve, are errors", () => {
    const text = JSON.stringify(rawConfig({ accessLevel: "read-only" }), null, 2).replace(
      '"accessLevel": "read-only"',
      '"accessLevel": "read-only",\n  "__proto__": {"accessLevel": "full"},\n  "accessLevel": "full"',
    );
    const error = loadError({ [CONFIG_ENV_VAR]: write("repeated.json", text) });
    const lineAt = (offset: number): number => text.slice(0, offset).split("\n").length;
    const line = (needle: string): number => lineAt(text.indexOf(needle));
    expect(error.problems.map((p) => p.message)).toEqual([
      `__proto__ (line ${line("__proto__")}): "__proto__" is not a config key and would be read as the object's prototype; remove it`,
      `accessLevel: appears twice in one object (lines ${line('"accessLevel"')} and ${lineAt(text.lastIndexOf('"accessLevel"'))}); JSON keeps only the last value, so remove one (e.g. keep the line with the value you mean)`,
    ]);
  });

  test("Noncompliance: a key repeated in an object inside a list is named with its index", () => {
    expect(keyProblems('{"humanAccess": {"roleArns": [{"x": 1, "x": 2}]}}').map((p) => p.path)).toEqual([
      "humanAccess.roleArns[0].x",
    ]);
  });

  test("Noncompliance: a key repeated inside a nested object names its path", () => {
    expect(keyProblems('{"bucket": {"name": "a-bucket-name", "name": "another-bucket"}}').map((p) => p.path)).toEqual([
      "bucket.name",
    ]);
    expect(keyProblems('{"bucket": {"name": "x"}, "accessor": {"name": "y"}}')).toEqual([]);
  });

  test("Compliance: a UTF-8 byte-order mark before the JSON is accepted", () => {
    const file = write("bom.json", "\uFEFF" + JSON.stringify(rawConfig()));
    expect(loadConfig({ [CONFIG_ENV_VAR]: file }).bucket.name).toBe(BUCKET_NAME);
  });

  test.each([
    ['{"a": 1,}', 1, 9],
    ['{\n  // comment\n  "a": 1\n}', 2, 3],
    ["{'a': 1}", 1, 2],
    ["", 1, 1],
  ])("Noncompliance: %j is reported at line %d, column %d", (text, line, column) => {
    expect(() => parseConfigJson(text, "f.json")).toThrow(`f.json:${line}:${column}: not valid JSON`);
  });

  test("Noncompliance: top level not an object", () => {
    const file = write("list.json", "[1, 2]");
    const error = loadError({ [CONFIG_ENV_VAR]: file });
    expect(error.problems.map((p) => p.path)).toEqual(["(top level)"]);
    expect(error.message).toContain(`${file}: 1 problem(s) in the configuration:`);
  });

  test("Noncompliance: a valid file with bad values names the file and lists every problem", () => {
    const file = write("bad.json", JSON.stringify(rawConfig({ accessLevel: "x", targetRoleName: "a b" })));
    const error = loadError({ [CONFIG_ENV_VAR]: file });
    expect(error.message.split("\n")).toEqual([
      `${file}: 2 problem(s) in the configuration:`,
      'accessLevel: "x" must be one of "read-only", "read-write", "full" (e.g. "read-only")',
      'targetRoleName: "a b" is not a valid IAM role name: 1 to 64 letters, digits or any of "+=,.@_-" (e.g. "shared-data-reader")',
    ]);
  });
});
