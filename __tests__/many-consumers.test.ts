/**
 * Three consumers of one bucket, each at its own level on its own prefix, as
 * the `accessors` form synthesizes them: per resource, the trust policies,
 * identity policies, access point policies, the bucket and key policies, the
 * outputs, the providers and the backends. And what makes it scale: the shared
 * resources do not change when a consumer is added or removed, and no policy
 * grows with the number of consumers.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import * as path from "node:path";
import { Testing } from "cdktf";
import type { IConstruct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { CrossAccountConfig } from "../config/types";
import { addStacks } from "../stacks/app-stacks";
import { OWNER_ACCOUNT, RawConfig, toConfig } from "./helpers/config";
import {
  ARCHIVE_SSO_ROLE,
  CONSUMER_ACCOUNTS,
  consumerEntry,
  LAKE_BUCKET,
  manyConsumersRaw,
  SynthesizedStacks,
  synthStacks,
  threeConsumers,
} from "./helpers/many-consumers";
import { LEVEL_ACTIONS, parsePolicy, ParsedStatement } from "./helpers/policy";
import { dataSourcesOf, resourcesOf, TfJson } from "./helpers/synth";
import { loadExample } from "./helpers/org-configs";

const BUCKET_ARN = `arn:aws:s3:::${LAKE_BUCKET}`;
const apArn = (name: string): string => `arn:aws:s3:eu-west-1:${OWNER_ACCOUNT}:accesspoint/${name}`;
const roleArn = (account: string, name: string): string => `arn:aws:iam::${account}:role/${name}`;
const remoteOutput = (name: string): string => `\${data.terraform_remote_state.bucket_owner_state.outputs.${name}}`;

/** Every consumer's own facts, written out from the config in helpers/many-consumers.ts. */
const CONSUMERS = [
  { name: "analytics", account: CONSUMER_ACCOUNTS.analytics, level: "read-only", prefix: "analytics/" },
  { name: "ingest", account: CONSUMER_ACCOUNTS.ingest, level: "read-write", prefix: "incoming/ingest/" },
  { name: "archive", account: CONSUMER_ACCOUNTS.archive, level: "full", prefix: "archive/" },
] as const;

function resource(json: TfJson, type: string, name: string): Record<string, unknown> {
  const found = resourcesOf(json, type)[name];
  if (found === undefined) throw new Error(`no ${type}.${name}`);
  return found;
}

function outputValue(json: TfJson, name: string): unknown {
  const output = json.output?.[name];
  if (output === undefined) throw new Error(`no output ${name}`);
  return output.value;
}

/** A JSON tree without cdktf's "//" metadata, to compare resources across synths. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== "//")
      .map(([key, inner]) => [key, withoutMetadata(inner)]),
  );
}

/** The resources of a stack whose address does not start with one of `consumerNames`. */
function sharedResources(json: TfJson, consumerNames: readonly string[]): Record<string, unknown> {
  const shared: Record<string, unknown> = {};
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      if (!consumerNames.some((consumer) => name.startsWith(`${consumer.replace(/-/g, "_")}_`))) {
        shared[`${type}.${name}`] = withoutMetadata(body);
      }
    }
  }
  return shared;
}

/** The resources of one consumer in the owner stack. */
function consumerResources(json: TfJson, consumer: string): Record<string, unknown> {
  const prefix = `${consumer.replace(/-/g, "_")}_`;
  const own: Record<string, unknown> = {};
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      if (name.startsWith(prefix)) own[`${type}.${name}`] = withoutMetadata(body);
    }
  }
  return own;
}

const config = toConfig(manyConsumersRaw());
let synth: SynthesizedStacks;
beforeAll(() => {
  synth = synthStacks(config);
}, 120_000);
const owner = (): TfJson => synth.owner.json;
const accessor = (name: string): TfJson => {
  const found = synth.accessors.get(`accessor-${name}`);
  if (found === undefined) throw new Error(`no stack accessor-${name}`);
  return found.json;
};

