import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { RUNNER_LOCK_POLL_MS, STORE_CONNECT_TIMEOUT, STORE_STATEMENT_TIMEOUT } from "../defaults";
import { toStoreError } from "../errors/toolkit-store-error";
import type { StoreLogger } from "../shadow/pg-shadow-result-store";
import { locked } from "./plan-records";
import { PLAN_RUNNER_LOCK } from "./plan-schema";

const DOING = "taking the plan-runner lock";
/** PostgreSQL keeps 63 bytes of application_name. */
const APPLICATION_NAME_MAX = 63;

/**
 * Runs work while this process holds the plan-runner advisory lock, on a connection of its own: a
 * session lock belongs to a connection, and a pooled one would carry it to the next borrower. When
 * the process dies its session ends and PostgreSQL releases the lock.
 */
export async function withPgRunnerLock<T>(
  databaseUrl: string,
  logger: StoreLogger,
  waitMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: STORE_CONNECT_TIMEOUT,
    statement_timeout: STORE_STATEMENT_TIMEOUT,
    // The connection sits idle while work runs: keep-alive notices a peer gone without a goodbye.
    keepAlive: true,
    // Shown to the runner that is refused, so it can say which process holds the lock.
    application_name: `strangler-plan-runner ${hostname()} pid ${process.pid}`.slice(0, APPLICATION_NAME_MAX),
  });
  // Without a listener a connection lost while work runs would crash the process; the lock went with it.
  client.on("error", (error) => logger.debug({ err: error }, "plan-runner lock connection lost: lock released"));
  try {
    await client.connect();
    await acquire(client, waitMs);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw toStoreError(error, DOING);
  }
  try {
    return await work();
  } finally {
    // Ending the session would release it too; unlocking first frees it even if end() stalls.
    await client.query("SELECT pg_advisory_unlock($1)", [PLAN_RUNNER_LOCK.toString()]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function acquire(client: pg.Client, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const tried = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      PLAN_RUNNER_LOCK.toString(),
    ]);
    if (tried.rows[0]?.locked === true) return;
    const left = deadline - Date.now();
    if (left <= 0) throw locked(await holder(client).catch(() => undefined));
    await sleep(Math.min(RUNNER_LOCK_POLL_MS, left));
  }
}

/** Who holds the lock, as pg_locks and pg_stat_activity show it (client_addr is hidden from unprivileged roles). */
async function holder(client: pg.Client): Promise<string | undefined> {
  const rows = await client.query<{ pid: number; application_name: string | null; client_addr: string | null }>(
    `SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = $1::oid AND l.objid = $2::oid`,
    [(PLAN_RUNNER_LOCK >> 32n).toString(), (PLAN_RUNNER_LOCK & 0xffffffffn).toString()],
  );
  const row = rows.rows[0];
  if (row === undefined) return undefined;
  const application = row.application_name ? `, application "${row.application_name}"` : "";
  return `backend pid ${row.pid}${application}, client ${row.client_addr ?? "local socket (or hidden from this role)"}`;
}
