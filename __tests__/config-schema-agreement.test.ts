/**
 * The JSON Schema editors apply (config/cross-account-config.schema.json, checked with Ajv) and
 * the app's validator agree: every shipped config is valid under both; every key broken on its
 * own, and random combinations of broken keys (fast-check, fixed seed), are invalid under both,
 * at exactly the same field paths. Every key of the configuration reference has a breaker here.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { validateConfig } from "../config/validate";
import { referenceRows } from "../config/config-reference";
import { SchemaValidator } from "./helpers/config-schema";
import {
  type BaseConfig,
  type Breaker,
  copyOf,
  listFormBreakers,
  singleFormBreakers,
  validListRaw,
  validSingleRaw,
} from "./helpers/config-breakers";
import { EXAMPLE_PATH, PROJECT_ROOT, type RawConfig } from "./helpers/config";

const SEED = 42;
const schema = new SchemaValidator();

/** What each side says of `raw`: the validator's problem paths and the schema's error paths. */
function verdicts(raw: unknown): {
  validator: { valid: boolean; paths: string[] };
  schema: { valid: boolean; paths: string[]; formPaths: string[] };
} {
  const { config, problems } = validateConfig(raw);
  const whole = schema.validate(raw);
  const form = schema.validateForm(raw);
  return {
    validator: { valid: config !== undefined, paths: [...new Set(problems.map((p) => p.path))].sort() },
    schema: { valid: whole.valid, paths: [...whole.paths].sort(), formPaths: [...form.paths].sort() },
  };
}

function shippedConfigs(): Array<[string, RawConfig]> {
  const examples = readdirSync(path.join(PROJECT_ROOT, "examples"))
    .filter((file) => file.endsWith(".json"))
    .map((file) => path.join(PROJECT_ROOT, "examples", file));
  return [EXAMPLE_PATH, ...examples].map((file) => [
    path.relative(PROJECT_ROOT, file),
    JSON.parse(readFileSync(file, "utf8")) as RawConfig,
  ]);
}

describe("valid configs are valid under both", () => {
  test.each(shippedConfigs())("%s", (_file, raw) => {
    expect(verdicts(raw)).toEqual({
      validator: { valid: true, paths: [] },
      schema: { valid: true, paths: [], formPaths: [] },
    });
  });

  test.each([
    ["the single form", validSingleRaw],
    ["the accessors form", validListRaw],
  ])("random configs of %s", (_form, arbitrary) => {
    fc.assert(
      fc.property(arbitrary, ({ raw }) => {
        expect(verdicts(raw)).toEqual({
          validator: { valid: true, paths: [] },
          schema: { valid: true, paths: [], formPaths: [] },
        });
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

/** A fixed valid config of each form, for the breakers one at a time. */
const SINGLE_BASE = fc.sample(validSingleRaw, { seed: SEED, numRuns: 1 })[0] as BaseConfig;
const LIST_BASE = fc.sample(validListRaw, { seed: SEED, numRuns: 1 })[0] as BaseConfig;

function broken(base: BaseConfig, breakers: readonly Breaker[]): RawConfig {
  const copy = copyOf(base);
  for (const breaker of breakers) breaker.apply(copy);
  return copy.raw;
}

describe.each([
  ["single", SINGLE_BASE, singleFormBreakers()],
  ["accessors", LIST_BASE, listFormBreakers()],
] as const)("the %s form, one key broken at a time", (_form, base, breakers) => {
  test.each(breakers.map((breaker) => [breaker.label, breaker] as const))(
    "%s: invalid under both, at that path alone",
    (_label, breaker) => {
      const { validator, schema: bySchema } = verdicts(broken(base, [breaker]));
      expect({ validator, schema: { valid: bySchema.valid, paths: bySchema.formPaths } }).toEqual({
        validator: { valid: false, paths: [breaker.path] },
        schema: { valid: false, paths: [breaker.path] },
      });
    },
  );
});

/** One to five breakers of different groups, applied to a random valid config of the form. */
function brokenConfigs(
  arbitrary: fc.Arbitrary<BaseConfig>,
  breakers: readonly Breaker[],
): fc.Arbitrary<{ raw: RawConfig; paths: string[] }> {
  return fc
    .tuple(
      arbitrary,
      fc.uniqueArray(fc.constantFrom(...breakers), { minLength: 1, maxLength: 5, selector: (b) => b.group }),
    )
    .filter(([, chosen]) => chosen.length === 1 || !chosen.some((b) => b.path === "accessors"))
    .map(([base, chosen]) => ({ raw: broken(base, chosen), paths: [...new Set(chosen.map((b) => b.path))].sort() }));
}

describe.each([
  ["single", validSingleRaw, singleFormBreakers()],
  ["accessors", validListRaw, listFormBreakers()],
] as const)("the %s form, random keys broken together", (_form, arbitrary, breakers) => {
  test("invalid under both, at exactly the broken keys' paths", () => {
    fc.assert(
      fc.property(brokenConfigs(arbitrary, breakers), ({ raw, paths }) => {
        const { validator, schema: bySchema } = verdicts(raw);
        expect({ validator, schema: { valid: bySchema.valid, paths: bySchema.formPaths } }).toEqual({
          validator: { valid: false, paths },
          schema: { valid: false, paths },
        });
      }),
      { seed: SEED, numRuns: 120 },
    );
  });
});

describe("every key of the configuration reference is broken here", () => {
  const rows = referenceRows();
  test.each([
    ["single", rows.single, singleFormBreakers()],
    ["accessors", rows.list, listFormBreakers()],
  ] as const)("the %s form", (_form, formRows, breakers) => {
    const broken = new Set(breakers.map((b) => b.key));
    expect(formRows.map((row) => row.key).filter((key) => !broken.has(key))).toEqual([]);
    // A breaker names a key the reference has, or says which kind of key it adds.
    const keys = new Set(formRows.map((row) => row.key));
    expect([...broken].filter((key) => !keys.has(key) && !key.startsWith("("))).toEqual([]);
  });
});
