import { isUtf8 } from "node:buffer";
import type { CompareRules } from "./compare-rules";
import type { ComparedResponse, Comparison } from "./compare-types";
import { decodeBody, type DecodedBody } from "./content-decoding";
import { DiffCollector } from "./diff-collector";
import { applyFieldMap, type FieldMove } from "./field-map";
import { diffJson } from "./json-diff";
import { signatureOf } from "./signature";
import { cut, previewValue } from "./value-preview";

/**
 * Compares the legacy side's answer with the service side's under the rules: status, the rules'
 * headers, and the bodies (content-encoding undone; JSON structurally after the old→new field map,
 * anything else by bytes). Pure and synchronous; never throws on what the upstreams sent.
 */
export function compareResponses(legacy: ComparedResponse, service: ComparedResponse, rules: CompareRules): Comparison {
  return compare(legacy, service, rules, true);
}

/** Compares two answers of the same side (noise learning): the rules apply, the old→new map does not. */
export function compareSameSide(first: ComparedResponse, second: ComparedResponse, rules: CompareRules): Comparison {
  return compare(first, second, rules, false);
}

function compare(
  legacy: ComparedResponse,
  service: ComparedResponse,
  rules: CompareRules,
  mapped: boolean,
): Comparison {
  const out = new DiffCollector();
  if (legacy.status !== service.status) out.add(["status"], "status", String(legacy.status), String(service.status));
  for (const name of rules.headers) {
    const a = headerValue(legacy, name);
    const b = headerValue(service, name);
    if (a !== b)
      out.add(
        ["headers", name],
        "header",
        a === undefined ? undefined : previewValue(a),
        b === undefined ? undefined : previewValue(b),
      );
  }
  if (!rules.root.info.ignore) compareBodies(legacy, service, rules, mapped ? rules.moves : [], out);
  return { equal: out.count === 0, differences: out.differences, signature: signatureOf(out.differences) };
}

/**
 * A header as compared: content-type by its media type alone (`application/json; charset=utf-8` equals
 * `application/json`: JSON has one encoding, and frameworks differ in adding the parameter), others trimmed.
 */
function headerValue(response: ComparedResponse, name: string): string | undefined {
  const value = response.headers[name];
  if (value === undefined) return undefined;
  return name === "content-type" ? mediaType(value) : value.trim();
}

function mediaType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

function declaresJson(response: ComparedResponse): boolean {
  const type = mediaType(response.headers["content-type"] ?? "");
  return type === "application/json" || type.endsWith("+json");
}

type Parsed = { ok: true; value: unknown } | { ok: false; problem?: string };

/** The body parsed as JSON; invalid UTF-8 is not JSON (a lenient decoder would make two different bodies equal). */
function parseJson(response: ComparedResponse, decoded: DecodedBody): Parsed {
  const bytes = decoded.bytes;
  // isUtf8 + toString is several times faster than a fatal TextDecoder on the comparator's hot path.
  const problem = !isUtf8(bytes) ? "is not valid UTF-8" : undefined;
  if (problem === undefined)
    try {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8");
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      // not JSON: compared as bytes below
    }
  return declaresJson(response)
    ? { ok: false, problem: `declared JSON but ${problem ?? "is not valid JSON"}` }
    : { ok: false };
}

function compareBodies(
  legacy: ComparedResponse,
  service: ComparedResponse,
  rules: CompareRules,
  moves: readonly FieldMove[],
  out: DiffCollector,
): void {
  const a = decodeBody(legacy.body, legacy.headers["content-encoding"]);
  const b = decodeBody(service.body, service.headers["content-encoding"]);
  // Equal bytes are equal bodies, unless fields are to be moved (then the service should differ).
  const same = Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.length).equals(b.bytes);
  if (same && moves.length === 0) return;
  const x: Parsed = a.problem ? { ok: false } : parseJson(legacy, a);
  const y: Parsed = b.problem ? { ok: false } : parseJson(service, b);
  if (x.ok && y.ok) {
    diffJson(applyFieldMap(x.value, moves), y.value, rules.root, out);
    return;
  }
  if (same) return;
  const notes = [a.problem ?? (x.ok ? undefined : x.problem), b.problem ?? (y.ok ? undefined : y.problem)].map(
    (problem, i) => (problem ? `${i === 0 ? "legacy" : "service"} body ${problem}` : undefined),
  );
  const note = notes.filter((text) => text !== undefined).join("; ");
  out.add(
    [],
    "bytes",
    previewBytes(a.bytes),
    previewBytes(b.bytes),
    note === "" ? undefined : `${note}; compared as bytes`,
  );
}

/** A body's start as text (invalid UTF-8 as U+FFFD), JSON-encoded and cut, with its length when cut. */
function previewBytes(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1_024)).toString("utf8");
  const preview = cut(JSON.stringify(text));
  return bytes.length > 1_024 || preview.endsWith("…") ? `${preview} (${bytes.length} bytes)` : preview;
}
