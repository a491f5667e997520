#!/usr/bin/env node
"use strict";
// The npm registry these machines reach does not serve every platform build of packages such as
// @swc/core, esbuild or unrs-resolver (darwin and win32 builds answer 404), so `npm install`
// leaves them out of package-lock.json, and then `npm ci` refuses the lock file ("Missing: …
// from lock file", npm/cli#4828, #8320). This adds the missing optional entries with the os and
// cpu their names state: npm skips them on other platforms and fetches them where they fit.
// Run it after every `npm install` that changes the lock file (`npm run lock`); `--check` only
// reports, and is what the test suite runs.
const fs = require("node:fs");
const path = require("node:path");

const OS = "(darwin|linux|win32|freebsd|android|openbsd|netbsd|sunos|aix|openharmony)";
const CPU = "(x64|arm64|arm|ia32|ppc64le|ppc64|s390x|riscv64|loong64|mips64el|wasm32)";
const PLATFORM = new RegExp(`${OS}-${CPU}(?![a-z0-9])`);

/** Entries to add: `{ key, entry }` for each optional dependency the lock file lacks. */
function missingPlatformEntries(lock) {
  const missing = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies || {})) {
      const nested = `${location ? `${location}/` : ""}node_modules/${name}`;
      const key = `node_modules/${name}`;
      if (lock.packages[nested] || lock.packages[key]) continue;
      const match = PLATFORM.exec(name);
      if (!match) {
        throw new Error(
          `${name}@${version} (optional dependency of ${location || "the root"}) is missing from the lock file and its name names no platform; install it on a machine that can fetch it`,
        );
      }
      missing.push({
        key,
        entry: { version, cpu: [match[2]], os: [match[1]], optional: true, ...(entry.dev ? { dev: true } : {}) },
      });
    }
  }
  return missing;
}

function main() {
  const file = path.join(__dirname, "..", "package-lock.json");
  const lock = JSON.parse(fs.readFileSync(file, "utf8"));
  const missing = missingPlatformEntries(lock);
  if (process.argv.includes("--check")) {
    for (const { key } of missing) process.stderr.write(`missing from package-lock.json: ${key}\n`);
    process.exit(missing.length ? 1 : 0);
  }
  for (const { key, entry } of missing) lock.packages[key] = entry;
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
  );
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`package-lock.json: added ${missing.length} platform entries\n`);
}

main();
