/**
 * Methods whose request may be sent a second time to the monolith after the service failed. PUT
 * and DELETE are idempotent in HTTP terms but are writes here: replaying one on the other side
 * after the service may already have applied it would write to two databases (or the monolith's
 * copy while the service owns the data), so they are never retried.
 */
const RETRYABLE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a request may be retried on the monolith: a read method, and no body (a streamed body cannot be sent twice). */
export function isRetryable(method: string, hasBody: boolean): boolean {
  return RETRYABLE_METHODS.has(method) && !hasBody;
}
