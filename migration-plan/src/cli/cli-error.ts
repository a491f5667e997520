/** Stable codes of the `strangler` CLI's own errors. */
export type CliErrorCode =
  /** Unknown command or option, missing argument. */
  | "STRANGLER_USAGE"
  /** A route id the migration config does not have. */
  | "STRANGLER_UNKNOWN_ROUTE"
  /** A service name the migration config does not have (`flags set --service`). */
  | "STRANGLER_UNKNOWN_SERVICE"
  /** A percentage that is not an integer from 0 to 100. */
  | "STRANGLER_INVALID_PERCENT"
  /** Neither the environment nor the local stack's tokens file has the token a command needs. */
  | "STRANGLER_TOKEN_MISSING"
  /** The local stack's tokens file exists but cannot be read as one. */
  | "STRANGLER_TOKENS_FILE_INVALID"
  /** The proxy's admin API did not answer. */
  | "STRANGLER_PROXY_UNREACHABLE"
  /** The proxy's admin API answered 401/403 to the admin token. */
  | "STRANGLER_PROXY_AUTH_REJECTED"
  /** The proxy's admin API answered something that is not the documented routing table. */
  | "STRANGLER_PROXY_BAD_RESPONSE"
  /** Unleash has the new flag state but the proxy did not report it in time. */
  | "STRANGLER_PROXY_UNCONFIRMED"
  /** The CDC process did not answer. */
  | "STRANGLER_CDC_UNREACHABLE"
  /** The CDC process answered something that is not the contract's status document. */
  | "STRANGLER_CDC_BAD_RESPONSE"
  /** None of the migration config's databases could be read. */
  | "STRANGLER_DATABASE_UNREACHABLE"
  /** `--since` is neither a duration nor an ISO time. */
  | "STRANGLER_INVALID_SINCE"
  /** `diff` needs `toolkit.database` in the migration config. */
  | "STRANGLER_TOOLKIT_DATABASE_MISSING"
  /** The toolkit database could not be read. */
  | "STRANGLER_TOOLKIT_DATABASE_UNREACHABLE"
  /** The toolkit database answered something that is not the contract's document. */
  | "STRANGLER_TOOLKIT_BAD_RESULT"
  /** `diff show` of an example id the toolkit database does not hold (pruned, or never kept). */
  | "STRANGLER_UNKNOWN_EXAMPLE"
  /** A parity run could not run to its end (a database, the mapping, nothing to resume). */
  | "STRANGLER_PARITY_FAILED"
  /** `parity http`: the corpus folder is missing or empty, a case file is invalid, or a case's path matches no route. */
  | "STRANGLER_BAD_CORPUS"
  /** A file the command writes (`parity http --junit`, `diff export --out`) could not be written. */
  | "STRANGLER_WRITE_FAILED"
  /** The plan could not move: a component did not confirm, the old writer stayed busy, a state the config no longer has, nothing to roll back. */
  | "STRANGLER_PLAN_FAILED"
  /** Another plan runner holds the plan-runner lock. */
  | "STRANGLER_PLAN_LOCKED";

const USAGE_CODES: ReadonlySet<CliErrorCode> = new Set([
  "STRANGLER_USAGE",
  "STRANGLER_UNKNOWN_ROUTE",
  "STRANGLER_UNKNOWN_SERVICE",
  "STRANGLER_INVALID_PERCENT",
  "STRANGLER_INVALID_SINCE",
  "STRANGLER_TOOLKIT_DATABASE_MISSING",
  "STRANGLER_BAD_CORPUS",
]);

/** The one error type of the CLI; exit code 2 for a wrong invocation, 1 for anything that went wrong while running. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly retriable: boolean;
  /** HTTP status of the proxy's answer, when it answered. */
  readonly status: number | undefined;

  constructor(
    code: CliErrorCode,
    message: string,
    options: { cause?: unknown; retriable?: boolean; status?: number } = {},
  ) {
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
