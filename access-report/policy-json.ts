/**
 * IAM policy documents as they are read back from synthesized Terraform JSON:
 * looser than lib/policy-document.ts (which builds policies), because a
 * policy read from a stack may use any element of the policy language
 * (NotAction, NotPrincipal, NotResource, condition values as lists or booleans).
 * Both the access report and the policy rules read policies through here.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One statement, as AWS accepts it. */
export interface StatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly NotPrincipal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
}

export interface PolicyJson {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: readonly StatementJson[];
}

/** A value as a list ("x" → ["x"], undefined → []). */
export function listOf<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads a policy attribute: a JSON string (what this project writes) or an
 * already-parsed object. A single statement object is accepted as AWS does.
 * Returns undefined when the value is not a policy document (e.g. an
 * unresolved `${jsonencode(...)}` expression).
 */
export function readPolicy(value: unknown): PolicyJson | undefined {
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!isObject(parsed)) return undefined;
  const statements = parsed.Statement;
  if (Array.isArray(statements) && statements.every(isObject)) return parsed as unknown as PolicyJson;
  if (isObject(statements)) return { ...(parsed as object), Statement: [statements] } as unknown as PolicyJson;
  return undefined;
}

/** The AWS principals of a Principal element ("*" counts as the AWS wildcard). */
export function awsPrincipals(principal: StatementJson["Principal"]): readonly string[] {
  if (principal === undefined) return [];
  if (principal === "*") return ["*"];
  return listOf(principal.AWS);
}

/** True when a Principal element admits everyone: "*" or {"AWS": "*"}. */
export function isWildcardPrincipal(principal: StatementJson["Principal"]): boolean {
  return awsPrincipals(principal).includes("*");
}

/** IAM's action matching: case-insensitive, with * and ? wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    "^" +
      pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("") +
      "$",
    "i",
  );
  return regex.test(action);
}

/**
 * A matcher for a statement's Action (or NotAction) element, compiled once:
 * the report asks it about thousands of actions when a statement says `*`.
 */
export function actionMatcher(statement: StatementJson): (action: string) => boolean {
  const negated = statement.NotAction !== undefined;
  const patterns = listOf(negated ? statement.NotAction : statement.Action).map(
    (pattern) =>
      new RegExp(
        "^" +
          pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".") +
          "$",
        "i",
      ),
  );
  return (action) => patterns.some((regex) => regex.test(action)) !== negated;
}

/** True when a statement's Action (or NotAction) element covers `action`. */
export function statementCoversAction(statement: StatementJson, action: string): boolean {
  if (statement.NotAction !== undefined) {
    return !listOf(statement.NotAction).some((pattern) => actionMatches(pattern, action));
  }
  return listOf(statement.Action).some((pattern) => actionMatches(pattern, action));
}

/**
 * Renders an `aws_iam_policy_document` data source's configuration (snake_case
 * blocks, as synthesized) as the JSON policy Terraform would produce, so a
 * policy built that way is read like one written as a JSON string.
 */
export function policyDocumentDataToJson(config: Readonly<Record<string, unknown>>): PolicyJson {
  const principalsOf = (blocks: unknown): Record<string, string[]> | "*" | undefined => {
    const list = listOf(blocks as Record<string, unknown> | undefined).filter(isObject);
    if (list.length === 0) return undefined;
    const map: Record<string, string[]> = {};
    for (const block of list) {
      const type = String(block.type);
      const identifiers = listOf(block.identifiers as string | string[] | undefined).map(String);
      if (type === "*" && identifiers.includes("*")) return "*";
      map[type] = [...(map[type] ?? []), ...identifiers];
    }
    return map;
  };
  const conditionsOf = (blocks: unknown): Record<string, Record<string, JsonValue>> | undefined => {
    const list = listOf(blocks as Record<string, unknown> | undefined).filter(isObject);
    if (list.length === 0) return undefined;
    const conditions: Record<string, Record<string, JsonValue>> = {};
    for (const block of list) {
      const test = String(block.test);
      conditions[test] = { ...(conditions[test] ?? {}), [String(block.variable)]: block.values as JsonValue };
    }
    return conditions;
  };
  const statements = listOf(config.statement)
    .filter(isObject)
    .map((block): StatementJson => {
      const statement: Record<string, unknown> = {
        Sid: block.sid,
        Effect: typeof block.effect === "string" ? block.effect : "Allow",
        Principal: principalsOf(block.principals),
        NotPrincipal: principalsOf(block.not_principals),
        Action: block.actions,
        NotAction: block.not_actions,
        Resource: block.resources,
        NotResource: block.not_resources,
        Condition: conditionsOf(block.condition),
      };
      return Object.fromEntries(
        Object.entries(statement).filter(([, value]) => value !== undefined),
      ) as unknown as StatementJson;
    });
  return { Version: (config.version as string | undefined) ?? "2012-10-17", Statement: statements };
}
