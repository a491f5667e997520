import zlib from "node:zlib";
import { MAX_DECODED_BODY_BYTES } from "./defaults";

/** A body with its content-encoding undone, or the raw bytes and why they could not be decoded. */
export interface DecodedBody {
  readonly bytes: Uint8Array;
  /** Set when the encoding was unknown, corrupt or too large once decoded: `bytes` are then the raw body. */
  readonly problem?: string;
}

const DECODERS: Record<string, (input: Uint8Array, options: zlib.ZlibOptions & zlib.BrotliOptions) => Buffer> = {
  gzip: (input, options) => zlib.gunzipSync(input, options),
  "x-gzip": (input, options) => zlib.gunzipSync(input, options),
  // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: inflateSync accepts only the former.
  deflate: (input, options) => {
    try {
      return zlib.inflateSync(input, options);
    } catch {
      return zlib.inflateRawSync(input, options);
    }
  },
  br: (input, options) => zlib.brotliDecompressSync(input, options),
};

/**
 * Undoes a response's `content-encoding` (gzip, deflate, br; several are undone last first), bounded
 * by `maxBytes` so a decompression bomb costs no more than that. Never throws: a body that cannot be
 * decoded is returned raw with the reason.
 */
export function decodeBody(
  body: Uint8Array,
  contentEncoding: string | undefined,
  maxBytes = MAX_DECODED_BODY_BYTES,
): DecodedBody {
  if (contentEncoding === undefined || body.length === 0) return { bytes: body };
  const codings = contentEncoding
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  let bytes = body;
  for (const coding of codings.reverse()) {
    const decode = DECODERS[coding];
    if (!decode) return { bytes: body, problem: `unknown content-encoding ${coding}` };
    try {
      bytes = decode(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      // By code, not instanceof: zlib's errors come from Node's realm, which a test sandbox does not share.
      const tooLarge = (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
      const reason = tooLarge ? `larger than ${maxBytes} bytes decoded` : (error as Error).message;
      return { bytes: body, problem: `${coding} could not be decoded (${reason})` };
    }
  }
  return { bytes };
}
