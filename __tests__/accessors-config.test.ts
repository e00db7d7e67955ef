/**
 * The `accessors` list in the config: every rule of the list form, with a case
 * that complies and one that does not, each problem one line with the entry's
 * path, the value, what is expected and an example; the defaults each
 * consumer gets; and the single form read as a list of one.
 */
import { accessorsOf, accessorView } from "../config/accessors";
import { MAX_ACCESSORS } from "../config/accessor-set-rules";
import { findProblems, validateConfig } from "../config/validate";
import type { BackendConfig } from "../config/types";
import { OWNER_ACCOUNT, problemMessages, problemPaths, RawConfig, toConfig, validConfig } from "./helpers/config";
import {
  ARCHIVE_SSO_ROLE,
  CONSUMER_ACCOUNTS,
  consumerEntry,
  LAKE_BUCKET,
  manyConsumersRaw,
  threeConsumers,
} from "./helpers/many-consumers";

/** The three consumers with `changes` applied to entry `index` (undefined values remove the key). */
function withEntry(index: number, changes: RawConfig, base: RawConfig = manyConsumersRaw()): RawConfig {
  const accessors = (base.accessors as RawConfig[]).map((entry, i) => {
    if (i !== index) return entry;
    const changed: RawConfig = { ...entry, ...changes };
    for (const [key, value] of Object.entries(changes)) if (value === undefined) delete changed[key];
    return changed;
  });
  return { ...base, accessors };
}

/** The problem lines about `path` (exactly that path). */
function linesAt(raw: RawConfig, path: string): string[] {
  return validateConfig(raw)
    .problems.filter((p) => p.path === path)
    .map((p) => p.message);
}

describe("a valid list", () => {
  const config = toConfig(manyConsumersRaw());
  const accessors = accessorsOf(config);

  test("validates with no problems", () => {
    expect(findProblems(manyConsumersRaw())).toEqual([]);
  });

  test("gives each consumer its stack, access point and level, in the file's order", () => {
    expect(
      accessors.map((a) => ({
        name: a.name,
        stackId: a.stackId,
        account: a.account.accountId,
        level: a.accessLevel,
        prefix: a.keyPrefix,
        accessPoint: a.accessPoint,
      })),
    ).toEqual([
      {
        name: "analytics",
        stackId: "accessor-analytics",
        account: CONSUMER_ACCOUNTS.analytics,
        level: "read-only",
        prefix: "analytics/",
        accessPoint: {
          name: "analytics",
          arn: `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/analytics`,
          objectsArnBase: `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/analytics/object/`,
        },
      },
      {
        name: "ingest",
        stackId: "accessor-ingest",
        account: CONSUMER_ACCOUNTS.ingest,
        level: "read-write",
        prefix: "incoming/ingest/",
        accessPoint: {
          name: "ingest",
          arn: `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/ingest`,
          objectsArnBase: `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/ingest/object/`,
        },
      },
      {
        name: "archive",
        stackId: "accessor-archive",
        account: CONSUMER_ACCOUNTS.archive,
        level: "full",
        prefix: "archive/",
        accessPoint: {
          name: "archive",
          arn: `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/archive`,
          objectsArnBase: `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/archive/object/`,
        },
      },
    ]);
  });

  test("applies the single form's defaults to each consumer", () => {
    const [analytics, ingest, archive] = accessors;
    expect(analytics?.cliProfileName).toBe("cross-account-s3");
    expect(ingest?.cliProfileName).toBe("lake-ingest");
    expect(analytics?.instance).toMatchObject({ create: true, instanceType: "t3.micro", metadataHopLimit: 1 });
    expect(archive?.instance.create).toBe(false);
    expect(archive?.humanAccess).toEqual({ groupName: undefined, userNames: [], roleArns: [ARCHIVE_SSO_ROLE] });
    expect(accessors.map((a) => a.accessMode)).toEqual(["role-chain", "role-chain", "role-chain"]);
    expect(accessors.map((a) => a.allowPrefixOverlap)).toEqual([false, false, false]);
  });

  test("an accessPointName replaces the name as the access point's", () => {
    const [analytics] = accessorsOf(toConfig(withEntry(0, { accessPointName: "lake-analytics-ap" })));
    expect(analytics?.accessPoint?.arn).toBe(`arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/lake-analytics-ap`);
    expect(analytics?.name).toBe("analytics");
  });

  test("each consumer's view is a complete single-form config that validates on its own", () => {
    for (const accessor of accessors) {
      const view = accessorView(config, accessor);
      expect(view.accessors).toBeUndefined();
      expect(view.accessor).toBe(accessor.account);
      expect(view.bucket).toEqual({
        name: LAKE_BUCKET,
        existing: false,
        encryption: "SSE-S3",
        keyPrefix: accessor.keyPrefix,
      });
      expect(findProblems(view)).toEqual([]);
    }
  });

  test("the top-level single-form fields describe the first consumer", () => {
    expect(config.accessor.accountId).toBe(CONSUMER_ACCOUNTS.analytics);
    expect(config.targetRoleName).toBe("lake-analytics");
    expect(config.bucket.keyPrefix).toBe("analytics/");
  });
});

