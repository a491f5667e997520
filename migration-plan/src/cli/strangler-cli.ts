import { runStranglerCli } from "./run-strangler-cli";

// The `strangler` command (bin/strangler.cjs loads this file through tsx).
void runStranglerCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
