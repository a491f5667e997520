"use strict";
// Runs `java <args>` (or, with `--run <command> <args>`, another command such as mvn) as its child
// for tests: when the process that started this guardian is gone (a crashed or killed jest
// worker), the child is killed too. Both share one process group, so signalling the group (stop,
// SIGKILL) reaches the child directly; this guardian exits with it.
const { spawn } = require("node:child_process");

const parent = process.ppid;
const [command, args] =
  process.argv[2] === "--run" ? [process.argv[3], process.argv.slice(4)] : ["java", process.argv.slice(2)];
const java = spawn(command, args, { stdio: "inherit" });
java.on("error", (error) => {
  process.stderr.write(`java-guardian: could not start ${command}: ${error.message}\n`);
  process.exit(127);
});
java.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGKILL" ? 137 : 143)));
// The group's SIGTERM also reaches the JVM, which shuts down cleanly; wait for it.
process.on("SIGTERM", () => undefined);
process.on("SIGINT", () => undefined);
setInterval(() => {
  if (process.ppid !== parent) {
    java.kill("SIGKILL");
    process.exit(0);
  }
}, 500);
