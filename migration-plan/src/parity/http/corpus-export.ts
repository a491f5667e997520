import type { DiffExample } from "@strangler/ops-contract";
import { stringify as stringifyYaml } from "yaml";
import type { CorpusCaseInput } from "./corpus-case";

/** Headers that carry credentials, by name. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
]);
/** A header, query parameter or JSON member whose name suggests a secret. */
const SECRET_NAME = /token|secret|passw(or)?d|key|credential|session|auth/i;
/** Headers of the connection, the proxy or the recording: replaying them means nothing (parity sets its own). */
const NOT_REPLAYED: ReadonlySet<string> = new Set([
  "host",
  "connection",
  "keep-alive",
  "content-length",
  "transfer-encoding",
  "te",
  "upgrade",
  "expect",
  "forwarded",
  "via",
  "x-real-ip",
  "x-request-id",
  "traceparent",
  "tracestate",
]);

/** Whether a request header is a credential or looks like one: never written to a corpus. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return CREDENTIAL_HEADERS.has(lower) || SECRET_NAME.test(lower);
}

function replayedHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (isSecretHeader(lower) || NOT_REPLAYED.has(lower)) continue;
    if (lower.startsWith("x-forwarded-") || lower.startsWith("x-strangler-")) continue;
    out[lower] = value;
  }
  return out;
}

/** The path with query parameters whose names suggest a secret (`?access_token=…`) removed. */
function redactedPath(path: string): string {
  const at = path.indexOf("?");
  if (at === -1) return path;
  const kept = path
    .slice(at + 1)
    .split("&")
    .filter((pair) => {
      const name = pair.split("=")[0] ?? "";
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, " "));
      } catch {
        // an undecodable name is judged as written
      }
      return pair !== "" && !SECRET_NAME.test(decoded);
    });
  return kept.length === 0 ? path.slice(0, at) : `${path.slice(0, at)}?${kept.join("&")}`;
}

/** A JSON value with the members whose names suggest a secret replaced by "REDACTED". */
function redactedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactedJson);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, member]) => [key, SECRET_NAME.test(key) ? "REDACTED" : redactedJson(member)]),
    );
  return value;
}

function bodyOf(example: DiffExample, headers: Record<string, string>): CorpusCaseInput["body"] {
  if (example.requestBody === null || example.requestBody === "") return undefined;
  if (/json/i.test(headers["content-type"] ?? ""))
    try {
      return redactedJson(JSON.parse(example.requestBody)) as CorpusCaseInput["body"];
    } catch {
      // a body cut at the capture bound, or not JSON after all: kept as text
    }
  return example.requestBody;
}

/**
 * A kept shadow example as a corpus case: its request (method, path, headers, body), credentials
 * removed: credential headers and any header, query parameter or JSON body member whose name suggests
 * a secret (token, secret, password, key, session, auth); connection and tracing headers dropped.
 */
export function corpusCaseOfExample(example: DiffExample): CorpusCaseInput {
  const headers = replayedHeaders(example.requestHeaders);
  const body = bodyOf(example, headers);
  return {
    name: `${example.routeId} ${example.method} ${redactedPath(example.path)} (shadow example ${example.id})`,
    method: example.method,
    path: redactedPath(example.path),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(body === undefined ? {} : { body }),
  };
}

/** A file name for an example's case: the route and the example id, safe on every file system. */
export function corpusFileNameOf(example: DiffExample): string {
  const safe = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60);
  return `${safe(example.routeId)}-${safe(example.id) || "example"}.yaml`;
}

/** The case file's text: a comment saying where it came from, then the case as YAML. */
export function formatCorpusCaseYaml(example: DiffExample): string {
  const origin = [
    `# Exported by 'strangler diff export' from shadow example ${example.id} (route ${example.routeId},`,
    `# ${example.at}); credentials removed. Its differences then: ${
      example.differences.map((d) => `${d.path || "/"} (${d.kind})`).join(", ") || "none"
    }.`,
  ]
    .map((line) => line.replace(/[\r\n]/g, " "))
    .join("\n");
  return `${origin}\n${stringifyYaml(corpusCaseOfExample(example), { lineWidth: 0 })}`;
}
