/**
 * The suites must pass on a loaded machine: jest's 5 s default failed hooks that synthesize when two other
 * processes kept both cores busy. So every hook names its own limit, and the floor for tests is set where jest
 * reads it (the top level of jest.config.js; jest ignores testTimeout inside a project).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { PROJECT_ROOT } from "./helpers/config";

const HOOKS = new Set(["beforeAll", "beforeEach", "afterAll", "afterEach"]);

function testSources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) return name === "golden" ? [] : testSources(file);
    return name.endsWith(".ts") ? [file] : [];
  });
}

/** `file:line hook` for every hook call that passes no timeout. */
function hooksWithoutTimeout(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      HOOKS.has(node.expression.text) &&
      node.arguments.length < 2
    ) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${path.relative(PROJECT_ROOT, file)}:${line + 1} ${node.expression.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test("every jest hook under __tests__ names its timeout", () => {
  expect(testSources(path.join(PROJECT_ROOT, "__tests__")).flatMap(hooksWithoutTimeout)).toEqual([]);
});

test("the tests' floor timeout is global, where jest reads it, and generous", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(path.join(PROJECT_ROOT, "jest.config.js")) as {
    testTimeout?: number;
    projects?: Array<Record<string, unknown>>;
  };
  expect(config.testTimeout).toBeGreaterThanOrEqual(60_000);
  for (const project of config.projects ?? []) expect(project).not.toHaveProperty("testTimeout");
});
