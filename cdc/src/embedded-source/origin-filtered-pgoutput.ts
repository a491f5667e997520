import type { Client } from "pg";
import { PgoutputPlugin } from "pg-logical-replication";
import { quoteIdent, quoteLiteral } from "./source-tables";

/**
 * pgoutput that asks only for changes without a replication origin (`origin 'none'`, PostgreSQL
 * 16+). The sink marks its sessions with a replication origin, so what it writes into this database
 * is not streamed back: that is how two-way sync avoids loops. pg-logical-replication 2.5.0 has no
 * way to pass this option, hence the overridden START_REPLICATION.
 */
export class OriginFilteredPgoutput extends PgoutputPlugin {
  override start(client: Client, slotName: string, lastLsn: string): Promise<unknown> {
    const options = [
      `proto_version ${quoteLiteral(String(this.options.protoVersion))}`,
      `publication_names ${quoteLiteral(this.options.publicationNames.map(quoteIdent).join(","))}`,
      "messages 'false'",
      "origin 'none'",
    ];
    return client.query(`START_REPLICATION SLOT ${quoteIdent(slotName)} LOGICAL ${lastLsn} (${options.join(", ")})`);
  }
}
