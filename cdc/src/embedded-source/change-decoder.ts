import type { Pgoutput } from "pg-logical-replication";
import type { ChangeEvent, ChangeOp, RowImage } from "../envelope/debezium-envelope";
import { parseLsn } from "./lsn";
import { toRowImage } from "./row-values";

/** What one pgoutput message turned into: change events, and the commit's end LSN at a commit. */
export interface DecodedMessage {
  events: ChangeEvent[];
  commitEndLsn: number | null;
}

export interface ChangeDecoder {
  decode(lsn: string, message: Pgoutput.Message): DecodedMessage;
  /** True between a begin and its commit. */
  inTransaction(): boolean;
  /** Forgets a half-read transaction (the stream is re-opened and the server sends it again). */
  reset(): void;
}

interface OpenTransaction {
  xid: number;
  commitTimeMs: number;
  commitLsn: number;
  /** Changes so far whose LSN had to be lifted above the snapshot point (see positionOf). */
  lifted: number;
}

const NONE: DecodedMessage = { events: [], commitEndLsn: null };

/**
 * Turns pgoutput begin / insert / update / delete / truncate / commit into Debezium change events.
 * `consistentLsn` is the slot's snapshot point: the snapshot's rows carry it as their LSN.
 * `addedTables` ("schema.table" → point): tables added to the stream later, snapshotted at their own point.
 */
export function createChangeDecoder(
  db: string,
  consistentLsn: number,
  addedTables: ReadonlyMap<string, number> = new Map(),
): ChangeDecoder {
  let open: OpenTransaction | null = null;

  // A transaction that was running when the slot was created commits after the snapshot point,
  // so it is streamed, yet its first changes may sit in WAL before that point. Their own LSN would
  // look older than the snapshot row and a version-guarded sink would drop them; lift them just
  // above the snapshot point, in order, and below the commit (which precedes any later change of
  // the same rows, because those rows were locked until then). A table added later has its own
  // snapshot point; the slot also streams transactions that committed before it (already in that
  // snapshot): they keep their own, older LSNs.
  const positionOf = (lsn: string, relation: Pgoutput.MessageRelation): number => {
    const own = parseLsn(lsn);
    const point = addedTables.get(`${relation.schema}.${relation.name}`) ?? consistentLsn;
    if (!open || own > point || open.commitLsn <= point) return own;
    open.lifted += 1;
    return Math.min(point + open.lifted, Math.max(open.commitLsn, point + 1));
  };

  const event = (
    op: ChangeOp,
    relation: Pgoutput.MessageRelation,
    lsn: string,
    before: RowImage | null,
    after: RowImage | null,
  ): ChangeEvent => ({
    before,
    after,
    op,
    ts_ms: Date.now(),
    source: {
      lsn: positionOf(lsn, relation),
      txId: open?.xid ?? null,
      ts_ms: open?.commitTimeMs ?? Date.now(),
      db,
      schema: relation.schema,
      table: relation.name,
      snapshot: "false",
    },
  });

  return {
    decode(lsn, message) {
      switch (message.tag) {
        case "begin":
          open = {
            xid: message.xid,
            // pg-logical-replication gives microseconds since the Unix epoch.
            commitTimeMs: Number(BigInt(message.commitTime.toString()) / 1000n),
            commitLsn: message.commitLsn ? parseLsn(message.commitLsn) : 0,
            lifted: 0,
          };
          return NONE;
        case "insert":
          return { events: [event("c", message.relation, lsn, null, toRowImage(message.new))], commitEndLsn: null };
        case "update":
          return {
            events: [
              event("u", message.relation, lsn, toRowImage(message.old ?? message.key), toRowImage(message.new)),
            ],
            commitEndLsn: null,
          };
        case "delete":
          return {
            events: [event("d", message.relation, lsn, toRowImage(message.old ?? message.key), null)],
            commitEndLsn: null,
          };
        case "truncate":
          return {
            events: message.relations.map((relation) => event("t", relation, lsn, null, null)),
            commitEndLsn: null,
          };
        case "commit":
          open = null;
          return { events: [], commitEndLsn: parseLsn(message.commitEndLsn ?? lsn) };
        default:
          // relation, type, origin and message carry no row change.
          return NONE;
      }
    },
    inTransaction: () => open !== null,
    reset() {
      open = null;
    },
  };
}
