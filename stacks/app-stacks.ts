/**
 * Every stack of the app for one config: the bucket owner stack, then one
 * accessor stack per consumer (the single accessor form's "accessor", or
 * "accessor-<name>" for each entry of `accessors`), each depending on the
 * owner. main.ts, the tests and the Terraform suites build the app this one way.
 */
import type { App } from "cdktf";
import { accessorsOf } from "../config/accessors";
import type { CrossAccountConfig } from "../config/types";
import { AccessorStack } from "./accessor-stack";
import { BucketOwnerStack, BUCKET_OWNER_STACK_ID } from "./bucket-owner-stack";

export interface AppStacks {
  readonly owner: BucketOwnerStack;
  /** One per consumer, in the config's order. */
  readonly accessors: readonly AccessorStack[];
}

export interface AppStacksOptions {
  /**
   * The folder local state files live in.
   * @default the current working directory (the project root under the cdktf CLI)
   */
  readonly projectRoot?: string;
}

/** The id of every stack `config` makes, owner first, as addStacks builds them. */
export function appStackIds(config: CrossAccountConfig): string[] {
  return [BUCKET_OWNER_STACK_ID, ...accessorsOf(config).map((accessor) => accessor.stackId)];
}

/** Adds the owner stack and every consumer's stack to `app`. */
export function addStacks(app: App, config: CrossAccountConfig, options: AppStacksOptions = {}): AppStacks {
  const { projectRoot } = options;
  const owner = new BucketOwnerStack(app, BUCKET_OWNER_STACK_ID, { config, projectRoot });
  const accessors = accessorsOf(config).map(
    (accessor) => new AccessorStack(app, accessor.stackId, { config, bucketOwnerStack: owner, accessor, projectRoot }),
  );
  return { owner, accessors };
}
