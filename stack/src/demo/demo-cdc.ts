import { withPgClient } from "../postgres/pg-client";

/** Rows in one table, counted in the database. */
export function countRows(url: string, table: string): Promise<number> {
  return withPgClient(url, async (client) =>
    Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0),
  );
}

/** Polls until `check` holds or the deadline passes; resolves with the time it took, or null. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return null;
}

/** The users whose monolith row and users-service row differ after mapping (name split, renamed columns). */
export function countMismatches(monolithUrl: string, usersServiceUrl: string): Promise<number> {
  return withPgClient(monolithUrl, async (mono) => {
    const users = (
      await mono.query<{ id: string; email: string; name: string; phone: string | null }>(
        "SELECT id, email, name, phone FROM users",
      )
    ).rows;
    return withPgClient(usersServiceUrl, async (svc) => {
      const rows = (
        await svc.query<{
          user_id: string;
          email_address: string;
          first_name: string;
          last_name: string;
          phone_number: string | null;
        }>("SELECT user_id, email_address, first_name, last_name, phone_number FROM user_profiles")
      ).rows;
      const byId = new Map(rows.map((r) => [r.user_id, r]));
      return users.filter((u) => {
        const p = byId.get(u.id);
        const name = p ? (p.last_name ? `${p.first_name} ${p.last_name}` : p.first_name) : undefined;
        return !p || p.email_address !== u.email || name !== u.name || p.phone_number !== u.phone;
      }).length;
    });
  });
}
