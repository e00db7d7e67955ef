/**
 * Publishing a complete staging folder as the output, all or nothing, and
 * recovering from a publish that a crash cut short.
 *
 * Steps (each a single rename except the first):
 *   1. carry over: link each stack's .terraform and lock file from the output into the staging folder
 *   2. mark ready: rename `<out>.staging-<pid>` → `<out>.staging-<pid>.ready` (the staging folder is complete)
 *   3. set aside:  rename `<out>` → `<out>.staging-<pid>.previous`
 *   4. swap:       rename `<out>.staging-<pid>.ready` → `<out>`
 *   5. remove `<out>.staging-<pid>.previous`
 * Before step 4 the output is the old one, untouched; after it, the new one.
 * Between steps 3 and 4 the output folder is missing for an instant; a crash
 * there leaves a `.ready` folder, which the next synth swaps in before it does
 * anything else (recover). POSIX has no rename that exchanges two folders,
 * so this instant is the whole window, and a reader sees no folder, never a mix.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";
import { carryOver } from "./carry-over";
import { fsReason } from "./fs-errors";
import type { OutputLock } from "./lock";
import type { OutputPaths, Sibling } from "./output-paths";
import { pidAlive, processesInside } from "./process-identity";
import { faultPoint } from "./test-fault";

/** How far a synth has come; what undoing it takes follows from this alone. */
export type Phase = "prepared" | "staging" | "ready" | "set-aside" | "published" | "done";

function removeQuietly(folder: string): boolean {
  try {
    rmSync(folder, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

/** One synth's progress through staging and publishing, and how to undo it. */
export class Publication {
  phase: Phase = "prepared";
  /** Lines to print after a successful publish (e.g. a previous output kept because terraform runs in it). */
  readonly notes: string[] = [];

  constructor(
    readonly paths: OutputPaths,
    /** Whether the output folder existed when the lock was taken. */
    readonly hadOutput: boolean,
    private readonly lock: OutputLock,
  ) {}

  get staging(): string {
    return this.paths.staging();
  }

  /** The sentence for "nothing was written", true whether or not there was an output before. */
  get untouched(): string {
    return this.hadOutput
      ? `Nothing was written: the previous output in "${this.paths.shown}" is unchanged.`
      : `Nothing was written: "${this.paths.shown}" was not created.`;
  }

  /** Swaps the complete staging folder in as the output (steps 1-5 above). */
  async publish(): Promise<void> {
    const { outdir } = this.paths;
    if (this.hadOutput) await carryOver(outdir, this.staging);
    await faultPoint("mark-ready");
    renameSync(this.staging, this.paths.ready());
    this.phase = "ready";
    this.lock.assertHeld();
    if (this.hadOutput) {
      await faultPoint("set-aside");
      renameSync(outdir, this.paths.previous());
      this.phase = "set-aside";
    }
    await faultPoint("swap");
    renameSync(this.paths.ready(), outdir);
    this.phase = "published";
    if (this.hadOutput) {
      try {
        await faultPoint("remove-previous");
        this.removePrevious();
      } catch (error) {
        const previous = this.paths.previous();
        this.notes.push(
          `The previous output, set aside at "${previous}", ${fsReason(error, previous)}; the next synth removes it.`,
        );
      }
    }
    this.phase = "done";
  }

  private removePrevious(): void {
    const previous = this.paths.previous();
    const users = processesInside(previous);
    if (users.length > 0) {
      this.notes.push(
        `Kept the previous output at "${previous}" while process ${users.join(", ")} runs in it (terraform?); the next synth removes it.`,
      );
      return;
    }
    try {
      rmSync(previous, { recursive: true, force: true });
    } catch (error) {
      this.notes.push(
        `The previous output, set aside at "${previous}", ${fsReason(error, previous)} on removal; the next synth removes it.`,
      );
    }
  }

  /**
   * Undoes whatever this synth did, by phase, and says what the output folder
   * holds now. Runs after an error and on SIGINT/SIGTERM; never throws.
   */
  rollBack(): string {
    switch (this.phase) {
      case "prepared":
        return this.untouched;
      case "staging":
        removeQuietly(this.staging);
        return this.untouched;
      case "ready":
        removeQuietly(this.paths.ready());
        return this.untouched;
      case "set-aside":
        try {
          renameSync(this.paths.previous(), this.paths.outdir);
        } catch (error) {
          return `"${this.paths.shown}" is missing: the previous output is at "${this.paths.previous()}" and the new one at "${this.paths.ready()}" (putting the previous one back ${fsReason(error, this.paths.outdir)}); the next synth puts one of them back before anything else, or rename "${this.paths.previous()}" to "${this.paths.shown}" by hand.`;
        }
        removeQuietly(this.paths.ready());
        return this.untouched;
      case "published":
        if (this.hadOutput) this.removePrevious();
        return [`The new output was published to "${this.paths.shown}".`, ...this.notes].join("\n");
      case "done":
        return [`The new output was published to "${this.paths.shown}".`, ...this.notes].join("\n");
    }
  }
}

function mtimeMs(folder: string): number {
  try {
    return statSync(folder).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Run under the lock before anything else: finishes or undoes a publish that
 * a crash (SIGKILL, power loss) cut short, and removes what dead synths left
 * beside the output. Returns lines saying what it did.
 *
 * Under the lock no other synth is staging (a synth stages only while it
 * holds the lock), so every staging folder found is left over. A `.previous`
 * folder in which a process still runs (terraform) is kept for later.
 */
export function recover(paths: OutputPaths): string[] {
  const lines: string[] = [];
  let siblings: Sibling[];
  try {
    siblings = readdirSync(paths.parent)
      .map((name) => paths.sibling(name))
      .filter((sibling): sibling is Sibling => sibling !== undefined);
  } catch {
    return lines;
  }
  const full = (sibling: Sibling) => path.join(paths.parent, sibling.name);
  const newest = (kind: Sibling["kind"]) =>
    siblings.filter((s) => s.kind === kind).sort((a, b) => mtimeMs(full(b)) - mtimeMs(full(a)))[0];

  let used: Sibling | undefined;
  if (!existsSync(paths.outdir)) {
    const ready = newest("ready");
    const previous = newest("previous");
    if (ready !== undefined) {
      renameSync(full(ready), paths.outdir);
      used = ready;
      lines.push(
        `Completed a publish that was cut short (pid ${ready.pid}): "${paths.shown}" now holds the complete synth it had staged.`,
      );
    } else if (previous !== undefined) {
      renameSync(full(previous), paths.outdir);
      used = previous;
      lines.push(`Restored "${paths.shown}": a publish that was cut short (pid ${previous.pid}) had set it aside.`);
    }
  }

  let removed = 0;
  for (const sibling of siblings) {
    if (sibling === used) continue;
    const folder = full(sibling);
    // A lock file being created belongs to a live waiter until its process is gone.
    if (sibling.kind === "lock-temp" && pidAlive(sibling.pid)) continue;
    if (sibling.kind === "previous" && processesInside(folder).length > 0) continue;
    if (removeQuietly(folder)) removed += 1;
  }
  if (removed > 0) {
    lines.push(`Removed ${removed} leftover(s) of interrupted synths beside "${paths.shown}".`);
  }
  return lines;
}
