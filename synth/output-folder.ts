/**
 * Checks on the output folder before anything is written. The output folder
 * is replaced as a whole on every synth, so it must be a folder of its own:
 * never the project folder or one above it, never a symbolic link (the swap
 * would replace the link, not the folder it points to), and never a folder of
 * other files that merely shares the name.
 */
import { lstatSync, mkdirSync, readdirSync, rmdirSync } from "node:fs";
import * as path from "node:path";
import { errnoCode, fsReason } from "./fs-errors";
import type { OutputPaths } from "./output-paths";

/** The output folder cannot be used; the message says why and what to do. */
export class OutputFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputFolderError";
  }
}

/** Files a synth writes at the top of its output, one of which an existing output folder must hold. */
const SYNTH_MARKERS = ["manifest.json", "stacks"];

/** True when the output folder exists (as a folder); throws OutputFolderError when it cannot be used. */
export function checkOutputFolder(paths: OutputPaths, cwd: string = process.cwd()): boolean {
  const { outdir, shown } = paths;
  const fromCwd = path.relative(outdir, path.resolve(cwd));
  const outside = fromCwd === ".." || fromCwd.startsWith(`..${path.sep}`) || path.isAbsolute(fromCwd);
  if (outdir === path.parse(outdir).root || !outside) {
    throw new OutputFolderError(
      `The output folder "${shown}" is the project folder or contains it; every synth replaces the output folder whole, so give one of its own (e.g. --output cdktf.out).`,
    );
  }
  let isFolder: boolean;
  try {
    const stats = lstatSync(outdir);
    if (stats.isSymbolicLink()) {
      throw new OutputFolderError(
        `The output folder "${shown}" is a symbolic link; every synth replaces the output folder whole, which would replace the link; give the folder it points to instead.`,
      );
    }
    if (!stats.isDirectory()) {
      throw new OutputFolderError(
        `The output folder "${shown}" is a file, not a folder; remove it or choose another --output.`,
      );
    }
    isFolder = true;
  } catch (error) {
    if (error instanceof OutputFolderError) throw error;
    if (errnoCode(error) !== "ENOENT")
      throw new OutputFolderError(`The output folder "${shown}" ${fsReason(error, outdir)}.`);
    isFolder = false;
  }
  if (isFolder) {
    let entries: string[];
    try {
      entries = readdirSync(outdir);
    } catch (error) {
      throw new OutputFolderError(`The output folder "${shown}" ${fsReason(error, outdir)}.`);
    }
    if (entries.length > 0 && !SYNTH_MARKERS.some((marker) => entries.includes(marker))) {
      throw new OutputFolderError(
        `The output folder "${shown}" holds other files and no synth output (no manifest.json); every synth replaces the output folder whole, so choose a new or empty folder.`,
      );
    }
  }
  return isFolder;
}

/**
 * Creates the output folder's parent folders (`--output a/b/new` with no
 * `a/b` yet). Returns the first folder it created, so a synth that writes
 * nothing can remove them again.
 */
export function createParents(paths: OutputPaths): string | undefined {
  try {
    return mkdirSync(paths.parent, { recursive: true });
  } catch (error) {
    throw new OutputFolderError(
      `The output folder "${paths.shown}" cannot be created: its folder "${paths.parent}" ${fsReason(error, paths.parent)}.`,
    );
  }
}

/** Removes the folders createParents made, from the deepest up, while they are empty. */
export function removeCreatedParents(paths: OutputPaths, firstCreated: string | undefined): void {
  if (firstCreated === undefined) return;
  for (let folder = paths.parent; ; folder = path.dirname(folder)) {
    try {
      rmdirSync(folder);
    } catch {
      return;
    }
    if (folder === firstCreated || path.dirname(folder) === folder) return;
  }
}
