import { withPgClient } from "../postgres/pg-client";

interface UserRow {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * One-off copy of the monolith's users into the users service's user_profiles, with the same
 * mapping the service uses (name split at its first space). The demo needs it until change data
 * capture (issue 4) keeps the two in sync; it is an upsert, so it can run again.
 */
export async function backfillUsers(monolithUrl: string, usersServiceUrl: string): Promise<number> {
  const rows = await withPgClient(monolithUrl, async (client) => (await client.query<UserRow>("SELECT id, email, name, phone, created_at, updated_at FROM users ORDER BY id")).rows);
  if (rows.length === 0) return 0;
  await withPgClient(usersServiceUrl, (client) =>
    client.query(
      `INSERT INTO user_profiles (user_id, email_address, first_name, last_name, phone_number, created_at, updated_at)
       SELECT id, email, split_part(name, ' ', 1), substr(name, length(split_part(name, ' ', 1)) + 2), phone, created_at, updated_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
         AS u(id, email, name, phone, created_at, updated_at)
       ON CONFLICT (user_id) DO UPDATE SET email_address = EXCLUDED.email_address, first_name = EXCLUDED.first_name,
         last_name = EXCLUDED.last_name, phone_number = EXCLUDED.phone_number, updated_at = EXCLUDED.updated_at`,
      [rows.map((r) => r.id), rows.map((r) => r.email), rows.map((r) => r.name), rows.map((r) => r.phone), rows.map((r) => r.created_at), rows.map((r) => r.updated_at)],
    ),
  );
  return rows.length;
}
