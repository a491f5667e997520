import { spawn, type ChildProcess } from "node:child_process";

/** A process started in its own process group, as the stack starts apps; stop() ends the whole group. */
export interface RunningProcess {
  proc: ChildProcess;
  /** What it wrote to stdout and stderr, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** `node --import tsx <script>` with exactly `env` (plus PATH): nothing of the test's environment leaks in. */
export function startTsProcess(script: string, env: Record<string, string>): RunningProcess {
  const proc = spawn(process.execPath, ["--import", "tsx", script], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const collect = (chunk: Buffer) => (output += chunk.toString());
  proc.stdout?.on("data", collect);
  proc.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      if (proc.pid !== undefined) process.kill(-proc.pid, name);
    } catch {
      // already gone
    }
  };
  return {
    proc,
    output: () => output,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      signal("SIGTERM");
      const killer = setTimeout(() => signal("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls `url` until it answers 2xx; fails with the process's stderr when it exits first or `timeoutMs` passes. */
export async function waitUntilHealthy(url: string, running: RunningProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (running.proc.exitCode !== null)
      throw new Error(`${url}: the process exited (${running.proc.exitCode}):\n${running.output()}`);
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer 2xx within ${timeoutMs} ms:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