describe("stacks", () => {
  test("the owner stack and one accessor stack per consumer, named after it", () => {
    expect([synth.owner.stack.node.id, ...synth.accessors.keys()]).toEqual([
      "bucket-owner",
      "accessor-analytics",
      "accessor-ingest",
      "accessor-archive",
    ]);
  });

  test("each stack's aliased provider is pinned to its own account and region", () => {
    expect(synth.owner.synth).toHaveProviderWithProperties(AwsProvider, {
      alias: "bucket_owner",
      region: "eu-west-1",
      allowed_account_ids: [OWNER_ACCOUNT],
    });
    for (const consumer of CONSUMERS) {
      expect(synth.accessors.get(`accessor-${consumer.name}`)?.synth).toHaveProviderWithProperties(AwsProvider, {
        alias: "accessor",
        region: consumer.name === "ingest" ? "eu-central-1" : "eu-west-1",
        allowed_account_ids: [consumer.account],
      });
    }
  });

  test("each consumer stack depends on the owner stack only", () => {
    for (const stack of synth.accessors.values()) {
      expect(stack.stack.dependencies.map((d) => d.node.id)).toEqual(["bucket-owner"]);
    }
  });

  test("every stack passes every policy rule", () => {
    const app = Testing.app();
    const { owner: ownerStack, accessors } = addStacks(app, config);
    const annotations = [ownerStack, ...accessors].flatMap((stack): string[] => {
      Testing.synth(stack);
      return stack.node
        .findAll()
        .flatMap((c: IConstruct) =>
          c.node.metadata.filter((m) => m.type.startsWith("@cdktf/")).map((m) => `${c.node.path}: ${String(m.data)}`),
        );
    });
    expect(annotations).toEqual([]);
  });
});

describe("the bucket policy: TLS only, and one delegation to the owner's access points", () => {
  test("has exactly the TLS deny and the delegation statement", () => {
    const policy = parsePolicy(resource(owner(), "aws_s3_bucket_policy", "bucket_policy").policy);
    expect(policy.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
        Condition: { Bool: { "aws:SecureTransport": false } },
      },
      {
        Sid: "DelegateToOwnAccessPoints",
        Effect: "Allow",
        Principal: "*",
        Action: [...LEVEL_ACTIONS.full.bucket, ...LEVEL_ACTIONS.full.object],
        Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
        Condition: { StringEquals: { "s3:DataAccessPointAccount": OWNER_ACCOUNT } },
      },
    ]);
  });

  test("names no consumer, and waits only for the bucket's own settings", () => {
    const policy = resource(owner(), "aws_s3_bucket_policy", "bucket_policy");
    expect(policy.depends_on).toEqual([
      "aws_s3_bucket.bucket",
      "aws_s3_bucket_public_access_block.bucket_public_access_block",
      "aws_s3_bucket_ownership_controls.bucket_ownership_controls",
    ]);
    for (const consumer of CONSUMERS) expect(String(policy.policy)).not.toContain(consumer.account);
  });
});

