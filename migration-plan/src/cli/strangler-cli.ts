import { runStranglerCli } from "./run-strangler-cli";

// The `strangler` command (bin/strangler.cjs loads this file through tsx). For `parity`, the first
// Ctrl-C (or SIGTERM) asks the run to save its progress and stop; a second one ends the process at
// once. Every other command keeps Node's default: Ctrl-C ends it.
const args = process.argv.slice(2);
const stop = new AbortController();
if (args[0] === "parity")
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      if (stop.signal.aborted) process.exit(130);
      stop.abort();
    });

void runStranglerCli(args, undefined, undefined, stop.signal).then((code) => {
  process.exitCode = code;
});
