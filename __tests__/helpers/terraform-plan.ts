/**
 * `terraform plan` of the synthesized stacks with no AWS account: provider
 * overrides that point each aliased provider at the loopback AWS stub with
 * fake static credentials, the planned values read back with
 * `terraform show -json`, and the owner's outputs handed to the accessor
 * through a state the owner's own backend stores (`terraform state push`).
 */
import { createHash, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { Diagnostic, formatDiagnostic, StackDir, streamDiagnostics, terraform, Toolchain } from "./terraform";

/** File name of the override that points a stack's provider at the stub. */
export const STUB_PROVIDER_OVERRIDE = "provider_aws_stub_override.tf.json";

/** Services whose endpoints the override points at the stub: every service the stacks' resources use. */
const STUB_SERVICES = ["sts", "iam", "s3", "kms", "ec2", "ssm"];

/**
 * Points the stack's aliased provider at the stub. Terraform merges an
 * override's provider block into the block with the same name and alias,
 * so the stack's own region, allowed_account_ids and default_tags stay.
 */
export function writeStubProviderOverride(stack: StackDir, alias: string, accessKeyId: string, endpoint: string): void {
  const provider = {
    alias,
    access_key: accessKeyId,
    secret_key: "stub-secret-access-key-not-a-real-credential",
    // No instance metadata lookups for credentials or region.
    skip_metadata_api_check: true,
    endpoints: [Object.fromEntries(STUB_SERVICES.map((service) => [service, endpoint]))],
  };
  writeFileSync(
    path.join(stack.dir, STUB_PROVIDER_OVERRIDE),
    `${JSON.stringify({ provider: { aws: [provider] } }, null, 2)}\n`,
  );
}

/** The parts of `terraform show -json <plan>` the suites read. */
export interface PlanJson {
  readonly planned_values: {
    readonly outputs?: Record<string, { readonly value?: unknown; readonly sensitive: boolean }>;
    readonly root_module: { readonly resources?: ReadonlyArray<PlannedResource> };
  };
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly change: { readonly actions: readonly string[]; readonly after?: Record<string, unknown> };
  }>;
  readonly output_changes?: Record<string, { readonly after?: unknown; readonly after_unknown: boolean }>;
  /** The state the plan started from, with the data sources it read. */
  readonly prior_state?: { readonly values: { readonly root_module: { readonly resources?: PlannedResource[] } } };
}

export interface PlannedResource {
  readonly address: string;
  readonly values: Record<string, unknown>;
}

/** What one `terraform plan -out` and `show -json` gave. */
export interface PlanRun {
  readonly code: number;
  /** Errors and warnings from the plan's JSON UI stream. */
  readonly diagnostics: readonly Diagnostic[];
  /** The saved plan as JSON; undefined when the plan failed. */
  readonly plan?: PlanJson;
  readonly stderr: string;
}

/** `terraform init` with the stack's backend; throws with Terraform's diagnostics when it fails. */
export async function initStack(toolchain: Toolchain, stack: StackDir): Promise<void> {
  const init = await terraform(toolchain, stack.dir, ["init", "-json", "-input=false"]);
  if (init.code !== 0) {
    const found = streamDiagnostics(init.stdout).map((d) => formatDiagnostic(d));
    throw new Error(`terraform init failed in ${stack.dir}:\n${[...found, init.stderr].join("\n")}`);
  }
}

/** `terraform plan -out` in an initialized stack folder, then `show -json` of that plan. */
export async function planStack(toolchain: Toolchain, stack: StackDir): Promise<PlanRun> {
  const plan = await terraform(toolchain, stack.dir, ["plan", "-json", "-input=false", "-out=stub.tfplan"]);
  const diagnostics = streamDiagnostics(plan.stdout);
  if (plan.code !== 0) return { code: plan.code, diagnostics, stderr: plan.stderr };
  const show = await terraform(toolchain, stack.dir, ["show", "-json", "stub.tfplan"]);
  if (show.code !== 0) throw new Error(`terraform show -json failed in ${stack.dir}:\n${show.stderr}`);
  return { code: 0, diagnostics, plan: JSON.parse(show.stdout) as PlanJson, stderr: plan.stderr };
}

/** The planned resource at `address`; fails when the plan has none. */
export function plannedResource(plan: PlanJson, address: string): PlannedResource {
  const found = plan.planned_values.root_module.resources?.find((r) => r.address === address);
  if (found === undefined) throw new Error(`the plan has no ${address}`);
  return found;
}

/** The values of the data source at `address` (e.g. "data.aws_subnet.x") as the plan read them. */
export function dataSourceRead(plan: PlanJson, address: string): Record<string, unknown> {
  const found = plan.prior_state?.values.root_module.resources?.find((r) => r.address === address);
  if (found === undefined) throw new Error(`the plan read no ${address}`);
  return found.values;
}

/** The planned attributes of the resource change at `address`. */
export function plannedChange(plan: PlanJson, address: string): Record<string, unknown> {
  const found = plan.resource_changes?.find((r) => r.address === address);
  if (found?.change.after === undefined) throw new Error(`the plan has no change to ${address}`);
  return found.change.after;
}

/**
 * The owner stack's state as it would be after `terraform apply` of `plan`,
 * outputs only (all terraform_remote_state reads): each output the plan
 * already knows, and the target role's ARN, which AWS assigns at creation, in
 * the form IAM documents for it (arn:<partition>:iam::<account>:role<path><name>)
 * from the planned role's name and path.
 */
export function ownerStateAfterApply(
  plan: PlanJson,
  options: { readonly partition: string; readonly accountId: string; readonly terraformVersion: string },
): Record<string, unknown> {
  const outputs: Record<string, { value: unknown; type: string }> = {};
  for (const [name, output] of Object.entries(plan.planned_values.outputs ?? {})) {
    if (output.value !== undefined) outputs[name] = { value: output.value, type: "string" };
  }
  const role = plannedResource(plan, "aws_iam_role.target_role").values;
  const rolePath = typeof role.path === "string" ? role.path : "/";
  outputs.target_role_arn = {
    value: `arn:${options.partition}:iam::${options.accountId}:role${rolePath}${String(role.name)}`,
    type: "string",
  };
  return {
    version: 4,
    terraform_version: options.terraformVersion,
    serial: 1,
    lineage: randomUUID(),
    outputs,
    resources: [],
    check_results: null,
  };
}

/**
 * Stores `state` through the stack's own backend (`terraform state push`), so
 * it lands wherever that backend keeps the stack's state: for the local
 * backend, the path the stack's JSON names relative to its folder.
 */
export async function pushState(toolchain: Toolchain, stack: StackDir, state: Record<string, unknown>): Promise<void> {
  const file = path.join(stack.dir, "pushed.tfstate");
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
  const push = await terraform(toolchain, stack.dir, ["state", "push", file]);
  if (push.code !== 0) throw new Error(`terraform state push failed in ${stack.dir}:\n${push.stderr}`);
}

/**
 * The AWS provider stores an instance's user data as the SHA-1 of its text
 * (hex), so a plan shows that hash; this computes it for comparison.
 */
export function userDataHash(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

/**
 * A synthesized user data template with its only interpolation replaced:
 * fails if anything else in it would be a Terraform template sequence.
 */
export function renderTemplate(template: string, reference: string, value: string): string {
  const rendered = template.split(`\${${reference}}`).join(value);
  if (/[$%]\{/.test(rendered)) throw new Error(`the template has other interpolations: ${rendered}`);
  return rendered;
}
