/**
 * The environment `cdktf synth` gives the app (@cdktf/cli-core SynthStack.synth
 * in cdktf-cli 0.21), so that `npm run synth`, which runs the app in its own
 * process, synthesizes exactly what the CLI would:
 *
 *   CDKTF_OUTDIR                                 the output folder (`--output`)
 *   CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS    "true": stacks are written despite error annotations, which
 *                                                synth/synth-safely.ts then reads from the manifest and reports
 *   CDKTF_CONTEXT_JSON                           cdktf.json `context` (or the caller's CDKTF_CONTEXT_JSON), plus
 *                                                `cdktfRelativeModules`
 *   SYNTH_HCL_OUTPUT                             "false" (`cdktf synth --hcl` is not offered here)
 *   TF_VAR_*                                     removed: Terraform variables are for terraform runs, not synth
 *
 * Not copied: NODE_OPTIONS=--max-old-space-size=4096, which the CLI sets for
 * ts-node type-checking large generated bindings; this app is transpiled
 * without type checks and peaks far below Node's default heap.
 */
import type { CdktfJson } from "./cdktf-json";

/** What to set and remove in the environment before the app starts. */
export interface SynthEnvironment {
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
}

/** The CLI's app environment for synthesizing into `outdir`, given the caller's environment and cdktf.json. */
export function synthEnvironment(outdir: string, cdktfJson: CdktfJson, env: NodeJS.ProcessEnv): SynthEnvironment {
  // The CLI sets CDKTF_CONTEXT_JSON from cdktf.json's `context` when there is one, else keeps the caller's.
  const inherited = env.CDKTF_CONTEXT_JSON;
  const base: unknown =
    cdktfJson.context !== undefined ? cdktfJson.context : inherited ? (JSON.parse(inherited) as unknown) : {};
  const context = { ...(base as Record<string, unknown>), cdktfRelativeModules: cdktfJson.relativeModules };
  return {
    set: {
      CDKTF_OUTDIR: outdir,
      CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
      CDKTF_CONTEXT_JSON: JSON.stringify(context),
      SYNTH_HCL_OUTPUT: "false",
    },
    remove: Object.keys(env).filter((key) => key.startsWith("TF_VAR_")),
  };
}

/** Applies `environment` to `env` (process.env in the command). */
export function applyEnvironment(environment: SynthEnvironment, env: NodeJS.ProcessEnv): void {
  for (const key of environment.remove) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- deleting is how an environment variable is unset
    delete env[key];
  }
  Object.assign(env, environment.set);
}
