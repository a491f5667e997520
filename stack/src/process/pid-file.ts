import fs from "node:fs";
import path from "node:path";

/** The pid stored in a pid file, or null when there is no file or it holds no number. */
export function readPidFile(file: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Writes a pid file, creating its folder. */
export function writePidFile(file: string, pid: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${pid}\n`);
}

/** Removes a pid file if present. */
export function removePidFile(file: string): void {
  fs.rmSync(file, { force: true });
}
