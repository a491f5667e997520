import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { BodyTee, type TeeListener } from "./body-tee";

function recorder(): TeeListener & { chunks: string[]; ended: number; overflowed: number } {
  return {
    chunks: [],
    ended: 0,
    overflowed: 0,
    onTeeChunk(chunk) {
      this.chunks.push(chunk.toString());
    },
    onTeeEnd() {
      this.ended += 1;
    },
    onTeeOverflow() {
      this.overflowed += 1;
    },
  };
}

/** A readable like a request body, and everything a second reader (the primary's pipe) got from it. */
function body(): { source: IncomingMessage; primary: string[] } {
  const source = new PassThrough();
  const primary: string[] = [];
  source.on("data", (chunk: Buffer) => primary.push(chunk.toString()));
  return { source: source as unknown as IncomingMessage, primary };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("BodyTee", () => {
  it("copies every chunk and the end while the primary gets the same body", async () => {
    const { source, primary } = body();
    const listener = recorder();
    const tee = new BodyTee(source, 10, 4, listener);
    (source as unknown as PassThrough).write("abc");
    (source as unknown as PassThrough).end("defg");
    await flush();
    expect(listener.chunks).toEqual(["abc", "defg"]);
    expect(listener.ended).toBe(1);
    expect(primary.join("")).toBe("abcdefg");
    expect(Buffer.from(tee.prefix() as Uint8Array).toString()).toBe("abcd");
    expect(source.listenerCount("data")).toBe(1);
  });

  it("takes a body of exactly the bound", async () => {
    const { source } = body();
    const listener = recorder();
    new BodyTee(source, 4, 4, listener);
    (source as unknown as PassThrough).end("abcd");
    await flush();
    expect(listener).toMatchObject({ ended: 1, overflowed: 0 });
  });

  it("stops at the bound, says so once, and leaves the primary its whole body", async () => {
    const { source, primary } = body();
    const listener = recorder();
    new BodyTee(source, 5, 2, listener);
    (source as unknown as PassThrough).write("abc");
    (source as unknown as PassThrough).write("def");
    (source as unknown as PassThrough).end("ghi");
    await flush();
    expect(listener.chunks).toEqual(["abc"]);
    expect(listener).toMatchObject({ ended: 0, overflowed: 1 });
    expect(primary.join("")).toBe("abcdefghi");
    expect(source.listenerCount("data")).toBe(1);
  });

  it("has no prefix without a body, and copies nothing once detached", async () => {
    const { source } = body();
    const listener = recorder();
    const tee = new BodyTee(source, 5, 2, listener);
    expect(tee.prefix()).toBeNull();
    tee.detach();
    (source as unknown as PassThrough).end("abc");
    await flush();
    expect(listener).toMatchObject({ chunks: [], ended: 0, overflowed: 0 });
  });
});
