import type { RowImage } from "../envelope/debezium-envelope";

/** A row ready for the target table: its key value and the other target columns the event sets. */
export interface MappedRow {
  key: unknown;
  values: Record<string, unknown>;
}

/** Maps row images of one source table onto one target table (one direction of a table mapping). */
export interface RowMapper {
  sourceTable: string;
  targetTable: string;
  sourceKey: string;
  targetKey: string;
  /** Target column compared before an update (last writer wins across both directions), if any. */
  newerBy?: string;
  /** Maps a row image; throws UnappliableEventError when the key is missing. Unknown columns are ignored. */
  map(row: RowImage): MappedRow;
}
