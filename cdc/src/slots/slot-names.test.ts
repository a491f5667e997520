import fs from "node:fs";
import path from "node:path";
import { cdcReverseSlotName, cdcSlotName, slotNameRole, streamSlotName } from "./slot-names";
import { dropSlotSql } from "./toolkit-slots";
import { formatBytes } from "./format-bytes";

const CONNECTORS = path.join(__dirname, "..", "..", "connectors");

describe("the toolkit's slot names", () => {
  it("names the embedded source's slots after the service, the reverse one with _reverse", () => {
    expect(cdcSlotName("Users-Service")).toBe("strangler_users_service");
    expect(cdcReverseSlotName("users-service")).toBe("strangler_users_service_reverse");
    expect(streamSlotName("users-service", "embedded", "forward")).toBe(cdcSlotName("users-service"));
    expect(streamSlotName("users-service", "embedded", "reverse")).toBe(cdcReverseSlotName("users-service"));
  });

  it("names the Debezium connectors' slots as the connector files of cdc/connectors set them", () => {
    const file = (name: string) =>
      (JSON.parse(fs.readFileSync(path.join(CONNECTORS, name), "utf8")) as { config: Record<string, string> }).config;
    const forward = file("users-service.json");
    const reverse = file("users-service-reverse.json");
    expect([forward["slot.name"], forward["publication.name"]]).toEqual([
      streamSlotName("users-service", "debezium", "forward"),
      streamSlotName("users-service", "debezium", "forward"),
    ]);
    expect([reverse["slot.name"], reverse["publication.name"]]).toEqual([
      streamSlotName("users-service", "debezium", "reverse"),
      streamSlotName("users-service", "debezium", "reverse"),
    ]);
  });

  it("tells transport and direction from a name no service of the config has", () => {
    expect(slotNameRole("strangler_dbz_old_service_reverse")).toEqual({ transport: "debezium", direction: "reverse" });
    expect(slotNameRole("strangler_old_service")).toEqual({ transport: "embedded", direction: "forward" });
  });

  it("writes the statements that drop a slot and its publication, quoting what needs it", () => {
    expect(dropSlotSql("strangler_users_service")).toBe(
      "SELECT pg_drop_replication_slot('strangler_users_service'); DROP PUBLICATION IF EXISTS strangler_users_service;",
    );
    expect(dropSlotSql("strangler_Odd")).toBe(
      `SELECT pg_drop_replication_slot('strangler_Odd'); DROP PUBLICATION IF EXISTS "strangler_Odd";`,
    );
  });

  it("shows retained WAL in binary units", () => {
    expect([0, 1023, 1536, 5 * 1024 ** 2, 3 * 1024 ** 3].map(formatBytes)).toEqual([
      "0 B",
      "1023 B",
      "1.5 KiB",
      "5.0 MiB",
      "3.0 GiB",
    ]);
  });
});
