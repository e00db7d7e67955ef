/**
 * What a re-synth must keep from the old output: per stack, what `terraform
 * init` and a run made there (providers, the backend settings, the provider
 * lock file) and any state a backend kept in the stack folder. It is linked
 * into the staging folder, not moved, so the old output stays complete until
 * the swap; hard links cost no disk space and the sibling folder is on the
 * same file system. Everything else in the old output (e.g. access-report.md)
 * was derived from the old synth and is left behind with it.
 */
import {
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  type Stats,
} from "node:fs";
import * as path from "node:path";
import { errnoCode } from "./fs-errors";
import { faultPoint } from "./test-fault";

/** Entries of a stack folder that survive a re-synth. */
export const CARRIED_OVER = [".terraform", ".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup"];

/** Link errors after which a copy is the fallback (no hard links across or on this file system, or too many). */
const NO_LINK = new Set(["EXDEV", "EPERM", "EMLINK", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") return undefined;
    throw error;
  }
}

/** Recreates `from` at `to`: folders made anew, files hard-linked (or copied), symbolic links re-pointed the same way. */
export function linkTree(from: string, to: string): void {
  const stats = lstatSync(from);
  if (stats.isDirectory()) {
    mkdirSync(to, { mode: stats.mode & 0o7777 });
    for (const entry of readdirSync(from)) linkTree(path.join(from, entry), path.join(to, entry));
  } else if (stats.isSymbolicLink()) {
    // Same link text at the same depth: terraform's plugin-cache links resolve as before.
    symlinkSync(readlinkSync(from), to);
  } else if (stats.isFile()) {
    try {
      linkSync(from, to);
    } catch (error) {
      if (!NO_LINK.has(errnoCode(error) ?? "")) throw error;
      copyFileSync(from, to);
    }
  }
  // Sockets and pipes are live objects of a running process, not files to keep.
}

/** The [from, to] pairs to carry from `outdir` into `staging`, for the stacks the new synth has. */
export function carryOverPlan(outdir: string, staging: string): Array<readonly [string, string]> {
  const stacks = path.join(staging, "stacks");
  const plan: Array<readonly [string, string]> = [];
  let ids: string[];
  try {
    ids = readdirSync(stacks);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return plan;
    throw error;
  }
  for (const id of ids.sort()) {
    for (const name of CARRIED_OVER) {
      const from = path.join(outdir, "stacks", id, name);
      if (lstatOrUndefined(from) !== undefined) plan.push([from, path.join(stacks, id, name)]);
    }
  }
  return plan;
}

/**
 * Stack folders of the old output that the new synth no longer has (a consumer removed from the config), as
 * empty folders in `staging`. The cdktf CLI lists the stack folders before it runs the app and afterwards removes
 * those the new manifest does not name, without ignoring a missing one: with the whole output swapped, it failed
 * with ENOENT after a good synth. It removes these placeholders itself; `npm run synth` does the same.
 */
export function keepVanishedStackFolders(outdir: string, staging: string): string[] {
  const ids = (folder: string): string[] => {
    try {
      return readdirSync(path.join(folder, "stacks"), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return [];
      throw error;
    }
  };
  const kept = new Set(ids(staging));
  const vanished = ids(outdir).filter((id) => !kept.has(id));
  for (const id of vanished) mkdirSync(path.join(staging, "stacks", id), { recursive: true });
  return vanished;
}

/** Links each stack's kept entries from `outdir` into `staging`; returns how many entries it carried. */
export async function carryOver(outdir: string, staging: string): Promise<number> {
  keepVanishedStackFolders(outdir, staging);
  const plan = carryOverPlan(outdir, staging);
  for (const [index, [from, to]] of plan.entries()) {
    linkTree(from, to);
    if (index === 0) await faultPoint("carry-over");
  }
  return plan.length;
}
