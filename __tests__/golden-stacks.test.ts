/**
 * Every checked-in config synthesizes exactly its golden stacks, byte for
 * byte, through the app command `cdktf synth` runs. The single-accessor
 * configs' golden copies were made before the accessor list existed, so this
 * proves a config written for one accessor still synthesizes what it always
 * did. A deliberate change to the output: `npm run golden:regenerate`.
 */
import { goldenCases, goldenStacks, StackTexts, synthesizeStacks } from "./helpers/golden-stacks";

const CASES = goldenCases();
const synthesized = new Map<string, StackTexts>();

beforeAll(async () => {
  // Two at a time: each is a node process, and the machines have two cores.
  const queue = [...CASES];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      synthesized.set(next.id, await synthesizeStacks(next.configFile));
    }
  };
  await Promise.all([worker(), worker()]);
}, 300_000);

describe.each(CASES.map((c) => c.id))("%s", (caseId) => {
  test("has golden stacks for exactly the stacks it synthesizes", () => {
    const golden = goldenStacks(caseId);
    expect({ caseId, stacks: [...golden.keys()] }).toEqual({
      caseId,
      stacks: [...synthesized.get(caseId)!.keys()],
    });
  });

  test("synthesizes each stack byte for byte as its golden copy", () => {
    const golden = goldenStacks(caseId);
    for (const [stackId, text] of synthesized.get(caseId)!) {
      // Compare as text so a difference shows as a line diff; equal text is equal bytes (both UTF-8 files).
      expect({ stack: `${caseId}/${stackId}`, text }).toEqual({
        stack: `${caseId}/${stackId}`,
        text: golden.get(stackId),
      });
    }
  });
});
