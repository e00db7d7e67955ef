/**
 * A policy as AWS receives it, for the checks that count its characters or
 * bytes. Two things happen between the synthesized attribute and the API call:
 *
 * - Terraform replaces every `${...}` reference with its value. A reference
 *   whose value the configuration determines (the target role's ARN, read from
 *   the owner's state) is measured with that value; an id AWS generates at
 *   apply (a KMS key id) with the longest value it can take; anything else
 *   cannot be known before apply and is measured as written.
 * - The AWS provider normalizes the JSON before sending it
 *   (terraform-plugin-sdk's structure.NormalizeJsonString: parsed and written
 *   again by Go's encoding/json), so the text is compact whatever the
 *   attribute's layout, and `<`, `>`, `&`, U+2028 and U+2029 become six-character
 *   `\u003c`-style escapes.
 */
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { policyDocumentDataToJson } from "../access-report/policy-json";
import { ReferenceResolver, UNRESOLVED_PREFIX } from "../access-report/resolve-references";
import type { SynthStack, TerraformJson } from "../access-report/synth-output";
import type { StackElements } from "./stack-elements";

/** How one `${...}` reference in a policy was measured. */
export interface MeasuredReference {
  /** The expression, e.g. `data.terraform_remote_state.bucket_owner_state.outputs.target_role_arn`. */
  readonly expression: string;
  /**
   * known: the value the configuration determines; longest: the longest value an
   * id generated at apply can take; unknown: measured as written.
   */
  readonly measuredAs: "known" | "longest" | "unknown";
  /** The text it was measured as. */
  readonly value: string;
}

/** A policy's text as the AWS API receives it, and how its references were measured. */
export interface PolicyText {
  readonly text: string;
  /** The parsed document, after references were replaced. */
  readonly document: unknown;
  readonly references: readonly MeasuredReference[];
}

/**
 * KMS key ids are 36 characters, as a UUID or as "mrk-" and 32 hex digits for
 * a multi-Region key ("Key identifiers (KeyId)" in the KMS developer guide).
 */
const LONGEST_KMS_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

/** The stand-in the access report's resolver uses for ids AWS generates at apply. */
const GENERATED_ID = /generated-at-apply-[A-Za-z0-9-]*/g;
const HAS_GENERATED_ID = /generated-at-apply-/;

/** Go's encoding/json escapes these even in compact output (HTML-safe escaping). */
const GO_ESCAPED = /[<>&\u2028\u2029]/g;

