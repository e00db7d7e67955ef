/**
 * Resolves Terraform references (`${aws_iam_role.target_role.arn}`,
 * `${data.terraform_remote_state.bucket_owner_state.outputs.target_role_arn}`)
 * in synthesized stacks to the values they will have, where the configuration
 * determines them: literal attributes, attributes derived from the provider's
 * account (known-attributes.ts), outputs of another stack reached through a
 * terraform_remote_state data source whose backend matches that stack's
 * backend, variables' defaults and locals.
 *
 * What cannot be known before apply (an instance id, a `jsonencode(...)`
 * expression) becomes a sentinel ARN that matches nothing, and is listed in
 * `unresolved`: left as `${...}`, IAM would read it as a policy variable, and
 * an unknown policy variable in a Resource matches.
 */
import * as path from "node:path";
import { partitionOf } from "../config/regions";
import { DATA_ATTRIBUTES, ProviderContext, RESOURCE_ATTRIBUTES } from "./known-attributes";
import type { SynthOutput, SynthStack } from "./synth-output";

export type { ProviderContext } from "./known-attributes";

/** A resource or data source of a synthesized stack. */
export interface TerraformElementJson {
  readonly stack: SynthStack;
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** `aws_iam_role.target_role` or `data.aws_iam_policy_document.trust`. */
  readonly address: string;
  /** The construct path cdktf recorded, when there is one. */
  readonly constructPath?: string;
  /** The configuration as synthesized (references not yet resolved). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** The prefix of the stand-in for a value that cannot be known before apply. */
export const UNRESOLVED_PREFIX = "arn:unresolved:terraform:::";

/** True when `value` (or a string inside it) holds an unresolved reference. */
export function containsUnresolved(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(UNRESOLVED_PREFIX);
}

const MAX_DEPTH = 25;
const TRAVERSAL = /^[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\]|\["[^"]*"\])*$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Splits `a.b[0]["c"]` into ["a", "b", 0, "c"]. */
function traversalParts(expression: string): (string | number)[] {
  const parts: (string | number)[] = [];
  const pattern = /\.?([A-Za-z_][\w-]*)|\[(\d+)\]|\["([^"]*)"\]/g;
  for (const match of expression.matchAll(pattern)) {
    if (match[1] !== undefined) parts.push(match[1]);
    else if (match[2] !== undefined) parts.push(Number(match[2]));
    else if (match[3] !== undefined) parts.push(match[3]);
  }
  return parts;
}

