/** The slice of a pino logger the embedded source uses, so tests can pass a silent one. */
export interface EmbeddedSourceLogger {
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
}
