import fs from "node:fs";
import path from "node:path";

/** The CLI's version: its package's (migration-plan/package.json). */
export function cliVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
    name?: string;
    version?: string;
  };
  return manifest.version ?? "unknown";
}