/** Follows `rest` into a value; a single nested block (an object) also answers index 0. */
function index(value: unknown, rest: readonly (string | number)[]): unknown {
  let current = value;
  for (const part of rest) {
    if (typeof part === "number") {
      current = Array.isArray(current) ? current[part] : part === 0 && isObject(current) ? current : undefined;
    } else if (Array.isArray(current) && current.length === 1 && isObject(current[0])) {
      current = current[0][part];
    } else {
      current = isObject(current) ? current[part] : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

export class ReferenceResolver {
  private readonly unresolvedExpressions = new Set<string>();
  private readonly allElements: readonly TerraformElementJson[];

  constructor(public readonly output: SynthOutput) {
    this.allElements = output.stacks.flatMap((stack) => [
      ...elementsOf(stack, "resource"),
      ...elementsOf(stack, "data"),
    ]);
  }

  /** Every expression met so far that could not be resolved, e.g. `aws_instance.instance.id`. */
  get unresolved(): readonly string[] {
    return [...this.unresolvedExpressions].sort();
  }

  /** Resources and data sources of every stack, optionally of one type. */
  elements(kind: "resource" | "data", type?: string): readonly TerraformElementJson[] {
    return this.allElements.filter((e) => e.kind === kind && (type === undefined || e.type === type));
  }

  /** The account, region and partition of the provider an element uses. */
  providerOf(element: TerraformElementJson): ProviderContext {
    const reference = typeof element.config.provider === "string" ? element.config.provider : "aws";
    const [name = "aws", alias] = reference.split(".");
    const configs = element.stack.json.provider?.[name] ?? [];
    const config = configs.find((c) => (alias === undefined ? c.alias === undefined : c.alias === alias));
    const resolved = config === undefined ? {} : (this.resolve(element.stack, config) as Record<string, unknown>);
    const accounts = Array.isArray(resolved.allowed_account_ids) ? resolved.allowed_account_ids.map(String) : [];
    const region = typeof resolved.region === "string" ? resolved.region : undefined;
    let partition = "aws";
    try {
      if (region !== undefined) partition = partitionOf(region);
    } catch {
      // An unknown region keeps the commercial partition; config validation reports the region itself.
    }
    return { accountId: accounts.length === 1 ? accounts[0] : undefined, region, partition };
  }

  /** An attribute of an element, resolved: from its config, else worked out from what is known. */
  attribute(element: TerraformElementJson, attributePath: readonly (string | number)[], depth = 0): unknown {
    const [first, ...rest] = attributePath;
    if (typeof first !== "string") return undefined;
    if (first in element.config) {
      return index(this.resolve(element.stack, element.config[first], depth + 1), rest);
    }
    const table = element.kind === "resource" ? RESOURCE_ATTRIBUTES : DATA_ATTRIBUTES;
    const known = table[element.type];
    if (known === undefined) return undefined;
    const values = known({
      text: (attribute) => {
        const value =
          attribute in element.config ? this.resolve(element.stack, element.config[attribute], depth + 1) : undefined;
        return typeof value === "string" && !value.startsWith(UNRESOLVED_PREFIX) ? value : undefined;
      },
      resolvedConfig: () => this.resolve(element.stack, element.config, depth + 1) as Record<string, unknown>,
      provider: this.providerOf(element),
      address: element.address,
    });
    return index(values[first], rest);
  }

  /** Resolves every `${...}` in `value` (deeply) as seen from `stack`. */
  resolve(stack: SynthStack, value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.resolveString(stack, value, depth);
    if (Array.isArray(value)) return value.map((item) => this.resolve(stack, item, depth));
    if (isObject(value)) {
      const resolved: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (key !== "//") resolved[key] = this.resolve(stack, item, depth);
      }
      return resolved;
    }
    return value;
  }

  private resolveString(stack: SynthStack, text: string, depth: number): unknown {
    const whole = /^\$\{([^{}]*)\}$/.exec(text)?.[1]?.trim();
    if (whole !== undefined) {
      const value = this.lookup(stack, whole, depth);
      return value === undefined ? this.unresolvedValue(whole) : value;
    }
    // `$${` is Terraform's escape for a literal `${` (IAM policy variables such as $${aws:username}).
    return text.replace(/(\$?)\$\{([^{}]*)\}/g, (match, escape: string, expression: string) => {
      if (escape === "$") return match.slice(1);
      const value = this.lookup(stack, expression.trim(), depth);
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
      return this.unresolvedValue(expression.trim());
    });
  }

  private unresolvedValue(expression: string): string {
    this.unresolvedExpressions.add(expression);
    return `${UNRESOLVED_PREFIX}${expression}`;
  }

  /** The value of one traversal expression, or undefined when it cannot be known. */
  private lookup(stack: SynthStack, expression: string, depth: number): unknown {
    if (depth > MAX_DEPTH || !TRAVERSAL.test(expression)) return undefined;
    const parts = traversalParts(expression);
    const [head, ...rest] = parts;
    if (head === "var") {
      return index(this.resolve(stack, stack.json.variable?.[String(rest[0])]?.default, depth + 1), rest.slice(1));
    }
    if (head === "local") return index(this.resolve(stack, stack.json.locals, depth + 1), rest);
    if (head === "data") {
      const [type, name, ...attributePath] = rest;
      if (type === "terraform_remote_state" && attributePath[0] === "outputs") {
        return this.remoteStateOutput(stack, String(name), attributePath.slice(1), depth);
      }
      const element = this.find(stack, "data", String(type), String(name));
      return element === undefined ? undefined : this.attribute(element, attributePath, depth);
    }
    const element = this.find(stack, "resource", String(head), String(rest[0]));
    return element === undefined ? undefined : this.attribute(element, rest.slice(1), depth);
  }

  private find(
    stack: SynthStack,
    kind: "resource" | "data",
    type: string,
    name: string,
  ): TerraformElementJson | undefined {
    return this.allElements.find((e) => e.stack === stack && e.kind === kind && e.type === type && e.name === name);
  }

  /**
   * An output of the stack whose backend is the state this remote-state data
   * source reads: the hand-off between the stacks, resolved the way Terraform
   * would after the other stack is applied.
   */
  private remoteStateOutput(
    stack: SynthStack,
    name: string,
    outputPath: readonly (string | number)[],
    depth: number,
  ): unknown {
    const data = this.find(stack, "data", "terraform_remote_state", name);
    if (data === undefined) return undefined;
    const config = this.resolve(stack, data.config, depth + 1) as Record<string, unknown>;
    const wanted = stateIdentity(String(config.backend), isObject(config.config) ? config.config : {}, stack);
    const source = this.output.stacks.find(
      (other) => backendIdentity(other, (s, v) => this.resolve(s, v, depth + 1)) === wanted,
    );
    const [outputName, ...rest] = outputPath;
    const output = source?.json.output?.[String(outputName)];
    if (source === undefined || output === undefined) return undefined;
    return index(this.resolve(source, output.value, depth + 1), rest);
  }
}

function elementsOf(stack: SynthStack, kind: "resource" | "data"): TerraformElementJson[] {
  const blocks = kind === "resource" ? stack.json.resource : stack.json.data;
  return Object.entries(blocks ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, config]): TerraformElementJson => {
      const metadata = (config["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
      return {
        stack,
        kind,
        type,
        name,
        address: kind === "resource" ? `${type}.${name}` : `data.${type}.${name}`,
        constructPath: metadata?.path,
        config,
      };
    }),
  );
}

/**
 * Names a Terraform state so a backend and a remote-state reader of the same
 * state get the same name: a local file by absolute path (relative paths are
 * relative to the stack's working directory), S3 by bucket and key, HCP
 * Terraform / remote by host, organization and workspace.
 */
export function stateIdentity(backend: string, config: Readonly<Record<string, unknown>>, stack: SynthStack): string {
  const workspaces = isObject(config.workspaces) ? config.workspaces : {};
  const text = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : fallback);
  switch (backend) {
    case "local":
      return `local:${path.resolve(stack.workingDirectory, text(config.path, "terraform.tfstate"))}`;
    case "s3":
      return `s3://${text(config.bucket)}/${text(config.key)}`;
    case "remote":
    case "cloud":
      return `hcp://${text(config.hostname, "app.terraform.io")}/${text(config.organization)}/${text(workspaces.name ?? workspaces.prefix)}`;
    default:
      return `${backend}:${JSON.stringify(config)}`;
  }
}

/** The state a stack writes to (its backend, or cdktf's local default). */
export function backendIdentity(stack: SynthStack, resolve: (stack: SynthStack, value: unknown) => unknown): string {
  const terraform = stack.json.terraform ?? {};
  if (terraform.cloud !== undefined) {
    return stateIdentity("cloud", resolve(stack, terraform.cloud) as Record<string, unknown>, stack);
  }
  const [type, config] = Object.entries(terraform.backend ?? {})[0] ?? ["local", {}];
  return stateIdentity(type, resolve(stack, config) as Record<string, unknown>, stack);
}
