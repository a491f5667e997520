/** Stable codes of the `strangler` CLI's own errors. */
export type CliErrorCode =
  /** Unknown command or option, missing argument. */
  | "STRANGLER_USAGE"
  /** A route id the migration config does not have. */
  | "STRANGLER_UNKNOWN_ROUTE"
  /** A percentage that is not an integer from 0 to 100. */
  | "STRANGLER_INVALID_PERCENT"
  /** The proxy's admin API did not answer. */
  | "STRANGLER_PROXY_UNREACHABLE"
  /** The proxy's admin API answered 401/403 to the admin token. */
  | "STRANGLER_PROXY_AUTH_REJECTED"
  /** The proxy's admin API answered something that is not the documented routing table. */
  | "STRANGLER_PROXY_BAD_RESPONSE"
  /** Unleash has the new flag state but the proxy did not report it in time. */
  | "STRANGLER_PROXY_UNCONFIRMED"
  /** The CDC process did not answer, or not with its documented status. */
  | "STRANGLER_CDC_UNREACHABLE"
  /** None of the migration config's databases could be read. */
  | "STRANGLER_DATABASE_UNREACHABLE";

const USAGE_CODES: ReadonlySet<CliErrorCode> = new Set(["STRANGLER_USAGE", "STRANGLER_UNKNOWN_ROUTE", "STRANGLER_INVALID_PERCENT"]);

/** The one error type of the CLI; exit code 2 for a wrong invocation, 1 for anything that went wrong while running. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly retriable: boolean;
  /** HTTP status of the proxy's answer, when it answered. */
  readonly status: number | undefined;

  constructor(code: CliErrorCode, message: string, options: { cause?: unknown; retriable?: boolean; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.status = options.status;
  }

  get exitCode(): 1 | 2 {
    return USAGE_CODES.has(this.code) ? 2 : 1;
  }
}
