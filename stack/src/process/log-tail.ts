import fs from "node:fs";
import { LOG_TAIL_BYTES, LOG_TAIL_LINES } from "../defaults";

/** Size of a file, 0 when it does not exist (to tail only what a new run wrote). */
export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The last lines of a log written after byte `from`, for error messages. */
export function tailLog(file: string, from = 0, lines = LOG_TAIL_LINES): string {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return `(no log at ${file})`;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(from, size - LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    fs.readSync(fd, buffer, 0, buffer.length, start);
    const text = buffer.toString("utf8").trimEnd();
    if (!text) return `(${file} is empty)`;
    return text.split("\n").slice(-lines).join("\n");
  } finally {
    fs.closeSync(fd);
  }
}

/** "<title>\n<indented tail>" for error messages. */
export function formatLogTail(file: string, from = 0): string {
  const tail = tailLog(file, from)
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  return `  last lines of ${file}:\n${tail}`;
}
