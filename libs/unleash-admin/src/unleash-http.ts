import { REQUEST_TIMEOUT } from "./defaults";
import { UnleashAdminError } from "./unleash-admin-error";

/** The fetch function the client uses; tests hand in a fake. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface UnleashHttpOptions {
  /** Base URL of Unleash, e.g. http://127.0.0.1:4242 (a base path is kept). */
  url: string;
  /** An admin API token; sent in the Authorization header as is (Unleash tokens take no "Bearer"). */
  token: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

export interface UnleashResponse {
  status: number;
  body: unknown;
}

/** One admin API call; statuses other than 2xx and `accept` become UnleashAdminErrors. */
export type UnleashRequest = (
  method: "GET" | "POST" | "PUT",
  path: string,
  options?: { body?: unknown; accept?: readonly number[] },
) => Promise<UnleashResponse>;

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
]);

function causeCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Unleash's error bodies carry `message` and `details[].message`. */
function unleashMessage(body: unknown): string {
  if (typeof body === "object" && body !== null) {
    const { message, details } = body as { message?: unknown; details?: unknown };
    if (Array.isArray(details)) {
      const texts = details
        .map((detail) => (detail as { message?: unknown }).message)
        .filter((text) => typeof text === "string");
      if (texts.length > 0) return texts.join("; ");
    }
    if (typeof message === "string") return message;
  }
  return typeof body === "string" && body !== "" ? body.slice(0, 300) : "(no message)";
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A request function bound to one Unleash and one admin token, with errors mapped to stable codes. */
export function createUnleashHttp(options: UnleashHttpOptions): UnleashRequest {
  const base = options.url.replace(/\/+$/, "");
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT;
  return async (method, path, { body, accept = [] } = {}) => {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: options.token,
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const code = causeCode(error);
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const why = timedOut
        ? `no answer within ${timeoutMs / 1000} s`
        : (code ?? (error instanceof Error ? error.message : String(error)));
      const known =
        timedOut ||
        (code !== undefined && UNREACHABLE_CODES.has(code)) ||
        (error instanceof TypeError && error.message === "fetch failed");
      throw new UnleashAdminError(
        known ? "UNLEASH_UNREACHABLE" : "UNLEASH_REQUEST_FAILED",
        known
          ? `Unleash is not reachable at ${options.url} (${why})`
          : `${method} ${path} on Unleash at ${options.url} failed: ${why}`,
        { retriable: true, cause: error },
      );
    }
    const parsed = await readBody(response);
    if (response.ok || accept.includes(response.status)) return { status: response.status, body: parsed };
    if (response.status === 401 || response.status === 403) {
      throw new UnleashAdminError(
        "UNLEASH_AUTH_REJECTED",
        `Unleash rejected the admin token (HTTP ${response.status} to ${method} ${path}): ${unleashMessage(parsed)}`,
        { status: response.status },
      );
    }
    throw new UnleashAdminError(
      "UNLEASH_REQUEST_FAILED",
      `Unleash answered HTTP ${response.status} to ${method} ${path}: ${unleashMessage(parsed)}`,
      {
        status: response.status,
        retriable: response.status >= 500,
      },
    );
  };
}
