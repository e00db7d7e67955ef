/**
 * Terraform is the judge of every stack the app synthesizes: each config is
 * synthesized to disk as `npm run synth` does, and `terraform validate` must
 * find no error and no warning in either stack. Failures are Terraform's own
 * diagnostics, one line each, with the stack, file, line and column.
 *
 * Offline: the provider comes from a filesystem mirror. Where Terraform or
 * the mirror is missing, one line says so and these tests are skipped.
 * How the stacks are validated together, and what that leaves out, is in
 * docs/terraform-validation.md.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { CrossAccountConfig } from "../config/types";
import {
  BackendCheck,
  checkBackendOffline,
  CombinedValidation,
  copyStack,
  findToolchain,
  HARNESS_ARTEFACTS,
  pinMirroredProvider,
  StackDir,
  stackLabel,
  StackResult,
  synthToDisk,
  terraformPlatform,
  Toolchain,
  validateAsChildModules,
  validateAsRoot,
} from "./helpers/terraform";
import { checkedInCases, featureCases, propertyCases, TerraformCase } from "./helpers/terraform-configs";
import { accessorListTerraformCases } from "./helpers/many-consumers";
import { appStackIds } from "../stacks/app-stacks";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const GENERATED = 25;
const WORK = mkdtempSync(path.join(tmpdir(), "terraform-validate-"));
afterAll(() => rmSync(WORK, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

// cdktf's synth runs `terraform version` for terraform_data and cloud blocks; no update check over the network.
process.env.CHECKPOINT_DISABLE = "1";
const lookup = findToolchain(path.join(WORK, "toolchain"));
const skipReason = "skipReason" in lookup ? lookup.skipReason : undefined;
if (skipReason !== undefined) process.stderr.write(`Terraform validation skipped: ${skipReason}\n`);
const describeWithTerraform = skipReason === undefined ? describe : describe.skip;

const CASES: readonly TerraformCase[] = [
  ...checkedInCases(),
  ...featureCases(),
  ...accessorListTerraformCases(),
  ...propertyCases(GENERATED),
];
const configOf = (caseId: string): CrossAccountConfig => CASES.find((c) => c.id === caseId)!.config;
/**
 * Validated as root modules too, as cdktf runs them: init with the local backend, then validate. (The plan
 * suite runs the default config's stacks as roots.)
 */
const ROOT_CASE = "example-kms";

/**
 * Warnings Terraform is right to give for a config that asks for them, and
 * that the product cannot avoid without dropping the option.
 */
const ASKED_FOR: ReadonlyArray<{
  readonly warning: string;
  readonly when: (config: CrossAccountConfig, stack: StackDir) => boolean;
}> = [
  {
    // `dynamodbTable` is the option for teams whose state is still locked with DynamoDB; Terraform 1.11
    // deprecates that lock in favour of use_lockfile (the default here) and advises setting both while moving.
    warning:
      'warning: Deprecated Parameter: The parameter "dynamodb_table" is deprecated. Use parameter "use_lockfile" instead.',
    when: (config, stack) =>
      config.backend.type === "s3" &&
      config.backend[stack.stackId === "bucket-owner" ? "bucketOwner" : "accessor"].dynamodbTable !== undefined,
  },
];

/** The stack's diagnostics without the location, for comparison with ASKED_FOR. */
function withoutLocation(diagnostic: string): string {
  return diagnostic.replace(/ \([^()]*\)$/, "");
}

/** A backend block's identity: the stack's `terraform` block without the providers (the offline check reads only this). */
function backendBlockOf(stack: StackDir): string {
  const json = JSON.parse(readFileSync(path.join(stack.dir, "cdk.tf.json"), "utf8")) as {
    terraform: Record<string, unknown>;
  };
  const { required_providers: _providers, ...rest } = json.terraform;
  return JSON.stringify(rest);
}

/** A stack whose offline backend check stands for every stack with the same backend block. */
interface BackendGroup {
  readonly stacks: StackDir[];
  readonly check: Promise<BackendCheck>;
}

