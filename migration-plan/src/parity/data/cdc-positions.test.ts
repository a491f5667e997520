import type { CdcStatusDocument } from "@strangler/ops-contract";
import { createCdcPositions } from "./cdc-positions";

const embedded = (confirmedLsn: string | null): CdcStatusDocument => ({
  warnings: [],
  streams: [
    {
      transport: "embedded",
      direction: "ledger-to-accounts",
      phase: "streaming",
      confirmedLsn,
      lastEventAt: null,
      lagSeconds: null,
      applied: 0,
      deadLettered: 0,
    },
  ],
});

const debezium = (lag: number): CdcStatusDocument => ({
  warnings: [],
  streams: [
    {
      transport: "debezium",
      direction: "ledger-to-accounts",
      phase: "streaming",
      confirmedLsn: "0/10",
      lastEventAt: null,
      lagSeconds: null,
      applied: 0,
      deadLettered: 0,
      position: [{ topic: "t", partition: 0, committedOffset: "5", highWatermark: String(5 + lag), lag }],
      echoes: 0,
      tombstones: 0,
      invalid: 0,
      uncommitted: 0,
      assignment: {},
      groupJoins: 1,
    },
  ],
});

describe("createCdcPositions", () => {
  it("passes once the stream's confirmed LSN reaches the position (compared as numbers, not text)", async () => {
    const statuses = [embedded("0/FF"), embedded("1/0")];
    const positions = createCdcPositions(async () => statuses.shift() ?? embedded("1/0"), 1);
    await expect(positions.waitPast("ledger-to-accounts", "0/100", 5_000)).resolves.toBe("passed");
    expect(statuses).toHaveLength(0);
  });

  it("is behind at the deadline when the stream has not got there", async () => {
    const positions = createCdcPositions(async () => embedded("0/10"), 1);
    await expect(positions.waitPast("ledger-to-accounts", "0/100", 20)).resolves.toBe("behind");
  });

  it("counts a Debezium stream with nothing left on its partitions as idle, one with lag as behind", async () => {
    await expect(
      createCdcPositions(async () => debezium(0), 1).waitPast("ledger-to-accounts", "0/100", 10),
    ).resolves.toBe("idle");
    await expect(
      createCdcPositions(async () => debezium(3), 1).waitPast("ledger-to-accounts", "0/100", 10),
    ).resolves.toBe("behind");
  });

  it("is unavailable without a CDC process, when it does not answer, or without the direction's stream", async () => {
    await expect(createCdcPositions(null, 1).waitPast("ledger-to-accounts", "0/1", 10)).resolves.toBe("unavailable");
    const down = createCdcPositions(async () => Promise.reject(new Error("ECONNREFUSED")), 1);
    await expect(down.available("ledger-to-accounts")).resolves.toBe(false);
    await expect(createCdcPositions(async () => embedded("0/1"), 1).available("other-direction")).resolves.toBe(false);
    await expect(createCdcPositions(async () => embedded("0/1"), 1).available("ledger-to-accounts")).resolves.toBe(
      true,
    );
  });
});
