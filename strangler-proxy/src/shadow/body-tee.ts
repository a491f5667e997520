import type { IncomingMessage } from "node:http";

/** Who gets the teed body: each chunk as it arrives, the end, or word that the body went past the bound. */
export interface TeeListener {
  onTeeChunk(chunk: Buffer): void;
  onTeeEnd(): void;
  onTeeOverflow(): void;
}

const TEE = Symbol("strangler.bodyTee");
type TaggedSource = IncomingMessage & { [TEE]?: BodyTee };

// Module-level listeners that find their tee on the request: no closure per request.
function onData(this: TaggedSource, chunk: Buffer): void {
  this[TEE]?.take(chunk);
}
function onEnd(this: TaggedSource): void {
  this[TEE]?.end();
}

/**
 * Copies a client's request body for a mirrored call while it streams to the primary. It reads
 * alongside the primary's pipe and never pauses the client: the primary's backpressure alone sets
 * the pace. At most `maxBytes` are taken; past that the listener hears `onTeeOverflow` and the tee
 * stops (the primary still gets the whole body). The first `prefixBytes` are kept for the example.
 */
export class BodyTee {
  private size = 0;
  private readonly prefixChunks: Buffer[] = [];
  private prefixSize = 0;
  private attached = true;

  constructor(
    private readonly source: IncomingMessage,
    private readonly maxBytes: number,
    private readonly prefixBytes: number,
    private readonly listener: TeeListener,
  ) {
    (source as TaggedSource)[TEE] = this;
    source.on("data", onData);
    source.on("end", onEnd);
  }

  take(chunk: Buffer): void {
    if (!this.attached) return;
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.detach();
      return this.listener.onTeeOverflow();
    }
    if (this.prefixSize < this.prefixBytes) {
      const part =
        chunk.length <= this.prefixBytes - this.prefixSize
          ? chunk
          : chunk.subarray(0, this.prefixBytes - this.prefixSize);
      this.prefixChunks.push(part);
      this.prefixSize += part.length;
    }
    this.listener.onTeeChunk(chunk);
  }

  end(): void {
    if (!this.attached) return;
    this.detach();
    this.listener.onTeeEnd();
  }

  /** The body's first bytes (up to prefixBytes), or null when none arrived. */
  prefix(): Uint8Array | null {
    if (this.prefixSize === 0) return null;
    return Buffer.concat(this.prefixChunks, this.prefixSize);
  }

  /** Stops copying (the mirror is done or cancelled); the request keeps streaming to the primary. */
  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    const source = this.source as TaggedSource;
    source.removeListener("data", onData);
    source.removeListener("end", onEnd);
    source[TEE] = undefined;
  }
}
