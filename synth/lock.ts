/**
 * One writer at a time per output folder: `<outdir>.lock`, a file created
 * atomically (written under a temporary name, then hard-linked into place, so
 * it never exists half-written) that names its holder: pid, host, boot id,
 * process start time, when it started and a random token.
 *
 * Stale rule: a lock whose holder is on this host and certainly gone (no such
 * pid, the pid now belongs to another program, or the machine has rebooted
 * since) is broken. A holder on another host (a shared folder, another
 * container) cannot be checked from here: the synth waits, then fails with the
 * holder's details and how to remove the lock by hand.
 *
 * Breaking is a rename to a private name followed by a check that the moved
 * file is the stale one just judged: two waiters breaking the same stale lock
 * cannot delete a fresh lock that a third took meanwhile.
 */
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { currentProcess, goneReason, ProcessIdentity } from "./process-identity";
import { errnoCode } from "./fs-errors";
import type { OutputPaths } from "./output-paths";

/** Seconds a synth waits for another one's lock, unless CROSS_ACCOUNT_SYNTH_LOCK_WAIT says otherwise. */
export const DEFAULT_LOCK_WAIT_SECONDS = 60;
export const LOCK_WAIT_ENV = "CROSS_ACCOUNT_SYNTH_LOCK_WAIT";

/** An unreadable lock file (not written by this code, or cut short on a file system without hard links) older than this is stale. */
const UNREADABLE_STALE_MS = 10_000;

/** What the lock file holds. */
export interface LockRecord extends ProcessIdentity {
  /** When the holder took the lock (ISO 8601). */
  readonly startedAt: string;
  /** Unique per acquisition, so a holder can tell its own lock from a later one. */
  readonly token: string;
  /** The command that holds it, for a person reading the file. */
  readonly command: string;
}

/** How long to wait, from CROSS_ACCOUNT_SYNTH_LOCK_WAIT (seconds) or the default. */
export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[LOCK_WAIT_ENV]);
  return env[LOCK_WAIT_ENV] !== undefined && env[LOCK_WAIT_ENV] !== "" && Number.isFinite(value) && value >= 0
    ? value * 1000
    : DEFAULT_LOCK_WAIT_SECONDS * 1000;
}

/** The holder in words: `pid 123 on host build-7, started 2026-11-30T01:00:00.000Z`. */
export function describeHolder(holder: LockRecord | undefined): string {
  if (holder === undefined) return "a holder that the lock file does not name";
  return `pid ${holder.pid} on host ${holder.host}, started ${holder.startedAt}`;
}

/** Another synth held the lock for longer than the wait. */
export class LockTimeoutError extends Error {
  constructor(
    public readonly lockFile: string,
    public readonly holder: LockRecord | undefined,
    public readonly waitedMs: number,
  ) {
    super(`lock ${lockFile} held by ${describeHolder(holder)}`);
    this.name = "LockTimeoutError";
  }
}

/** This synth's lock was removed or replaced by another process (which judged it stale). */
export class LockLostError extends Error {
  constructor(public readonly lockFile: string) {
    super(`lock ${lockFile} was taken over`);
    this.name = "LockLostError";
  }
}

export interface LockOptions {
  /** How long to wait for another holder, in milliseconds. */
  readonly waitMs: number;
  /** Prints a progress line (waiting, stale lock removed). */
  readonly log: (line: string) => void;
  /** Pause between tries. */
  readonly pollMs?: number;
}

type Observed = { readonly text: string; readonly holder: LockRecord | undefined; readonly mtimeMs: number };

function unique(): string {
  return randomBytes(6).toString("hex");
}

