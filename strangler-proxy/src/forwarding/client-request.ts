import type { IncomingMessage } from "node:http";
import { ProxyError } from "../errors/proxy-error";
import type { UpstreamHeaderInput } from "./forward-headers";

/** Methods Node's HTTP client sends without a body unless told otherwise; the others get Content-Length: 0 when empty. */
const BODYLESS_BY_DEFAULT = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

/** `::ffff:10.0.0.1` → `10.0.0.1`, so trusted-proxy entries match however the socket reports IPv4. */
export function normalisePeer(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** How the request body is framed, or the error when the proxy will not forward it. */
export function requestFraming(req: IncomingMessage, method: string): UpstreamHeaderInput["framing"] | ProxyError {
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 4 && name.toLowerCase() === "host") hosts += 1;
  }
  if (hosts > 1) return new ProxyError("STRANGLER_BAD_REQUEST", "more than one Host header");
  const transferEncoding = req.headers["transfer-encoding"];
  if (transferEncoding !== undefined) {
    // Node's parser already refuses Transfer-Encoding together with Content-Length; codings other than chunked are refused here.
    if (transferEncoding.trim().toLowerCase() !== "chunked")
      return new ProxyError(
        "STRANGLER_UNSUPPORTED_TRANSFER_CODING",
        `Transfer-Encoding "${transferEncoding}" is not supported; only chunked is`,
      );
    return "chunked";
  }
  const contentLength = req.headers["content-length"];
  if (contentLength !== undefined) return { contentLength };
  return BODYLESS_BY_DEFAULT.has(method) ? "none" : "empty-body";
}
