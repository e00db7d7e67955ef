/**
 * The app's entry (main.ts): synthesizes into the output folder the CLI asked
 * for. Progress lines (which config and accounts, a wait for another synth, a
 * recovery) go to stdout, which `cdktf synth` shows; problems go to stderr,
 * which the CLI shows when the app fails, with exit code 1 and no stack trace.
 */
import type { App } from "cdktf";
import { requestedOutdir } from "./output-paths";
import { trapSignals, yieldToSignals } from "./signals";
import { BuiltApp, synthSafely } from "./synth-safely";

/** Synthesizes `build`'s app, or prints the problems on stderr and sets exit code 1. */
export async function runApp(build: (outdir: string) => App | BuiltApp): Promise<void> {
  const untrap = trapSignals();
  try {
    const result = await synthSafely(build, requestedOutdir(), {
      log: (line) => process.stdout.write(`${line}\n`),
    });
    if (!result.ok) {
      process.stderr.write(result.lines.join("\n") + "\n");
      process.exitCode = 1;
    }
    // A signal that came during the (synchronous) publish is reported now, with what was published.
    await yieldToSignals();
  } finally {
    untrap();
  }
}
