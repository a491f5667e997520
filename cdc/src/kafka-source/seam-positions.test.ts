import type { ChangeEvent } from "../envelope/debezium-envelope";
import { createSeamPositions, liftedRank } from "./seam-positions";

const event = (
  lsn: number,
  snapshot: string,
  op: ChangeEvent["op"] = snapshot === "false" ? "u" : "r",
): ChangeEvent => ({
  before: null,
  after: { id: "k" },
  op,
  ts_ms: 0,
  source: { lsn, txId: 1, ts_ms: 0, db: "d", schema: "public", table: "users", snapshot },
});

describe("seam positions of the Debezium transport", () => {
  it("ranks a streamed change at exactly the snapshot's LSN above the snapshot row (as recorded from Debezium 3.7)", () => {
    const seam = createSeamPositions();
    const snapshot = seam.rank("t/0", event(75_295_976, "last")).source.lsn;
    const streamed = seam.rank("t/0", event(75_295_976, "false")).source.lsn;
    expect(streamed).toBeGreaterThan(snapshot);
    expect(Number.isInteger(snapshot) && Number.isInteger(streamed)).toBe(true);
    expect(seam.rank("t/0", event(75_296_176, "false")).source.lsn).toBeGreaterThan(streamed);
  });

  it("lifts changes of a transaction that spanned the slot's creation above the snapshot point, in order, below the next record", () => {
    const seam = createSeamPositions();
    seam.rank("t/0", event(1000, "true"));
    const lifted = [seam.rank("t/0", event(990, "false")).source.lsn, seam.rank("t/0", event(995, "false")).source.lsn];
    expect(seam.rank("t/0", event(1000, "true")).source.lsn).toBe(999);
    expect(lifted[0]).toBeGreaterThan(999);
    expect(lifted[1]).toBeGreaterThan(lifted[0] as number);
    expect(lifted[1]).toBeLessThan(1000);
    // Still below a later change of the same row, which comes after the lifted transaction's commit.
    expect(seam.rank("t/0", event(1000, "false")).source.lsn).toBeGreaterThan(lifted[1] as number);
    // Another partition has its own point.
    expect(seam.rank("t/1", event(990, "false")).source.lsn).toBe(990);
  });

  it("ranks a duplicate of a streamed change equal, so the sink skips it", () => {
    const seam = createSeamPositions();
    expect(seam.rank("t/0", event(42, "false")).source.lsn).toBe(seam.rank("t/0", event(42, "false")).source.lsn);
  });

  it("never ranks two lifted changes equal, even thousands of them at a production-sized LSN", () => {
    const point = 0x16_b374_d848; // "16/B374D848"
    const seam = createSeamPositions();
    seam.rank("t/0", event(point, "true"));
    const ranks = Array.from(
      { length: 10_000 },
      (_, i) => seam.rank("t/0", event(point - 10_000 + i, "false")).source.lsn,
    );
    for (let i = 1; i < ranks.length; i += 1) expect(ranks[i] as number).toBeGreaterThan(ranks[i - 1] as number);
    expect(ranks[0]).toBeGreaterThan(point - 1);
    expect(ranks[ranks.length - 1]).toBeLessThan(point);
    // The sink writes String(rank) into its numeric positions: distinct and in the same order there too.
    expect(new Set(ranks.map(String)).size).toBe(ranks.length);
    expect(liftedRank(point, 1)).toBe(point - 1 + 2 ** -16);
  });

  it("restores the seam from the committed offset's metadata, so a change replayed after a restart is lifted the same way", () => {
    const before = createSeamPositions();
    before.rank("t/0", event(1000, "last"));
    const committed = before.save("t/0");
    expect(committed).toBe("seam:v1:1000:0");
    const original = before.rank("t/0", event(990, "false")).source.lsn;
    expect(original).toBeGreaterThan(999);

    // A new consumer (restart or rebalance) starts after the snapshot rows: it never sees a snapshot event.
    const after = createSeamPositions();
    expect(after.restore("t/0", committed)).toBe(true);
    expect(after.rank("t/0", event(990, "false")).source.lsn).toBe(original);
    expect(after.save("t/0")).toBe("seam:v1:1000:1");
    // A consumer that kept the partition across a rebalance does not hand out ranks it already gave.
    expect(after.restore("t/0", committed)).toBe(true);
    expect(after.save("t/0")).toBe("seam:v1:1000:1");
    // No metadata, or someone else's: no seam.
    expect(after.restore("t/1", null)).toBe(false);
    expect(after.restore("t/1", "checkpoint 7")).toBe(false);
    expect(after.rank("t/1", event(990, "false")).source.lsn).toBe(990);
  });
});