/** The JSON text Go's json.Marshal writes for `document`: compact, with HTML-safe escapes. */
export function providerJson(document: unknown): string {
  return JSON.stringify(document).replace(
    GO_ESCAPED,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** References in a synthesized string: `${expr}`, but not Terraform's `$${` escape for a literal `${`. */
const REFERENCE = /(\$?)\$\{([^{}]*)\}/g;

/** Terraform's escapes for a literal `${` and `%{` in a string, undone as Terraform does. */
function unescapeTemplates(value: unknown): unknown {
  // JSON.stringify gives undefined for undefined, which no policy attribute holds.
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? value : (JSON.parse(text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")) as unknown);
}

function referencesIn(value: unknown): string[] {
  const text = (JSON.stringify(value) as string | undefined) ?? "";
  return [...text.matchAll(REFERENCE)]
    .filter(([, escape]) => escape !== "$")
    .map(([, , expression]) => expression ?? "");
}

/**
 * Resolves references across every stack of the app, built in memory the way
 * `cdktf synth` writes them (same working directories, so local state paths
 * match), through the access report's resolver.
 */
class AppResolver {
  private readonly resolver: ReferenceResolver;
  private readonly stacks: ReadonlyMap<TerraformStack, SynthStack>;

  constructor(app: App) {
    const outdir = path.resolve(app.outdir);
    const stacks = new Map<TerraformStack, SynthStack>();
    for (const stack of app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
      stacks.set(stack, {
        id: stack.node.id,
        // The manifest's layout: stacks/<id> under the output folder.
        workingDirectory: path.join(outdir, "stacks", stack.node.id),
        json: stack.toTerraform() as TerraformJson,
        annotations: [],
      });
    }
    this.stacks = stacks;
    this.resolver = new ReferenceResolver({ outdir, stacks: [...stacks.values()] });
  }

  resolve(stack: TerraformStack, value: unknown): unknown {
    const synthStack = this.stacks.get(stack);
    return synthStack === undefined ? value : this.resolver.resolve(synthStack, value);
  }
}

/** Replaces the resolver's stand-ins: generated ids by their longest form, unknown values by the reference. */
function withStandIns(text: string): string {
  return text
    .replace(GENERATED_ID, LONGEST_KMS_KEY_ID)
    .replace(new RegExp(`${UNRESOLVED_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^"]*)`, "g"), "$${$1}");
}

/**
 * One resolver per app: synth runs the rules on each stack in turn after every
 * construct exists, and building the resolver means rendering every stack.
 * A stack or construct added since (a test that synthesizes one stack, then
 * builds another) gets a new one.
 */
const resolvers = new WeakMap<App, { readonly shape: string; readonly resolver: AppResolver }>();

/** The app's stacks and how many constructs each holds: a resolver built for another shape is rebuilt. */
function shapeOf(app: App): string {
  return app.node
    .findAll()
    .filter((c): c is TerraformStack => TerraformStack.isStack(c))
    .map((stack) => `${stack.node.path}:${stack.node.findAll().length}`)
    .join(",");
}

function resolverOf(app: App): AppResolver {
  const shape = shapeOf(app);
  const existing = resolvers.get(app);
  if (existing?.shape === shape) return existing.resolver;
  const resolver = new AppResolver(app);
  resolvers.set(app, { shape, resolver });
  return resolver;
}

const textsOfStack = new WeakMap<StackElements, PolicyTexts>();

/** Measures policy attributes of one stack; builds the app-wide resolver only when a policy has a reference. */
export class PolicyTexts {
  private readonly cache = new Map<unknown, PolicyText | undefined>();

  private constructor(private readonly elements: StackElements) {}

  /** The measurer of a stack's policies, shared by every rule that reads them. */
  static of(elements: StackElements): PolicyTexts {
    const existing = textsOfStack.get(elements);
    if (existing !== undefined) return existing;
    const created = new PolicyTexts(elements);
    textsOfStack.set(elements, created);
    return created;
  }

  /** The text AWS receives for a policy attribute, or undefined when it is not a readable document. */
  textOf(value: unknown): PolicyText | undefined {
    if (!this.cache.has(value)) this.cache.set(value, this.measureText(value));
    return this.cache.get(value);
  }

  private measureText(value: unknown): PolicyText | undefined {
    const dataSource =
      typeof value === "string"
        ? /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)\}$/.exec(value)
        : null;
    const source =
      dataSource === null
        ? value
        : this.elements.ofType("aws_iam_policy_document", "data").find((d) => d.name === dataSource[1])?.config;
    if (source === undefined) return undefined;
    const expressions = referencesIn(source);
    const resolved = expressions.length === 0 ? unescapeTemplates(source) : this.resolve(source);
    let document: unknown;
    if (dataSource !== null) {
      document = policyDocumentDataToJson(resolved as Readonly<Record<string, unknown>>);
    } else if (typeof resolved === "string") {
      try {
        document = JSON.parse(resolved);
      } catch {
        return undefined;
      }
    } else {
      return undefined;
    }
    const text = withStandIns(providerJson(document));
    return { text, document: JSON.parse(text) as unknown, references: expressions.map((e) => this.measure(e)) };
  }

  private resolve(value: unknown): unknown {
    return resolverOf(App.of(this.elements.stack)).resolve(this.elements.stack, value);
  }

  private measure(expression: string): MeasuredReference {
    const resolved = this.resolve(`\${${expression}}`);
    const text = typeof resolved === "string" ? resolved : JSON.stringify(resolved);
    if (text.startsWith(UNRESOLVED_PREFIX) || text.includes("${")) {
      return { expression, measuredAs: "unknown", value: `\${${expression}}` };
    }
    if (HAS_GENERATED_ID.test(text)) {
      return { expression, measuredAs: "longest", value: text.replace(GENERATED_ID, LONGEST_KMS_KEY_ID) };
    }
    return { expression, measuredAs: "known", value: text };
  }
}

/** "target_role_arn as arn:aws:iam::… (from the configuration)", for a finding's message. */
export function describeReferences(references: readonly MeasuredReference[]): string {
  const how = {
    known: "its value from the configuration",
    longest: "its longest value (a 36-character KMS key id)",
    unknown: "written, since its value is only known at apply",
  } as const;
  const distinct = [...new Map(references.map((r) => [r.expression, r])).values()];
  return distinct.map((r) => `\${${r.expression}} measured as ${how[r.measuredAs]}`).join("; ");
}
