/**
 * Test seam: CROSS_ACCOUNT_SYNTH_TEST_FAULT="<point>:<action>" makes the synth
 * fail on purpose just before one step, so the fault tests can show what a
 * crash, a full disk or a signal at that step leaves behind. Read only here,
 * only at the points below; unset (always, outside tests) it does nothing.
 *
 *   action kill      the process SIGKILLs itself (a crash: no cleanup runs)
 *   action pause     prints "test fault: paused before <point>" on stderr and waits (for a signal)
 *   action E<CODE>   the step fails with that errno code, e.g. ENOSPC (disk full), EIO, EACCES
 */

/** The steps of a synth, in order; a fault fires just before the named step. */
export const FAULT_POINTS = [
  /** app.synth() writes the stacks and manifest into the staging folder. */
  "synth",
  /** The config record is written into the staging folder (the stacks are there already). */
  "write-record",
  /** `.terraform` and `.terraform.lock.hcl` are linked from the output into the staging folder (after the first one). */
  "carry-over",
  /** The complete staging folder is renamed `.ready`. */
  "mark-ready",
  /** The old output is renamed aside (`.previous`). */
  "set-aside",
  /** The ready folder is renamed to the output folder. */
  "swap",
  /** The old output, set aside, is deleted. */
  "remove-previous",
  /** The lock file is removed. */
  "release-lock",
] as const;

export type FaultPoint = (typeof FAULT_POINTS)[number];

export const FAULT_ENV = "CROSS_ACCOUNT_SYNTH_TEST_FAULT";

/** Fires the fault configured for `point`, if any. */
export async function faultPoint(point: FaultPoint, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const spec = env[FAULT_ENV];
  if (spec === undefined || spec === "") return;
  const [at, action] = spec.split(":");
  if (at !== point || action === undefined) return;
  if (action === "kill") {
    process.kill(process.pid, "SIGKILL");
    // SIGKILL is delivered on the way out of the kill call; never go on to the step.
    await new Promise(() => undefined);
  }
  if (action === "pause") {
    process.stderr.write(`test fault: paused before ${point}\n`);
    await new Promise((resolve) => setTimeout(resolve, 600_000));
    return;
  }
  if (/^E[A-Z]+$/.test(action)) {
    throw Object.assign(new Error(`${action}: injected by ${FAULT_ENV} before ${point}`), {
      code: action,
      syscall: point,
    });
  }
}
