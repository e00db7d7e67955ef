/**
 * The rules that look at the `accessors` list as a whole: names and the names
 * derived from them are unique, each consumer's state is its own, no key
 * prefix contains another unless the containing consumer allows it, and the
 * list fits the AWS quotas of the owner account. Each rule is one pass over
 * the list (a map, or a sort for the prefixes), so a long list stays cheap.
 */
import { Problem, problem } from "./problems";
import type { AccessorState } from "./accessor-states";

/** One consumer as the rules across consumers see it; a field is undefined when its value is unusable. */
export interface AccessorFacts {
  /** `accessors[n]` */
  readonly path: string;
  readonly name?: string;
  /** The access point's name, and the field it comes from (`accessPointName`, or `name` by default). */
  readonly accessPoint?: { readonly name: string; readonly field: "accessPointName" | "name" };
  readonly targetRoleName?: string;
  /** The instance role: its account and name (an existing role's ARN reduced to its name). */
  readonly instanceRole?: { readonly accountId: string; readonly name: string };
  /** The IAM group for people, with its account. */
  readonly group?: { readonly accountId: string; readonly name: string };
  /** The key prefix; "" for the whole bucket; undefined when the value is unusable. */
  readonly keyPrefix?: string;
  readonly allowPrefixOverlap: boolean;
  readonly state?: AccessorState;
  /** The entry names its own state key or workspace (else it is derived from the name). */
  readonly stateGiven: boolean;
  /** The key or workspace the consumer would get by default, to suggest. */
  readonly defaultState?: string;
}

/**
 * Target roles are all in the owner account: IAM allows 1,000 roles in an
 * account by default and 5,000 at most ("IAM and AWS STS quotas" in the IAM
 * user guide). Access points: 10,000 per account and Region by default
 * ("Access points restrictions and limitations" in the S3 user guide), so the
 * roles are the limit that binds first.
 */
export const MAX_ACCESSORS = 5_000;

/** The first holder of each key, and what `report` says of every later one (undefined: nothing to add). */
function duplicates(
  facts: readonly AccessorFacts[],
  keyOf: (fact: AccessorFacts) => string | undefined,
  report: (later: AccessorFacts, first: AccessorFacts) => Problem | undefined,
): Problem[] {
  const first = new Map<string, AccessorFacts>();
  const found: Problem[] = [];
  for (const fact of facts) {
    const key = keyOf(fact);
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, fact);
    else found.push(...[report(fact, earlier)].filter((p): p is Problem => p !== undefined));
  }
  return found;
}

function nameProblems(facts: readonly AccessorFacts[]): Problem[] {
  return duplicates(
    facts,
    (f) => f.name,
    (later, first) =>
      problem(
        `${later.path}.name`,
        later.name,
        `is already the name of ${first.path}; each consumer needs its own name, which names its stack (accessor-${later.name ?? ""}), target role outputs and access point (e.g. "${later.name ?? ""}-2")`,
      ),
  );
}

function accessPointProblems(facts: readonly AccessorFacts[]): Problem[] {
  return duplicates(
    facts,
    (f) => f.accessPoint?.name,
    (later, first) =>
      // Two equal names, both standing in for the access point name, are reported by nameProblems.
      later.accessPoint?.field === "name" && first.accessPoint?.field === "name"
        ? undefined
        : problem(
            `${later.path}.${later.accessPoint?.field ?? "name"}`,
            later.accessPoint?.name,
            `is already the access point name of ${first.path}${first.accessPoint?.field === "name" ? " (its name)" : ""}; access point names are unique in an account and Region, so set ${later.path}.accessPointName to another (e.g. "${later.accessPoint?.name ?? ""}-2")`,
          ),
  );
}

function roleProblems(facts: readonly AccessorFacts[]): Problem[] {
  return [
    // IAM names are unique in an account regardless of case ("IAM and AWS STS quotas").
    ...duplicates(
      facts,
      (f) => f.targetRoleName?.toLowerCase(),
      (later, first) =>
        problem(
          `${later.path}.targetRoleName`,
          later.targetRoleName,
          `names the same role as ${first.path}.targetRoleName (role names are unique in an account regardless of case, and every target role is in the bucket owner account); give each consumer its own target role (e.g. "${later.name ?? "team-b"}-reader")`,
        ),
    ),
    ...duplicates(
      facts,
      (f) =>
        f.instanceRole === undefined ? undefined : `${f.instanceRole.accountId}:${f.instanceRole.name.toLowerCase()}`,
      (later, first) =>
        problem(
          `${later.path}.instanceRoleName`,
          later.instanceRole?.name,
          `is also ${first.path}'s instance role in account ${later.instanceRole?.accountId ?? "?"}; each consumer's stack writes its instance role's "assume-target-role" policy, so two would overwrite each other; give each consumer its own instance role (e.g. "${later.name ?? "team-b"}-instance")`,
        ),
    ),
    ...duplicates(
      facts,
      (f) => (f.group === undefined ? undefined : `${f.group.accountId}:${f.group.name.toLowerCase()}`),
      (later, first) =>
        problem(
          `${later.path}.humanAccess.groupName`,
          later.group?.name,
          `is also ${first.path}'s group in account ${later.group?.accountId ?? "?"}; each consumer's stack creates its group, so give each its own (e.g. "${later.name ?? "team-b"}-readers")`,
        ),
    ),
  ];
}

function stateKey(state: AccessorState | undefined): string | undefined {
  if (state === undefined || state.type === "local") return undefined;
  return state.type === "s3" ? `s3://${state.bucket}/${state.key}` : `workspace ${state.workspace}`;
}

