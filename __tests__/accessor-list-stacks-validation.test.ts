/**
 * Stacks built in code from an `accessors` config check it as a file is
 * checked: the owner stack every consumer and the list as a whole, a
 * consumer's stack only its own consumer, each line at the entry's path.
 */
import { ConfigError } from "../config/problems";
import { accessorsOf } from "../config/accessors";
import type { AccessorConfig, CrossAccountConfig } from "../config/types";
import { AccessorStack } from "../stacks/accessor-stack";
import { BucketOwnerStack } from "../stacks/bucket-owner-stack";
import { toConfig } from "./helpers/config";
import { manyConsumersRaw } from "./helpers/many-consumers";
import { testApp } from "./helpers/synth";

function configErrorOf(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, nothing was thrown");
}

const good = toConfig(manyConsumersRaw());

/** The good config with consumer `index` changed. */
function withAccessor(index: number, change: (accessor: AccessorConfig) => AccessorConfig): CrossAccountConfig {
  const accessors = accessorsOf(good).map((a, i) => (i === index ? change(a) : a));
  return { ...good, accessors };
}

const badRegion = withAccessor(1, (a) => ({ ...a, account: { ...a.account, region: "eu-wast-1" } }));
const REGION_LINE = 'accessors[1].region: "eu-wast-1" is not a known AWS region; did you mean "eu-west-1"?';

test("a good config builds every stack", () => {
  const app = testApp();
  const owner = new BucketOwnerStack(app, "bucket-owner", { config: good });
  for (const accessor of accessorsOf(good)) {
    expect(
      () => new AccessorStack(app, accessor.stackId, { config: good, bucketOwnerStack: owner, accessor }),
    ).not.toThrow();
  }
});

test("the owner stack reports a consumer's problem at the entry's path, with the stack's path", () => {
  const error = configErrorOf(() => new BucketOwnerStack(testApp(), "bucket-owner", { config: badRegion }));
  expect(error.problems.map((p) => p.message)).toEqual([`[bucket-owner] ${REGION_LINE}`]);
});

test("a consumer's stack reports its own consumer's problems, and not another's", () => {
  const app = testApp();
  const owner = new BucketOwnerStack(app, "bucket-owner", { config: good });
  const [analytics, ingest] = accessorsOf(badRegion);
  const error = configErrorOf(
    () => new AccessorStack(app, "accessor-ingest", { config: badRegion, bucketOwnerStack: owner, accessor: ingest }),
  );
  expect(error.problems.map((p) => p.message)).toEqual([`[accessor-ingest] ${REGION_LINE}`]);
  expect(
    () =>
      new AccessorStack(app, "accessor-analytics", { config: badRegion, bucketOwnerStack: owner, accessor: analytics }),
  ).not.toThrow();
});

test("the owner stack checks the list as a whole: repeated names and contained prefixes", () => {
  const repeated = withAccessor(2, (a) => ({ ...a, name: "analytics", keyPrefix: "analytics/raw/" }));
  const error = configErrorOf(() => new BucketOwnerStack(testApp(), "bucket-owner", { config: repeated }));
  expect(error.problems.map((p) => p.path)).toEqual(["accessors[2].name", "accessors[0].keyPrefix"]);
});
