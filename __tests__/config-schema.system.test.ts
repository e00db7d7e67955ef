/**
 * `npm run schema -- --check`, as a person or CI runs it: the checked-in schema and
 * docs/configuration.md are exactly what the generator writes, Prettier's formatting included
 * (config-schema.test.ts compares their content in process; Prettier cannot load inside jest).
 */
import { execFileSync } from "node:child_process";
import { PROJECT_ROOT } from "./helpers/config";

test("npm run schema -- --check finds the schema and the reference up to date", () => {
  const output = execFileSync("npm", ["run", "--silent", "schema", "--", "--check"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  expect(output).toBe("The config schema and docs/configuration.md are up to date.\n");
}, 120_000);
