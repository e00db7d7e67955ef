/**
 * The questions the report answers, as requests for the IAM evaluator: who
 * (a principal with its identity policies), does what, to which resource
 * (with its resource policy), and what the configured access level says the
 * answer must be. Each request carries the context keys AWS would set and the
 * evaluator needs: aws:PrincipalArn (the trust policy's ArnEquals matches it),
 * aws:PrincipalAccount, aws:PrincipalType and aws:SecureTransport (the bucket
 * policy's TLS deny matches it).
 */
import type { AccessModel, BucketModel, NamedPolicy, RoleModel } from "./access-model";
import { AccessExpectations, KMS_PROBES, partitionOfAccount, S3_PROBES } from "./expectations";
import type { PolicyJson, StatementJson } from "./policy-json";
import { dnsSuffixOf } from "../config/regions";

export type Decision = "Allowed" | "Denied";

/** A principal ARN, or "anonymous" for an unsigned request. */
export type RequestPrincipal = string;

export interface ScenarioRequest {
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource (S3 ARNs carry none). */
  readonly resourceAccount: string;
  readonly context: Readonly<Record<string, string | string[]>>;
}

export interface Scenario {
  /** Stable id, e.g. "bucket/get"; tests and JSON consumers key on it. */
  readonly id: string;
  readonly group: string;
  /** The question in words. */
  readonly question: string;
  /** Short names for the table. */
  readonly principalLabel: string;
  readonly resourceLabel: string;
  readonly expected: Decision;
  readonly expectedBecause: string;
  readonly request: ScenarioRequest;
  readonly identityPolicies: readonly NamedPolicy[];
  /** The resource's policy (trust policy of a role, bucket policy); undefined when it has none. */
  readonly resourcePolicy?: NamedPolicy;
}

/** An identity policy that allows everything: what an administrator of another account holds. */
const ADMINISTRATOR: NamedPolicy = {
  name: "AdministratorAccess (assumed)",
  source: "(assumed for the check)",
  document: {
    Version: "2012-10-17",
    Statement: [{ Sid: "AdministratorAccess", Effect: "Allow", Action: "*", Resource: "*" }],
  },
};

/** A trust policy that trusts a whole account, as another role might: only the caller's identity policy can then refuse. */
function trustsAccount(partition: string, accountId: string): NamedPolicy {
  const document: PolicyJson = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TrustsTheAccount",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "sts:AssumeRole",
      },
    ],
  };
  return { name: `trust policy trusting account ${accountId} (assumed)`, source: "(assumed for the check)", document };
}

interface Caller {
  readonly label: string;
  readonly principal: RequestPrincipal;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly context: Readonly<Record<string, string>>;
}

