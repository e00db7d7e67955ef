/**
 * ARN patterns as IAM reads them in Resource elements and in ArnLike/StringLike
 * conditions: `*` matches any run of characters and `?` one character, inside
 * one ARN segment. IAM matches the partition, service, region and account
 * segments separately and the resource part (everything after the fifth
 * colon) as one string ("IAM JSON policy elements: Resource"), so a pattern is
 * compared segment by segment; `*` alone stands for every resource.
 *
 * Three questions the report asks of patterns: does a pattern match a value,
 * is every value one pattern matches also matched by another (containment:
 * "is this grant inside what the config allows"), and can two patterns match
 * a common value (overlap: "does this grant touch the bucket").
 */

const SEGMENTS = 6;

/** An ARN pattern split into its six segments; short ARNs are padded with `*` as IAM does. */
function segmentsOf(pattern: string): string[] | undefined {
  if (pattern === "*") return undefined;
  const parts = pattern.split(":");
  const head = parts.slice(0, SEGMENTS - 1);
  const rest = parts.length >= SEGMENTS ? parts.slice(SEGMENTS - 1).join(":") : "*";
  while (head.length < SEGMENTS - 1) head.push("*");
  return [...head, rest];
}

type Token = { readonly kind: "any" } | { readonly kind: "one" } | { readonly kind: "char"; readonly char: string };

function tokens(glob: string): Token[] {
  const result: Token[] = [];
  for (const char of glob) {
    if (char === "*") {
      // Consecutive stars match what one star matches.
      if (result[result.length - 1]?.kind !== "any") result.push({ kind: "any" });
    } else if (char === "?") result.push({ kind: "one" });
    else result.push({ kind: "char", char });
  }
  return result;
}

/** True when the glob `pattern` (with * and ?) matches the literal `value`. */
export function globMatches(pattern: string, value: string): boolean {
  const p = tokens(pattern);
  // ARNs and principal names are ASCII: indexing by UTF-16 unit is indexing by character.
  const v = value;
  // Classic two-pointer wildcard match with backtracking to the last star.
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < v.length) {
    const token = p[i];
    if (token !== undefined && (token.kind === "one" || (token.kind === "char" && token.char === v[j]))) {
      i++;
      j++;
    } else if (token?.kind === "any") {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (p[i]?.kind === "any") i++;
  return i === p.length;
}

/**
 * True when every value `inner` matches is also matched by `outer` (both
 * globs). Sound: a "true" is always right; for exotic pairs such as `?*`
 * inside `*?` it may answer "false", which makes the report flag a grant it
 * could have accepted, never the reverse.
 */
export function globContains(outer: string, inner: string): boolean {
  const a = tokens(outer);
  const b = tokens(inner);
  const memo = new Map<number, boolean>();
  const step = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const x = a[i];
    const y = b[j];
    if (x === undefined) result = y === undefined;
    else if (x.kind === "any") result = step(i + 1, j) || (y !== undefined && step(i, j + 1));
    else if (y === undefined || y.kind === "any") result = false;
    else if (x.kind === "one") result = step(i + 1, j + 1);
    else result = y.kind === "char" && y.char === x.char && step(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return step(0, 0);
}

/** True when some value matches both globs. */
export function globOverlaps(first: string, second: string): boolean {
  const a = tokens(first);
  const b = tokens(second);
  const memo = new Map<number, boolean>();
  const step = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const x = a[i];
    const y = b[j];
    let result: boolean;
    if (x === undefined && y === undefined) result = true;
    else if (x?.kind === "any") result = step(i + 1, j) || (y !== undefined && step(i, j + 1));
    else if (y?.kind === "any") result = step(i, j + 1) || (x !== undefined && step(i + 1, j));
    else if (x === undefined || y === undefined) result = false;
    else if (x.kind === "char" && y.kind === "char") result = x.char === y.char && step(i + 1, j + 1);
    else result = step(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return step(0, 0);
}

/** True when the ARN pattern matches the ARN `value` (both may be "*"). */
export function arnMatches(pattern: string, value: string): boolean {
  const p = segmentsOf(pattern);
  if (p === undefined) return true;
  const v = segmentsOf(value);
  if (v === undefined) return false;
  return p.every((segment, index) => globMatches(segment, v[index] ?? ""));
}

/** True when every ARN `inner` matches is also matched by `outer`. */
export function arnContains(outer: string, inner: string): boolean {
  const a = segmentsOf(outer);
  if (a === undefined) return true;
  const b = segmentsOf(inner);
  if (b === undefined) return false;
  return a.every((segment, index) => globContains(segment, b[index] ?? ""));
}

/** True when some ARN matches both patterns. */
export function arnOverlaps(first: string, second: string): boolean {
  const a = segmentsOf(first);
  const b = segmentsOf(second);
  if (a === undefined || b === undefined) return true;
  return a.every((segment, index) => globOverlaps(segment, b[index] ?? ""));
}

/** True when a pattern has a wildcard (or an IAM policy variable, which IAM fills in per request). */
export function hasWildcard(pattern: string): boolean {
  return /[*?]|\$\{/.test(pattern);
}

/** IAM policy variables (`${aws:username}`) stand for a value per request: as patterns they match anything. */
export function variablesAsWildcards(pattern: string): string {
  return pattern.replace(/\$\{[^}]*\}/g, "*");
}

const FILLERS = ["x", "", "x/x", "-x", "x-x"];

/**
 * Concrete values a pattern matches, for the evaluator to try: each wildcard
 * filled from a few short fillers ("x" and "" first). `*` alone gives none;
 * callers build those from the action's resource type instead.
 */
export function instancesOf(pattern: string, limit = 40): string[] {
  if (pattern === "*") return [];
  const parts = pattern.split(/([*?])/);
  let results = [""];
  for (const part of parts) {
    if (part === "*") results = results.flatMap((soFar) => FILLERS.map((filler) => soFar + filler));
    else if (part === "?") results = results.map((soFar) => soFar + "x");
    else results = results.map((soFar) => soFar + part);
    if (results.length > limit) results = results.slice(0, limit);
  }
  return results;
}

/** A value `pattern` matches that none of `avoid` matches, if the fillers find one. */
export function instanceOutside(pattern: string, avoid: readonly string[]): string | undefined {
  return instancesOf(pattern).find((value) => !avoid.some((other) => arnMatches(other, value)));
}