describeWithTerraform("terraform validate", () => {
  let toolchain: Toolchain;
  const stacks: StackDir[] = [];
  let providerVersion: string;
  let combined: CombinedValidation | undefined;
  let roots: StackResult[] = [];
  let backendChecks: Array<{ readonly stacks: StackDir[]; readonly check: BackendCheck }> = [];
  let seconds = { synth: 0, total: 0 };
  const results = new Map<string, StackResult>();

  beforeAll(async () => {
    const started = performance.now();
    toolchain = (lookup as { toolchain: Toolchain }).toolchain;
    // Terraform runs in child processes, so the checks start as soon as their stacks exist and run while
    // the rest synthesizes. Roots and backend checks write .terraform into the folder they run in: they
    // get their own copies, never a folder the combined run reads.
    const rootStacks = await synthToDisk(
      `${ROOT_CASE}-as-root`,
      configOf(ROOT_CASE),
      path.join(WORK, "roots"),
      toolchain,
    );
    for (const stack of rootStacks) pinMirroredProvider(stack, toolchain);
    const rootRuns = rootStacks.map((stack) => validateAsRoot(toolchain, stack, { backend: true }));
    const groups = new Map<string, BackendGroup>();
    const versions = new Set<string>();
    for (const testCase of CASES) {
      const caseStacks = await synthToDisk(
        testCase.id,
        testCase.config,
        path.join(WORK, "cases", testCase.id),
        toolchain,
      );
      for (const stack of caseStacks) {
        versions.add(pinMirroredProvider(stack, toolchain));
        stacks.push(stack);
        const type = testCase.config.backend.type;
        if (type === "local") continue;
        const key = backendBlockOf(stack);
        const group = groups.get(key);
        if (group !== undefined) group.stacks.push(stack);
        else {
          const copy = copyStack(stack, path.join(WORK, "backends"));
          groups.set(key, { stacks: [stack], check: checkBackendOffline(toolchain, copy, type) });
        }
      }
    }
    providerVersion = [...versions].join(", ");
    seconds = { ...seconds, synth: (performance.now() - started) / 1000 };
    combined = await validateAsChildModules(toolchain, stacks, path.join(WORK, "combined"));
    roots = await Promise.all(rootRuns);
    backendChecks = await Promise.all(
      [...groups.values()].map(async (group) => ({ stacks: group.stacks, check: await group.check })),
    );
    for (const result of combined.results) results.set(stackLabel(result.stack), result);
    seconds = { ...seconds, total: (performance.now() - started) / 1000 };
  }, 1_200_000);

  afterAll(() => {
    if (combined === undefined) return;
    const shared = combined.sharedProvider ? "one shared provider process" : "a provider process per stack";
    process.stderr.write(
      `Terraform ${toolchain.terraformVersion} validated ${stacks.length} stacks of ${CASES.length} configs ` +
        `as child modules of one root (${combined.rounds} run(s), ${shared}), ${roots.length} also as root modules; ` +
        `${backendChecks.length} distinct S3/cloud backend blocks checked by an offline init; ` +
        `hashicorp/aws ${providerVersion} from ${toolchain.mirror}; ` +
        `${seconds.total.toFixed(0)} s (synth ${seconds.synth.toFixed(0)} s)\n`,
    );
  }, HOOK_TIMEOUT_MS);

  describe.each(CASES.map((c) => [c.id]))("%s", (caseId) => {
    test.each(appStackIds(configOf(caseId)).map((id) => [id]))("%s stack: no error or warning", (stackId) => {
      expect(results.get(`${caseId}/${stackId}`)?.diagnostics).toEqual([]);
    });
  });

  test(`${ROOT_CASE}'s stacks validate as root modules, as cdktf runs them (init with the local backend)`, () => {
    expect(roots.map((r) => [stackLabel(r.stack), r.diagnostics])).toEqual([
      [`${ROOT_CASE}-as-root/bucket-owner`, []],
      [`${ROOT_CASE}-as-root/accessor`, []],
    ]);
  });

  test("S3 and HCP Terraform backends: an offline init accepts each backend block and stops only for credentials or network", () => {
    const remoteStacks = stacks.filter((stack) => configOf(stack.caseId).backend.type !== "local");
    expect(backendChecks.flatMap((b) => b.stacks)).toHaveLength(remoteStacks.length);
    expect(backendChecks.length).toBeGreaterThanOrEqual(8);
    const problems = backendChecks.flatMap(({ stacks: same, check }) => {
      const config = configOf(check.stack.caseId);
      const unasked = check.diagnostics.filter(
        (d) =>
          !ASKED_FOR.some((allowed) => allowed.when(config, check.stack) && withoutLocation(d) === allowed.warning),
      );
      const stopped = check.completed || check.stoppedAt !== undefined;
      const found = [...unasked, ...(stopped ? [] : ["init stopped before reaching the credentials or the network"])];
      const label = `${stackLabel(check.stack)} (and ${same.length - 1} more stacks with this backend block)`;
      return found.length === 0 ? [] : [[label, found]];
    });
    expect(problems).toEqual([]);
  });

  test("a config with a DynamoDB lock table gets Terraform's deprecation warning, and only that one", () => {
    const dynamodb = backendChecks.filter(({ check }) => ASKED_FOR[0]!.when(configOf(check.stack.caseId), check.stack));
    expect(dynamodb.length).toBeGreaterThan(0);
    for (const { check } of dynamodb) expect(check.diagnostics.map(withoutLocation)).toEqual([ASKED_FOR[0]!.warning]);
  });

  test("each init links the mirrored provider instead of copying ~700 MB", () => {
    const providerDir = path.join(WORK, "roots", "cdktf.out", "stacks", "accessor", ".terraform", "providers");
    const awsDir = path.join(providerDir, "registry.terraform.io", "hashicorp", "aws");
    for (const version of readdirSync(awsDir)) {
      expect(lstatSync(path.join(awsDir, version, terraformPlatform())).isSymbolicLink()).toBe(true);
    }
  });

  test("the only diagnostics set aside are the suite's own set-up, never the product", () => {
    expect(HARNESS_ARTEFACTS.map((a) => `${a.summary} (${a.when})`)).toEqual([
      "Incomplete lock file information for providers (always)",
      "Backend configuration ignored (child-module)",
    ]);
  });
});