describe("the single accessor form", () => {
  test("is a list of one named accessor, with the stack id accessor and no access point", () => {
    const config = validConfig({ accessLevel: "read-write", bucket: { keyPrefix: "a/" } });
    expect(config.accessors).toBeUndefined();
    const [only, ...rest] = accessorsOf(config);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      name: "accessor",
      stackId: "accessor",
      account: config.accessor,
      accessLevel: "read-write",
      keyPrefix: "a/",
      accessPoint: undefined,
    });
    expect(accessorView(config, only!)).toBe(config);
  });
});

describe("top-level keys of the single form are invalid with accessors", () => {
  test.each([
    ["accessor", { accountId: "444455556666", region: "eu-west-1" }, "a list replaces the single accessor"],
    ["accessLevel", "read-write", "set it on each consumer (e.g. accessors[0].accessLevel)"],
    ["targetRoleName", "r", "each consumer has its own target role (e.g. accessors[0].targetRoleName)"],
    ["instanceRoleName", "i", "each consumer has its own instance role (e.g. accessors[0].instanceRoleName)"],
    ["cliProfileName", "p", "set it on each consumer (e.g. accessors[0].cliProfileName)"],
    ["instance", { create: false }, "set it on each consumer (e.g. accessors[0].instance)"],
    ["existingInstanceRole", true, "set it on each consumer (e.g. accessors[0].existingInstanceRole)"],
    ["humanAccess", { roleArns: [] }, "set it on each consumer (e.g. accessors[0].humanAccess)"],
    ["accessMode", "direct", "every consumer chains through its own target role and S3 access point"],
  ])("%s", (key, value, expected) => {
    const lines = linesAt(manyConsumersRaw({ [key]: value }), key);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${key}: ${JSON.stringify(value)} cannot be combined with "accessors": `);
    expect(lines[0]).toContain(expected);
  });

  test("bucket.keyPrefix: each consumer has its own", () => {
    expect(linesAt(manyConsumersRaw({ bucket: { name: LAKE_BUCKET, keyPrefix: "x/" } }), "bucket.keyPrefix")).toEqual([
      'bucket.keyPrefix: "x/" cannot be combined with "accessors": each consumer has its own prefix (e.g. accessors[0].keyPrefix)',
    ]);
  });

  test("backend.accessorWorkspace: each consumer's stack has its own workspace", () => {
    const raw = manyConsumersRaw({
      backend: { type: "cloud", organization: "org", bucketOwnerWorkspace: "lake", accessorWorkspace: "x" },
    });
    expect(problemPaths(raw)).toEqual(["backend.accessorWorkspace"]);
    expect(problemMessages(raw)[0]).toContain("accessors[n].backend.workspace");
  });

  test("backend.accessor.key: each consumer's stack has its own key, the rest of backend.accessor is shared", () => {
    const state = { bucket: "unit-test-state" };
    expect(
      problemPaths(manyConsumersRaw({ backend: { type: "s3", bucketOwner: state, accessor: { key: "k" } } })),
    ).toEqual(["backend.accessor.key"]);
    expect(
      findProblems(
        manyConsumersRaw({
          backend: { type: "s3", bucketOwner: state, accessor: { roleArn: "arn:aws:iam::999988887777:role/state" } },
        }),
      ),
    ).toEqual([]);
  });
});

describe("the list itself", () => {
  test.each([
    ["not a list", { name: "x" }],
    ["an empty list", []],
  ])("%s is a problem", (_what, value) => {
    expect(problemMessages(manyConsumersRaw({ accessors: value }))).toEqual([
      `accessors: ${JSON.stringify(value)} must be a list of one or more consumers (e.g. [{"name": "team-a", "accountId": "444455556666", "region": "eu-west-1", "targetRoleName": "team-a-reader", "instanceRoleName": "team-a-instance", "keyPrefix": "team-a/"}]); for a single consumer the "accessor" form works too`,
    ]);
  });

  test("an entry that is not an object", () => {
    expect(linesAt(manyConsumersRaw({ accessors: [threeConsumers()[0], "ingest"] }), "accessors[1]")[0]).toMatch(
      /^accessors\[1\]: "ingest" must be an object, one consumer \(e\.g\. \{"name": "team-a"/,
    );
  });

  test("an unknown key in an entry, with the closest known key", () => {
    expect(linesAt(withEntry(2, { keyprefix: "x/" }), "accessors[2].keyprefix")).toEqual([
      'accessors[2].keyprefix: unknown key; did you mean "keyPrefix"?',
    ]);
  });

  test(`more than ${MAX_ACCESSORS} consumers do not fit IAM's roles quota of the owner account`, () => {
    const many = Array.from({ length: MAX_ACCESSORS + 1 }, (_, i) =>
      consumerEntry(`team-${i}`, "444455556666", { targetRoleName: `lake-${i}`, instanceRoleName: `i-${i}` }),
    );
    expect(linesAt(manyConsumersRaw({ accessors: many }), "accessors")).toEqual([
      `accessors: "${MAX_ACCESSORS + 1} consumers" need ${MAX_ACCESSORS + 1} target roles in the bucket owner account, more than IAM allows in one account (1,000 by default, 5,000 after a quota increase); split the consumers across buckets owned by several accounts`,
    ]);
  });
});

