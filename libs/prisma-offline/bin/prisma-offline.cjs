#!/usr/bin/env node
"use strict";
// Runs the Prisma CLI of this workspace offline: no telemetry check, long timers unref'd.
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const prismaCli = require.resolve("prisma/build/index.js");
const preload = path.join(__dirname, "unref-long-timers.cjs");
const args = process.argv.slice(2);
const env = { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", PRISMA_HIDE_PRISMA_TIPS: "1" };
// Without a DATABASE_URL the CLI cannot read the schema's datasource and falls back to downloading
// a query engine; generate and validate never connect, so any well-formed URL will do.
if (!env.DATABASE_URL) {
  if (args[0] === "generate" || args[0] === "validate" || args[0] === "format") {
    env.DATABASE_URL = "postgresql://offline@127.0.0.1:1/offline";
  } else {
    process.stderr.write(
      `prisma-offline: DATABASE_URL is not set; 'prisma ${args.join(" ")}' needs the database it works on\n`,
    );
    process.exit(2);
  }
}
const result = spawnSync(process.execPath, ["--require", preload, prismaCli, ...args], { stdio: "inherit", env });
if (result.error) {
  process.stderr.write(`prisma-offline: could not run ${prismaCli}: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
