/**
 * Wiring only: load the config, build the two stacks, synthesize.
 * Config problems are printed one per line on stderr with a non-zero exit and
 * no stack trace; synth/ makes the output change all at once or not at all.
 */
import { App } from "cdktf";
import { loadConfigWithSource } from "./config/load";
import { BucketOwnerStack, BUCKET_OWNER_STACK_ID } from "./stacks/bucket-owner-stack";
import { AccessorStack, ACCESSOR_STACK_ID } from "./stacks/accessor-stack";
import { runApp } from "./synth/run-app";

void runApp((outdir) => {
  const { config, source } = loadConfigWithSource();
  const app = new App({ outdir });
  const bucketOwnerStack = new BucketOwnerStack(app, BUCKET_OWNER_STACK_ID, { config });
  new AccessorStack(app, ACCESSOR_STACK_ID, { config, bucketOwnerStack });
  return { app, configSource: source, config };
});
