/**
 * How every command in this folder ends: a problem the user can fix is a
 * CommandError, printed as its lines on stderr with exit code 1 and no stack
 * trace; anything else is a defect, still reported in one line (the stack only
 * with CROSS_ACCOUNT_DEBUG=1).
 */
import { ConfigError } from "../config/problems";

/** A refusal or a usage problem: each line says what is wrong and what to do. */
export class CommandError extends Error {
  constructor(public readonly lines: readonly string[]) {
    super(lines.join("\n"));
    this.name = "CommandError";
  }
}

/** The lines to print for `error`. */
export function errorLines(error: unknown, command: string): string[] {
  if (error instanceof CommandError) return [...error.lines];
  if (error instanceof ConfigError) return error.message.split("\n");
  const message = error instanceof Error ? error.message : String(error);
  const detail = process.env.CROSS_ACCOUNT_DEBUG === "1" && error instanceof Error ? [error.stack ?? ""] : [];
  return [`${command} failed unexpectedly: ${message}`, ...detail];
}

/**
 * Runs a command's main function: its resolved value is the exit code; a
 * thrown error is printed (errorLines) and exits 1.
 */
export async function runCommand(command: string, main: () => Promise<number> | number): Promise<void> {
  try {
    const code = await main();
    if (code !== 0) process.exitCode = code;
  } catch (error) {
    process.stderr.write(`${errorLines(error, command).join("\n")}\n`);
    process.exitCode = 1;
  }
}
