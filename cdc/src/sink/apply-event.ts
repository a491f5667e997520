import type { PoolClient } from "pg";
import type { ChangeEvent } from "../envelope/debezium-envelope";
import type { RowMapper } from "../mapping/row-mapper";
import { eventTableName } from "../mapping/compile-table-mapping";
import { encodeRowKey } from "../mapping/row-key";
import { UnappliableEventError } from "../mapping/unappliable-event-error";
import { applyTruncate } from "./apply-truncate";
import { applyKeyMove } from "./key-move";
import { findUnreflected } from "./reflection-check";
import { advancePosition, deleteRow, upsertRow, writtenNewerBy } from "./row-writer";
import { targetTableState } from "./target-table-state";
import { underSavepoint } from "./savepoint";
import { isTransientError } from "./transient-error";

/**
 * What happened to one event; `rowKey` is known once the event was mapped (never for a truncate).
 * A `conflict` lost to a later target row by the newerBy rule (recorded with the dead letters).
 */
export type EventOutcome =
  | { kind: "applied"; rowKey: string | null }
  | { kind: "skipped"; rowKey: string | null }
  | { kind: "conflict"; rowKey: string; reason: string }
  | { kind: "dead-lettered"; rowKey: string | null; reason: string; code?: string };

/**
 * Applies one event inside the batch transaction under a savepoint, so a failing event (constraint,
 * type error) is rolled back alone and dead-lettered while the rest of the batch goes on. A delete
 * that carries `keyMovedTo` (a primary-key change) moves the target row to its new key.
 */
export async function applyEvent(
  client: PoolClient,
  event: ChangeEvent,
  mappers: ReadonlyMap<string, RowMapper>,
): Promise<EventOutcome> {
  let rowKey: string | null = null;
  let writing = false;
  try {
    // Rejected before any SQL: these need no savepoint.
    const table = eventTableName(event.source);
    const mapper = mappers.get(table);
    if (!mapper) throw new UnappliableEventError(`no table mapping for source table "${table}"`);
    if (event.op === "t") {
      writing = true;
      const applied = await underSavepoint(client, () => applyTruncate(client, mapper, event.source.lsn));
      return { kind: applied ? "applied" : "skipped", rowKey: null };
    }
    const image = event.op === "d" ? event.before : event.after;
    if (!image) throw new UnappliableEventError(`op "${event.op}" without its row image`);
    const row = mapper.map(image);
    const newKey = event.op === "d" && event.keyMovedTo ? mapper.map(event.keyMovedTo).key : undefined;
    rowKey = encodeRowKey(row.key);
    const key = rowKey;
    writing = true;
    const outcome = await underSavepoint(client, async (): Promise<EventOutcome> => {
      const deleted = event.op === "d";
      const advance = await advancePosition(
        client,
        mapper.targetTable,
        key,
        event.source.lsn,
        deleted,
        deleted ? null : writtenNewerBy(mapper, row),
      );
      if (!advance.applied) return { kind: "skipped", rowKey: key };
      if (newKey !== undefined)
        await applyKeyMove(client, mapper, row.key, newKey, event.source.lsn, advance.previousWritten);
      else if (deleted) await deleteRow(client, mapper, row.key);
      else {
        const { columns } = await targetTableState(client, mapper);
        if (!(await upsertRow(client, mapper, row, advance.previousWritten, columns))) {
          // Nothing written: fine when the row is equal already; otherwise recorded, never silent.
          const [unreflected] = await findUnreflected(client, mapper, columns, Object.keys(row.values), [row]);
          if (unreflected)
            return {
              kind: unreflected.cause === "conflict" ? "conflict" : "dead-lettered",
              rowKey: key,
              reason: unreflected.reason,
            };
        }
      }
      return { kind: "applied", rowKey: key };
    });
    return outcome;
  } catch (error) {
    // Once SQL runs, a transient error (connection, lock timeout, serialization) fails the batch: retried, not dead-lettered.
    if (writing && isTransientError(error)) throw error;
    const code = (error as { code?: string }).code;
    const reason =
      code && code !== "CDC_UNAPPLIABLE_EVENT"
        ? `${(error as Error).message} (SQLSTATE ${code})`
        : (error as Error).message;
    return { kind: "dead-lettered", rowKey, reason, ...(code ? { code } : {}) };
  }
}