function stateProblems(facts: readonly AccessorFacts[], ownerState: AccessorState | undefined): Problem[] {
  const field = (fact: AccessorFacts): string =>
    `${fact.path}.backend.${fact.state?.type === "cloud" ? "workspace" : "key"}`;
  const value = (fact: AccessorFacts): string | undefined =>
    fact.state?.type === "cloud" ? fact.state.workspace : fact.state?.type === "s3" ? fact.state.key : undefined;
  const example = (fact: AccessorFacts): string => {
    const current = value(fact) ?? "";
    const fallback = current.endsWith(".tfstate")
      ? `${current.slice(0, -".tfstate".length)}-2.tfstate`
      : `${current}-2`;
    return JSON.stringify(
      fact.defaultState !== undefined && fact.defaultState !== current ? fact.defaultState : fallback,
    );
  };
  const owner = stateKey(ownerState);
  return [
    ...facts
      .filter((fact) => owner !== undefined && stateKey(fact.state) === owner)
      .map((fact) =>
        problem(
          field(fact),
          value(fact),
          `is the bucket owner stack's state too; each stack needs its own (e.g. ${example(fact)})`,
        ),
      ),
    ...duplicates(
      facts,
      (f) => stateKey(f.state),
      (later, first) =>
        // Two defaults derived from one name: the duplicate name is the problem, reported by nameProblems.
        !later.stateGiven && !first.stateGiven && later.name === first.name
          ? undefined
          : problem(
              field(later),
              value(later),
              `is ${first.path}'s state too; each consumer's stack needs its own, so that deploying or destroying one never touches another (e.g. ${example(later)})`,
            ),
    ),
  ];
}

/** "team-a/" as a person reads it; the whole bucket when there is no prefix. */
function describePrefix(prefix: string): string {
  return prefix === "" ? "the whole bucket" : JSON.stringify(prefix);
}

const LISTED = 5;

/**
 * A consumer whose prefix contains another's (or equals it, or has none and so
 * covers the whole bucket) reads, and at write levels changes, the other's
 * data. That is an error unless the containing consumer says it is meant to,
 * with `allowPrefixOverlap`. Sorted, every prefix that starts with p follows p
 * directly, so each consumer is compared only with the prefixes it contains.
 */
function prefixProblems(facts: readonly AccessorFacts[]): Problem[] {
  const sorted = facts
    .map((fact, index) => ({ fact, index }))
    .filter((f): f is { fact: AccessorFacts & { keyPrefix: string }; index: number } => f.fact.keyPrefix !== undefined)
    .sort((a, b) =>
      a.fact.keyPrefix < b.fact.keyPrefix ? -1 : a.fact.keyPrefix > b.fact.keyPrefix ? 1 : a.index - b.index,
    );
  const contained = new Map<AccessorFacts, Array<{ fact: AccessorFacts; index: number }>>();
  sorted.forEach(({ fact: outer }, i) => {
    for (let j = i + 1; ; j++) {
      const inner = sorted[j];
      if (inner === undefined || !inner.fact.keyPrefix.startsWith(outer.keyPrefix)) break;
      // Equal prefixes contain each other: either consumer allowing it is enough.
      const same = inner.fact.keyPrefix === outer.keyPrefix;
      if (outer.allowPrefixOverlap || (same && inner.fact.allowPrefixOverlap)) continue;
      const list = contained.get(outer) ?? [];
      if (list.length === 0) contained.set(outer, list);
      list.push(inner);
    }
  });
  return facts.flatMap((outer) => {
    const inner = contained.get(outer);
    if (inner === undefined) return [];
    const names = inner
      .sort((a, b) => a.index - b.index)
      .map(({ fact }) => `${fact.path} (${describePrefix(fact.keyPrefix ?? "")})`);
    const listed = names.length > LISTED ? [...names.slice(0, LISTED), `and ${names.length - LISTED} more`] : names;
    const what =
      outer.keyPrefix === ""
        ? `means the whole bucket, which contains the prefix${names.length > 1 ? "es" : ""} of`
        : `contains the prefix${names.length > 1 ? "es" : ""} of`;
    return [
      problem(
        `${outer.path}.keyPrefix`,
        outer.keyPrefix === "" ? undefined : outer.keyPrefix,
        `${what} ${listed.join(", ")}, so ${outer.path} also reaches their data; give the consumers prefixes that do not contain one another (e.g. "team-a/" and "team-b/"), or set ${outer.path}.allowPrefixOverlap to true if it is meant to reach theirs`,
      ),
    ];
  });
}

/** Every problem of the list as a whole; `ownerState` is the owner stack's state, which no consumer may share. */
export function accessorSetProblems(facts: readonly AccessorFacts[], ownerState: AccessorState | undefined): Problem[] {
  const found: Problem[] = [];
  if (facts.length > MAX_ACCESSORS) {
    found.push(
      problem(
        "accessors",
        `${facts.length} consumers`,
        `need ${facts.length} target roles in the bucket owner account, more than IAM allows in one account (1,000 by default, ${MAX_ACCESSORS.toLocaleString("en-US")} after a quota increase); split the consumers across buckets owned by several accounts`,
      ),
    );
  }
  return [
    ...found,
    ...nameProblems(facts),
    ...accessPointProblems(facts),
    ...roleProblems(facts),
    ...stateProblems(facts, ownerState),
    ...prefixProblems(facts),
  ];
}
