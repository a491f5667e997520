import type { RowImage } from "../envelope/debezium-envelope";

/** A row ready for the target table: its key values (in the mapper's targetKeys order) and the other target columns the event sets. */
export interface MappedRow {
  key: unknown[];
  values: Record<string, unknown>;
}

/** Maps row images of one source table onto one target table (one direction of a table mapping). */
export interface RowMapper {
  /** The source table's canonical name (formatTableName): `User`, `sales.User`; events are matched by it. */
  sourceTable: string;
  /** The target table's canonical name: how row positions, truncates and dead letters name it. */
  targetTable: string;
  /** The target table for SQL: `"schema"."name"`. */
  targetSql: string;
  /** The key columns in the source rows, in key order. */
  sourceKeys: readonly string[];
  /** The key columns in the target table, in the same order. */
  targetKeys: readonly string[];
  /** Target column compared before an update (last writer wins across both directions), if any. */
  newerBy?: string;
  /** Maps a row image; throws UnappliableEventError when a key column is missing. Unmapped columns are ignored. */
  map(row: RowImage): MappedRow;
}
