/**
 * Where each stack keeps its local Terraform state, written as paths relative
 * to the stack's working directory (<outdir>/stacks/<stack id>), which is where
 * cdktf runs terraform. cdktf's own default is an absolute path, which would
 * make the synthesized JSON differ between checkouts; relative paths keep it
 * byte-identical wherever the project sits.
 */
import * as path from "node:path";

/** The state file of a stack, in the project root, named as cdktf names it. */
export function localStateFileName(stackId: string): string {
  return `terraform.${stackId}.tfstate`;
}

/**
 * The path from `stackId`'s working directory to `fileInProjectRoot`, with
 * forward slashes (e.g. "../../../terraform.bucket-owner.tfstate").
 */
export function pathFromStackDir(
  outdir: string,
  stackId: string,
  fileInProjectRoot: string,
  projectRoot: string = process.cwd(),
): string {
  const stackDir = path.resolve(projectRoot, outdir, "stacks", stackId);
  return path.relative(stackDir, path.resolve(projectRoot, fileInProjectRoot)).split(path.sep).join("/");
}
