export { createHttpApp, DEFAULT_BODY_LIMIT_BYTES, type HttpAppOptions } from "./create-http-app";
export { errorHandler, toHttpError, unmatchedRoute } from "./error-handler";
export { HttpError, conflict, errorBody, notFound, type ErrorDetails } from "./http-error";
export { jsonBody } from "./json-body";
export { createLogger, httpLogger, type Logger } from "./logger";
export { createMetrics, type AppMetrics } from "./metrics";
export { assignRequestId, REQUEST_ID_HEADER } from "./request-id";
export { serve, SHUTDOWN_GRACE_MS, type ServeOptions } from "./serve";
export { parseInput, type FieldProblem, type InputLocation } from "./validation";
