import type { PoolClient } from "pg";
import type { Logger } from "pino";
import type { ChangeEvent } from "../envelope/debezium-envelope";
import { eventTableName } from "../mapping/compile-table-mapping";
import { encodeRowKey } from "../mapping/row-key";
import type { RowMapper } from "../mapping/row-mapper";
import { insertDeadLetter } from "./dead-letter-store";
import type { SinkMetrics } from "./sink-metrics";

/** What a watched batch came to: the violations recorded and the snapshot rows passed over. */
export interface WatchedBatch {
  violations: number;
  skipped: number;
}

/**
 * The key of the row a change touches, as row positions and dead letters write it; null when the
 * change cannot be mapped (a truncate, an unmapped table, a missing key column).
 */
export function violationRowKey(event: ChangeEvent, mappings: ReadonlyMap<string, RowMapper>): string | null {
  const mapper = mappings.get(eventTableName(event.source));
  const image = event.after ?? event.before;
  if (!mapper || !image) return null;
  try {
    return encodeRowKey(mapper.map(image).key);
  } catch {
    return null;
  }
}

/** The dead letter's reason: stable words an operator can search for (`write violation`). */
export function violationReason(table: string, op: ChangeEvent["op"], direction: string): string {
  const what = op === "t" ? "truncate" : op === "d" ? "delete" : op === "u" ? "update" : "insert";
  return (
    `write violation: ${what} of ${table} in the source database of ${direction} while the stream watches ` +
    "(the other side owns the table's writes, ADR 0019); not applied, kept here"
  );
}

/**
 * Watch mode (ADR 0019): records each change of the batch as a violation in the sink's dead letters,
 * in the batch's transaction, and applies none, so the transport acknowledges them once they are
 * kept. Snapshot rows (`op: r`) are reads, not writes: passed over (a forward snapshot while
 * watching would otherwise overwrite the service's rows). Echoes never get here: the transports drop
 * them first (origin filter, ADR 0005).
 */
export async function recordViolations(
  client: PoolClient,
  events: ReadonlyArray<{ event: ChangeEvent; raw: unknown }>,
  context: { direction: string; mappings: ReadonlyMap<string, RowMapper>; metrics: SinkMetrics; logger: Logger },
): Promise<WatchedBatch> {
  const { direction, mappings, metrics, logger } = context;
  const result: WatchedBatch = { violations: 0, skipped: 0 };
  for (const { event, raw } of events) {
    const table = eventTableName(event.source);
    if (event.op === "r") {
      result.skipped += 1;
      metrics.skipped.inc({ direction, table, reason: "watching" });
      continue;
    }
    const rowKey = violationRowKey(event, mappings);
    result.violations += 1;
    metrics.violations.inc({ direction, table });
    logger.warn(
      { table, rowKey, lsn: event.source.lsn, op: event.op },
      `write violation: ${table} ${rowKey ?? "(no key)"} changed in the source while ${direction} watches; not applied`,
    );
    await insertDeadLetter(client, {
      direction,
      sourceTable: table,
      rowKey,
      lsn: event.source.lsn,
      reason: violationReason(table, event.op, direction),
      raw: raw ?? event,
      kind: "violation",
    });
  }
  return result;
}
