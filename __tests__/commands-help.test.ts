/**
 * `help` is the command reference a newcomer reads first: every npm script of
 * package.json is in it, by the command a person types, so a script added
 * without a line there fails here.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./helpers/config";

const help = readFileSync(path.join(PROJECT_ROOT, "help"), "utf8");
const { scripts } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
};

/** How a person runs the script: `npm test` for test, `npm run <name>` for the rest. */
const typed = (name: string): string => (name === "test" ? "npm test" : `npm run ${name}`);

test.each(Object.keys(scripts))("help shows how to run npm script %s", (name) => {
  expect(help).toMatch(new RegExp(`${typed(name).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\s|$)`));
});

test("package.json has the commands the help promises", () => {
  expect(Object.keys(scripts)).toEqual(
    expect.arrayContaining([
      "synth",
      "check-config",
      "diff",
      "deploy",
      "destroy",
      "access-report",
      "test",
      "test:system",
      "lint",
      "bench",
    ]),
  );
});

test("every help line fits a terminal of 110 columns", () => {
  const long = help.split("\n").filter((line) => line.length > 110);
  expect(long).toEqual([]);
});
