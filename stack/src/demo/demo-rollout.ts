import { spawn } from "node:child_process";
import path from "node:path";
import { call } from "./demo-http";

const say = (text = "") => process.stdout.write(`${text}\n`);

/** Runs `npx strangler …` exactly as a user would type it, echoing the command and its output. */
export async function strangler(repoRoot: string, args: string[]): Promise<void> {
  say(`  $ npx strangler ${args.join(" ")}`);
  const bin = path.join(repoRoot, "migration-plan", "bin", "strangler.cjs");
  // Not spawnSync: a blocked event loop cannot see the proxy close an idle keep-alive connection,
  // and the next request on it would fail ("fetch failed") after a slow CLI run.
  const run = await new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, output }));
  });
  for (const line of run.output.trimEnd().split("\n")) say(`    ${line}`);
  if (run.status !== 0) throw new Error(`demo: 'strangler ${args.join(" ")}' exited with ${run.status}`);
}

/** The reads of one rollout step: the path of each request, and the user it is sent as. */
export interface ReadPlan {
  userIds: readonly string[];
  /** The i-th request's path (e.g. alternating an item of the resource and a page of its list). */
  path(i: number): string;
}

/**
 * Sends `requests` reads through the proxy, each as another user (x-user-id), and counts which
 * backend served them (the proxy's x-strangler-backend header). Any answer but 200 stops the demo.
 */
export async function readLoop(proxyUrl: string, plan: ReadPlan, requests: number): Promise<Record<string, number>> {
  const served: Record<string, number> = {};
  for (let i = 0; i < requests; i++) {
    const userId = plan.userIds[i % plan.userIds.length] as string;
    const path = plan.path(i);
    const response = await call(proxyUrl, "GET", path, undefined, { "x-user-id": userId });
    if (response.status !== 200)
      throw new Error(
        `demo: GET ${path} through the proxy answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    const backend = response.headers.get("x-strangler-backend") ?? "unknown";
    served[backend] = (served[backend] ?? 0) + 1;
  }
  return served;
}

/** `monolith 200  users-service 0` with a bar per backend, for one step of the rollout. */
export function formatShares(served: Record<string, number>, requests: number, backends: readonly string[]): string {
  const width = Math.max(...backends.map((backend) => backend.length)) + 2;
  return backends
    .map((backend) => {
      const count = served[backend] ?? 0;
      return `${backend.padEnd(width)}${String(count).padStart(5)}  ${"█".repeat(Math.round((count / requests) * 40))}`;
    })
    .join("\n    ");
}
