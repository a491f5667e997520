import { CDC_START_RETRY, EMBEDDED_REOPEN_RETRY, KAFKA_RECONNECT_RETRY, SINK_BATCH_RETRY } from "../defaults";
import { createRetrier, retryDelay } from "./retrier";

describe("the retrier", () => {
  it("doubles the wait per failure in a row, up to the cap", () => {
    const retrier = createRetrier({ initialMs: 1_000, maxMs: 30_000 });
    expect(Array.from({ length: 7 }, () => retrier.failed())).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect(retrier.failures()).toBe(7);
  });

  it("starts over only after a success", () => {
    const retrier = createRetrier({ initialMs: 500, maxMs: 15_000 });
    retrier.failed();
    retrier.failed();
    expect(retrier.failed()).toBe(2_000);
    retrier.succeeded();
    expect(retrier.failures()).toBe(0);
    expect(retrier.failed()).toBe(500);
  });

  it("takes another growth factor", () => {
    expect([1, 2, 3].map((n) => retryDelay({ initialMs: 100, maxMs: 10_000, factor: 3 }, n))).toEqual([100, 300, 900]);
  });

  it("has the documented policies: start 0.5 s → 15 s, embedded reopen 1 s → 30 s, sink batch 0.2 s → 5 s, Kafka consumer 1 s → 30 s", () => {
    expect(
      [CDC_START_RETRY, EMBEDDED_REOPEN_RETRY, SINK_BATCH_RETRY, KAFKA_RECONNECT_RETRY].map((p) => [
        retryDelay(p, 1),
        retryDelay(p, 99),
      ]),
    ).toEqual([
      [500, 15_000],
      [1_000, 30_000],
      [200, 5_000],
      [1_000, 30_000],
    ]);
  });
});
