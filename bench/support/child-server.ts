import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

export interface ChildServer {
  port: number;
  /** What else its first line said (e.g. the number of workers). */
  workers?: number;
  stop(): Promise<void>;
}

const root = path.resolve(__dirname, "..", "..");

/** Runs a TypeScript file with tsx in its own process and waits for its `{"port": N}` line. */
export function startChildServer(file: string, args: string[] = []): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, file), ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3000).unref();
    });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => {
      try {
        const said = JSON.parse(line) as { port: number; workers?: number };
        resolve({ port: said.port, workers: said.workers, stop });
      } catch {
        void stop();
        reject(new Error(`${file} printed "${line}" instead of {"port": N}`));
      }
    });
    child.once("exit", (code) => reject(new Error(`${file} exited with code ${code} before it listened`)));
  });
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Paced runs only: requests not sent because too many were waiting. */
  dropped?: number;
}

/** One open-loop run at a fixed rate (bench/support/paced-load.ts) in a separate process. */
export async function runPacedLoad(url: string, rate: number, seconds: number): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "bench/support/paced-load.ts"), url, String(rate), String(seconds)],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`paced load exited with ${code}`);
  return JSON.parse(output.trim().split("\n").pop() ?? "{}") as LoadResult;
}

/** One closed-loop load run in a separate process (so the generator does not share an event loop). */
export async function runLoad(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "bench/support/load-generator.ts"),
      url,
      String(connections),
      String(seconds),
      JSON.stringify(headers),
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(output.trim().split("\n").pop() ?? "{}") as LoadResult;
}
