/**
 * The config's JSON Schema (config/cross-account-config.schema.json) and the reference in
 * docs/configuration.md are what `npm run schema` makes from the validator's own tables, every
 * shipped config points an editor at the schema, and the app accepts and ignores `$schema`.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { configJsonSchema, SCHEMA_PATH, VALIDATOR_ONLY_CHECKS } from "../config/json-schema";
import {
  configReferenceMarkdown,
  REFERENCE_END,
  REFERENCE_PATH,
  REFERENCE_START,
  referenceRows,
} from "../config/config-reference";
import { validateConfig } from "../config/validate";
import { checkedInSchema, SchemaValidator } from "./helpers/config-schema";
import {
  EXAMPLE_PATH,
  minimalListConfig,
  PROJECT_ROOT,
  problemMessages,
  rawConfig,
  type RawConfig,
} from "./helpers/config";

const SHIPPED = [
  EXAMPLE_PATH,
  ...readdirSync(path.join(PROJECT_ROOT, "examples"))
    .filter((file) => file.endsWith(".json"))
    .map((file) => path.join(PROJECT_ROOT, "examples", file)),
];

/**
 * Markdown lines as Prettier's padding leaves them: a table row's cells trimmed, a separator row's
 * dashes one run. (config-schema.system.test.ts runs `npm run schema -- --check`, formatting included.)
 */
function unpadded(markdown: string): string[] {
  return markdown.split("\n").map((line) =>
    line.startsWith("|")
      ? line
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim().replace(/^-+$/, "---"))
          .join("|")
      : line.trimEnd(),
  );
}

describe("the checked-in schema and reference are the generated ones", () => {
  test("the schema file holds exactly what the tables generate", () => {
    expect(checkedInSchema()).toEqual(configJsonSchema());
  });

  test("docs/configuration.md holds the generated reference (Prettier's padding aside)", () => {
    const page = readFileSync(REFERENCE_PATH, "utf8");
    const start = page.indexOf(REFERENCE_START);
    const end = page.indexOf(REFERENCE_END) + REFERENCE_END.length;
    expect(start).toBeGreaterThan(0);
    expect(unpadded(page.slice(start, end))).toEqual(unpadded(configReferenceMarkdown()));
  });

  test("the reference lists every key of both forms, each once", () => {
    const page = readFileSync(REFERENCE_PATH, "utf8");
    const { single, list } = referenceRows();
    for (const row of [...single, ...list]) expect(page).toContain(`| \`${row.path}\``);
    const keys = [...single, ...list].map((row) => row.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining(["bucketOwner.accountId", "instance.instanceType", "accessors[].name"]),
    );
  });
});

describe("the schema is one editors apply", () => {
  test("it is draft-07, and valid against the draft-07 meta-schema", () => {
    const schema = checkedInSchema();
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    const ajv = new Ajv({ strictTypes: true });
    ajv.addKeyword("patternErrorMessage");
    ajv.addKeyword("errorMessage");
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  test("its description names every check only the validator makes", () => {
    const description = checkedInSchema().description as string;
    for (const check of VALIDATOR_ONLY_CHECKS) expect(description).toContain(check);
  });

  test.each(SHIPPED.map((file) => [path.relative(PROJECT_ROOT, file), file]))(
    "%s names the schema in $schema, relative to itself",
    (_name, file) => {
      const raw = JSON.parse(readFileSync(file, "utf8")) as { $schema?: unknown };
      expect(typeof raw.$schema).toBe("string");
      expect(path.resolve(path.dirname(file), raw.$schema as string)).toBe(SCHEMA_PATH);
      // First, where an editor and a reader look for it.
      expect(Object.keys(raw)[0]).toBe("$schema");
    },
  );
});

describe("the app accepts $schema and ignores it", () => {
  const single = rawConfig();
  const list: RawConfig = minimalListConfig();

  test.each([
    ["the single form", single],
    ["the accessors form", list],
  ])("%s: the same config with or without it", (_form, raw) => {
    const withSchema = { $schema: "./config/cross-account-config.schema.json", ...raw };
    const { config, problems } = validateConfig(withSchema);
    expect(problems).toEqual([]);
    expect(config).toEqual(validateConfig(raw).config);
    expect(JSON.stringify(config)).not.toContain("$schema");
  });

  test.each([
    ["the single form", single],
    ["the accessors form", list],
  ])("%s: a $schema that is not a string is named", (_form, raw) => {
    expect(problemMessages({ ...raw, $schema: 7 })).toEqual([
      '$schema: 7 must be a string (e.g. "./config/cross-account-config.schema.json")',
    ]);
  });
});

describe("what only the validator checks: valid under the schema, named by the validator", () => {
  const schema = new SchemaValidator();
  const cases: Array<[string, RawConfig, string]> = [
    ["the same account twice", rawConfig({ accessor: { accountId: "111122223333" } }), "accessor.accountId"],
    [
      "regions of two partitions",
      rawConfig({ bucketOwner: { region: "cn-north-1" }, accessor: { region: "eu-west-1" } }),
      "accessor.region",
    ],
    [
      "a deploy role in another account",
      rawConfig({ bucketOwner: { assumeRole: { roleArn: "arn:aws:iam::999988887777:role/deploy" } } }),
      "bucketOwner.assumeRole.roleArn",
    ],
    [
      "amiId with amiSsmParameter",
      rawConfig({ instance: { amiId: "ami-0123456789abcdef0", amiSsmParameter: "/x/y" } }),
      "instance.amiId",
    ],
    [
      "an instance role's ARN without existingInstanceRole",
      rawConfig({ instanceRoleName: "arn:aws:iam::444455556666:role/x" }),
      "instanceRoleName",
    ],
    ["tag keys that differ only in case", rawConfig({ tags: { team: "a", Team: "b" } }), "tags.Team"],
    ["a group without users", rawConfig({ humanAccess: { groupName: "readers" } }), "humanAccess.groupName"],
  ];

  test.each(cases)("%s", (_name, raw, path) => {
    expect(schema.validate(raw).valid).toBe(true);
    expect(validateConfig(raw).problems.map((p) => p.path)).toEqual([path]);
  });
});