describe("accessors[n].name", () => {
  test.each(["team-a", "abc", "a1-b2", "x".repeat(50)])("%s is a usable name", (name) => {
    expect(linesAt(withEntry(0, { name }), "accessors[0].name")).toEqual([]);
  });

  test("is required", () => {
    expect(linesAt(withEntry(0, { name: undefined }), "accessors[0].name")).toEqual([
      'accessors[0].name: (missing) is required: a string, the consumer\'s short name (e.g. "team-a")',
    ]);
  });

  test.each(["Team-A", "team_a", "1team", "team-", "ab", "x".repeat(51), "team.a"])(
    "%s is not a usable name",
    (name) => {
      expect(linesAt(withEntry(0, { name }), "accessors[0].name")).toEqual([
        `accessors[0].name: ${JSON.stringify(name)} is not a usable consumer name: 3 to 50 lowercase letters, digits or "-", starting with a letter and ending with a letter or digit, because it names the stack (accessor-<name>) and, by default, the S3 access point (e.g. "team-a")`,
      ]);
    },
  );

  test("as the default access point name it follows S3's reserved words; an accessPointName lifts that", () => {
    expect(linesAt(withEntry(0, { name: "team-s3alias" }), "accessors[0].name")).toEqual([
      'accessors[0].name: "team-s3alias" as the default access point name must not end with "-s3alias", which S3 reserves for access point aliases (e.g. "team-a")',
    ]);
    expect(findProblems(withEntry(0, { name: "team-s3alias", accessPointName: "team-ap" }))).toEqual([]);
  });
});

describe("accessors[n].accessPointName", () => {
  test.each(["Team", "a_b", "ab", "-ab", "ab-", "a".repeat(51), "xn--ab", "data-s3alias"])(
    "%s is not valid",
    (name) => {
      const lines = linesAt(withEntry(0, { accessPointName: name }), "accessors[0].accessPointName");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^accessors\\[0\\]\\.accessPointName: ${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")} `,
        ),
      );
    },
  );

  test("a digit may start it", () => {
    expect(findProblems(withEntry(0, { accessPointName: "1lake-analytics" }))).toEqual([]);
  });
});