describe.each(CONSUMERS)("consumer $name ($level on $prefix)", ({ name, account, level, prefix }) => {
  const actions = LEVEL_ACTIONS[level];
  const listing = actions.bucket.filter((a) => a === "s3:ListBucket" || a === "s3:ListBucketVersions");
  const targetRoleArn = roleArn(OWNER_ACCOUNT, `lake-${name}`);
  /** The access grant on `arn`, objects under `objectsBase`: what the identity and access point policies both say. */
  const grant = (principal?: unknown): ParsedStatement[] =>
    [
      { Sid: "BucketLocation", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: apArn(name) },
      {
        Sid: "ListKeyPrefix",
        Effect: "Allow",
        Action: listing,
        Resource: apArn(name),
        Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}*`] } },
      },
      {
        Sid: "ObjectLevelAccess",
        Effect: "Allow",
        Action: actions.object,
        Resource: `${apArn(name)}/object/${prefix}*`,
      },
    ].map((statement) => {
      if (principal === undefined) return statement;
      const { Sid, Effect, Action, Resource, Condition } = statement as ParsedStatement;
      return Condition === undefined
        ? { Sid, Effect, Principal: principal, Action, Resource }
        : { Sid, Effect, Principal: principal, Action, Resource, Condition };
    });

  test("its target role trusts its account root narrowed to its instance role (and its people), nothing else", () => {
    const role = resource(owner(), "aws_iam_role", `${name}_target_role`);
    expect(role.name).toBe(`lake-${name}`);
    expect(role.max_session_duration).toBe(3600);
    const trusted =
      name === "archive"
        ? [roleArn(account, `${name}-instance`), ARCHIVE_SSO_ROLE]
        : roleArn(account, `${name}-instance`);
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      {
        Sid: "AssumeFromAccessorPrincipals",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "sts:AssumeRole",
        Condition: { ArnEquals: { "aws:PrincipalArn": trusted } },
      },
    ]);
  });

  test("its target role's identity policy names its access point's ARNs, never the bucket's", () => {
    const policy = resource(owner(), "aws_iam_role_policy", `${name}_target_role_s3_access`);
    expect(policy.role).toBe(`\${aws_iam_role.${name}_target_role.name}`);
    expect(parsePolicy(policy.policy).Statement).toEqual(grant());
    expect(String(policy.policy)).not.toContain(BUCKET_ARN);
  });

  test("its access point: in the owner account, on the bucket, every public access setting on, Internet origin", () => {
    const ap = resource(owner(), "aws_s3_access_point", `${name}_access_point`);
    expect(withoutMetadata(ap)).toEqual({
      name,
      bucket: LAKE_BUCKET,
      account_id: OWNER_ACCOUNT,
      provider: "aws.bucket_owner",
      public_access_block_configuration: {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
      depends_on: [
        "aws_s3_bucket.bucket",
        "aws_s3_bucket_public_access_block.bucket_public_access_block",
        "aws_s3_bucket_ownership_controls.bucket_ownership_controls",
      ],
    });
  });

  test("its access point policy grants its target role alone its level on its prefix", () => {
    const policy = resource(owner(), "aws_s3control_access_point_policy", `${name}_access_point_policy`);
    expect(policy.access_point_arn).toBe(`\${aws_s3_access_point.${name}_access_point.arn}`);
    expect(policy.depends_on).toEqual([`aws_iam_role.${name}_target_role`]);
    expect(parsePolicy(policy.policy).Statement).toEqual(grant({ AWS: targetRoleArn }));
  });

  test("the owner stack outputs its role and access point under its name", () => {
    expect(outputValue(owner(), `${name}_target_role_arn`)).toBe(`\${aws_iam_role.${name}_target_role.arn}`);
    expect(outputValue(owner(), `${name}_access_point_arn`)).toBe(apArn(name));
    expect(outputValue(owner(), `${name}_access_point_alias`)).toBe(
      `\${aws_s3_access_point.${name}_access_point.alias}`,
    );
  });

  test("its stack keeps its own local state and reads the owner's", () => {
    const json = accessor(name);
    const ownPath = (json.terraform?.backend as { local: { path: string } }).local.path;
    expect(ownPath).toBe(`../../../terraform.accessor-${name}.tfstate`);
    expect(withoutMetadata(dataSourcesOf(json, "terraform_remote_state").bucket_owner_state)).toEqual({
      backend: "local",
      config: { path: "../../../terraform.bucket-owner.tfstate" },
    });
    const stacks = "/checkout/cdktf.out/stacks";
    expect(path.resolve(stacks, `accessor-${name}`, "../../../terraform.bucket-owner.tfstate")).toBe(
      path.resolve(stacks, "bucket-owner", (owner().terraform?.backend as { local: { path: string } }).local.path),
    );
  });

  test("its stack reads only its own outputs from the owner's state", () => {
    const text = JSON.stringify(accessor(name));
    const read = [...text.matchAll(/bucket_owner_state\.outputs\.(\w+)/g)].map((m) => m[1]);
    expect(new Set(read)).toEqual(new Set([`${name}_target_role_arn`, `${name}_access_point_alias`]));
  });

  test("its instance role may assume exactly its target role", () => {
    const policy = resource(accessor(name), "aws_iam_role_policy", "instance_role_assume_target_role");
    expect(parsePolicy(policy.policy).Statement).toEqual([
      {
        Sid: "AssumeTargetRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: remoteOutput(`${name}_target_role_arn`),
      },
    ]);
  });

  test("its outputs say where the bucket is: the access point alias and ARN, in the verify commands too", () => {
    const json = accessor(name);
    const profile = name === "ingest" ? "lake-ingest" : "cross-account-s3";
    const alias = remoteOutput(`${name}_access_point_alias`);
    expect(outputValue(json, "access_point_arn")).toBe(apArn(name));
    expect(outputValue(json, "access_point_alias")).toBe(alias);
    expect(outputValue(json, "verify_commands")).toEqual([
      `aws sts get-caller-identity --profile ${profile}`,
      `aws s3 ls s3://${alias}/${prefix} --profile ${profile}`,
    ]);
    expect(outputValue(json, "cli_profile")).toBe(
      [
        `[profile ${profile}]`,
        `# The bucket is reached through S3 access point ${apArn(name)}:`,
        `# use s3://${alias}/${prefix} (its alias stands in for the bucket name).`,
        `role_arn = ${remoteOutput(`${name}_target_role_arn`)}`,
        "credential_source = Ec2InstanceMetadata",
        `role_session_name = ${name}-instance`,
        "region = eu-west-1",
        "",
      ].join("\n"),
    );
  });
});

