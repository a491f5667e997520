import type { ErrorRequestHandler, RequestHandler } from "express";
import { HttpError, errorBody } from "./http-error";

interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
  length?: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === "object" && error !== null && typeof (error as { type?: unknown }).type === "string";
}

/** Translates anything thrown by a handler or a body parser into an HttpError. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isBodyParserError(error)) {
    switch (error.type) {
      case "entity.parse.failed":
        return new HttpError(400, "MALFORMED_JSON", `request body is not valid JSON: ${error.message}`, {
          location: "body",
        });
      case "entity.too.large":
        return new HttpError(
          413,
          "PAYLOAD_TOO_LARGE",
          `request body is larger than the limit of ${error.limit} bytes`,
          {
            location: "body",
            limit: error.limit,
            length: error.length,
          },
        );
      case "encoding.unsupported":
      case "charset.unsupported":
        return new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", error.message, { location: "body" });
      case "request.aborted":
        return new HttpError(400, "REQUEST_ABORTED", "the client aborted the request body", { location: "body" });
      default:
        if (error.status && error.status < 500) return new HttpError(error.status, "BAD_REQUEST", error.message);
    }
  }
  return new HttpError(500, "INTERNAL", "internal error", {}, true);
}

/** The one place an app maps errors to responses. */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const httpError = toHttpError(error);
  if (httpError.status >= 500) req.log?.error({ err: error }, "request failed");
  res.status(httpError.status).json(errorBody(httpError));
};

/** 404 for a path no route matched, in the same error format. */
export const unmatchedRoute: RequestHandler = (req, _res, next) => {
  next(
    new HttpError(404, "ROUTE_NOT_FOUND", `no route for ${req.method} ${req.path}`, {
      method: req.method,
      path: req.path,
    }),
  );
};
