/**
 * Runs the project's own cdktf CLI (the cdktf-cli package pinned in
 * package.json, whatever `cdktf` is on the PATH) with the terminal attached,
 * so its prompts (deploy's approval) and colours work as with `npx cdktf`.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { constants } from "node:os";

/** Runs `cdktf <args>` and resolves to its exit code. */
export type CdktfRunner = (args: readonly string[]) => Promise<number>;

/** The cdktf CLI's entry script in node_modules. */
export function cdktfEntry(): string {
  const manifest = require.resolve("cdktf-cli/package.json");
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin: Record<string, string> };
  return path.join(path.dirname(manifest), bin.cdktf ?? "bundle/bin/cdktf");
}

/** Terminal signals reach the CLI from the terminal itself; these are forwarded when sent to this process alone. */
const FORWARDED = ["SIGTERM", "SIGHUP"] as const;

/** The cdktf CLI, run with this process's terminal, environment and working folder (update checks off). */
export const runCdktf: CdktfRunner = (args) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cdktfEntry(), ...args], {
      stdio: "inherit",
      env: { ...process.env, CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE ?? "1" },
    });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
    // Ctrl-C goes to the whole foreground process group: the CLI gets it and winds down; wait for it.
    const onInterrupt = () => undefined;
    process.on("SIGINT", onInterrupt);
    handlers.forEach(([signal, handler]) => process.on(signal, handler));
    const cleanUp = () => {
      process.off("SIGINT", onInterrupt);
      handlers.forEach(([signal, handler]) => process.off(signal, handler));
    };
    child.on("error", (error) => {
      cleanUp();
      reject(error);
    });
    child.on("close", (code, signal) => {
      cleanUp();
      resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
    });
  });
