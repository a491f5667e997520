import http from "node:http";
import { z } from "zod";
import { HTTP_PROBE_TIMEOUT, PROXY_RESTART_POLL_INTERVAL, PROXY_RESTART_TIMEOUT } from "../defaults";
import { StackError } from "../errors/stack-error";
import { sleep } from "../process/process-state";

/** The part of the proxy's GET /admin/health the stack reads: its supervisor's restart record and workers. */
const supervisorSchema = z.object({
  supervisor: z.object({
    pid: z.number(),
    workers: z.array(z.object({ id: z.number(), pid: z.number().nullable(), state: z.string() })),
    restart: z.object({
      state: z.enum(["idle", "running"]),
      requested: z.number(),
      completed: z.number(),
      lastOutcome: z.enum(["ok", "failed"]).nullable(),
      lastError: z.string().nullable(),
    }),
  }),
});
type SupervisorView = z.output<typeof supervisorSchema>["supervisor"];

function readSupervisor(adminUrl: string, token: string): Promise<SupervisorView> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${adminUrl}/admin/health`,
      { agent: false, timeout: HTTP_PROBE_TIMEOUT, headers: { authorization: `Bearer ${token}` } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          const parsed = response.statusCode === 200 ? supervisorSchema.safeParse(JSON.parse(text || "null")) : null;
          if (parsed?.success) resolve(parsed.data.supervisor);
          else
            reject(
              new Error(
                `GET ${adminUrl}/admin/health answered ${response.statusCode}${parsed ? " without its supervisor's restart record" : ""}`,
              ),
            );
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`GET ${adminUrl}/admin/health timed out`)));
    request.on("error", reject);
  });
}

/**
 * Restarts the running proxy without failing a request: SIGHUP to its supervisor (the pid the stack
 * recorded), which starts a new worker before it drains each old one, then waits on the admin API
 * until that restart has finished. Resolves to the new number of workers; throws when the restart
 * failed (the workers that were serving keep serving).
 */
export async function restartProxy(options: {
  pid: number;
  adminUrl: string;
  token: string;
  log: string;
}): Promise<number> {
  const before = await readSupervisor(options.adminUrl, options.token).catch((error: unknown) => {
    throw new StackError("STACK_APP_FAILED", `proxy: cannot read its restart record: ${(error as Error).message}`, {
      cause: error,
      retriable: true,
    });
  });
  if (before.pid !== options.pid) {
    throw new StackError(
      "STACK_APP_FAILED",
      `proxy: the admin API answers for pid ${before.pid}, the pid file says ${options.pid}`,
    );
  }
  process.kill(options.pid, "SIGHUP");
  const deadline = Date.now() + PROXY_RESTART_TIMEOUT;
  for (;;) {
    await sleep(PROXY_RESTART_POLL_INTERVAL);
    // The admin API keeps answering through a restart; a failed poll (a busy machine) is tried again.
    const now = await readSupervisor(options.adminUrl, options.token).catch(() => null);
    if (now && now.restart.completed > before.restart.requested && now.restart.state === "idle") {
      if (now.restart.lastOutcome === "failed") {
        throw new StackError(
          "STACK_APP_FAILED",
          `proxy restart failed: ${now.restart.lastError ?? "unknown reason"}\nThe workers that were serving keep serving. Log: ${options.log}`,
        );
      }
      return now.workers.filter((worker) => worker.state === "listening").length;
    }
    if (Date.now() >= deadline) {
      throw new StackError(
        "STACK_APP_FAILED",
        `proxy: the restart did not finish within ${PROXY_RESTART_TIMEOUT / 1000} s. Log: ${options.log}`,
        { retriable: true },
      );
    }
  }
}
