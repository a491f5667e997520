import type { IncomingHttpHeaders } from "node:http";

/** A response body kept for comparison, up to a bound; past it nothing is kept and the capture is `tooLarge`. */
export class ResponseCapture {
  private chunks: Buffer[] = [];
  private size = 0;
  tooLarge = false;

  constructor(private readonly maxBytes: number) {}

  /** Keeps a chunk; false once the body went past the bound (what was kept is dropped then). */
  add(chunk: Buffer): boolean {
    if (this.tooLarge) return false;
    if (this.size + chunk.length > this.maxBytes) {
      this.tooLarge = true;
      this.chunks = [];
      this.size = 0;
      return false;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  /** The body kept so far. */
  body(): Uint8Array {
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
  }
}

/** Response headers as the comparator takes them: lower-case names, repeated values joined with ", ". */
export function capturedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
