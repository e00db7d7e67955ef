/**
 * Turns a failed file system call into the cause a person can act on. The
 * error codes are the POSIX ones Node reports (`error.code`); each gets its own
 * words, because "check the permissions" is the wrong advice for a missing
 * folder, a symbolic link loop or a full disk.
 */
import { statSync } from "node:fs";
import * as path from "node:path";

/** The errno code of a Node file system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The first part of `file`'s path that exists but is not a folder (what
 * ENOTDIR means), e.g. "notes.txt" for "notes.txt/config.json".
 */
export function firstNonFolder(file: string): string | undefined {
  const parts = path.resolve(file).split(path.sep);
  for (let end = 2; end < parts.length; end++) {
    const prefix = parts.slice(0, end).join(path.sep) || path.sep;
    try {
      if (!statSync(prefix).isDirectory()) return prefix;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A path shortened for a message: very long paths (the ENAMETOOLONG case) keep their start and end. */
export function shortPath(file: string, max = 160): string {
  return file.length <= max ? file : `${file.slice(0, max / 2 - 2)}…${file.slice(-(max / 2 - 2))}`;
}

/**
 * The cause of a failed file system call, in words, e.g. "the disk is full" or
 * `"/home/a/notes.txt" is a file, not a folder`. Unknown codes keep Node's message.
 */
export function fsCause(error: unknown, file?: string): string {
  const code = errnoCode(error);
  switch (code) {
    case "ENOENT":
      return "no such file or folder";
    case "ENOTDIR": {
      const blocker = file === undefined ? undefined : firstNonFolder(file);
      return blocker === undefined
        ? "a part of the path is a file, not a folder"
        : `"${shortPath(blocker)}" is a file, not a folder`;
    }
    case "ELOOP":
      return "its symbolic links form a loop";
    case "ENAMETOOLONG":
      return "the path, or one name in it, is longer than the file system allows";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "the disk is full";
    case "EDQUOT":
      return "the disk quota is used up";
    case "EROFS":
      return "the file system is read-only";
    case "EISDIR":
      return "it is a folder, not a file";
    case "EMFILE":
    case "ENFILE":
      return "too many files are open";
    case "EIO":
      return "input/output error (a failing disk or network share?)";
    case "EBUSY":
      return "it is in use (a mount point, or open in another program)";
    case "EXDEV":
      return "it is on another file system";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Why a file system call on `file` failed, as a phrase after the file's name: `"x" does not exist`, `"x" cannot be reached: …`. */
export function fsReason(error: unknown, file: string): string {
  const code = errnoCode(error);
  if (code === "ENOENT") return "does not exist";
  if (code === "EISDIR") return "is a folder, not a file";
  const reach = code === "ENOTDIR" || code === "ELOOP" || code === "ENAMETOOLONG";
  return `${reach ? "cannot be reached" : "cannot be used"}: ${fsCause(error, file)}`;
}
