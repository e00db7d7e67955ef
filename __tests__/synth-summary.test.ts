/**
 * The first line of every synth names the config file and the accounts the output targets, so a synth of the
 * wrong file is seen before anything is deployed; with an accessors list, every consumer counts.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { accessorsSummary, synthSummary } from "../synth/summary";
import { PROJECT_ROOT, toConfig, validConfig } from "./helpers/config";

const MANY = path.join(PROJECT_ROOT, "examples", "many-consumers.json");
const manyRaw = (): Record<string, unknown> => JSON.parse(readFileSync(MANY, "utf8")) as Record<string, unknown>;

describe("the synth's first line", () => {
  test("a single accessor: the file, the owner and the accessor with their regions, the output folder", () => {
    const config = validConfig();
    const source = { file: path.join(PROJECT_ROOT, "my-config.json"), usedExample: false, text: "" };
    expect(synthSummary(source, config, "cdktf.out", PROJECT_ROOT)).toBe(
      "Synthesizing my-config.json: bucket owner 111122223333 (eu-west-1), accessor 444455556666 (eu-central-1) → cdktf.out",
    );
  });

  test("an accessors list: how many consumers, each by name, account and region", () => {
    const config = toConfig(manyRaw());
    const consumers = (manyRaw().accessors as Array<{ name: string; accountId: string; region: string }>).map(
      (entry) => `${entry.name} ${entry.accountId} (${entry.region})`,
    );
    expect(consumers).toHaveLength(3);
    expect(accessorsSummary(config)).toBe(`3 consumers: ${consumers.join(", ")}`);
  });

  test("a long list names the first three and counts the rest", () => {
    const raw = manyRaw();
    const [first] = raw.accessors as Array<Record<string, unknown>>;
    const accessors = Array.from({ length: 12 }, (_, index) => ({
      ...first,
      name: `team-${index}`,
      accountId: String(444455550000 + index),
      keyPrefix: `team-${index}/`,
      targetRoleName: `team-${index}-reader`,
      instanceRoleName: `team-${index}-instance`,
    }));
    const line = accessorsSummary(toConfig({ ...raw, accessors }));
    expect(line).toMatch(
      /^12 consumers: team-0 444455550000 \([a-z0-9-]+\), team-1 444455550001 \([a-z0-9-]+\), team-2 444455550002 \([a-z0-9-]+\) and 9 more$/,
    );
  });
});
