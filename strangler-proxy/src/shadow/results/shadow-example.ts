import zlib from "node:zlib";
import type { DiffExample } from "@strangler/ops-contract";
import { SHADOW_EXAMPLE_BODY_CHARS } from "../../defaults";
import type { CallOutcome, ShadowExchange } from "../shadow-sink";

const NO_ANSWER = { status: 0, headers: {}, body: "", latencyMs: 0 };

/** A body as text: content-encoding undone when possible, invalid UTF-8 replaced, cut to SHADOW_EXAMPLE_BODY_CHARS. */
export function bodyText(body: Uint8Array | null, encoding: string | undefined): string {
  if (body === null) return "";
  let bytes: Uint8Array = body;
  try {
    const coding = encoding?.trim().toLowerCase();
    // Bounded: a small compressed body must not expand into gigabytes here.
    const bound = { maxOutputLength: SHADOW_EXAMPLE_BODY_CHARS * 4 };
    if (coding === "gzip" || coding === "x-gzip") bytes = zlib.gunzipSync(body, bound);
    else if (coding === "deflate") bytes = zlib.inflateSync(body, bound);
    else if (coding === "br") bytes = zlib.brotliDecompressSync(body, bound);
  } catch {
    // Cut at the capture bound, or larger than the example keeps: the raw bytes are shown instead.
  }
  const text = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    Math.min(bytes.byteLength, SHADOW_EXAMPLE_BODY_CHARS * 4),
  ).toString("utf8");
  return text.length > SHADOW_EXAMPLE_BODY_CHARS ? text.slice(0, SHADOW_EXAMPLE_BODY_CHARS) : text;
}

function answerOf(outcome: CallOutcome): DiffExample["answers"]["legacy"] {
  if (outcome.kind !== "answered") return { ...NO_ANSWER, latencyMs: outcome.latencyMs };
  const { status, headers, body, latencyMs } = outcome.answer;
  return { status, headers: { ...headers }, body: bodyText(body, headers["content-encoding"]), latencyMs };
}

/** A stored example of a mismatch: the request as the mirror kept it, both answers as text, the differences. */
export function buildShadowExample(
  id: string,
  exchange: ShadowExchange,
  signature: string,
  differences: DiffExample["differences"],
): DiffExample {
  const primary = answerOf(exchange.primaryOutcome);
  const candidate = answerOf(exchange.candidateOutcome);
  return {
    id,
    at: new Date(exchange.at).toISOString(),
    routeId: exchange.routeId,
    service: exchange.service,
    primary: exchange.primary,
    method: exchange.method,
    path: exchange.path,
    requestHeaders: { ...exchange.requestHeaders },
    requestBody: exchange.requestBody === null ? null : bodyText(exchange.requestBody, undefined),
    requestId: exchange.requestId,
    traceId: exchange.traceId,
    signature,
    answers:
      exchange.primary === "legacy" ? { legacy: primary, service: candidate } : { legacy: candidate, service: primary },
    differences: differences.map(({ path, kind, legacy, service }) => ({
      path,
      kind,
      ...(legacy === undefined ? {} : { legacy }),
      ...(service === undefined ? {} : { service }),
    })),
  };
}