describe("the single form's rules, at the entry's path", () => {
  test("the account: a misspelt region, and the owner's own account", () => {
    expect(problemMessages(withEntry(1, { region: "eu-wast-1", accountId: OWNER_ACCOUNT }))).toEqual([
      'accessors[1].region: "eu-wast-1" is not a known AWS region; did you mean "eu-west-1"?',
      `accessors[1].accountId: "${OWNER_ACCOUNT}" is the same as bucketOwner.accountId; this project grants access across two different accounts (within one account, an IAM policy on the instance role is enough)`,
    ]);
  });

  test("required fields of an entry", () => {
    expect(
      problemMessages(withEntry(0, { accountId: undefined, targetRoleName: undefined, instanceRoleName: undefined })),
    ).toEqual([
      'accessors[0].accountId: (missing) is required: a string (e.g. "111122223333")',
      'accessors[0].targetRoleName: (missing) is required: a string (e.g. "s3-reader")',
      'accessors[0].instanceRoleName: (missing) is required: a string (e.g. "s3-reader")',
    ]);
  });

  test("references to other fields in a message name the entry's fields; quoted keys stay as written", () => {
    expect(
      problemMessages(
        withEntry(2, {
          existingInstanceRole: true,
          instance: { create: true, amiId: "ami-0123456789abcdef0", amiSsmParameter: "/x" },
          humanAccess: { userNames: ["alice"] },
        }),
      ),
    ).toEqual([
      'accessors[2].instance.amiId: "ami-0123456789abcdef0" cannot be combined with accessors[2].instance.amiSsmParameter; set only one of the two',
      "accessors[2].instance.create: true cannot be true with accessors[2].existingInstanceRole: an existing role has no instance profile here; attach the role to your instance yourself (set accessors[2].instance.create to false)",
      'accessors[2].humanAccess.userNames: ["alice"] needs accessors[2].humanAccess.groupName: users get their sts:AssumeRole permission from that group (e.g. "groupName": "shared-data-readers")',
    ]);
    expect(problemMessages(withEntry(0, { instanceRoleName: "arn:aws:iam::444455556666:role/x/analytics" }))).toEqual([
      'accessors[0].instanceRoleName: "arn:aws:iam::444455556666:role/x/analytics" is a role ARN, which only names an existing role; set "existingInstanceRole": true, or give the name of the role to create (e.g. "analytics")',
    ]);
  });

  test("a person's role ARN must be in the consumer's own account", () => {
    const other = "arn:aws:iam::444455556666:role/analyst";
    expect(problemMessages(withEntry(2, { humanAccess: { roleArns: [other] } }))).toEqual([
      `accessors[2].humanAccess.roleArns[0]: "${other}" is in account 444455556666, but must be in accessors[2].accountId ${CONSUMER_ACCOUNTS.archive} (e.g. "arn:aws:iam::${CONSUMER_ACCOUNTS.archive}:role/deploy")`,
    ]);
  });

  test("a key prefix is checked as bucket.keyPrefix is", () => {
    expect(problemMessages(withEntry(0, { keyPrefix: "/abs" }))).toEqual([
      'accessors[0].keyPrefix: "/abs" is not a usable key prefix: no leading "/", no "*" or "?", no "${" or "%{", no spaces, ending with "/" (e.g. "team-a/")',
    ]);
  });

  test("tags count the instance's Name tag when any consumer creates an instance", () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "v"]));
    expect(problemPaths(manyConsumersRaw({ tags }))).toEqual(["tags"]);
    const noInstances = threeConsumers().map((entry) => ({ ...entry, instance: { create: false } }));
    expect(findProblems(manyConsumersRaw({ tags, accessors: noInstances }))).toEqual([]);
  });
});

