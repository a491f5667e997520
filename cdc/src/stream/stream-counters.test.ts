import type { ChangeEvent } from "../envelope/debezium-envelope";
import type { BatchResult, SourcedEvent } from "../sink/event-sink";
import { createStreamCounters } from "./stream-counters";

const result = (deadLettered: number): BatchResult => ({
  applied: 1,
  skipped: 0,
  deadLettered,
  conflicts: 0,
  highestLsn: null,
});
const changed = (tsMs: number): SourcedEvent => ({
  event: {
    op: "u",
    before: null,
    after: { id: 1 },
    source: { lsn: 1, txId: 1, ts_ms: tsMs, table: "t", schema: "public" },
  } as unknown as ChangeEvent,
  raw: null,
});
const tombstone: SourcedEvent = { event: null, raw: null };

describe("createStreamCounters", () => {
  it("has no lag before the first batch", () => {
    expect(createStreamCounters(() => 0)).toMatchObject({ deadLettered: 0, lagSeconds: null });
  });

  it("takes the lag of the last change of each committed batch, skipping tombstones, and adds up the dead letters", () => {
    let clock = 10_000;
    const counters = createStreamCounters(() => clock);
    counters.record(result(2), [changed(1_000), changed(9_500), tombstone]);
    expect(counters).toMatchObject({ deadLettered: 2, lagSeconds: 0.5 });
    clock = 20_000;
    counters.record(result(1), [changed(19_960)]);
    expect(counters).toMatchObject({ deadLettered: 3, lagSeconds: 0.04 });
    counters.record(result(0), [tombstone]);
    expect(counters.lagSeconds).toBe(0.04);
  });

  it("never reports a negative lag when the clocks of the two databases disagree", () => {
    const counters = createStreamCounters(() => 1_000);
    counters.record(result(0), [changed(1_500)]);
    expect(counters.lagSeconds).toBe(0);
  });

  it("adds up the violations of watched batches and when the last one was read", () => {
    let clock = 5_000;
    const counters = createStreamCounters(() => clock);
    expect(counters).toMatchObject({ violations: 0, lastViolationAt: null });
    counters.record({ ...result(0), violations: 2 }, [changed(4_000)]);
    clock = 6_000;
    counters.record(result(0), [changed(5_900)]);
    expect(counters).toMatchObject({ violations: 2, lastViolationAt: 5_000 });
    counters.record({ ...result(0), violations: 1 }, [changed(5_950)]);
    expect(counters).toMatchObject({ violations: 3, lastViolationAt: 6_000 });
  });
});