/** A session of a role. aws:PrincipalArn is the role's ARN with its path; the session ARN has no path. */
function roleCaller(label: string, roleArn: string, sessionName: string, policies: readonly NamedPolicy[]): Caller {
  const [, partition = "aws", , , accountId = "", resource = ""] = roleArn.split(":");
  const roleName = resource.split("/").pop() ?? resource;
  return {
    label,
    principal: `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    identityPolicies: policies,
    context: {
      "aws:PrincipalArn": roleArn,
      "aws:PrincipalAccount": accountId,
      "aws:PrincipalType": "AssumedRole",
      "aws:SecureTransport": "true",
    },
  };
}

const ANONYMOUS: Caller = {
  label: "anonymous",
  principal: "anonymous",
  identityPolicies: [],
  context: { "aws:SecureTransport": "true" },
};

/** An account id that is neither of the two, for "a third account". */
function thirdAccount(expectations: AccessExpectations): string {
  const taken = [expectations.bucketOwner.accountId, expectations.accessor.accountId];
  return ["999999999999", "888888888888"].find((id) => !taken.includes(id)) ?? "999999999999";
}

/** An IAM user calling with its own (long-term) credentials. */
function userCaller(label: string, userArn: string, policies: readonly NamedPolicy[]): Caller {
  const accountId = userArn.split(":")[4] ?? "";
  return {
    label,
    principal: userArn,
    identityPolicies: policies,
    context: {
      "aws:PrincipalArn": userArn,
      "aws:PrincipalAccount": accountId,
      "aws:PrincipalType": "User",
      "aws:SecureTransport": "true",
    },
  };
}

/** What a person's own policies (outside the app) are assumed to allow: assuming the target role. */
function assumedAssumePermission(targetRoleArn: string): NamedPolicy {
  return {
    name: "(assumed) own policies allow sts:AssumeRole",
    source: "(outside the app)",
    document: {
      Version: "2012-10-17",
      Statement: [
        { Sid: "AssumedAllowAssumeTargetRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: targetRoleArn },
      ],
    },
  };
}

/** The statement every key policy starts with unless changed: the owner account's IAM policies govern the key. */
function defaultKeyPolicyStatement(partition: string, ownerAccountId: string): StatementJson {
  return {
    Sid: "DefaultKeyPolicyOwnerAccount",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${ownerAccountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

interface Located {
  readonly instanceRole: RoleModel;
  readonly targetRole?: RoleModel;
  readonly bucket: BucketModel;
  readonly bucketPolicy?: NamedPolicy;
  readonly key?: { readonly arn: string; readonly policy?: NamedPolicy };
}

/** Finds the model parts the expectations name; a missing part becomes a problem and an empty stand-in. */
function locate(model: AccessModel, expectations: AccessExpectations, problems: string[], notes: string[]): Located {
  const owner = expectations.bucketOwner.accountId;
  const ownerPartition = partitionOfAccount(expectations.bucketOwner);
  const role = (name: string, account: AccessExpectations["accessor"], what: string): RoleModel => {
    const found = model.roles.find((r) => r.name === name && r.accountId === account.accountId);
    if (found !== undefined) return found;
    problems.push(
      `no role named "${name}" in account ${account.accountId} (${what}) in the synth output; was it synthesized from another config?`,
    );
    const arn = `arn:${partitionOfAccount(account)}:iam::${account.accountId}:role/${name}`;
    return {
      stackId: "?",
      address: "?",
      name,
      arn,
      accountId: account.accountId,
      identityPolicies: [],
      externalPolicyArns: [],
    };
  };
  const instanceRole = role(expectations.instanceRoleName, expectations.accessor, "the accessor's instance role");
  const targetRole =
    expectations.accessMode === "role-chain"
      ? role(expectations.targetRoleName, expectations.bucketOwner, "the bucket owner's target role")
      : undefined;

  const bucket: BucketModel = model.buckets.find((b) => b.name === expectations.bucketName) ?? {
    name: expectations.bucketName,
    arn: `arn:${ownerPartition}:s3:::${expectations.bucketName}`,
    accountId: owner,
  };
  let bucketPolicy = bucket.policy;
  if (bucketPolicy === undefined) {
    const toMerge = model.outputPolicies.find((o) => /bucket_policy/.test(o.output));
    if (expectations.existingBucket && toMerge !== undefined) {
      bucketPolicy = { ...toMerge.policy, name: `bucket policy (${toMerge.output}, once merged)` };
      notes.push(
        `The bucket exists already and its policy is not in the app: the checks use the statements of output "${toMerge.output}" as if they were merged into it.`,
      );
    } else {
      problems.push(`bucket "${bucket.name}" has no bucket policy in the synth output`);
    }
  }

  let key: Located["key"];
  if (expectations.kms !== undefined) {
    const created = model.kmsKeys.find((k) => k.accountId === owner);
    const keyArn = expectations.kms.keyArn ?? created?.arn;
    if (keyArn === undefined) {
      problems.push(`the bucket uses SSE-KMS but the synth output has no KMS key in account ${owner}`);
    } else if (created?.policy !== undefined && expectations.kms.keyArn === undefined) {
      key = { arn: keyArn, policy: created.policy };
    } else {
      // An existing key's policy is not in the app: assume AWS's default key policy, plus any statements the owner outputs to merge.
      const toMerge = model.outputPolicies.find((o) => /kms_key_policy/.test(o.output));
      const statements = [
        defaultKeyPolicyStatement(ownerPartition, owner),
        ...(toMerge?.policy.document.Statement ?? []),
      ];
      key = {
        arn: keyArn,
        policy: {
          name: "key policy (assumed default" + (toMerge ? ` + ${toMerge.output}` : "") + ")",
          source: "(outside the app)",
          document: { Version: "2012-10-17", Statement: statements },
        },
      };
      notes.push(
        `The KMS key exists already: the checks assume its policy is AWS's default (the owner account's IAM policies govern it)${toMerge ? ` plus the statements of output "${toMerge.output}"` : ""}.`,
      );
    }
  }
  return { instanceRole, targetRole, bucket, bucketPolicy, key };
}

/** Every row of the report, with the problems met finding what the rows need and notes on what was assumed. */
export function buildScenarios(
  model: AccessModel,
  expectations: AccessExpectations,
): { scenarios: Scenario[]; problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const { instanceRole, targetRole, bucket, bucketPolicy, key } = locate(model, expectations, problems, notes);
  const owner = expectations.bucketOwner.accountId;
  const accessor = expectations.accessor.accountId;
  const third = thirdAccount(expectations);
  const ownerPartition = partitionOfAccount(expectations.bucketOwner);
  const accessorPartition = partitionOfAccount(expectations.accessor);
  const level = expectations.accessLevel;

  const instance = roleCaller("instance role", instanceRole.arn, "i-0123456789abcdef0", instanceRole.identityPolicies);
  const target =
    targetRole === undefined
      ? undefined
      : roleCaller("target role", targetRole.arn, expectations.sessionName, targetRole.identityPolicies);
  const workload = target ?? instance;
  const accessorAdmin = roleCaller(
    `admin of accessor account ${accessor}`,
    `arn:${accessorPartition}:iam::${accessor}:role/another-role`,
    "session",
    [ADMINISTRATOR],
  );
  const thirdAdmin = roleCaller(
    `admin of third account ${third}`,
    `arn:${ownerPartition}:iam::${third}:role/admin`,
    "session",
    [ADMINISTRATOR],
  );

  const scenarios: Scenario[] = [];
  const add = (
    id: string,
    group: string,
    question: string,
    caller: Caller,
    action: string,
    resource: { readonly arn: string; readonly label: string; readonly account: string; readonly policy?: NamedPolicy },
    expected: Decision,
    expectedBecause: string,
    extraContext: Readonly<Record<string, string>> = {},
  ): void => {
    scenarios.push({
      id,
      group,
      question,
      principalLabel: caller.label,
      resourceLabel: resource.label,
      expected,
      expectedBecause,
      request: {
        principal: caller.principal,
        action,
        resource: resource.arn,
        resourceAccount: resource.account,
        context: { ...caller.context, ...extraContext },
      },
      identityPolicies: caller.identityPolicies,
      resourcePolicy: resource.policy,
    });
  };

  const chain = targetRole === undefined ? "Assuming roles (direct grant: no role chain)" : "Role chain";
  if (targetRole !== undefined) {
    const targetRoleResource = {
      arn: targetRole.arn,
      label: "target role",
      account: owner,
      policy: targetRole.trustPolicy,
    };
    add(
      "assume/instance-role",
      chain,
      "The instance role can assume the target role",
      instance,
      "sts:AssumeRole",
      targetRoleResource,
      "Allowed",
      "the chain: the instance role assumes the target role",
    );
    expectations.people.userNames.forEach((name) => {
      const userArn = `arn:${accessorPartition}:iam::${accessor}:user/${name}`;
      const user = model.users.find((u) => u.arn === userArn);
      const policies =
        user === undefined || user.identityPolicies.length === 0
          ? [assumedAssumePermission(targetRole.arn)]
          : user.identityPolicies;
      add(
        `assume/user-${name}`,
        chain,
        `IAM user ${name} can assume the target role`,
        userCaller(`user ${name}`, userArn, policies),
        "sts:AssumeRole",
        targetRoleResource,
        "Allowed",
        "people listed in humanAccess may assume the target role",
      );
    });
    expectations.people.roleArns.forEach((roleArn) => {
      const name = roleArn.split("/").pop() ?? roleArn;
      add(
        `assume/person-role-${name}`,
        chain,
        `Role ${name} can assume the target role`,
        roleCaller(`role ${name}`, roleArn, "person", [assumedAssumePermission(targetRole.arn)]),
        "sts:AssumeRole",
        targetRoleResource,
        "Allowed",
        "roles listed in humanAccess may assume the target role",
      );
    });
    add(
      "assume/accessor-account-admin",
      chain,
      "Another role in the accessor account cannot assume the target role",
      accessorAdmin,
      "sts:AssumeRole",
      targetRoleResource,
      "Denied",
      "the trust policy admits only the instance role (and the listed people)",
    );
    add(
      "assume/third-account-admin",
      chain,
      "No third account can assume the target role",
      thirdAdmin,
      "sts:AssumeRole",
      targetRoleResource,
      "Denied",
      "the trust policy admits only principals of the accessor account",
    );
  }
  add(
    "assume/other-role-in-owner-account",
    chain,
    "The instance role cannot assume another role in the owner account",
    instance,
    "sts:AssumeRole",
    {
      arn: `arn:${ownerPartition}:iam::${owner}:role/another-role`,
      label: `another role in ${owner}`,
      account: owner,
      policy: trustsAccount(ownerPartition, accessor),
    },
    "Denied",
    targetRole === undefined
      ? "the instance role may assume no role"
      : "the instance role may assume the target role and nothing else",
  );
  add(
    "assume/other-role-in-accessor-account",
    chain,
    "The instance role cannot assume another role in its own account",
    instance,
    "sts:AssumeRole",
    {
      arn: `arn:${accessorPartition}:iam::${accessor}:role/another-role`,
      label: `another role in ${accessor}`,
      account: accessor,
      policy: trustsAccount(accessorPartition, accessor),
    },
    "Denied",
    targetRole === undefined
      ? "the instance role may assume no role"
      : "the instance role may assume the target role and nothing else",
  );

  const objectKey = `${expectations.keyPrefix ?? ""}access-report/example-object.txt`;
  const bucketResource = {
    arn: bucket.arn,
    label: "this bucket",
    account: bucket.accountId ?? owner,
    policy: bucketPolicy,
  };
  const objectResource = {
    ...bucketResource,
    arn: `${bucket.arn}/${objectKey}`,
    label: expectations.keyPrefix === undefined ? "object in this bucket" : `object under ${expectations.keyPrefix}`,
  };
  const listContext: Record<string, string> =
    expectations.keyPrefix === undefined ? {} : { "s3:prefix": expectations.keyPrefix };
  const onBucket = `${workload === instance ? "Instance role" : "Target role"} on the bucket (${level})`;
  for (const probe of S3_PROBES) {
    const allowed = probe.allowedAt.includes(level);
    add(
      `bucket/${probe.id}`,
      onBucket,
      `The ${workload.label} ${allowed ? "can" : "cannot"} ${probe.label}`,
      workload,
      probe.action,
      probe.on === "bucket" ? bucketResource : objectResource,
      allowed ? "Allowed" : "Denied",
      probe.why,
      probe.action === "s3:ListBucket" ? listContext : {},
    );
  }
  if (expectations.keyPrefix !== undefined) {
    add(
      "bucket/outside-prefix",
      onBucket,
      `The ${workload.label} cannot read objects outside ${expectations.keyPrefix}`,
      workload,
      "s3:GetObject",
      {
        ...bucketResource,
        arn: `${bucket.arn}/outside-the-prefix/example-object.txt`,
        label: "object outside the prefix",
      },
      "Denied",
      "access is limited to the key prefix",
    );
    add(
      "bucket/list-outside-prefix",
      onBucket,
      `The ${workload.label} cannot list the whole bucket`,
      workload,
      "s3:ListBucket",
      bucketResource,
      "Denied",
      "listing is limited to the key prefix",
      { "s3:prefix": "" },
    );
  }
  const otherBucketArn = `arn:${ownerPartition}:s3:::another-bucket-${owner}`;
  const otherBucket = { arn: otherBucketArn, label: "another bucket", account: owner };
  add(
    "other-bucket/list",
    onBucket,
    `The ${workload.label} cannot list another bucket`,
    workload,
    "s3:ListBucket",
    otherBucket,
    "Denied",
    "access is to this bucket only",
  );
  add(
    "other-bucket/get",
    onBucket,
    `The ${workload.label} cannot read another bucket's objects`,
    workload,
    "s3:GetObject",
    { ...otherBucket, arn: `${otherBucketArn}/${objectKey}`, label: "object in another bucket" },
    "Denied",
    "access is to this bucket only",
  );

  if (key !== undefined) {
    const keyResource = { arn: key.arn, label: "the bucket's KMS key", account: owner, policy: key.policy };
    const viaS3 = { "kms:ViaService": `s3.${expectations.bucketOwner.region}.${dnsSuffixOf(ownerPartition)}` };
    for (const probe of KMS_PROBES) {
      const allowed = probe.allowedAt.includes(level);
      add(
        `kms/${probe.id}`,
        onBucket,
        `The ${workload.label} ${allowed ? "can" : "cannot"} ${probe.label}`,
        workload,
        probe.action,
        keyResource,
        allowed ? "Allowed" : "Denied",
        probe.why,
        { "kms:CallerAccount": workload.context["aws:PrincipalAccount"] ?? "", ...(probe.viaS3 ? viaS3 : {}) },
      );
    }
    add(
      "kms/third-account-admin",
      "Everyone else on the bucket",
      "An admin of a third account cannot use the bucket's key",
      thirdAdmin,
      "kms:Decrypt",
      keyResource,
      "Denied",
      "the key policy grants the bucket's accessor only",
      { "kms:CallerAccount": third, ...viaS3 },
    );
  }

  const others = "Everyone else on the bucket";
  add(
    "bucket/plain-http",
    others,
    `Plain-HTTP requests are denied, even from the ${workload.label}`,
    workload,
    "s3:GetObject",
    objectResource,
    "Denied",
    "the bucket policy refuses requests without TLS",
    { "aws:SecureTransport": "false" },
  );
  add(
    "bucket/anonymous-get",
    others,
    "Anonymous requests cannot read objects",
    ANONYMOUS,
    "s3:GetObject",
    objectResource,
    "Denied",
    "the bucket is not public",
  );
  add(
    "bucket/anonymous-list",
    others,
    "Anonymous requests cannot list the bucket",
    ANONYMOUS,
    "s3:ListBucket",
    bucketResource,
    "Denied",
    "the bucket is not public",
  );
  if (target !== undefined) {
    add(
      "bucket/instance-role-direct",
      others,
      "The instance role cannot read the bucket without assuming the target role",
      instance,
      "s3:GetObject",
      objectResource,
      "Denied",
      "only the target role is granted; the instance role reaches the bucket through it",
    );
  }
  add(
    "bucket/accessor-account-admin",
    others,
    "An admin of the accessor account cannot read the bucket directly",
    accessorAdmin,
    "s3:GetObject",
    objectResource,
    "Denied",
    `the bucket policy grants the ${workload.label} only`,
  );
  add(
    "bucket/third-account-admin",
    others,
    "An admin of a third account cannot read the bucket",
    thirdAdmin,
    "s3:GetObject",
    objectResource,
    "Denied",
    `the bucket policy grants the ${workload.label} only`,
  );

  return { scenarios, problems, notes };
}
