import { DatabaseConnectionError } from "../embedded-source/database-url";
import { isRetriableStartError } from "./start-retry";

describe("isRetriableStartError", () => {
  it("retries an unreachable database, a server starting up and a slot still held by a dead walsender", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5999"), { code: "ECONNREFUSED" });
    expect(
      isRetriableStartError(new DatabaseConnectionError("source", "postgresql://u:p@127.0.0.1:5999/monolith", refused)),
    ).toBe(true);
    expect(
      isRetriableStartError(Object.assign(new Error("the database system is starting up"), { code: "57P03" })),
    ).toBe(true);
    expect(
      isRetriableStartError(Object.assign(new Error("replication slot is active for PID 42"), { code: "55006" })),
    ).toBe(true);
    expect(isRetriableStartError(new Error("Connection terminated unexpectedly"))).toBe(true);
  });

  it("gives up on what does not pass on its own", () => {
    const auth = Object.assign(new Error('password authentication failed for user "u"'), { code: "28P01" });
    expect(isRetriableStartError(new DatabaseConnectionError("source", "postgresql://u:p@db/monolith", auth))).toBe(
      false,
    );
    expect(isRetriableStartError(Object.assign(new Error('relation "users" does not exist'), { code: "42P01" }))).toBe(
      false,
    );
    expect(
      isRetriableStartError(
        Object.assign(new Error("logical decoding requires wal_level >= logical"), { code: "55000" }),
      ),
    ).toBe(false);
  });
});

test("a connection error names the database without its password", () => {
  const error = new DatabaseConnectionError(
    "source",
    "postgresql://admin:s3cret@db.example:5432/monolith",
    new Error("connect ECONNREFUSED"),
  );
  expect(error.message).toBe(
    "cannot connect to the source database postgresql://admin:***@db.example:5432/monolith: connect ECONNREFUSED",
  );
  expect(JSON.stringify({ ...error, message: error.message })).not.toContain("s3cret");
});
