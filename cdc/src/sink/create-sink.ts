import { Pool, type PoolClient } from "pg";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { SINK_ORIGIN_PREFIX, SINK_POOL_SIZE } from "../defaults";
import type { ChangeEvent } from "../envelope/debezium-envelope";
import type { RowMapper } from "../mapping/row-mapper";
import { eventTableName } from "../mapping/compile-table-mapping";
import { applyTableEvents } from "./apply-table-batch";
import { insertDeadLetter } from "./dead-letter-store";
import { recordViolations } from "./record-violations";
import type { BatchResult, EventSink, SourcedEvent, UndecodableMessage } from "./event-sink";
import { createSinkMetrics } from "./sink-metrics";
import { ensureSinkSchema, setupReplicationOrigin } from "./sink-schema";
import { targetTablesLinked } from "./target-table-state";

export interface SinkOptions {
  /** The database the events are written to. */
  targetUrl: string;
  /** Row mappers keyed by the source table name of the events (compileMappers). */
  mappings: ReadonlyMap<string, RowMapper>;
  /** A label for metrics, logs and dead letters, e.g. "monolith-to-users-service". */
  direction: string;
  /**
   * Replication origin the sink's session writes under (loop prevention); default
   * `strangler_sink_<direction>`. One session per origin at a time on PostgreSQL 17. `false`: none.
   */
  replicationOrigin?: string | false;
  /**
   * Read once at the start of each batch: "watch" records the batch's changes as violations (dead
   * letters of kind `violation`) and applies none (ADR 0019); default "apply".
   */
  mode?: () => SinkMode;
}

/** apply: write the events; watch: keep each as a violation, write nothing to the target tables. */
export type SinkMode = "apply" | "watch";

export interface SinkDeps {
  logger: Logger;
  /** Registry for the sink's series; a new one is created when absent. */
  metrics?: Registry;
}

/** An EventSink on PostgreSQL, with its metrics registry. */
export interface Sink extends EventSink {
  readonly registry: Registry;
}

/**
 * The replication origin a sink writes under by default for `direction` (`strangler_sink_<direction>`,
 * non-alphanumerics as `_`): a source that filters echoes by origin needs the opposite sink's name.
 */
