import pino from "pino";
import { createFakeCdcStream, type FakeCdcStream } from "../stream/testing/fake-cdc-stream";
import { createServiceStreams, type ServiceStreams } from "./service-streams";

const logger = pino({ level: "silent" });

interface Harness {
  streams: ServiceStreams;
  log: string[];
  forward: FakeCdcStream;
  reverses: FakeCdcStream[];
  /** What the next reverse stream is made with (before createReverse hands it out). */
  prepareReverse: (stream: FakeCdcStream) => void;
}

function harness(options: { retire?: boolean; failStart?: (stream: FakeCdcStream) => boolean } = {}): Harness {
  const log: string[] = [];
  const forward = createFakeCdcStream("fwd", log);
  const reverses: FakeCdcStream[] = [];
  const h: Harness = {
    log,
    forward,
    reverses,
    prepareReverse: () => undefined,
    streams: createServiceStreams({
      service: "svc",
      forward,
      createReverse: () => {
        const stream = createFakeCdcStream("rev", log);
        h.prepareReverse(stream);
        reverses.push(stream);
        return stream;
      },
      ...(options.retire === false
        ? {}
        : {
            retireReverse: async () => {
              log.push("rev retire");
            },
          }),
      // The process's start: one attempt, retried while the error says so and not cancelled.
      start: async (stream, cancelled) => {
        for (;;) {
          if (cancelled()) return false;
          try {
            await stream.start();
            return true;
          } catch (error) {
            if ((error as { retriable?: boolean }).retriable !== true) return false;
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
      },
      logger,
      now: () => 42,
    }),
  };
  return h;
}

describe("a service's streams following their directions", () => {
  it("starts the forward stream in the asked mode, then the reverse stream, and reports the version in force", async () => {
    const h = harness();
    expect(h.streams.applied()).toBeNull();
    await h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 3 });
    expect(h.log).toEqual(["fwd mode apply", "fwd start", "rev start"]);
    expect(h.streams.streams().map((s) => s.direction)).toEqual(["fwd", "rev"]);
    expect(h.streams.applied()).toEqual({
      service: "svc",
      version: 3,
      sync: { forward: "apply", reverse: true },
      appliedAt: 42,
    });
  });

  it("watches without restarting anything, then applies again from where it stands", async () => {
    const h = harness();
    await h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 1 });
    await h.streams.follow({ sync: { forward: "watch", reverse: true }, version: 2 });
    await h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 3 });
    expect(h.log).toEqual(["fwd mode apply", "fwd start", "rev start", "fwd mode watch", "fwd mode apply"]);
    expect(h.streams.applied()?.version).toBe(3);
  });

  it("starts the reverse stream before it watches and stops it only after it applies again (a direct jump)", async () => {
    const h = harness();
    await h.streams.follow({ sync: { forward: "apply", reverse: false }, version: 1 });
    await h.streams.follow({ sync: { forward: "watch", reverse: true }, version: 2 });
    await h.streams.follow({ sync: { forward: "apply", reverse: false }, version: 3 });
    expect(h.log).toEqual([
      "fwd mode apply",
      "fwd start",
      "rev start",
      "fwd mode watch",
      "fwd mode apply",
      "rev stop",
      "rev retire",
    ]);
    expect(h.streams.streams().map((s) => s.direction)).toEqual(["fwd"]);
    expect(h.streams.reverseRunning()).toBe(false);
  });

  it("starts a new reverse stream after a stop (a stopped one cannot start again)", async () => {
    const h = harness();
    await h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 1 });
    await h.streams.follow({ sync: { forward: "apply", reverse: false }, version: 2 });
    await h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 3 });
    expect(h.reverses).toHaveLength(2);
    expect(h.reverses.map((s) => s.status().phase)).toEqual(["stopped", "streaming"]);
  });

  it("serialises changes asked while one is under way: the last one asked wins, none runs twice", async () => {
    const h = harness();
    await h.streams.follow({ sync: { forward: "apply", reverse: false }, version: 1 });
    let open = () => undefined as void;
    h.prepareReverse = (stream) => {
      stream.startGate = new Promise<void>((resolve) => (open = resolve));
    };
    const first = h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 2 });
    const second = h.streams.follow({ sync: { forward: "watch", reverse: true }, version: 3 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.log.slice(2)).toEqual(["rev start"]);
    expect(h.streams.applied()?.version).toBe(1);
    open();
    await Promise.all([first, second]);
    expect(h.log.slice(2)).toEqual(["rev start", "fwd mode watch"]);
    expect(h.reverses).toHaveLength(1);
    expect(h.streams.applied()?.version).toBe(3);
  });

  it("gives up a reverse start that keeps failing once the directions no longer want it", async () => {
    const h = harness();
    await h.streams.follow({ sync: { forward: "apply", reverse: false }, version: 1 });
    h.prepareReverse = (stream) => {
      stream.failStarts = Array.from({ length: 1000 }, () => Object.assign(new Error("refused"), { retriable: true }));
    };
    const starting = h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 2 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await h.streams.follow({ sync: { forward: "apply", reverse: false }, version: 3 });
    await starting;
    expect(h.streams.reverseRunning()).toBe(false);
    expect(h.reverses[0]?.calls.filter((call) => call === "rev stop")).toHaveLength(1);
    expect(h.streams.applied()).toMatchObject({ version: 3, sync: { forward: "apply", reverse: false } });
  });

  it("keeps the slot of a reverse stream on a transport with nothing to retire", async () => {
    const h = harness({ retire: false });
    await h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 1 });
    await h.streams.follow({ sync: { forward: "apply", reverse: false }, version: 2 });
    expect(h.log).not.toContain("rev retire");
  });

  it("confirms a new version with the same directions without touching the streams", async () => {
    const h = harness();
    await h.streams.follow({ sync: { forward: "apply", reverse: false }, version: 1 });
    await h.streams.follow({ sync: { forward: "apply", reverse: false }, version: 2 });
    expect(h.log).toEqual(["fwd mode apply", "fwd start"]);
    expect(h.streams.applied()?.version).toBe(2);
  });

  it("stops every stream on shutdown and follows nothing afterwards", async () => {
    const h = harness();
    await h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 1 });
    const results = await h.streams.stop();
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    await h.streams.follow({ sync: { forward: "watch", reverse: false }, version: 2 });
    expect(h.log).toEqual(["fwd mode apply", "fwd start", "rev start", "fwd stop", "rev stop"]);
    expect(h.log).not.toContain("rev retire");
  });

  it("does not report directions it could not put in force (a forward start that failed for good)", async () => {
    const h = harness();
    h.forward.failStarts = [new Error("wal_level must be logical")];
    await h.streams.follow({ sync: { forward: "apply", reverse: true }, version: 1 });
    expect(h.streams.applied()).toBeNull();
    expect(h.log).toEqual(["fwd mode apply", "fwd start"]);
  });
});
