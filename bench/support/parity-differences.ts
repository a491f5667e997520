// Part (d) of bench:parity: 10 differences planted in the users-service copy, spread over the key
// space: 8 rows with a changed column (each compared column at least once), 1 row deleted (only in
// the legacy table) and 1 extra row (only in the service table). Returns what a run must report.
import { withClient } from "./parity-scratch";

/** The column each planted mismatch changes, and how (always to a different value, NULL included). */
const CHANGES: Array<[column: string, set: string]> = [
  ["email_address", "email_address = 'changed-' || email_address"],
  ["first_name", "first_name = first_name || 'x'"],
  ["last_name", "last_name = last_name || 'x'"],
  ["phone_number", "phone_number = coalesce(phone_number, '') || '9'"],
  ["created_at", "created_at = created_at + interval '1 second'"],
  ["updated_at", "updated_at = updated_at - interval '1 millisecond'"],
  ["first_name", "first_name = upper(first_name) || 'Y'"],
  ["email_address", "email_address = 'other-' || email_address"],
];

export type PlantedKind = "mismatched" | "only_in_legacy" | "only_in_service";

/** Plants the differences in `user_profiles`; returns each planted key (user_id text) and its kind. */
export async function plantDifferences(serviceUrl: string, rows: number): Promise<Map<string, PlantedKind>> {
  return withClient(serviceUrl, async (client) => {
    const planted = new Map<string, PlantedKind>();
    const keyAt = async (offset: number) => {
      const result = await client.query<{ id: string }>(
        "SELECT user_id::text AS id FROM user_profiles ORDER BY user_id OFFSET $1 LIMIT 1",
        [offset],
      );
      const id = result.rows[0]?.id;
      if (id === undefined) throw new Error(`no user_profiles row at offset ${offset}`);
      return id;
    };
    const step = Math.floor(rows / (CHANGES.length + 2));
    for (const [i, [, set]] of CHANGES.entries()) {
      const id = await keyAt(step * i + 7);
      await client.query(`UPDATE user_profiles SET ${set} WHERE user_id = $1`, [id]);
      planted.set(id, "mismatched");
    }
    const deleted = await keyAt(step * CHANGES.length + 11);
    await client.query("DELETE FROM user_profiles WHERE user_id = $1", [deleted]);
    planted.set(deleted, "only_in_legacy");
    const extra = await client.query<{ id: string }>(
      `INSERT INTO user_profiles (user_id, email_address, first_name, last_name, phone_number, created_at, updated_at)
       VALUES (gen_random_uuid(), 'extra-row@bench.invalid', 'Extra', 'Row', NULL, now(), now())
       RETURNING user_id::text AS id`,
    );
    planted.set(extra.rows[0]?.id as string, "only_in_service");
    await client.query("ANALYZE user_profiles");
    return planted;
  });
}

/** The changed columns, for the report (each planted mismatch changes exactly one). */
export const PLANTED_COLUMNS = CHANGES.map(([column]) => column);
