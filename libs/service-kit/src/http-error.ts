/** Machine-readable detail attached to an error response; always an object. */
export type ErrorDetails = Record<string, unknown>;

/** The one error type of every Strangler HTTP app: a stable code, an HTTP status, details. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
    readonly retriable = false,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** 404 for a resource that does not exist. */
export function notFound(resource: string, id: string): HttpError {
  return new HttpError(404, "NOT_FOUND", `${resource} ${id} does not exist`, { resource, id });
}

/** 409 for a request that clashes with the current state. */
export function conflict(code: string, message: string, details: ErrorDetails = {}): HttpError {
  return new HttpError(409, code, message, details);
}

/** The JSON body every error response has: `{"error": {"code", "message", "details"}}`. */
export function errorBody(error: HttpError): { error: { code: string; message: string; details: ErrorDetails } } {
  return { error: { code: error.code, message: error.message, details: error.details } };
}
