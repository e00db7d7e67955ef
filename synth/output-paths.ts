/**
 * The output folder and the siblings a synth uses beside it. Siblings, not
 * subfolders or a temp folder: a rename is only atomic within one file
 * system, and the stacks' local state paths are relative to
 * `<outdir>/stacks/<id>` (stacks/state-paths.ts), so a folder synthesized at
 * the same depth is valid when renamed into place.
 *
 *   <outdir>                         the published output (manifest, stacks, config record)
 *   <outdir>.lock                    the writer's lock file (lock.ts)
 *   <outdir>.staging-<pid>           a synth being written
 *   <outdir>.staging-<pid>.ready     a complete synth about to be swapped in
 *   <outdir>.staging-<pid>.previous  the old output, renamed aside during the swap
 *   <outdir>.lock.<pid>-<hex>.tmp    a lock file being created or broken
 */
import * as path from "node:path";

/** The output folder the CLI asked for (`cdktf synth --output`), or cdktf's default. */
export function requestedOutdir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CDKTF_OUTDIR;
  return fromEnv === undefined || fromEnv === "" ? "cdktf.out" : fromEnv;
}

/** What a sibling of the output folder is. */
export type SiblingKind = "staging" | "ready" | "previous" | "lock-temp";

export interface Sibling {
  readonly name: string;
  readonly kind: SiblingKind;
  readonly pid: number;
}

export class OutputPaths {
  /** The output folder, absolute. */
  readonly outdir: string;
  /** The folder holding the output folder and its siblings. */
  readonly parent: string;
  /** The output folder's name. */
  readonly base: string;
  /** The output folder as the user gave it, for messages. */
  readonly shown: string;

  constructor(outdir: string, cwd: string = process.cwd()) {
    this.outdir = path.resolve(cwd, outdir);
    this.parent = path.dirname(this.outdir);
    this.base = path.basename(this.outdir);
    this.shown = outdir.replace(/[\\/]+$/, "") || outdir;
  }

  /** The staging folder of process `pid`. */
  staging(pid: number = process.pid): string {
    return path.join(this.parent, `${this.base}.staging-${pid}`);
  }

  /** A complete staging folder of `pid`, ready to be swapped in. */
  ready(pid: number = process.pid): string {
    return `${this.staging(pid)}.ready`;
  }

  /** Where `pid` sets the old output aside during the swap. */
  previous(pid: number = process.pid): string {
    return `${this.staging(pid)}.previous`;
  }

  /** The lock file. */
  get lockFile(): string {
    return path.join(this.parent, `${this.base}.lock`);
  }

  /** A temporary name beside the lock file, unique to this process. */
  lockTemp(unique: string, pid: number = process.pid): string {
    return `${this.lockFile}.${pid}-${unique}.tmp`;
  }

  /** What `name` (an entry of `parent`) is to this output folder, if it is one of its siblings. */
  sibling(name: string): Sibling | undefined {
    const prefix = `${this.base}.`;
    if (!name.startsWith(prefix)) return undefined;
    const rest = name.slice(prefix.length);
    const staged = /^staging-(\d+)(?:\.(ready|previous))?$/.exec(rest);
    if (staged !== null) {
      const kind = (staged[2] ?? "staging") as "staging" | "ready" | "previous";
      return { name, kind, pid: Number(staged[1]) };
    }
    const temp = /^lock\.(\d+)-[0-9a-f]+\.tmp$/.exec(rest);
    if (temp !== null) return { name, kind: "lock-temp", pid: Number(temp[1]) };
    return undefined;
  }
}
