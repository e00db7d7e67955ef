/**
 * Terraform is the judge of every stack the app synthesizes: each config is
 * synthesized to disk as `npm run synth` does, and `terraform validate` must
 * find no error and no warning in either stack. Failures are Terraform's own
 * diagnostics, one line each, with the stack, file, line and column.
 *
 * Offline: the provider comes from a filesystem mirror. Where Terraform or
 * the mirror is missing, one line says so and these tests are skipped.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { CrossAccountConfig } from "../config/types";
import {
  BackendCheck,
  checkBackendOffline,
  CombinedValidation,
  copyStack,
  findToolchain,
  HARNESS_ARTEFACTS,
  inParallel,
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

const GENERATED = 25;
const WORK = mkdtempSync(path.join(tmpdir(), "terraform-validate-"));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const lookup = findToolchain(path.join(WORK, "toolchain"));
const skipReason = "skipReason" in lookup ? lookup.skipReason : undefined;
if (skipReason !== undefined) process.stderr.write(`Terraform validation skipped: ${skipReason}\n`);
const describeWithTerraform = skipReason === undefined ? describe : describe.skip;

const CASES: readonly TerraformCase[] = [...checkedInCases(), ...featureCases(), ...propertyCases(GENERATED)];
/** Validated as root modules too, as cdktf runs them: init with the local backend, then validate. */
const ROOT_CASE = "config-example";

const backendOf = (config: CrossAccountConfig) => config.backend.type;

describeWithTerraform("terraform validate", () => {
  let toolchain: Toolchain;
  let stacks: StackDir[];
  let providerVersion: string;
  let combined: CombinedValidation | undefined;
  let roots: StackResult[];
  let backendChecks: BackendCheck[];
  const results = new Map<string, StackResult>();

  beforeAll(async () => {
    toolchain = (lookup as { toolchain: Toolchain }).toolchain;
    stacks = CASES.flatMap((c) => synthToDisk(c.id, c.config, path.join(WORK, "cases", c.id)));
    providerVersion = [...new Set(stacks.map((stack) => pinMirroredProvider(stack, toolchain)))].join(", ");
    const remote = stacks.flatMap((stack) => {
      const type = backendOf(CASES.find((c) => c.id === stack.caseId)!.config);
      return type === "local" ? [] : [{ stack: copyStack(stack, path.join(WORK, "backends")), type }];
    });
    // Inits as roots write .terraform and a lock file into the stack folder: they get their own copies,
    // so the child modules of the combined run are never written to while it reads them.
    const rootCase = CASES.find((c) => c.id === ROOT_CASE)!;
    const rootStacks = synthToDisk(`${ROOT_CASE}-as-root`, rootCase.config, path.join(WORK, "roots"));
    for (const stack of rootStacks) pinMirroredProvider(stack, toolchain);

    const [combinedRun, ...rest] = await inParallel<CombinedValidation | StackResult | BackendCheck>(2, [
      () => validateAsChildModules(toolchain, stacks, path.join(WORK, "combined")),
      ...rootStacks.map((stack) => () => validateAsRoot(toolchain, stack, { backend: true })),
      ...remote.map(
        ({ stack, type }) =>
          () =>
            checkBackendOffline(toolchain, stack, type),
      ),
    ]);
    combined = combinedRun as CombinedValidation;
    roots = rest.slice(0, rootStacks.length) as StackResult[];
    backendChecks = rest.slice(rootStacks.length) as BackendCheck[];
    for (const result of combined.results) results.set(stackLabel(result.stack), result);
  }, 900_000);

  afterAll(() => {
    if (combined === undefined) return;
    const clean = combined.results.filter((r) => r.diagnostics.length === 0).length;
    process.stderr.write(
      `Terraform ${toolchain.terraformVersion} validated ${stacks.length} stacks of ${CASES.length} configs ` +
        `(${clean} clean; ${combined.rounds} round(s) as child modules of one root), ${roots.length} as root modules, ` +
        `${backendChecks.length} remote backends offline; hashicorp/aws ${providerVersion} from ${toolchain.mirror}\n`,
    );
  });

  describe.each(CASES.map((c) => [c.id]))("%s", (caseId) => {
    test.each([["bucket-owner"], ["accessor"]])("%s stack: no error or warning", (stackId) => {
      expect(results.get(`${caseId}/${stackId}`)?.diagnostics).toEqual([]);
    });
  });

  test("the default config's stacks validate as root modules, as cdktf runs them (init with the local backend)", () => {
    expect(roots.map((r) => [stackLabel(r.stack), r.diagnostics])).toEqual([
      [`${ROOT_CASE}-as-root/bucket-owner`, []],
      [`${ROOT_CASE}-as-root/accessor`, []],
    ]);
  });

  test("S3 and HCP Terraform backends: init checks the backend block offline and stops only for credentials or network", () => {
    expect(backendChecks.length).toBeGreaterThanOrEqual(8);
    for (const check of backendChecks) {
      expect([stackLabel(check.stack), check.diagnostics]).toEqual([stackLabel(check.stack), []]);
      expect([stackLabel(check.stack), check.completed || check.stoppedAt !== undefined]).toEqual([
        stackLabel(check.stack),
        true,
      ]);
    }
  });

  test("each init links the mirrored provider instead of copying ~700 MB", () => {
    const providers = path.join(WORK, "roots", "cdktf.out", "stacks", "accessor", ".terraform", "providers");
    const platformDir = path.join(providers, "registry.terraform.io", "hashicorp", "aws");
    const [version] = readdirSync(platformDir);
    expect(lstatSync(path.join(platformDir, version!, terraformPlatform())).isSymbolicLink()).toBe(true);
  });

  test("the only diagnostics set aside are the suite's own set-up, never the product", () => {
    expect(HARNESS_ARTEFACTS.map((a) => a.summary)).toEqual([
      "Incomplete lock file information for providers",
      "Backend configuration ignored",
    ]);
  });
});

describe("the configs handed to Terraform", () => {
  test("cover every example, every access level and mode, and each backend", () => {
    const ids = CASES.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(["config-example", "example-kms", "example-hcp-terraform"]));
    const configs = CASES.map((c) => c.config);
    for (const level of ["read-only", "read-write", "full"]) {
      for (const mode of ["role-chain", "direct"]) {
        expect(configs.some((c) => c.accessLevel === level && c.accessMode === mode)).toBe(true);
      }
    }
    expect(new Set(configs.map(backendOf))).toEqual(new Set(["local", "s3", "cloud"]));
    const s3 = configs.flatMap((c) => (c.backend.type === "s3" ? [c.backend.bucketOwner] : []));
    expect(s3.some((state) => state.useLockfile)).toBe(true);
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