export function sinkReplicationOrigin(direction: string): string {
  return `${SINK_ORIGIN_PREFIX}_${direction.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

type Item = { event: ChangeEvent; raw: unknown };

/**
 * The batch's events (in LSN order) in groups of one source table each: one group per table when
 * the target tables are independent (fewest statements), or runs of consecutive events of one table
 * in source order when foreign keys link them (a parent's delete in the target may cascade into a
 * child row the source wrote later: order across tables matters then).
 */
function tableGroups(events: readonly Item[], inSourceOrder: boolean): Array<[string, Item[]]> {
  if (inSourceOrder) {
    const runs: Array<[string, Item[]]> = [];
    for (const item of events) {
      const last = runs[runs.length - 1];
      const table = eventTableName(item.event.source);
      if (last && last[0] === table) last[1].push(item);
      else runs.push([table, [item]]);
    }
    return runs;
  }
  const byTable = new Map<string, Item[]>();
  for (const item of events) {
    const table = eventTableName(item.event.source);
    const list = byTable.get(table);
    if (list) list.push(item);
    else byTable.set(table, [item]);
  }
  return [...byTable];
}

/** Creates the idempotent, version-guarded PostgreSQL sink (ADR 0005). One pool, created here. */
export function createSink(options: SinkOptions, deps: SinkDeps): Sink {
  const { direction, mappings } = options;
  const origin = options.replicationOrigin ?? sinkReplicationOrigin(direction);
  const metrics = createSinkMetrics(deps.metrics);
  const logger = deps.logger.child({ component: "cdc-sink", direction });
  const pool = new Pool({
    connectionString: options.targetUrl,
    max: SINK_POOL_SIZE,
    application_name: `strangler-sink-${direction}`,
  });
  // An idle client can lose its connection; pg emits the error on the pool, which must not crash the process.
  pool.on("error", (error) => logger.warn({ err: error }, "idle sink connection failed"));
  const prepared = new WeakSet<PoolClient>();
  let schemaReady: Promise<void> | null = null;
  // Read once: whether foreign keys link the target tables (then events apply in source order across tables).
  let linked: Promise<boolean> | null = null;

  async function connect(): Promise<PoolClient> {
    const client = await pool.connect();
    try {
      schemaReady ??= ensureSinkSchema(client).catch((error: unknown) => {
        schemaReady = null;
        throw error;
      });
      await schemaReady;
      if (!prepared.has(client)) {
        if (origin !== false) await setupReplicationOrigin(client, origin);
        prepared.add(client);
      }
      return client;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  /** Read at the first applied batch: a stream fills its mappings at start, from the catalog (resolveTableMappings). */
  function tablesLinked(client: PoolClient): Promise<boolean> {
    linked ??= targetTablesLinked(client, [...new Set([...mappings.values()].map((m) => m.targetSql))]).catch(
      (error: unknown) => {
        linked = null;
        throw error;
      },
    );
    return linked;
  }

  async function applyBatch(batch: readonly SourcedEvent[]): Promise<BatchResult> {
    // Before any await: a mode switch takes effect between batches, never inside one.
    const watching = options.mode?.() === "watch";
    const result: BatchResult = { applied: 0, skipped: 0, deadLettered: 0, conflicts: 0, highestLsn: null };
    const events: Item[] = [];
    const undecodable: Array<SourcedEvent & { undecodable: UndecodableMessage }> = [];
    for (const item of batch) {
      if (item.undecodable) undecodable.push({ ...item, undecodable: item.undecodable });
      else if (item.event === null) {
        result.skipped += 1;
        metrics.skipped.inc({ direction, table: "", reason: "tombstone" });
      } else {
        events.push({ event: item.event, raw: item.raw });
        result.highestLsn = Math.max(result.highestLsn ?? 0, item.event.source.lsn);
      }
    }
    if (events.length === 0 && undecodable.length === 0) return result;
    // Stable: events of one row end up in LSN order, events with equal LSNs (a snapshot) keep theirs.
    events.sort((a, b) => a.event.source.lsn - b.event.source.lsn);
    const appliedEvents: ChangeEvent[] = [];
    const client = await connect();
    try {
      await client.query("BEGIN");
      // Kept with its bytes in this transaction: the transport acknowledges the message only after the commit.
      for (const { raw, undecodable: message } of undecodable) {
        result.deadLettered += 1;
        metrics.deadLettered.inc({ direction, table: "" });
        await insertDeadLetter(client, {
          direction,
          sourceTable: null,
          rowKey: null,
          lsn: null,
          reason: message.reason,
          raw,
          rawBytes: message.bytes,
          kind: "undecodable",
          ...(message.kafka ? { kafka: message.kafka } : {}),
        });
      }
      if (watching) {
        const watched = await recordViolations(client, events, { direction, mappings, metrics, logger });
        result.violations = watched.violations;
        result.skipped += watched.skipped;
      }
      // Per source table: set-based where it can, event by event where it must (apply-table-batch.ts).
      for (const [sourceTable, tableEvents] of watching ? [] : tableGroups(events, await tablesLinked(client))) {
        const onFallback = () => metrics.fallbacks.inc({ direction, table: sourceTable });
        for (const { event, raw, outcome } of await applyTableEvents(client, tableEvents, mappings, onFallback)) {
          const table = eventTableName(event.source);
          if (outcome.kind === "applied") {
            result.applied += 1;
            appliedEvents.push(event);
          } else if (outcome.kind === "skipped") {
            result.skipped += 1;
            metrics.skipped.inc({ direction, table, reason: "not_newer" });
          } else {
            const conflict = outcome.kind === "conflict";
            if (conflict) {
              result.conflicts += 1;
              metrics.conflicts.inc({ direction, table });
            } else {
              result.deadLettered += 1;
              metrics.deadLettered.inc({ direction, table });
            }
            logger.warn(
              { table, rowKey: outcome.rowKey, lsn: event.source.lsn, reason: outcome.reason },
              conflict ? "change event lost a conflict" : "change event dead-lettered",
            );
            await insertDeadLetter(client, {
              direction,
              sourceTable: table,
              rowKey: outcome.rowKey,
              lsn: event.source.lsn,
              reason: outcome.reason,
              raw: raw ?? event,
              kind: conflict ? "conflict" : "unappliable",
            });
          }
        }
      }
      await client.query("COMMIT");
      client.release();
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      // The connection may be broken; destroy it rather than hand it out again.
      client.release(error as Error);
      throw error;
    }
    const now = Date.now();
    const byTable = new Map<string, ChangeEvent[]>();
    for (const event of appliedEvents) {
      const table = eventTableName(event.source);
      const list = byTable.get(table);
      if (list) list.push(event);
      else byTable.set(table, [event]);
    }
    // Label children resolved once per table: per-event label hashing is measurable at bulk rates.
    for (const [table, tableEvents] of byTable) {
      const labels = { direction, table };
      const lag = metrics.lag.labels(labels);
      let last = 0;
      for (const event of tableEvents) {
        last = Math.max(0, now - event.source.ts_ms) / 1000;
        lag.observe(last);
      }
      metrics.applied.inc(labels, tableEvents.length);
      metrics.lastLag.set(labels, last);
    }
    return result;
  }

  return {
    registry: metrics.registry,
    applyBatch,
    async close() {
      await pool.end();
    },
  };
}
