/** Stable codes of data parity's own errors. */
export type ParityErrorCode =
  /** --service names no service with a data section. */
  | "PARITY_UNKNOWN_SERVICE"
  /** --table names no mapped table of the chosen services. */
  | "PARITY_UNKNOWN_TABLE"
  /** The config has no service with a data section. */
  | "PARITY_NO_DATA"
  /** The data section does not match the databases (names each problem's config path). */
  | "PARITY_MAPPING_INVALID"
  /** --resume without an unfinished run in the toolkit database. */
  | "PARITY_NOTHING_TO_RESUME"
  /** A database of the config cannot be reached. */
  | "PARITY_DATABASE_UNREACHABLE";

const USAGE: ReadonlySet<ParityErrorCode> = new Set(["PARITY_UNKNOWN_SERVICE", "PARITY_UNKNOWN_TABLE"]);

/** The one error type of data parity: `usage` when the invocation is wrong (exit 2), else a failure (exit 1). */
export class ParityError extends Error {
  readonly code: ParityErrorCode;
  readonly retriable: boolean;

  constructor(code: ParityErrorCode, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = "ParityError";
    this.code = code;
    this.retriable = options.retriable ?? false;
  }

  get usage(): boolean {
    return USAGE.has(this.code);
  }
}