describe("the configs handed to Terraform", () => {
  test("cover every example, every access level and mode, and each backend", () => {
    expect(CASES.map((c) => c.id)).toEqual(
      expect.arrayContaining(["config-example", "example-kms", "example-hcp-terraform", "example-direct-grant"]),
    );
    const configs = CASES.map((c) => c.config);
    for (const level of ["read-only", "read-write", "full"]) {
      for (const mode of ["role-chain", "direct"]) {
        expect([level, mode, configs.some((c) => c.accessLevel === level && c.accessMode === mode)]).toEqual([
          level,
          mode,
          true,
        ]);
      }
    }
    expect(new Set(configs.map((c) => c.backend.type))).toEqual(new Set(["local", "s3", "cloud"]));
    const s3 = configs.flatMap((c) => (c.backend.type === "s3" ? [c.backend.bucketOwner] : []));
    expect(s3.some((state) => state.useLockfile && state.dynamodbTable === undefined)).toBe(true);
    expect(s3.some((state) => state.dynamodbTable !== undefined)).toBe(true);
  });

  test(`the ${GENERATED} generated configs include bucket names with dots, SSE-KMS with them, people and no instance`, () => {
    const generated = CASES.filter((c) => c.id.startsWith("generated-")).map((c) => c.config);
    expect(generated).toHaveLength(GENERATED);
    const dotted = generated.filter((c) => c.bucket.name.includes("."));
    expect(dotted.length).toBeGreaterThanOrEqual(5);
    expect(dotted.some((c) => c.bucket.encryption === "SSE-KMS" && !c.bucket.existing)).toBe(true);
    expect(generated.some((c) => c.humanAccess !== undefined)).toBe(true);
    expect(generated.some((c) => !c.instance.create)).toBe(true);
  });
});
