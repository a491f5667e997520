import { createStreamModeSwitch } from "./stream-mode";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the stream's mode switch", () => {
  it("starts in the given mode and defaults to apply", () => {
    expect(createStreamModeSwitch().current).toBe("apply");
    expect(createStreamModeSwitch("watch").current).toBe("watch");
  });

  it("resolves a switch only once the batch in flight under the old mode settled", async () => {
    const mode = createStreamModeSwitch();
    const gate = deferred();
    const seen: string[] = [];
    const batch = mode.run(async () => {
      seen.push(`batch read ${mode.current}`);
      await gate.promise;
      seen.push("batch committed");
    });
    const switched = mode.set("watch").then(() => seen.push("switched"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(["batch read apply"]);
    expect(mode.current).toBe("watch");
    gate.resolve();
    await Promise.all([batch, switched]);
    expect(seen).toEqual(["batch read apply", "batch committed", "switched"]);
  });

  it("resolves at once with nothing in flight, also after a batch failed", async () => {
    const mode = createStreamModeSwitch();
    await expect(mode.run(() => Promise.reject(new Error("sink down")))).rejects.toThrow("sink down");
    await expect(mode.set("watch")).resolves.toBeUndefined();
  });
});