describe("names across consumers", () => {
  test("a repeated name", () => {
    expect(linesAt(withEntry(2, { name: "analytics" }), "accessors[2].name")).toEqual([
      'accessors[2].name: "analytics" is already the name of accessors[0]; each consumer needs its own name, which names its stack (accessor-analytics), target role outputs and access point (e.g. "analytics-2")',
    ]);
  });

  test("an access point name another consumer has", () => {
    expect(linesAt(withEntry(2, { accessPointName: "ingest" }), "accessors[2].accessPointName")).toEqual([
      'accessors[2].accessPointName: "ingest" is already the access point name of accessors[1] (its name); access point names are unique in an account and Region, so set accessors[2].accessPointName to another (e.g. "ingest-2")',
    ]);
  });

  test("target roles are all in the owner account, and IAM role names ignore case", () => {
    expect(linesAt(withEntry(1, { targetRoleName: "LAKE-ANALYTICS" }), "accessors[1].targetRoleName")).toEqual([
      'accessors[1].targetRoleName: "LAKE-ANALYTICS" names the same role as accessors[0].targetRoleName (role names are unique in an account regardless of case, and every target role is in the bucket owner account); give each consumer its own target role (e.g. "ingest-reader")',
    ]);
  });

  test("one instance role in one account cannot serve two consumers; in two accounts the name may repeat", () => {
    const shared = withEntry(1, { accountId: CONSUMER_ACCOUNTS.analytics, instanceRoleName: "analytics-instance" });
    expect(linesAt(shared, "accessors[1].instanceRoleName")).toEqual([
      `accessors[1].instanceRoleName: "analytics-instance" is also accessors[0]'s instance role in account ${CONSUMER_ACCOUNTS.analytics}; each consumer's stack writes its instance role's "assume-target-role" policy, so two would overwrite each other; give each consumer its own instance role (e.g. "ingest-instance")`,
    ]);
    expect(findProblems(withEntry(1, { instanceRoleName: "analytics-instance" }))).toEqual([]);
  });

  test("an existing role named by its ARN is the same role as its name", () => {
    const raw = withEntry(1, {
      accountId: CONSUMER_ACCOUNTS.analytics,
      existingInstanceRole: true,
      instanceRoleName: `arn:aws:iam::${CONSUMER_ACCOUNTS.analytics}:role/service-role/analytics-instance`,
    });
    expect(problemPaths(raw)).toEqual(["accessors[1].instanceRoleName"]);
  });

  test("a people group name repeated in one account", () => {
    const group = { groupName: "lake-readers", userNames: ["alice"] };
    const raw = withEntry(
      1,
      { accountId: CONSUMER_ACCOUNTS.analytics, humanAccess: group },
      withEntry(0, { humanAccess: group }),
    );
    expect(problemPaths(raw)).toEqual(["accessors[1].humanAccess.groupName"]);
  });
});

describe("key prefixes across consumers", () => {
  test("disjoint prefixes, even sharing a first part, are fine", () => {
    const raw = withEntry(1, { keyPrefix: "analytics-raw/" });
    expect(findProblems(raw)).toEqual([]);
  });

  test("a prefix inside another's is a problem on the containing consumer", () => {
    expect(problemMessages(withEntry(1, { keyPrefix: "analytics/eu/" }))).toEqual([
      'accessors[0].keyPrefix: "analytics/" contains the prefix of accessors[1] ("analytics/eu/"), so accessors[0] also reaches their data; give the consumers prefixes that do not contain one another (e.g. "team-a/" and "team-b/"), or set accessors[0].allowPrefixOverlap to true if it is meant to reach theirs',
    ]);
  });

  test("a consumer without a prefix contains every other", () => {
    expect(problemMessages(withEntry(2, { keyPrefix: undefined }))).toEqual([
      'accessors[2].keyPrefix: (missing) means the whole bucket, which contains the prefixes of accessors[0] ("analytics/"), accessors[1] ("incoming/ingest/"), so accessors[2] also reaches their data; give the consumers prefixes that do not contain one another (e.g. "team-a/" and "team-b/"), or set accessors[2].allowPrefixOverlap to true if it is meant to reach theirs',
    ]);
  });

  test("allowPrefixOverlap on the containing consumer allows it; on the contained one it does not", () => {
    expect(findProblems(withEntry(2, { keyPrefix: undefined, allowPrefixOverlap: true }))).toEqual([]);
    const nested = withEntry(1, { keyPrefix: "analytics/eu/", allowPrefixOverlap: true });
    expect(problemPaths(nested)).toEqual(["accessors[0].keyPrefix"]);
  });

  test("equal prefixes contain each other: either consumer allowing it is enough", () => {
    const same = withEntry(1, { keyPrefix: "analytics/" });
    expect(problemPaths(same)).toEqual(["accessors[0].keyPrefix"]);
    expect(findProblems(withEntry(1, { allowPrefixOverlap: true }, same))).toEqual([]);
  });

  test("allowPrefixOverlap must be a boolean", () => {
    expect(problemMessages(withEntry(0, { allowPrefixOverlap: "yes" }))).toEqual([
      'accessors[0].allowPrefixOverlap: "yes" must be true or false (e.g. false)',
    ]);
  });

  test("many contained prefixes are listed up to five, then counted", () => {
    const teams = Array.from({ length: 8 }, (_, i) =>
      consumerEntry(`team-${i}`, "444455556666", { targetRoleName: `lake-${i}`, instanceRoleName: `i-${i}` }),
    );
    const whole = consumerEntry("auditor", "444455556666", { keyPrefix: undefined });
    const [line] = problemMessages(manyConsumersRaw({ accessors: [whole, ...teams] }));
    expect(line).toContain('accessors[5] ("team-4/"), and 3 more, so accessors[0] also reaches their data');
  });
});

