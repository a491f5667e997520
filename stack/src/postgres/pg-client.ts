import pg from "pg";
import { PG_CONNECT_TIMEOUT } from "../defaults";

/** Opens one connection, runs `work`, and always closes it (templates must have no open sessions). */
export async function withPgClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT });
  // An idle client whose server goes away emits 'error'; without a listener that would crash the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** null when `SELECT 1` succeeds, else why it did not. */
export async function postgresProblem(url: string): Promise<string | null> {
  try {
    await withPgClient(url, (client) => client.query("SELECT 1"));
    return null;
  } catch (error) {
    return error instanceof AggregateError ? error.errors.map(String).join("; ") : String(error);
  }
}

/** Whether `SELECT 1` succeeds. */
export async function isPostgresReachable(url: string): Promise<boolean> {
  return (await postgresProblem(url)) === null;
}

/** The same server URL pointing at another database (query parameters kept). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The URL with its password replaced, for status output and logs. */
export function redactUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.password) url.password = "***";
  return url.toString();
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
