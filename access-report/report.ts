/**
 * The access report of a synth output: what was analysed; the intended chain
 * and its guardrails, evaluated (checks.ts); every grant the policies state
 * beyond the zone of trust, judged by the evaluator (over-grants.ts,
 * judge.ts); the problems that make the analysis incomplete; and the policy
 * rule findings cdktf recorded in the manifest.
 *
 * Errors: a row not as expected (an under-grant or a lost guardrail), an
 * effective over-grant (or one the evaluator could not judge), a cell of the
 * isolation matrix not as expected, a problem.
 * Warnings: an over-grant stated in a policy but blocked by another one.
 */
import { buildAccessModel, type NamedPolicy } from "./access-model";
import { checkRows, type CheckRow } from "./checks";
import { effectiveAccess, type AccessEntry } from "./effective-access";
import { locateDeployment } from "./deployment";
import { consumersFromConfig, type AccessExpectations } from "./expectations";
import { ActionCatalog } from "./iam-actions";
import { judge, type Finding } from "./judge";
import { statedOverGrants } from "./over-grants";
import { isolationMatrix, type IsolationMatrix } from "./isolation-matrix";
import { readSynthOutput, type SynthAnnotation } from "./synth-output";
import { ZoneOfTrust } from "./zone";
import type { CrossAccountConfig } from "../config/types";
import { accountsSummary } from "../synth/summary";

export interface PolicyRuleFinding {
  readonly stack: string;
  readonly constructPath: string;
  readonly level: "error" | "warning" | "info";
  readonly message: string;
}

/** Where the config came from, as the report's header names it. */
export interface ConfigOrigin {
  /** The config file as the synth recorded it (or as given). */
  readonly file: string;
  readonly sha256?: string;
  /** How the report found it: the synth's record, --config, or CROSS_ACCOUNT_CONFIG (checked against the record). */
  readonly via: string;
}

/** One consumer, as the top of the report names it. */
export interface AnalysedConsumer {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly accessLevel: AccessExpectations["accessLevel"];
  readonly keyPrefix?: string;
  readonly targetRole?: string;
  readonly instanceRole: string;
  /** Its S3 access point (the `accessors` form). */
  readonly accessPoint?: string;
  readonly allowPrefixOverlap: boolean;
  readonly people: readonly string[];
}

/**
 * What the report analysed, for the top of the report. The single-consumer
 * fields (accessor, accessLevel, keyPrefix, targetRole, instanceRole, people)
 * describe the first consumer, the single form's only one; `consumers` lists them all.
 */
export interface AnalysedScope {
  readonly config: ConfigOrigin;
  /** The accounts and regions of both sides, worded as the synth's first line words them. */
  readonly accounts: string;
  readonly bucket: { readonly name: string; readonly arn: string; readonly account: string; readonly region: string };
  readonly accessor: { readonly account: string; readonly region: string };
  readonly accessLevel: AccessExpectations["accessLevel"];
  readonly accessMode: AccessExpectations["accessMode"];
  readonly keyPrefix?: string;
  readonly targetRole?: string;
  readonly instanceRole: string;
  /** The key's ARN, or undefined with SSE-S3. */
  readonly kmsKey?: string;
  readonly people: readonly string[];
  /** Every consumer, in the config's order. */
  readonly consumers: readonly AnalysedConsumer[];
  /** Every policy analysed, with its number of statements. */
  readonly policies: readonly { readonly name: string; readonly source: string; readonly statements: number }[];
}

export interface AccessReport {
  readonly outdir: string;
  readonly analysed: AnalysedScope;
  readonly accessLevel: AccessExpectations["accessLevel"];
  readonly expectations: AccessExpectations;
  /** The intended chain and its guardrails. */
  readonly rows: readonly CheckRow[];
  /** Grants beyond the zone of trust, each with the evaluator's verdict. */
  readonly findings: readonly Finding[];
  /** Who can do what on the bucket, the key and the roles, as the evaluator answers it. */
  readonly effectiveAccess: readonly AccessEntry[];
  /** Every consumer against every consumer's prefix: read, write, delete, list. */
  readonly isolationMatrix: IsolationMatrix;
  /** Problems that make the report incomplete (missing roles, unreadable policies, unresolved references). */
  readonly problems: readonly string[];
  /** What the report assumed where the synth output cannot say (an existing bucket's or key's policy). */
  readonly notes: readonly string[];
  /** Policy rule annotations from the manifest: suppressions with their reasons, warnings, errors. */
  readonly policyRuleFindings: readonly PolicyRuleFinding[];
  readonly errorCount: number;
  readonly warningCount: number;
  /** No errors: every row as expected, no effective over-grant, no problem. */
  readonly ok: boolean;
}