describe("instances", () => {
  test("a consumer with an instance writes its profile, naming its access point, in user data", () => {
    const instance = resource(accessor("analytics"), "aws_instance", "instance");
    expect(instance.user_data).toContain(`# The bucket is reached through S3 access point ${apArn("analytics")}:\n`);
    expect(instance.user_data).toContain(`role_arn = ${remoteOutput("analytics_target_role_arn")}\n`);
  });

  test("a consumer without one gets its role and profile only", () => {
    const json = accessor("archive");
    expect(resourcesOf(json, "aws_instance")).toEqual({});
    expect(outputValue(json, "instance_profile_name")).toBe("${aws_iam_instance_profile.instance_profile.name}");
  });
});

describe("adding or removing a consumer", () => {
  const [analytics, ingest, archive] = threeConsumers();
  const twoConsumers = toConfig(manyConsumersRaw({ accessors: [analytics, archive] }));
  const fourConsumers = toConfig(
    manyConsumersRaw({
      accessors: [analytics, ingest, archive, consumerEntry("audit", "555566667777", { keyPrefix: "audit/" })],
    }),
  );
  let two: SynthesizedStacks;
  let four: SynthesizedStacks;
  beforeAll(() => {
    two = synthStacks(twoConsumers);
    four = synthStacks(fourConsumers);
  }, 120_000);

  test("changes none of the owner's shared resources: bucket, its settings and policy", () => {
    const shared = sharedResources(owner(), ["analytics", "ingest", "archive"]);
    expect(Object.keys(shared).sort()).toEqual([
      "aws_s3_bucket.bucket",
      "aws_s3_bucket_ownership_controls.bucket_ownership_controls",
      "aws_s3_bucket_policy.bucket_policy",
      "aws_s3_bucket_public_access_block.bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration.bucket_encryption",
      "aws_s3_bucket_versioning.bucket_versioning",
    ]);
    expect(sharedResources(two.owner.json, ["analytics", "archive"])).toEqual(shared);
    expect(sharedResources(four.owner.json, ["analytics", "ingest", "archive", "audit"])).toEqual(shared);
  });

  test("changes nothing of another consumer: its owner resources and its own stack", () => {
    for (const other of ["analytics", "archive"]) {
      expect(consumerResources(two.owner.json, other)).toEqual(consumerResources(owner(), other));
      expect(consumerResources(four.owner.json, other)).toEqual(consumerResources(owner(), other));
      expect(two.accessors.get(`accessor-${other}`)?.synth).toBe(synth.accessors.get(`accessor-${other}`)?.synth);
      expect(four.accessors.get(`accessor-${other}`)?.synth).toBe(synth.accessors.get(`accessor-${other}`)?.synth);
    }
  });

  test("a removed consumer's resources, outputs and stack are gone; an added one's appear", () => {
    expect(consumerResources(two.owner.json, "ingest")).toEqual({});
    expect(Object.keys(two.owner.json.output ?? {}).filter((o) => o.startsWith("ingest_"))).toEqual([]);
    expect([...two.accessors.keys()]).toEqual(["accessor-analytics", "accessor-archive"]);
    expect(Object.keys(consumerResources(four.owner.json, "audit")).sort()).toEqual([
      "aws_iam_role.audit_target_role",
      "aws_iam_role_policy.audit_target_role_s3_access",
      "aws_s3_access_point.audit_access_point",
      "aws_s3control_access_point_policy.audit_access_point_policy",
    ]);
  });
});

