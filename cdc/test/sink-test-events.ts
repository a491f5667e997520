import type { TableMapping } from "../src/mapping/compile-table-mapping";
import type { ChangeOp, RowImage, SourcedEvent } from "../src";

/** The example's users → user_profiles mapping, as in migration-plan/strangler.config.yaml. */
export const USERS_TABLE: TableMapping = {
  source: "users",
  target: "user_profiles",
  key: { id: "user_id" },
  columns: { email: "email_address", phone: "phone_number", created_at: "created_at", updated_at: "updated_at" },
  split: [{ from: "name", into: ["first_name", "last_name"], separator: " " }],
  newerBy: "updated_at",
};

/** A legacy users row image. */
export function userRow(
  id: string,
  name: string,
  email: string,
  phone: string | null = null,
  updatedAt = "2026-01-02T00:00:00.000Z",
): RowImage {
  return { id, email, name, phone, created_at: "2026-01-01T00:00:00.000Z", updated_at: updatedAt };
}

/** A Debezium event for the monolith's users table, with its raw form as a transport would keep it. */
export function userEvent(op: ChangeOp, lsn: number, row: RowImage | null, table = "users"): SourcedEvent {
  const event = {
    before: op === "d" ? row : null,
    after: op === "d" || op === "t" ? null : row,
    source: { lsn, txId: lsn, ts_ms: Date.now(), db: "monolith", schema: "public", table, snapshot: op === "r" },
    op,
    ts_ms: Date.now(),
  };
  return { event, raw: JSON.stringify(event) };
}
