import type { ChangeEvent } from "../envelope/debezium-envelope";
import { createSeamPositions } from "./seam-positions";

const event = (lsn: number, snapshot: string, op: ChangeEvent["op"] = snapshot === "false" ? "u" : "r"): ChangeEvent => ({
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
    expect(lifted).toEqual([999.5, 1000 - 1 / 3]);
    // Still below a later change of the same row, which comes after the lifted transaction's commit.
    expect(seam.rank("t/0", event(1000, "false")).source.lsn).toBeGreaterThan(lifted[1] as number);
    // Another partition has its own point.
    expect(seam.rank("t/1", event(990, "false")).source.lsn).toBe(990);
  });

  it("ranks a duplicate of a streamed change equal, so the sink skips it", () => {
    const seam = createSeamPositions();
    expect(seam.rank("t/0", event(42, "false")).source.lsn).toBe(seam.rank("t/0", event(42, "false")).source.lsn);
  });
});
