/**
 * SIGINT (Ctrl-C), SIGTERM (what `cdktf synth` sends its app when aborted)
 * and SIGHUP (terminal closed) undo the synth in progress: its staging folder
 * is removed, a half-done swap is rolled back, the lock is released. Then the
 * process exits with the conventional code, 128 + the signal's number.
 *
 * Node runs signal handlers between tasks, never inside synchronous code: a
 * signal during app.synth() or during the publish's renames is handled at the
 * synth's next await, so the undo always starts from a known phase.
 */
import { writeSync } from "node:fs";

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

type Undo = (signal: string) => string[];

const running = new Set<Undo>();

/** Registers what to undo on a signal while a synth runs; returns the function that unregisters it. */
export function onInterrupt(undo: Undo): () => void {
  running.add(undo);
  return () => running.delete(undo);
}

/** Lets a signal that arrived during synchronous work be handled now (signals are read before immediates run). */
export function yieldToSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Installs the handlers; returns the function that removes them. On a signal,
 * every registered undo runs, their lines go to stderr, and the process exits.
 */
export function trapSignals(): () => void {
  const removers = Object.entries(SIGNAL_NUMBERS).map(([signal, number]) => {
    const handler = () => {
      const lines = [...running].flatMap((undo) => undo(signal));
      // Written synchronously: process.exit does not wait for a pending stream write.
      writeSync(2, [`Interrupted by ${signal}.`, ...lines].join("\n") + "\n");
      process.exit(128 + number);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => removers.forEach((remove) => remove());
}
