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
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\nNothing was synthesized.\n`);
  process.exitCode = 1;
}
