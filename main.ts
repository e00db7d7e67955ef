/**
 * Wiring only: load the config, build the stacks (the bucket owner's, and one
 * per consumer), synthesize. Config problems are printed one per line on
 * stderr with a non-zero exit and no stack trace; synth/ makes the output
 * change all at once or not at all.
 */
import { App } from "cdktf";
import { loadConfigWithSource } from "./config/load";
import { addStacks } from "./stacks/app-stacks";
import { runApp } from "./synth/run-app";

/** Settles when the synth is done; npm run synth (commands/synth.ts) waits for it. */
export const synthesized = runApp((outdir) => {
  const { config, source } = loadConfigWithSource();
  // cdktf's own construct validations only check the Terraform binary's version, by running `terraform
  // version` once for every construct that needs a newer one: terraform_data in every consumer's stack, a
  // process per consumer. Each stack declares required_version instead (stacks/terraform-version.ts), so
  // Terraform itself stops an older binary at init, and synth needs no Terraform at all.
  const app = new App({ outdir, skipValidation: true });
  addStacks(app, config);
  return { app, configSource: source, config };
});
