/**
 * The resources and data sources of one stack as the rules see them: each
 * construct with its Terraform type, address and configuration resolved the
 * way it will be synthesized (snake_case keys, references as `${type.name.attr}`
 * strings, escape-hatch overrides applied). Rules read what Terraform will
 * get, whatever construct produced it.
 */
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Tokenization } from "cdktf";
import { policyDocumentDataToJson, PolicyJson, readPolicy } from "../access-report/policy-json";

export interface ElementView {
  /** The construct that synthesizes this block: findings are reported on it. */
  readonly construct: TerraformElement;
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** `aws_s3_bucket.bucket`, `data.aws_iam_policy_document.trust`. */
  readonly address: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Resolves tokens the way the stack's synthesizer does, so references come out as `${type.name.attr}`. */
const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

export interface ProviderView {
  /** "aws.bucket_owner", or "aws" for the default provider. */
  readonly reference: string;
  readonly allowedAccountIds: readonly string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class StackElements {
  readonly elements: readonly ElementView[];
  readonly providers: readonly ProviderView[];

  constructor(readonly stack: TerraformStack) {
    const elements: ElementView[] = [];
    const providers: ProviderView[] = [];
    for (const construct of stack.node.findAll()) {
      if (!(construct instanceof TerraformElement) || TerraformStack.of(construct) !== stack) continue;
      const synthesized = Tokenization.resolve(construct.toTerraform(), {
        scope: stack,
        preparing: false,
        resolver: TOKEN_RESOLVER,
      }) as Record<string, unknown>;
      for (const kind of ["resource", "data"] as const) {
        const byType = synthesized[kind];
        if (!isObject(byType)) continue;
        for (const [type, byName] of Object.entries(byType)) {
          if (!isObject(byName)) continue;
          for (const [name, config] of Object.entries(byName)) {
            if (!isObject(config)) continue;
            const address = kind === "resource" ? `${type}.${name}` : `data.${type}.${name}`;
            elements.push({ construct, kind, type, name, address, config });
          }
        }
      }
      const providerBlocks = synthesized.provider;
      if (isObject(providerBlocks)) {
        for (const [name, configs] of Object.entries(providerBlocks)) {
          for (const config of Array.isArray(configs) ? configs : [configs]) {
            if (!isObject(config)) continue;
            const alias = typeof config.alias === "string" ? config.alias : undefined;
            const accounts = Array.isArray(config.allowed_account_ids) ? config.allowed_account_ids.map(String) : [];
            providers.push({ reference: alias === undefined ? name : `${name}.${alias}`, allowedAccountIds: accounts });
          }
        }
      }
    }
    this.elements = elements;
    this.providers = providers;
  }

  /** Resources (or data sources) of one Terraform type. */
  ofType(type: string, kind: "resource" | "data" = "resource"): readonly ElementView[] {
    return this.elements.filter((element) => element.kind === kind && element.type === type);
  }

  /** The account an element's provider is pinned to, when it is pinned to exactly one. */
  accountOf(element: ElementView): string | undefined {
    const reference = typeof element.config.provider === "string" ? element.config.provider : "aws";
    const accounts = this.providers.find((p) => p.reference === reference)?.allowedAccountIds ?? [];
    return accounts.length === 1 ? accounts[0] : undefined;
  }

  /**
   * True when `value` designates `target`: a reference to one of its attributes
   * (`${aws_s3_bucket.bucket.id}`), or one of its literal attribute values
   * (the bucket's name written out).
   */
  designates(value: unknown, target: ElementView, literalAttributes: readonly string[]): boolean {
    if (typeof value !== "string") return false;
    if (value.startsWith(`\${${target.address}.`)) return true;
    return literalAttributes.some((attribute) => target.config[attribute] === value);
  }

  /**
   * The policy document in an attribute: a JSON string, or a reference to an
   * aws_iam_policy_document data source in this stack. Undefined when the
   * value is something else (an expression only Terraform can evaluate).
   */
  policyIn(value: unknown): PolicyJson | undefined {
    if (typeof value === "string") {
      const reference = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)\}$/.exec(value);
      if (reference !== null) {
        const data = this.ofType("aws_iam_policy_document", "data").find((d) => d.name === reference[1]);
        return data === undefined ? undefined : policyDocumentDataToJson(data.config);
      }
    }
    return readPolicy(value);
  }
}
