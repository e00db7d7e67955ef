/**
 * In which order stacks are deployed and destroyed, from the dependencies in
 * the manifest: a stack that reads another's state (the accessors read the
 * bucket owner's target role ARN) is deployed after it and destroyed before
 * it. Stacks on the same level do not depend on each other; the cdktf CLI
 * runs them side by side.
 */
import { CommandError } from "./command-error";
import type { ManifestStack } from "./manifest";

/** The stacks in deploy order, as levels: every stack's dependencies are on earlier levels. */
export function deployLevels(stacks: readonly ManifestStack[]): ManifestStack[][] {
  const names = new Set(stacks.map((stack) => stack.name));
  const placed = new Set<string>();
  const levels: ManifestStack[][] = [];
  let remaining = [...stacks];
  while (remaining.length > 0) {
    // A dependency outside the output cannot be waited for here; the CLI reports it.
    const ready = remaining.filter((stack) =>
      stack.dependencies.every((dependency) => placed.has(dependency) || !names.has(dependency)),
    );
    if (ready.length === 0) {
      throw new CommandError([
        `The stacks ${remaining.map((stack) => stack.name).join(", ")} depend on each other in a cycle; cdktf cannot order them (run npm run synth again).`,
      ]);
    }
    // Within a level, by name: the manifest lists stacks in no meaningful order.
    levels.push([...ready].sort((a, b) => a.name.localeCompare(b.name)));
    ready.forEach((stack) => placed.add(stack.name));
    remaining = remaining.filter((stack) => !placed.has(stack.name));
  }
  return levels;
}

/** The stacks in destroy order: the deploy levels reversed. */
export function destroyLevels(stacks: readonly ManifestStack[]): ManifestStack[][] {
  return deployLevels(stacks).reverse();
}

/** A stack name, or a pattern where `*` stands for any characters (`accessor-*`), as the cdktf CLI takes them. */
function matcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  const regex = new RegExp(
    `^${pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return (name) => regex.test(name);
}

/**
 * The stacks named on the command line (names or `*` patterns), or every stack
 * when none is named. Throws when a name matches no stack of the output (with
 * the names there are).
 */
export function selectStacks(stacks: readonly ManifestStack[], names: readonly string[], shown: string): Set<string> {
  const all = stacks.map((stack) => stack.name);
  if (names.length === 0) return new Set(all);
  const unknown = names.filter((pattern) => !all.some(matcher(pattern)));
  if (unknown.length > 0) {
    throw new CommandError([
      `${unknown.map((name) => `"${name}"`).join(", ")} ${unknown.length === 1 ? "is not a stack" : "are not stacks"} of "${shown}"; its stacks are ${all.join(", ")} (name none to take every stack).`,
    ]);
  }
  return new Set(all.filter((name) => names.some((pattern) => matcher(pattern)(name))));
}

/** Levels restricted to the selected stacks, empty levels dropped. */
export function selectedLevels(levels: readonly ManifestStack[][], selected: ReadonlySet<string>): ManifestStack[][] {
  return levels.map((level) => level.filter((stack) => selected.has(stack.name))).filter((level) => level.length > 0);
}

/** Stacks outside the selection that a selected stack depends on (deploying them first is the user's job). */
export function unselectedDependencies(stacks: readonly ManifestStack[], selected: ReadonlySet<string>): string[] {
  const missing = stacks
    .filter((stack) => selected.has(stack.name))
    .flatMap((stack) => stack.dependencies)
    .filter((dependency) => !selected.has(dependency));
  return [...new Set(missing)].sort();
}

/** Stacks outside the selection that depend on a selected stack (destroying them first is the user's job). */
export function unselectedDependants(stacks: readonly ManifestStack[], selected: ReadonlySet<string>): string[] {
  const missing = stacks
    .filter((stack) => !selected.has(stack.name))
    .filter((stack) => stack.dependencies.some((dependency) => selected.has(dependency)))
    .map((stack) => stack.name);
  return [...new Set(missing)].sort();
}
