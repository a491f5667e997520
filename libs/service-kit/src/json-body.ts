import express, { type RequestHandler } from "express";
import { HttpError } from "./http-error";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers["content-length"];
  return headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** JSON body parsing with a size limit; a write that sends a body in another format gets a 415. */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (WRITES.has(req.method) && hasBody(req.headers) && !req.is("application/json")) {
      const type = req.headers["content-type"] ?? "none";
      return next(
        new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `request body must be application/json, got ${type}`, {
          location: "body",
          contentType: type,
        }),
      );
    }
    next();
  };
  return [requireJson, express.json({ limit: limitBytes, strict: true })];
}