describe("a consumer of the whole bucket", () => {
  test("keeps to its access point: its policies name the access point's ARN and every object under it", () => {
    const auditor = consumerEntry("auditor", "555566667777", { keyPrefix: undefined, allowPrefixOverlap: true });
    delete auditor.keyPrefix;
    const stacks = synthStacks(toConfig(manyConsumersRaw({ accessors: [auditor, ...threeConsumers()] })));
    const expected = [
      {
        Sid: "BucketLevelAccess",
        Effect: "Allow",
        Action: LEVEL_ACTIONS["read-only"].bucket,
        Resource: apArn("auditor"),
      },
      {
        Sid: "ObjectLevelAccess",
        Effect: "Allow",
        Action: LEVEL_ACTIONS["read-only"].object,
        Resource: `${apArn("auditor")}/object/*`,
      },
    ];
    const identity = resource(stacks.owner.json, "aws_iam_role_policy", "auditor_target_role_s3_access").policy;
    expect(parsePolicy(identity).Statement).toEqual(expected);
    const accessPoint = resource(stacks.owner.json, "aws_s3control_access_point_policy", "auditor_access_point_policy");
    const principal = { AWS: roleArn(OWNER_ACCOUNT, "lake-auditor") };
    expect(parsePolicy(accessPoint.policy).Statement).toEqual(expected.map((st) => ({ ...st, Principal: principal })));
    expect(outputValue(stacks.accessors.get("accessor-auditor")!.json, "verify_commands")).toEqual([
      "aws sts get-caller-identity --profile cross-account-s3",
      `aws s3 ls s3://${remoteOutput("auditor_access_point_alias")} --profile cross-account-s3`,
    ]);
  });
});

