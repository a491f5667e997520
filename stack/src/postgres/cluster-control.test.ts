import { serverOptions } from "./cluster-control";

describe("serverOptions", () => {
  it("passes the port, loopback listening, the socket folder and logical decoding", () => {
    expect(serverOptions(54329, "/srv/.strangler/postgres/run")).toBe(
      "-p 54329 -c 'listen_addresses=127.0.0.1' -c 'unix_socket_directories=/srv/.strangler/postgres/run' " +
        "-c 'wal_level=logical' -c 'max_replication_slots=10' -c 'max_wal_senders=10'",
    );
  });

  it("quotes folders with spaces and quotes for pg_ctl's shell", () => {
    expect(serverOptions(1, "/a b/it's")).toContain(`-c 'unix_socket_directories=/a b/it'\\''s'`);
  });
});
