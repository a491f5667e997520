import { spawn } from "node:child_process";
import path from "node:path";

export interface PrismaCliResult {
  code: number;
  output: string;
}

const BIN = path.join(__dirname, "..", "bin", "prisma-offline.cjs");

/** Runs the offline Prisma CLI in an app folder and collects its output (for the stack and tests). */
export function runPrismaCli(appDir: string, args: string[], env: NodeJS.ProcessEnv): Promise<PrismaCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: appDir, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}
