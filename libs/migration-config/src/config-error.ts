/** A migration config that cannot be used; the message names the file, the place and the problem. */
export class MigrationConfigError extends Error {
  readonly code = "STRANGLER_CONFIG_INVALID";
  constructor(
    readonly file: string,
    readonly problems: ReadonlyArray<{ path: string; line?: number; message: string }>,
  ) {
    super(
      `${file}: invalid migration config:\n` +
        problems
          .map((p) => `  - ${p.path || "(top level)"}${p.line ? ` (line ${p.line})` : ""}: ${p.message}`)
          .join("\n"),
    );
    this.name = "MigrationConfigError";
  }
}
