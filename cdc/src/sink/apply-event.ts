import type { PoolClient } from "pg";
import type { ChangeEvent } from "../envelope/debezium-envelope";
import type { RowMapper } from "../mapping/row-mapper";
import { UnappliableEventError } from "../mapping/unappliable-event-error";
import { applyTruncate } from "./apply-truncate";
import { advancePosition, deleteRow, upsertRow, writtenNewerBy } from "./row-writer";
import { newerByType } from "./target-table-state";
import { underSavepoint } from "./savepoint";
import { isTransientError } from "./transient-error";

/** What happened to one event; `rowKey` is known once the event was mapped (never for a truncate). */
export type EventOutcome =
  | { kind: "applied"; rowKey: string | null }
  | { kind: "skipped"; rowKey: string | null }
  | { kind: "dead-lettered"; rowKey: string | null; reason: string };

/**
 * Applies one event inside the batch transaction under a savepoint, so a failing event (constraint,
 * type error) is rolled back alone and dead-lettered while the rest of the batch goes on.
 */
export async function applyEvent(client: PoolClient, event: ChangeEvent, mappers: ReadonlyMap<string, RowMapper>): Promise<EventOutcome> {
  let rowKey: string | null = null;
  let writing = false;
  try {
    // Rejected before any SQL: these need no savepoint.
    const mapper = mappers.get(event.source.table);
    if (!mapper) throw new UnappliableEventError(`no table mapping for source table "${event.source.table}"`);
    if (event.op === "t") {
      writing = true;
      const applied = await underSavepoint(client, () => applyTruncate(client, mapper, event.source.lsn));
      return { kind: applied ? "applied" : "skipped", rowKey: null };
    }
    const image = event.op === "d" ? event.before : event.after;
    if (!image) throw new UnappliableEventError(`op "${event.op}" without its row image`);
    const row = mapper.map(image);
    rowKey = String(row.key);
    const key = rowKey;
    writing = true;
    const applied = await underSavepoint(client, async () => {
      const deleted = event.op === "d";
      const advance = await advancePosition(client, mapper.targetTable, key, event.source.lsn, deleted, deleted ? null : writtenNewerBy(mapper, row));
      if (!advance.applied) return false;
      if (deleted) await deleteRow(client, mapper, row.key);
      else await upsertRow(client, mapper, row, advance.previousWritten, advance.previousWritten === null ? undefined : await newerByType(client, mapper));
      return true;
    });
    return applied ? { kind: "applied", rowKey: key } : { kind: "skipped", rowKey: key };
  } catch (error) {
    // Once SQL runs, a transient error (connection, lock timeout, serialization) fails the batch: retried, not dead-lettered.
    if (writing && isTransientError(error)) throw error;
    const code = (error as { code?: string }).code;
    const reason = code && code !== "CDC_UNAPPLIABLE_EVENT" ? `${(error as Error).message} (SQLSTATE ${code})` : (error as Error).message;
    return { kind: "dead-lettered", rowKey, reason };
  }
}
