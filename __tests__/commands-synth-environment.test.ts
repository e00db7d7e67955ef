/**
 * The environment `npm run synth` gives the app, as cdktf-cli 0.21's
 * SynthStack.synth gives it (read in node_modules/@cdktf/cli-core): the
 * output folder, synthesis going on past error annotations (the synth reads
 * them from the manifest), cdktf.json's context plus the relative modules,
 * and no Terraform variables. commands-cli.system.test.ts checks the result
 * against the real CLI byte for byte.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readCdktfJson } from "../commands/cdktf-json";
import { applyEnvironment, synthEnvironment } from "../commands/synth-environment";
import { PROJECT_ROOT } from "./helpers/config";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "synth-environment-"));
}, HOOK_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

function cdktfJson(content: Record<string, unknown>) {
  writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify(content));
  return readCdktfJson(dir);
}

test("the project's cdktf.json: output cdktf.out, empty context, no local modules", () => {
  const environment = synthEnvironment("cdktf.out", readCdktfJson(PROJECT_ROOT), {});
  expect(environment.set).toEqual({
    CDKTF_OUTDIR: "cdktf.out",
    CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
    CDKTF_CONTEXT_JSON: JSON.stringify({ cdktfRelativeModules: [] }),
    SYNTH_HCL_OUTPUT: "false",
  });
});

test("cdktf.json's context wins over the caller's CDKTF_CONTEXT_JSON; without one, the caller's is kept", () => {
  const withContext = cdktfJson({ context: { team: "data" }, terraformModules: ["./modules/vpc", "hashicorp/x"] });
  expect(
    JSON.parse(synthEnvironment("o", withContext, { CDKTF_CONTEXT_JSON: '{"a":1}' }).set.CDKTF_CONTEXT_JSON!),
  ).toEqual({ team: "data", cdktfRelativeModules: ["./modules/vpc"] });
  const without = cdktfJson({ terraformModules: [{ source: "../shared", name: "shared" }] });
  expect(JSON.parse(synthEnvironment("o", without, { CDKTF_CONTEXT_JSON: '{"a":1}' }).set.CDKTF_CONTEXT_JSON!)).toEqual(
    {
      a: 1,
      cdktfRelativeModules: ["../shared"],
    },
  );
});

test("cdktf.json's output is the default output folder; a missing cdktf.json gives cdktf.out", () => {
  expect(cdktfJson({ output: "build/tf" }).output).toBe("build/tf");
  expect(readCdktfJson(path.join(dir, "nowhere")).output).toBe("cdktf.out");
});

test("Terraform variables are removed, everything else is kept", () => {
  const env: NodeJS.ProcessEnv = { TF_VAR_region: "x", TF_LOG: "debug", CROSS_ACCOUNT_CONFIG: "c.json" };
  applyEnvironment(synthEnvironment("out", readCdktfJson(PROJECT_ROOT), env), env);
  expect(env).toEqual({
    TF_LOG: "debug",
    CROSS_ACCOUNT_CONFIG: "c.json",
    CDKTF_OUTDIR: "out",
    CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
    CDKTF_CONTEXT_JSON: '{"cdktfRelativeModules":[]}',
    SYNTH_HCL_OUTPUT: "false",
  });
});
