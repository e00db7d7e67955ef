/**
 * "Did you mean": the one known value closest to what was written, offered only when it is close
 * enough to be what was meant. Unknown keys and near-miss values (regions, access levels, instance
 * types, …) use the same closeness rule, so a hint means the same everywhere.
 */
import { closest, distance } from "fastest-levenshtein";
import { INSTANCE_SIZES_BY_FAMILY } from "./instance-types";

/**
 * The candidate closest to `written`, compared regardless of case, when it is at most
 * max(2, a third of `written`'s length) edits away and keeps something of it (a one-letter
 * value is two edits from any two-letter one, which is no hint); undefined when none is close.
 */
export function nearest(written: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lowered = candidates.map((candidate) => candidate.toLowerCase());
  const target = written.toLowerCase();
  const best = closest(target, lowered);
  const edits = distance(target, best);
  if (edits > Math.max(2, Math.floor(written.length / 3)) || edits >= Math.max(target.length, best.length)) {
    return undefined;
  }
  return candidates[lowered.indexOf(best)];
}

/** The hint that ends a problem line: `did you mean "eu-central-1"?`. */
export function didYouMean(suggestion: string): string {
  return `did you mean ${JSON.stringify(suggestion)}?`;
}

/** Sizes of a known family, smallest first; undefined for a family the list does not have. */
function sizesOf(family: string): readonly string[] | undefined {
  return Object.hasOwn(INSTANCE_SIZES_BY_FAMILY, family) ? INSTANCE_SIZES_BY_FAMILY[family]?.split(" ") : undefined;
}

/** The generation number of a family (t3 → 3, m7gd → 7, u7i-12tb → 7). */
function generation(family: string): number {
  return Number(/\d+/.exec(family)?.[0] ?? 0);
}

let everyType: readonly string[] | undefined;

/**
 * Every listed type, newest generation first: where several are equally close (t.micro is one
 * edit from t1.micro, t2.micro and t3.micro), the first one, the current generation, is offered.
 * Built on the first misspelt type, not at start-up: a valid config never needs it.
 */
function allInstanceTypes(): readonly string[] {
  everyType ??= Object.keys(INSTANCE_SIZES_BY_FAMILY)
    .sort((a, b) => generation(b) - generation(a) || a.localeCompare(b))
    .flatMap((family) => (sizesOf(family) ?? []).map((size) => `${family}.${size}`));
  return everyType;
}

const PREFERRED_SIZES = ["micro", "small", "medium", "large", "xlarge"];

/**
 * The instance type most likely meant by `written`, which is not a valid one: a known family
 * with the size closest to the one written (t3.mirco → t3.micro), a known family alone with its
 * smallest usual size (t3 → t3.micro), else the closest listed type (T3.Micro → t3.micro).
 */
export function suggestInstanceType(written: string): string | undefined {
  const lower = written.trim().toLowerCase();
  const dot = lower.indexOf(".");
  const family = dot === -1 ? lower : lower.slice(0, dot);
  const sizes = sizesOf(family);
  if (sizes !== undefined) {
    if (dot === -1) return `${family}.${PREFERRED_SIZES.find((size) => sizes.includes(size)) ?? sizes[0] ?? ""}`;
    const size = nearest(lower.slice(dot + 1), sizes);
    if (size !== undefined) return `${family}.${size}`;
  }
  return nearest(written.trim(), allInstanceTypes());
}
