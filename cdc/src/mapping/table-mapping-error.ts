/**
 * The data section names what the databases do not have (a table, a column, a key): the stream
 * cannot start. Each problem names the config path, what was looked for and the closest names.
 */
export class TableMappingError extends Error {
  readonly code = "CDC_TABLE_MAPPING_INVALID";
  /** Retrying cannot help: the config or the schema must change. */
  readonly retriable = false;
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: the data section does not match the databases:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "TableMappingError";
  }
}
