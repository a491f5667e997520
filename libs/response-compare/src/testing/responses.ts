import type { ComparedResponse } from "../compare-types";

/** For tests: an answer with a JSON body (already encoded when `body` is a string). */
export function jsonResponse(body: unknown, headers: Record<string, string> = {}, status = 200): ComparedResponse {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return { status, headers: { "content-type": "application/json", ...headers }, body: Buffer.from(text) };
}

/** For tests: an answer with raw bytes. */
export function rawResponse(
  body: Uint8Array | string,
  headers: Record<string, string> = {},
  status = 200,
): ComparedResponse {
  return { status, headers, body: typeof body === "string" ? Buffer.from(body) : body };
}
