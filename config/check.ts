/**
 * `npm run synth`'s first step: validate the config named by
 * CROSS_ACCOUNT_CONFIG before the cdktf CLI starts. The app validates too, but
 * the CLI wraps whatever the app prints in its own error text; run here, the
 * problems are the only output (one per line on stderr, exit 1).
 */
import { ConfigError } from "./problems";
import { loadConfig } from "./load";

try {
  loadConfig();
} catch (error) {
  // Every input problem is a ConfigError; anything else is a defect here, still reported in one line.
  const lines =
    error instanceof ConfigError
      ? error.message
      : `The config could not be checked: ${error instanceof Error ? error.message : String(error)}` +
        (process.env.CROSS_ACCOUNT_DEBUG === "1" && error instanceof Error ? `\n${error.stack ?? ""}` : "");
  process.stderr.write(`${lines}\nNothing was synthesized.\n`);
  process.exitCode = 1;
}
