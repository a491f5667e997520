/** Every error code the proxy answers or throws, with its HTTP status: the one catalogue. */
export const PROXY_ERRORS = {
  STRANGLER_BAD_PATH: 400,
  STRANGLER_BAD_REQUEST: 400,
  STRANGLER_UNAUTHORIZED: 401,
  STRANGLER_NOT_FOUND: 404,
  STRANGLER_METHOD_NOT_ALLOWED: 405,
  STRANGLER_REQUEST_TIMEOUT: 408,
  STRANGLER_URL_TOO_LONG: 414,
  STRANGLER_HEADERS_TOO_LARGE: 431,
  STRANGLER_UNSUPPORTED_TRANSFER_CODING: 501,
  STRANGLER_BAD_GATEWAY: 502,
  STRANGLER_SERVICE_UNAVAILABLE: 503,
  STRANGLER_GATEWAY_TIMEOUT: 504,
  STRANGLER_INTERNAL: 500,
  STRANGLER_PROXY_SETTINGS_INVALID: 500,
} as const;

export type ProxyErrorCode = keyof typeof PROXY_ERRORS;
export type ErrorDetails = Record<string, unknown>;

/** The one error type of the proxy: a stable code, its HTTP status, details, and whether a retry may help. */
export class ProxyError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProxyErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    readonly retriable = false,
  ) {
    super(message);
    this.name = "ProxyError";
    this.status = PROXY_ERRORS[code];
  }
}

/** The JSON body of every error response: `{"error": {"code", "message", "details"}}`. */
export function errorBody(error: ProxyError): { error: { code: string; message: string; details: ErrorDetails } } {
  return { error: { code: error.code, message: error.message, details: error.details } };
}