describe("SSE-KMS", () => {
  const kms = (accessors: RawConfig[]): CrossAccountConfig =>
    toConfig(manyConsumersRaw({ bucket: { name: LAKE_BUCKET, encryption: "SSE-KMS" }, accessors }));
  let three: SynthesizedStacks;
  let one: SynthesizedStacks;
  beforeAll(() => {
    three = synthStacks(kms(threeConsumers()));
    one = synthStacks(kms(threeConsumers().slice(0, 1)));
  }, 120_000);

  test("the key policy names only the owner account, the same for one consumer as for three", () => {
    const policy = resource(three.owner.json, "aws_kms_key", "bucket_key").policy;
    expect(parsePolicy(policy).Statement).toEqual([
      {
        Sid: "OwnerAccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ]);
    expect(resource(one.owner.json, "aws_kms_key", "bucket_key").policy).toBe(policy);
  });

  test.each(CONSUMERS)("the $name target role may use the key only through S3, at its level", ({ name, level }) => {
    const policy = resource(three.owner.json, "aws_iam_role_policy", `${name}_target_role_kms_use`);
    expect(parsePolicy(policy.policy).Statement).toEqual([
      {
        Sid: "UseBucketKeyThroughS3",
        Effect: "Allow",
        Action: level === "read-only" ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "${aws_kms_key.bucket_key.arn}",
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
      },
    ]);
  });
});

describe("an existing bucket", () => {
  let existing: SynthesizedStacks;
  beforeAll(() => {
    existing = synthStacks(toConfig(manyConsumersRaw({ bucket: { name: LAKE_BUCKET, existing: true } })));
  }, 120_000);

  test("gets access points but no bucket resources, and the delegation to merge as an output", () => {
    const json = existing.owner.json;
    expect(Object.keys(json.resource ?? {}).sort()).toEqual([
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_s3_access_point",
      "aws_s3control_access_point_policy",
    ]);
    expect(resource(json, "aws_s3_access_point", "ingest_access_point").depends_on).toBeUndefined();
    expect(outputValue(json, "bucket_policy_statements")).toBe(
      resource(owner(), "aws_s3_bucket_policy", "bucket_policy").policy,
    );
  });
});

describe("state backends, one per stack", () => {
  const state = { bucket: "unit-test-state", key: "lake/bucket-owner.tfstate", region: "eu-west-1" };

  test("s3: each consumer's own key beside the owner's, read with its own credentials", () => {
    const raw = manyConsumersRaw({
      backend: {
        type: "s3",
        bucketOwner: state,
        accessor: { roleArn: "arn:aws:iam::999988887777:role/consumer-state" },
        ownerStateReaderRoleArn: "arn:aws:iam::999988887777:role/owner-reader",
      },
    });
    const stacks = synthStacks(toConfig(raw));
    expect(stacks.owner.json.terraform?.backend).toEqual({
      s3: { ...state, encrypt: true, use_lockfile: true },
    });
    for (const { name } of CONSUMERS) {
      const json = stacks.accessors.get(`accessor-${name}`)!.json;
      expect(json.terraform?.backend).toEqual({
        s3: {
          bucket: "unit-test-state",
          key: `lake/accessor-${name}.tfstate`,
          region: "eu-west-1",
          encrypt: true,
          use_lockfile: true,
          assume_role: { role_arn: "arn:aws:iam::999988887777:role/consumer-state" },
        },
      });
      expect(withoutMetadata(dataSourcesOf(json, "terraform_remote_state").bucket_owner_state)).toEqual({
        backend: "s3",
        config: { ...state, encrypt: true, assume_role: { role_arn: "arn:aws:iam::999988887777:role/owner-reader" } },
      });
    }
  });

  test("cloud: a workspace per stack; each consumer reads the owner's workspace", () => {
    const raw = manyConsumersRaw({
      backend: { type: "cloud", organization: "unit-test-org", bucketOwnerWorkspace: "lake-owner" },
    });
    const stacks = synthStacks(toConfig(raw));
    expect(stacks.owner.json.terraform).toMatchObject({
      cloud: { organization: "unit-test-org", hostname: "app.terraform.io", workspaces: { name: "lake-owner" } },
    });
    for (const { name } of CONSUMERS) {
      const json = stacks.accessors.get(`accessor-${name}`)!.json;
      expect(json.terraform).toMatchObject({
        cloud: { organization: "unit-test-org", workspaces: { name: `lake-owner-accessor-${name}` } },
      });
      expect(withoutMetadata(dataSourcesOf(json, "terraform_remote_state").bucket_owner_state)).toEqual({
        backend: "remote",
        config: { organization: "unit-test-org", hostname: "app.terraform.io", workspaces: { name: "lake-owner" } },
      });
    }
  });
});

describe("examples/many-consumers.json", () => {
  test("synthesizes the owner and three consumer stacks, each pinned to its account", () => {
    const stacks = synthStacks(loadExample("many-consumers"));
    expect([...stacks.accessors.keys()]).toEqual(["accessor-analytics", "accessor-ingest", "accessor-archive"]);
    expect(Object.keys(resourcesOf(stacks.owner.json, "aws_s3_access_point")).sort()).toEqual([
      "analytics_access_point",
      "archive_access_point",
      "ingest_access_point",
    ]);
    const accounts = { analytics: "444455556666", ingest: "777788889999", archive: "222233334444" };
    for (const [name, account] of Object.entries(accounts)) {
      expect(stacks.accessors.get(`accessor-${name}`)?.synth).toHaveProviderWithProperties(AwsProvider, {
        alias: "accessor",
        allowed_account_ids: [account],
      });
    }
  });
});
