import { runStranglerCli } from "./run-strangler-cli";

// The `strangler` command (bin/strangler.cjs loads this file through tsx). The first Ctrl-C (or
// SIGTERM) asks a long command to save its progress and stop; a second one ends the process at once.
const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  });

void runStranglerCli(process.argv.slice(2), undefined, undefined, stop.signal).then((code) => {
  process.exitCode = code;
});
