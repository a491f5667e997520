import type { Client } from "pg";
import { type Pgoutput, PgoutputPlugin } from "pg-logical-replication";
import { quoteIdent, quoteLiteral } from "./source-tables";
import { keepTextParser, useTextSession } from "./text-session";

/**
 * pgoutput that asks only for changes without a replication origin (`origin 'none'`, PostgreSQL
 * 16+). The sink marks its sessions with a replication origin, so what it writes into this database
 * is not streamed back: that is how two-way sync avoids loops. pg-logical-replication 2.5.0 has no
 * way to pass this option, hence the overridden START_REPLICATION.
 *
 * Values stay PostgreSQL's text (ADR 0011): the session writes them in a fixed text form
 * (text-session.ts) and each relation's columns keep that text instead of node-postgres' parsers.
 */
export class OriginFilteredPgoutput extends PgoutputPlugin {
  override parse(buffer: Buffer): Pgoutput.Message {
    const message = super.parse(buffer);
    if (message.tag === "relation") for (const column of message.columns) column.parser = keepTextParser;
    return message;
  }

  override async start(client: Client, slotName: string, lastLsn: string): Promise<unknown> {
    await useTextSession(client);
    const options = [
      `proto_version ${quoteLiteral(String(this.options.protoVersion))}`,
      `publication_names ${quoteLiteral(this.options.publicationNames.map(quoteIdent).join(","))}`,
      "messages 'false'",
      "origin 'none'",
    ];
    return client.query(`START_REPLICATION SLOT ${quoteIdent(slotName)} LOGICAL ${lastLsn} (${options.join(", ")})`);
  }
}