function readLock(lockFile: string): Observed | undefined {
  try {
    const text = readFileSync(lockFile, "utf8");
    const mtimeMs = statSync(lockFile).mtimeMs;
    let holder: LockRecord | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<LockRecord>;
      if (typeof parsed.pid === "number" && typeof parsed.host === "string") holder = parsed as LockRecord;
    } catch {
      holder = undefined;
    }
    return { text, holder, mtimeMs };
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

/** A held lock on an output folder. */
export class OutputLock {
  private constructor(
    private readonly paths: OutputPaths,
    private readonly text: string,
  ) {}

  /**
   * Takes the lock, waiting while a live holder has it (announcing the wait
   * once), breaking it when its holder is gone. Throws LockTimeoutError after
   * `waitMs`.
   */
  static async acquire(paths: OutputPaths, options: LockOptions): Promise<OutputLock> {
    const deadline = Date.now() + options.waitMs;
    let announced = false;
    for (;;) {
      const taken = OutputLock.tryCreate(paths);
      if (taken !== undefined) return taken;
      const observed = readLock(paths.lockFile);
      if (observed === undefined) continue;
      const stale =
        observed.holder === undefined
          ? Date.now() - observed.mtimeMs > UNREADABLE_STALE_MS
            ? "the lock file does not name a holder and has not changed for 10 s"
            : undefined
          : goneReason(observed.holder);
      if (stale !== undefined) {
        if (OutputLock.breakStale(paths, observed.text)) {
          options.log(`Removed a stale lock on "${paths.shown}" (${describeHolder(observed.holder)}): ${stale}.`);
        }
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new LockTimeoutError(paths.lockFile, observed.holder, options.waitMs);
      if (!announced) {
        announced = true;
        options.log(
          `Waiting for another synth into "${paths.shown}" to finish (${describeHolder(observed.holder)}; lock file ${paths.lockFile}); waiting up to ${Math.round(options.waitMs / 1000)} s.`,
        );
      }
      const poll = options.pollMs ?? 100;
      // Jitter, so waiters released together do not retry in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, poll / 2 + Math.random() * poll)));
    }
  }

  /** Creates the lock file if there is none; undefined when another holder has it. */
  private static tryCreate(paths: OutputPaths): OutputLock | undefined {
    const record: LockRecord = {
      ...currentProcess(),
      startedAt: new Date().toISOString(),
      token: unique(),
      command: process.argv.slice(1).join(" "),
    };
    const text = `${JSON.stringify(record, null, 2)}\n`;
    const temp = paths.lockTemp(unique());
    try {
      // A full disk can fail the write after the file was created: the finally below removes it either way.
      writeFileSync(temp, text, { flag: "wx" });
      // link(2) fails with EEXIST when the lock exists, and the file it adds is already complete.
      linkSync(temp, paths.lockFile);
      return new OutputLock(paths, text);
    } catch (error) {
      const code = errnoCode(error);
      if (code === "EEXIST") return undefined;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw error;
      // No hard links on this file system: exclusive create, which may be seen empty for an instant.
      try {
        writeFileSync(paths.lockFile, text, { flag: "wx" });
        return new OutputLock(paths, text);
      } catch (fallbackError) {
        if (errnoCode(fallbackError) === "EEXIST") return undefined;
        throw fallbackError;
      }
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** Removes the lock file if it still holds `staleText`; true when it did. */
  private static breakStale(paths: OutputPaths, staleText: string): boolean {
    const aside = paths.lockTemp(unique());
    try {
      renameSync(paths.lockFile, aside);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return false;
      throw error;
    }
    try {
      if (readFileSync(aside, "utf8") === staleText) return true;
      // A live holder's lock replaced the stale one after it was judged: put it back (unless yet another exists).
      try {
        linkSync(aside, paths.lockFile);
      } catch {
        // That holder finds its lock gone before it publishes (assertHeld) and stops without writing.
      }
      return false;
    } finally {
      rmSync(aside, { force: true });
    }
  }

  /** True while the lock file is still this lock. */
  held(): boolean {
    try {
      return readFileSync(this.paths.lockFile, "utf8") === this.text;
    } catch {
      return false;
    }
  }

  /** Throws LockLostError unless this lock is still in place; checked right before the output is replaced. */
  assertHeld(): void {
    if (!this.held()) throw new LockLostError(this.paths.lockFile);
  }

  /** Removes the lock file if it is still this lock. Never throws: a lock left behind names a dead holder, which the next synth clears. */
  release(): void {
    try {
      if (this.held()) rmSync(this.paths.lockFile, { force: true });
    } catch {
      // See above.
    }
  }
}
