import { databaseUrl, quoteIdent, redactUrl } from "./pg-client";

describe("pg-client helpers", () => {
  it("points a server URL at another database and keeps its parameters", () => {
    expect(databaseUrl("postgresql://u:p@h:5432/postgres?sslmode=require", "users_service")).toBe(
      "postgresql://u:p@h:5432/users_service?sslmode=require",
    );
  });

  it("hides the password", () => {
    expect(redactUrl("postgresql://admin:secret@db:5432/postgres")).toBe("postgresql://admin:***@db:5432/postgres");
  });

  it("quotes identifiers", () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });
});
