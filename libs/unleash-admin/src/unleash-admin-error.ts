/** Stable codes of the errors the Unleash admin client raises. */
export type UnleashAdminErrorCode =
  /** 401/403: the admin token is wrong, expired or not an admin token. */
  | "UNLEASH_AUTH_REJECTED"
  /** Connection refused, DNS failure, reset or timeout. */
  | "UNLEASH_UNREACHABLE"
  /** Unleash answered with an unexpected status or body. */
  | "UNLEASH_REQUEST_FAILED"
  /** The configured environment is not enabled in the project. */
  | "UNLEASH_ENVIRONMENT_MISSING"
  /** A flag of that name exists, but not in the configured project. */
  | "UNLEASH_FLAG_CONFLICT"
  /** A rollout percentage that is not an integer from 0 to 100. */
  | "UNLEASH_INVALID_ROLLOUT";

/** The one error type of @strangler/unleash-admin. */
export class UnleashAdminError extends Error {
  readonly code: UnleashAdminErrorCode;
  /** The HTTP status Unleash answered with, when it answered. */
  readonly status: number | undefined;
  /** True when the same call may succeed later without any change (Unleash starting, network blip). */
  readonly retriable: boolean;

  constructor(
    code: UnleashAdminErrorCode,
    message: string,
    options: { status?: number; retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "UnleashAdminError";
    this.code = code;
    this.status = options.status;
    this.retriable = options.retriable ?? false;
  }
}