const LEVELS: Readonly<Record<string, PolicyRuleFinding["level"]>> = {
  "@cdktf/error": "error",
  "@cdktf/warn": "warning",
  "@cdktf/info": "info",
};

/** Policy rule messages start with the rule id in brackets, e.g. "[s3-versioning-enabled]". */
function ruleFindings(stack: string, annotations: readonly SynthAnnotation[]): PolicyRuleFinding[] {
  return annotations.flatMap((a) => {
    const level = LEVELS[a.level];
    return level !== undefined && /^\[[a-z0-9-]+\]/.test(a.message)
      ? [{ stack, constructPath: a.constructPath, level, message: a.message }]
      : [];
  });
}

/** Reads the synth output in `outdir` and analyses it against the config it was synthesized from. */
export async function buildAccessReport(
  outdir: string,
  config: CrossAccountConfig,
  origin: ConfigOrigin = { file: "(given)", via: "given" },
): Promise<AccessReport> {
  const consumerExpectations = consumersFromConfig(config);
  const output = readSynthOutput(outdir);
  const model = buildAccessModel(output);
  const deployment = locateDeployment(model, consumerExpectations);
  const expectations = deployment.expectations;
  const zone = new ZoneOfTrust(deployment);
  const catalog = new ActionCatalog();
  const rows = await checkRows(deployment, model, catalog);
  const stated = await judge(await statedOverGrants(deployment, zone, catalog), deployment, zone, model, catalog);
  const access = await effectiveAccess(deployment, zone, model, catalog, stated);
  const findings = [...stated, ...access.findings];
  const matrix = await isolationMatrix(deployment, model);
  const problems = [...deployment.problems, ...model.problems];

  const policies = new Map<string, NamedPolicy>();
  for (const resource of deployment.resources) if (resource.policy) policies.set(resource.policy.name, resource.policy);
  for (const holder of deployment.holders) for (const policy of holder.policies) policies.set(policy.name, policy);
  const consumers = deployment.consumers.map((consumer): AnalysedConsumer => ({
    name: consumer.name,
    account: consumer.expectations.accessor.accountId,
    region: consumer.expectations.accessor.region,
    accessLevel: consumer.expectations.accessLevel,
    ...(consumer.expectations.keyPrefix === undefined ? {} : { keyPrefix: consumer.expectations.keyPrefix }),
    ...(consumer.targetRole === undefined ? {} : { targetRole: consumer.targetRole.arn }),
    instanceRole: consumer.instanceRole.arn,
    ...(consumer.accessPoint === undefined ? {} : { accessPoint: consumer.accessPoint.route.arn }),
    allowPrefixOverlap: consumer.allowPrefixOverlap,
    people: [...consumer.people.users.map((u) => u.arn), ...consumer.people.roleArns],
  }));
  const [first] = consumers;
  if (first === undefined) throw new Error("a config has at least one consumer");
  const analysed: AnalysedScope = {
    config: origin,
    accounts: accountsSummary(config),
    bucket: {
      name: deployment.bucket.name,
      arn: deployment.bucket.arn,
      account: deployment.bucket.account,
      region: expectations.bucketOwner.region,
    },
    accessor: { account: expectations.accessor.accountId, region: expectations.accessor.region },
    accessLevel: expectations.accessLevel,
    accessMode: expectations.accessMode,
    ...(expectations.keyPrefix === undefined ? {} : { keyPrefix: expectations.keyPrefix }),
    ...(first.targetRole === undefined ? {} : { targetRole: first.targetRole }),
    instanceRole: first.instanceRole,
    ...(deployment.key === undefined ? {} : { kmsKey: deployment.key.arn }),
    people: first.people,
    consumers,
    policies: [...policies.values()].map((policy) => ({
      name: policy.name,
      source: policy.source,
      statements: policy.document.Statement.length,
    })),
  };

  const errorCount =
    rows.filter((row) => !row.asExpected).length +
    findings.filter((finding) => finding.severity === "error").length +
    matrix.mismatches +
    problems.length;
  const warningCount = findings.filter((finding) => finding.severity === "warning").length;
  return {
    outdir: output.outdir,
    analysed,
    accessLevel: expectations.accessLevel,
    expectations,
    rows,
    findings,
    effectiveAccess: access.entries,
    isolationMatrix: matrix,
    problems,
    notes: deployment.notes,
    policyRuleFindings: output.stacks.flatMap((stack) => ruleFindings(stack.id, stack.annotations)),
    errorCount,
    warningCount,
    ok: errorCount === 0,
  };
}
