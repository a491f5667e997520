import { randomUUID } from "node:crypto";
import { emptyParityCounts, type ParityDifference } from "@strangler/ops-contract";
import { ToolkitStoreError, type ParityRunStore } from "../src";
import { clock, mismatch, onlyInLegacy, tableReport } from "./parity-run-fixtures";

/** A store under test: the PostgreSQL one against a fresh database, or the fake. */
export interface ParityStoreUnderTest {
  /** A store (a second call: another process on the same backing store). */
  open(options: { now?: () => number }): Promise<ParityRunStore>;
  /** From now on, a checkpoint with a difference whose key holds `marker` fails inside the store's write. */
  failDifferencesKeyed(store: ParityRunStore, marker: string): Promise<void>;
  /** Differences of the broken table (100k against PostgreSQL; fewer keep the fake's unit test fast). */
  brokenTableDifferences: number;
}

/** The behaviour every ParityRunStore has: the same spec for the PostgreSQL store and the fake. */
export function describeParityRunStore(subject: ParityStoreUnderTest): void {
  const opened: ParityRunStore[] = [];
  const openStore = async (now?: () => number) => {
    const store = await subject.open({ now });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it("creates a running run with an id, its start, its options and its tables in order", async () => {
    const store = await openStore(clock(Date.UTC(2026, 11, 2, 10, 0, 0)));
    const created = await store.createRun({
      options: { service: "svc", tables: ["b", "a"], at: new Date(0) },
      lagAware: true,
      tables: [tableReport("b"), tableReport("a")],
    });
    expect(created).toEqual({
      runId: expect.stringMatching(/^pr-20261202T100000000Z-[0-9a-f]{8}$/),
      startedAt: "2026-12-02T10:00:00.000Z",
      finishedAt: null,
      status: "running",
      lagAware: true,
      warnings: [],
      tables: [tableReport("b"), tableReport("a")],
      files: [],
      options: { service: "svc", tables: ["b", "a"], at: "1970-01-01T00:00:00.000Z" },
    });
    expect(await store.run(created.runId)).toEqual(created);
    expect(await store.run(`pr-unknown-${randomUUID()}`)).toBeUndefined();
  });

  it("saves a table's report at each checkpoint and numbers its differences on from the last", async () => {
    const store = await openStore();
    const { runId } = await store.createRun({
      options: {},
      lagAware: false,
      tables: [tableReport("t"), tableReport("u")],
    });
    const counts = { ...emptyParityCounts(), processed: 3, matching: 1, mismatched: 1, onlyInLegacy: 1 };
    const first = tableReport("t", { status: "running", counts, lastKey: ["3"], columns: { name: 1 } });
    await store.checkpoint({ runId, table: first, differences: [mismatch("1"), onlyInLegacy("2")] });
    await store.checkpoint({ runId, table: tableReport("u", { status: "running" }), differences: [mismatch("9")] });
    const second = tableReport("t", {
      status: "done",
      counts: { ...counts, processed: 4, mismatched: 2 },
      lastKey: ["4"],
    });
    await store.checkpoint({ runId, table: second, differences: [mismatch("4", ["name", "email"])] });
    await store.checkpoint({ runId, table: second, differences: [] });

    expect((await store.run(runId))?.tables).toEqual([second, tableReport("u", { status: "running" })]);
    expect(await store.differences(runId, "t", { limit: 10 })).toEqual([
      { ...mismatch("1"), position: 1 },
      { ...onlyInLegacy("2"), position: 2 },
      { ...mismatch("4", ["name", "email"]), position: 3 },
    ]);
    expect(await store.differences(runId, "u", { limit: 10 })).toEqual([{ ...mismatch("9"), position: 1 }]);
    expect(await store.differences(runId, "none", { limit: 10 })).toEqual([]);
  });

  it("keeps neither the report nor any difference of a checkpoint whose differences fail to insert", async () => {
    const store = await openStore();
    const marker = `poison-${randomUUID()}`;
    await subject.failDifferencesKeyed(store, marker);
    const { runId } = await store.createRun({ options: {}, lagAware: false, tables: [tableReport("t")] });
    const before = tableReport("t", { status: "running", lastKey: ["1"] });
    await store.checkpoint({ runId, table: before, differences: [mismatch("1")] });

    const failed = await store
      .checkpoint({
        runId,
        table: tableReport("t", { status: "done", lastKey: ["9"] }),
        differences: [mismatch("2"), mismatch(marker), mismatch("3")],
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ToolkitStoreError);
    expect(failed).toMatchObject({ code: "TOOLKIT_STORE_QUERY_FAILED", retriable: false });
    expect((await store.run(runId))?.tables).toEqual([before]);
    expect(await store.differences(runId, "t", { limit: 10 })).toEqual([{ ...mismatch("1"), position: 1 }]);

    // Positions handed out by the failed checkpoint were rolled back with it: no gap.
    await store.checkpoint({ runId, table: before, differences: [mismatch("2")] });
    expect((await store.differences(runId, "t", { limit: 10 })).map((d) => d.position)).toEqual([1, 2]);
  });

  it(`pages through a broken table's ${subject.brokenTableDifferences} differences in the order found`, async () => {
    const store = await openStore();
    const { runId } = await store.createRun({ options: {}, lagAware: false, tables: [tableReport("big")] });
    const total = subject.brokenTableDifferences;
    const differences = Array.from({ length: total }, (_, i) => mismatch(String(i), ["a", "b"]));
    const cut = Math.floor(total * 0.6);
    await store.checkpoint({
      runId,
      table: tableReport("big", { status: "running" }),
      differences: differences.slice(0, cut),
    });
    await store.checkpoint({
      runId,
      table: tableReport("big", { status: "done" }),
      differences: differences.slice(cut),
    });

    const keys: string[] = [];
    for (let after = 0; ;) {
      const page = await store.differences(runId, "big", { after, limit: Math.ceil(total / 4) });
      if (page.length === 0) break;
      keys.push(...page.map((d) => d.key[0] ?? ""));
      after = page.at(-1)?.position ?? after;
    }
    expect(keys).toHaveLength(total);
    expect(keys.every((key, i) => key === String(i))).toBe(true);
    expect(await store.differences(runId, "big", { after: total - 2, limit: 5 })).toEqual([
      { ...mismatch(String(total - 2), ["a", "b"]), position: total - 1 },
      { ...mismatch(String(total - 1), ["a", "b"]), position: total },
    ]);
  });

  it("finishes a run, resumes it with reopenRun and finishes it again, keeping warnings and replacing rewritten files", async () => {
    const store = await openStore(clock(Date.UTC(2026, 11, 2, 11, 0, 0)));
    const { runId } = await store.createRun({ options: { resume: true }, lagAware: true, tables: [tableReport("t")] });
    await store.checkpoint({
      runId,
      table: tableReport("t", { status: "running", lastKey: ["5"] }),
      differences: [mismatch("5")],
    });
    await store.finishRun(runId, {
      status: "interrupted",
      files: [{ kind: "report", table: null, path: "/out/report.json" }],
      warnings: ["CDC status unreadable: not lag-aware"],
    });
    expect(await store.run(runId)).toMatchObject({ status: "interrupted", finishedAt: "2026-12-02T11:00:01.000Z" });

    await store.reopenRun(runId, ["resumed after interruption"]);
    const reopened = await store.run(runId);
    expect(reopened).toMatchObject({ status: "running", finishedAt: null, options: { resume: true } });
    expect(reopened?.tables[0]?.lastKey).toEqual(["5"]);
    await store.checkpoint({
      runId,
      table: tableReport("t", { status: "done", lastKey: ["7"] }),
      differences: [mismatch("7")],
    });
    await store.finishRun(runId, {
      status: "done",
      files: [
        { kind: "keys", table: "t", path: "/out/t.keys.csv" },
        { kind: "report", table: null, path: "/out/report.json" },
      ],
      warnings: [],
    });

    expect(await store.run(runId)).toMatchObject({
      status: "done",
      finishedAt: "2026-12-02T11:00:02.000Z",
      warnings: ["CDC status unreadable: not lag-aware", "resumed after interruption"],
      files: [
        { kind: "keys", table: "t", path: "/out/t.keys.csv" },
        { kind: "report", table: null, path: "/out/report.json" },
      ],
    });
    expect((await store.differences(runId, "t", { limit: 10 })).map((d) => [d.key[0], d.position])).toEqual([
      ["5", 1],
      ["7", 2],
    ]);
  });

  it("lists runs newest first, limited, and only those not done when asked", async () => {
    // Far ahead of any other test's runs, so these are the newest in a shared database.
    const start = Date.UTC(2100, 0, 1) + Math.floor(Math.random() * 1e9) * 1_000;
    const times = [start, start + 1_000, start + 2_000, start + 2_000];
    const store = await openStore(() => times.shift() ?? start);
    const create = async () =>
      (await store.createRun({ options: {}, lagAware: false, tables: [tableReport("t")] })).runId;
    const [oldest, done, failed, sameMillisecond] = [await create(), await create(), await create(), await create()];
    await store.finishRun(done, { status: "done", files: [], warnings: [] });
    await store.finishRun(failed, { status: "failed", files: [], warnings: [] });
    await store.finishRun(oldest, { status: "interrupted", files: [], warnings: [] });

    const listed = await store.runs({ limit: 4 });
    expect(listed.map((run) => run.runId)).toEqual([sameMillisecond, failed, done, oldest]);
    expect(listed[0]).not.toHaveProperty("options");
    expect(listed[0]?.tables).toEqual([tableReport("t")]);
    expect((await store.runs({ limit: 3, unfinished: true })).map((run) => run.runId)).toEqual([
      sameMillisecond,
      failed,
      oldest,
    ]);
    expect((await store.runs({ limit: 1 })).map((run) => run.runId)).toEqual([sameMillisecond]);
  });

  it("sees the runs another store wrote to the same database", async () => {
    const [a, b] = [await openStore(), await openStore()];
    const { runId } = await a.createRun({ options: {}, lagAware: false, tables: [tableReport("t")] });
    await b.checkpoint({ runId, table: tableReport("t", { status: "running" }), differences: [mismatch("1")] });
    await a.checkpoint({ runId, table: tableReport("t", { status: "done" }), differences: [mismatch("2")] });
    expect((await b.run(runId))?.tables[0]?.status).toBe("done");
    expect((await b.differences(runId, "t", { limit: 10 })).map((d) => d.position)).toEqual([1, 2]);
  });

  it("rejects unknown runs and tables and documents that break the contract, without retry", async () => {
    const store = await openStore();
    const { runId } = await store.createRun({ options: {}, lagAware: false, tables: [tableReport("t")] });
    const rejected = { code: "TOOLKIT_STORE_QUERY_FAILED", retriable: false };
    await expect(store.checkpoint({ runId, table: tableReport("other"), differences: [] })).rejects.toMatchObject(
      rejected,
    );
    await expect(
      store.checkpoint({ runId: `pr-${randomUUID()}`, table: tableReport("t"), differences: [] }),
    ).rejects.toMatchObject(rejected);
    const broken = { ...tableReport("t"), counts: { ...emptyParityCounts(), processed: -1 } };
    await expect(store.checkpoint({ runId, table: broken, differences: [] })).rejects.toMatchObject(rejected);
    const badDifference = { kind: "wrong", key: ["1"], columns: [] } as unknown as ParityDifference;
    await expect(
      store.checkpoint({ runId, table: tableReport("t"), differences: [badDifference] }),
    ).rejects.toMatchObject(rejected);
    await expect(
      store.createRun({ options: {}, lagAware: false, tables: [tableReport("t"), tableReport("t")] }),
    ).rejects.toMatchObject(rejected);
    await expect(
      store.finishRun(`pr-${randomUUID()}`, { status: "done", files: [], warnings: [] }),
    ).rejects.toMatchObject(rejected);
    await expect(store.reopenRun(`pr-${randomUUID()}`, [])).rejects.toMatchObject(rejected);
    await expect(store.differences(runId, "t", { limit: -1 })).rejects.toMatchObject(rejected);
    await expect(store.runs({ limit: -1 })).rejects.toMatchObject(rejected);
    expect((await store.run(runId))?.tables).toEqual([tableReport("t")]);
  });

  it("stores hostile text as text: quotes, braces, commas, NULL and NUL in tables, keys and warnings", async () => {
    const store = await openStore();
    const table = `"odd"'s, {table}\\`;
    const key = ["a,b", "{x}", '"q"', "NULL", "back\\slash", "", "é😀", "x'); DROP TABLE y; --"];
    const { runId } = await store.createRun({
      options: { note: "nul\u0000" },
      lagAware: false,
      tables: [tableReport(table)],
    });
    const report = tableReport(table, { keyColumns: ["k,1", "{k2}"], status: "failed", error: "boom\u0000" });
    await store.checkpoint({
      runId,
      table: report,
      differences: [{ kind: "mismatched", key, columns: ["NULL", "c,d"] }],
    });
    await store.finishRun(runId, { status: "failed", files: [], warnings: ["bad\u0000byte"] });

    const stored = await store.run(runId);
    expect(stored?.tables).toEqual([{ ...report, error: "boom\uFFFD" }]);
    expect(stored?.warnings).toEqual(["bad\uFFFDbyte"]);
    expect(stored?.options).toEqual({ note: "nul\uFFFD" });
    expect(await store.differences(runId, table, { limit: 10 })).toEqual([
      { kind: "mismatched", key, columns: ["NULL", "c,d"], position: 1 },
    ]);
  });

  it("fails after close() with a final error", async () => {
    const store = await subject.open({});
    await store.close();
    await expect(store.runs()).rejects.toMatchObject({ code: "TOOLKIT_STORE_CLOSED", retriable: false });
  });
}