describe("each consumer's state", () => {
  const s3 = (accessor: RawConfig = {}): RawConfig => ({
    type: "s3",
    bucketOwner: { bucket: "unit-test-state", key: "lake/bucket-owner.tfstate" },
    ...accessor,
  });
  const backendOf = (raw: RawConfig, index: number): BackendConfig => accessorsOf(toConfig(raw))[index]!.backend;

  test("local: a state file per stack, named after it; an entry's backend is a problem", () => {
    const config = toConfig(manyConsumersRaw());
    expect(accessorsOf(config).map((a) => a.backend)).toEqual([
      { type: "local" },
      { type: "local" },
      { type: "local" },
    ]);
    expect(problemMessages(withEntry(0, { backend: { key: "x" } }))).toEqual([
      'accessors[0].backend: {"key":"x"} has nothing to set with the local backend: each stack keeps its state in terraform.<stack id>.tfstate (here terraform.accessor-analytics.tfstate); remove it, or use an "s3" or "cloud" backend',
    ]);
  });

  test("s3: by default beside the owner's state, named after the stack, with backend.accessor's settings", () => {
    const raw = manyConsumersRaw({ backend: s3({ accessor: { roleArn: "arn:aws:iam::999988887777:role/state" } }) });
    expect(backendOf(raw, 1)).toEqual({
      type: "s3",
      bucketOwner: {
        bucket: "unit-test-state",
        key: "lake/bucket-owner.tfstate",
        region: "eu-west-1",
        useLockfile: true,
      },
      accessor: {
        bucket: "unit-test-state",
        key: "lake/accessor-ingest.tfstate",
        region: "eu-west-1",
        roleArn: "arn:aws:iam::999988887777:role/state",
        useLockfile: true,
      },
      ownerStateReaderRoleArn: undefined,
    });
  });

  test("s3: an entry names its own key, settings and owner-state reader", () => {
    const raw = withEntry(
      0,
      {
        backend: {
          key: "teams/analytics.tfstate",
          profile: "analytics-state",
          ownerStateReaderRoleArn: "arn:aws:iam::999988887777:role/owner-reader",
        },
      },
      manyConsumersRaw({ backend: s3() }),
    );
    expect(backendOf(raw, 0)).toMatchObject({
      accessor: { key: "teams/analytics.tfstate", profile: "analytics-state" },
      ownerStateReaderRoleArn: "arn:aws:iam::999988887777:role/owner-reader",
    });
  });

  test("s3: an entry's unknown key, a state without a lock, and a key another stack has", () => {
    const base = manyConsumersRaw({ backend: s3() });
    expect(problemMessages(withEntry(0, { backend: { workspace: "x" } }, base))).toEqual([
      "accessors[0].backend.workspace: unknown key; known keys here: bucket, key, region, profile, roleArn, dynamodbTable, useLockfile, kmsKeyId, ownerStateReaderRoleArn",
    ]);
    expect(problemMessages(withEntry(0, { backend: { useLockfile: false } }, base))).toEqual([
      'accessors[0].backend.useLockfile: false leaves this state without a lock, so two deploys at once can corrupt it; keep true (the default, Terraform >= 1.10) or set dynamodbTable (e.g. "terraform-locks")',
    ]);
    expect(problemMessages(withEntry(2, { backend: { key: "lake/accessor-ingest.tfstate" } }, base))).toEqual([
      'accessors[2].backend.key: "lake/accessor-ingest.tfstate" is accessors[1]\'s state too; each consumer\'s stack needs its own, so that deploying or destroying one never touches another (e.g. "lake/accessor-archive.tfstate")',
    ]);
    expect(problemMessages(withEntry(0, { backend: { key: "lake/bucket-owner.tfstate" } }, base))).toEqual([
      'accessors[0].backend.key: "lake/bucket-owner.tfstate" is the bucket owner stack\'s state too; each stack needs its own (e.g. "lake/accessor-analytics.tfstate")',
    ]);
  });

  test("cloud: a workspace per stack, by default the owner's followed by the stack id", () => {
    const cloud = { type: "cloud", organization: "unit-test-org", bucketOwnerWorkspace: "lake-owner" };
    const raw = withEntry(2, { backend: { workspace: "archive-ws" } }, manyConsumersRaw({ backend: cloud }));
    const config = toConfig(raw);
    expect(accessorsOf(config).map((a) => a.backend.type === "cloud" && a.backend.accessorWorkspace)).toEqual([
      "lake-owner-accessor-analytics",
      "lake-owner-accessor-ingest",
      "archive-ws",
    ]);
    expect(problemMessages(withEntry(1, { backend: { workspace: "archive-ws" } }, raw))).toEqual([
      'accessors[2].backend.workspace: "archive-ws" is accessors[1]\'s state too; each consumer\'s stack needs its own, so that deploying or destroying one never touches another (e.g. "lake-owner-accessor-archive")',
    ]);
    expect(problemMessages(withEntry(1, { backend: { workspace: "bad name" } }, raw))).toEqual([
      'accessors[1].backend.workspace: "bad name" is not an HCP Terraform workspace name: 1 to 90 letters, digits, "-" or "_" (e.g. "shared-data-prod")',
    ]);
  });

  test("cloud: a default workspace longer than HCP Terraform allows is a problem on the name", () => {
    const cloud = { type: "cloud", organization: "unit-test-org", bucketOwnerWorkspace: "w".repeat(60) };
    const lines = problemMessages(
      withEntry(0, { name: "a-rather-long-consumer-name" }, manyConsumersRaw({ backend: cloud })),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^accessors\[0\]\.name: "a-rather-long-consumer-name" makes the default workspace "w{60}-accessor-a-rather-long-consumer-name", 97 characters, more than the 90 HCP Terraform allows; use a shorter name or set accessors\[0\]\.backend\.workspace/,
    );
  });
});

describe("all problems at once", () => {
  test("one line each, every line starting with its path", () => {
    const raw = manyConsumersRaw({
      accessLevel: "full",
      accessors: [
        consumerEntry("analytics", CONSUMER_ACCOUNTS.analytics, { region: "mars-1" }),
        consumerEntry("analytics", CONSUMER_ACCOUNTS.ingest, { keyPrefix: "analytics/x/", accessLevel: "admin" }),
        consumerEntry("Bad", CONSUMER_ACCOUNTS.archive, { targetRoleName: "lake-analytics" }),
      ],
    });
    const problems = validateConfig(raw).problems;
    expect(problems.map((p) => p.path)).toEqual([
      "accessLevel",
      "accessors[0].region",
      "accessors[1].accessLevel",
      "accessors[2].name",
      "accessors[1].name",
      "accessors[1].targetRoleName",
      "accessors[2].targetRoleName",
      "accessors[0].keyPrefix",
    ]);
    for (const p of problems) {
      expect(p.message.startsWith(`${p.path}: `)).toBe(true);
      expect(p.message).not.toContain("\n");
    }
  });
});
