import type { Pgoutput } from "pg-logical-replication";
import { createChangeDecoder } from "./change-decoder";
import { formatLsn } from "./lsn";

const users: Pgoutput.MessageRelation = {
  tag: "relation",
  relationOid: 1,
  schema: "public",
  name: "users",
  replicaIdentity: "full",
  columns: [],
  keyColumns: ["id"],
};
const COMMIT_TIME_US = 1_700_000_000_123_456n;
const begin = (commitLsn: number): Pgoutput.MessageBegin => ({
  tag: "begin",
  commitLsn: formatLsn(commitLsn),
  commitTime: COMMIT_TIME_US,
  xid: 42,
});
const commit = (commitLsn: number, endLsn: number): Pgoutput.MessageCommit => ({
  tag: "commit",
  flags: 0,
  commitLsn: formatLsn(commitLsn),
  commitEndLsn: formatLsn(endLsn),
  commitTime: COMMIT_TIME_US,
});
const insert = (id: string, createdAt: Date): Pgoutput.MessageInsert => ({
  tag: "insert",
  relation: users,
  new: { id, created_at: createdAt },
});
const update = (id: string, before: string, after: string): Pgoutput.MessageUpdate => ({
  tag: "update",
  relation: users,
  key: null,
  old: { id, name: before },
  new: { id, name: after },
});

test("turns a transaction into c / u / d events with the change's LSN, txId and commit time", () => {
  const decoder = createChangeDecoder("monolith", 1000);
  decoder.decode(formatLsn(2000), begin(2300));
  const [created] = decoder.decode(formatLsn(2100), insert("a", new Date("2024-05-01T10:00:00.123Z"))).events;
  const [changed] = decoder.decode(formatLsn(2200), update("a", "Ada", "Ada L.")).events;
  const [deleted] = decoder.decode(formatLsn(2250), {
    tag: "delete",
    relation: users,
    key: null,
    old: { id: "a", name: "Ada L." },
  }).events;
  expect(decoder.inTransaction()).toBe(true);
  expect(decoder.decode(formatLsn(2340), commit(2300, 2340))).toEqual({ events: [], commitEndLsn: 2340 });
  expect(decoder.inTransaction()).toBe(false);

  expect(created).toMatchObject({ op: "c", before: null, after: { id: "a", created_at: "2024-05-01T10:00:00.123Z" } });
  expect(created?.source).toMatchObject({
    lsn: 2100,
    txId: 42,
    ts_ms: 1_700_000_000_123,
    db: "monolith",
    schema: "public",
    table: "users",
    snapshot: "false",
  });
  expect(changed).toMatchObject({ op: "u", before: { name: "Ada" }, after: { name: "Ada L." }, source: { lsn: 2200 } });
  expect(deleted).toMatchObject({ op: "d", before: { id: "a" }, after: null, source: { lsn: 2250 } });
});

test("lifts changes written before the snapshot point above it, in order, for a transaction that commits after it", () => {
  const decoder = createChangeDecoder("monolith", 1000);
  decoder.decode(formatLsn(900), begin(1500));
  const first = decoder.decode(formatLsn(900), update("a", "1", "2")).events[0];
  const second = decoder.decode(formatLsn(950), update("a", "2", "3")).events[0];
  const third = decoder.decode(formatLsn(1200), update("a", "3", "4")).events[0];
  expect([first?.source.lsn, second?.source.lsn, third?.source.lsn]).toEqual([1001, 1002, 1200]);
});

test("forgets a half-read transaction on reset", () => {
  const decoder = createChangeDecoder("monolith", 0);
  decoder.decode(formatLsn(10), begin(20));
  decoder.reset();
  expect(decoder.inTransaction()).toBe(false);
});

test("a table added later is lifted above its own snapshot point, and only for transactions that commit after it", () => {
  const orders: Pgoutput.MessageRelation = { ...users, relationOid: 2, name: "orders" };
  const decoder = createChangeDecoder("monolith", 1000, new Map([["public.orders", 5000]]));
  // Committed before the table's snapshot point: in that snapshot already; keeps its own, older LSN.
  decoder.decode(formatLsn(4000), begin(4500));
  const early = decoder.decode(formatLsn(4100), { tag: "insert", relation: orders, new: { id: "o1" } }).events[0];
  decoder.decode(formatLsn(4600), commit(4500, 4600));
  // Written before the point, committed after it: lifted above it, in order; users keep their LSN.
  decoder.decode(formatLsn(4800), begin(6000));
  const late = decoder.decode(formatLsn(4900), { tag: "insert", relation: orders, new: { id: "o2" } }).events[0];
  const user = decoder.decode(formatLsn(4950), update("a", "1", "2")).events[0];
  const later = decoder.decode(formatLsn(5100), { tag: "insert", relation: orders, new: { id: "o3" } }).events[0];
  expect([early?.source.lsn, late?.source.lsn, user?.source.lsn, later?.source.lsn]).toEqual([4100, 5001, 4950, 5100]);
});
