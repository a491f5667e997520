#!/usr/bin/env node
"use strict";
// First step of `npm test` and `npm run demo`: on a fresh clone (or after package-lock.json
// changed) install exactly what the lock file pins, and generate the Prisma clients. Plain Node,
// because nothing else is installed yet when it runs.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const lockFile = path.join(root, "package-lock.json");
const installedMarker = path.join(root, "node_modules", ".package-lock.json");
const generatedClients = ["legacy-monolith", "extracted/users-service"].map((app) =>
  path.join(root, app, "generated", "client", "index.js"),
);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function run(args, why) {
  process.stderr.write(`strangler: ${why}: npm ${args.join(" ")}\n`);
  const result = spawnSync(npm, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(`strangler: 'npm ${args.join(" ")}' failed (exit ${result.status}); see the output above\n`);
    process.exit(result.status || 1);
  }
}

const installedAt = mtime(installedMarker);
if (installedAt === undefined) {
  run(["ci"], "dependencies are not installed yet");
} else if ((mtime(lockFile) || 0) > installedAt) {
  run(["ci"], "package-lock.json changed since the last install");
} else if (generatedClients.some((file) => mtime(file) === undefined)) {
  run(["run", "generate"], "Prisma clients are not generated yet");
}
