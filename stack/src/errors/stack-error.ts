/** Stable codes of the errors the stack raises; the CLI prints the message, tests match the code. */
export type StackErrorCode =
  | "STACK_CONFIG_INVALID"
  | "STACK_PORT_IN_USE"
  | "STACK_BINARY_MISSING"
  | "STACK_PERMISSION"
  | "STACK_DATA_DIR_INVALID"
  | "STACK_POSTGRES_FAILED"
  | "STACK_POSTGRES_UNREACHABLE"
  | "STACK_MIGRATION_FAILED"
  | "STACK_APP_FAILED"
  | "STACK_UNLEASH_FAILED"
  | "STACK_SECRETS_MISSING"
  | "STACK_SECRETS_INVALID"
  | "STACK_KAFKA_FAILED"
  | "STACK_CONNECT_FAILED"
  | "STACK_HOME_LOCKED";

/** The one error type of the stack package. */
export class StackError extends Error {
  readonly code: StackErrorCode;
  /** True when running the same command again may succeed without any change. */
  readonly retriable: boolean;

  constructor(code: StackErrorCode, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = "StackError";
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** A short, single-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch's "fetch failed" says why only in its cause (ECONNREFUSED, other side closed, …).
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && !error.message.includes(cause.message)
    ? `${error.message}: ${cause.message}`
    : error.message;
}
