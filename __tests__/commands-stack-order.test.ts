/**
 * The order diff, deploy and destroy give the stacks, from the manifest's
 * dependencies: the bucket owner before the accessors that read its state on
 * deploy, the accessors first on destroy, whatever the number of accessor
 * stacks; and which stacks a partial selection leaves out.
 */
import { CommandError } from "../commands/command-error";
import type { ManifestStack } from "../commands/manifest";
import {
  deployLevels,
  destroyLevels,
  selectedLevels,
  selectStacks,
  unselectedDependants,
  unselectedDependencies,
} from "../commands/stack-order";

function stack(name: string, dependencies: string[] = []): ManifestStack {
  return {
    name,
    dependencies,
    synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
    workingDirectory: `stacks/${name}`,
    annotations: [],
  };
}

const names = (levels: ManifestStack[][]): string[][] => levels.map((level) => level.map((s) => s.name));

// As the manifest lists them: by name, so the accessors come before the owner they depend on.
const TWO = [stack("accessor", ["bucket-owner"]), stack("bucket-owner")];
const MANY = [
  stack("accessor-analytics", ["bucket-owner"]),
  stack("accessor-batch", ["bucket-owner"]),
  stack("accessor-web", ["bucket-owner"]),
  stack("bucket-owner"),
];

describe("deploy order", () => {
  test("the bucket owner first, then the accessor that reads its state", () => {
    expect(names(deployLevels(TWO))).toEqual([["bucket-owner"], ["accessor"]]);
  });

  test("with several accessor stacks, all of them on the level after the owner", () => {
    expect(names(deployLevels(MANY))).toEqual([
      ["bucket-owner"],
      ["accessor-analytics", "accessor-batch", "accessor-web"],
    ]);
  });

  test("a chain gets one level per link", () => {
    const chain = [stack("c", ["b"]), stack("b", ["a"]), stack("a")];
    expect(names(deployLevels(chain))).toEqual([["a"], ["b"], ["c"]]);
  });

  test("a cycle is refused in one line naming the stacks", () => {
    const cycle = [stack("a", ["b"]), stack("b", ["a"]), stack("c")];
    expect(() => deployLevels(cycle)).toThrow(CommandError);
    expect(() => deployLevels(cycle)).toThrow(/^The stacks a, b depend on each other in a cycle/);
  });
});

describe("destroy order", () => {
  test("the accessors first, the bucket owner last", () => {
    expect(names(destroyLevels(TWO))).toEqual([["accessor"], ["bucket-owner"]]);
    expect(names(destroyLevels(MANY))).toEqual([
      ["accessor-analytics", "accessor-batch", "accessor-web"],
      ["bucket-owner"],
    ]);
  });
});

describe("selecting stacks", () => {
  test("no name selects every stack", () => {
    expect([...selectStacks(MANY, [], "cdktf.out")].sort()).toEqual([
      "accessor-analytics",
      "accessor-batch",
      "accessor-web",
      "bucket-owner",
    ]);
  });

  test("an unknown name is refused in one line listing the stacks there are", () => {
    expect(() => selectStacks(TWO, ["acessor", "bucket-owner"], "cdktf.out")).toThrow(
      '"acessor" is not a stack of "cdktf.out"; its stacks are accessor, bucket-owner (name none to take every stack).',
    );
  });

  test("`*` patterns, as the cdktf CLI takes them: every accessor stack, or every stack", () => {
    expect([...selectStacks(MANY, ["accessor-*"], "cdktf.out")].sort()).toEqual([
      "accessor-analytics",
      "accessor-batch",
      "accessor-web",
    ]);
    expect(selectStacks(MANY, ["*"], "cdktf.out").size).toBe(4);
    expect(() => selectStacks(MANY, ["web-*"], "cdktf.out")).toThrow(/^"web-\*" is not a stack of "cdktf.out"/);
    // Other pattern characters are the name's own: a dot is a dot.
    expect(() => selectStacks([stack("a-b")], ["a.b"], "cdktf.out")).toThrow(CommandError);
  });

  test("the selection keeps the order and drops empty levels", () => {
    const selected = selectStacks(MANY, ["accessor-web", "bucket-owner"], "cdktf.out");
    expect(names(selectedLevels(deployLevels(MANY), selected))).toEqual([["bucket-owner"], ["accessor-web"]]);
  });

  test("deploying accessors alone leaves out the owner they depend on", () => {
    expect(unselectedDependencies(MANY, new Set(["accessor-batch", "accessor-web"]))).toEqual(["bucket-owner"]);
    expect(unselectedDependencies(MANY, new Set(["bucket-owner", "accessor-web"]))).toEqual([]);
  });

  test("destroying the owner alone leaves out every accessor that depends on it", () => {
    expect(unselectedDependants(MANY, new Set(["bucket-owner"]))).toEqual([
      "accessor-analytics",
      "accessor-batch",
      "accessor-web",
    ]);
    expect(unselectedDependants(MANY, new Set(["accessor-web"]))).toEqual([]);
  });
});
