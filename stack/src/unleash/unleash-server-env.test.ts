import fs from "node:fs";
import { findRepoRoot } from "../config/repo-root";
import { unleashServerEntry, unleashServerEnv } from "./unleash-server-env";

describe("unleashServerEnv", () => {
  it("configures Unleash through its environment alone, quiet and without calls home", () => {
    expect(
      unleashServerEnv({
        databaseUrl: "postgresql://postgres@127.0.0.1:54329/unleash",
        host: "127.0.0.1",
        port: 4242,
        adminToken: "*:*.a",
        clientToken: "default:development.c",
      }),
    ).toEqual({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:54329/unleash",
      DATABASE_SSL: "false",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: "4242",
      LOG_LEVEL: "warn",
      SEND_TELEMETRY: "false",
      CHECK_VERSION: "false",
      INIT_ADMIN_API_TOKENS: "*:*.a",
      INIT_CLIENT_API_TOKENS: "default:development.c",
      INIT_BACKEND_API_TOKENS: "default:development.c",
    });
  });

  it("creates no token when none is given (the template database of the tests)", () => {
    expect(
      Object.keys(unleashServerEnv({ databaseUrl: "postgresql://h/db", host: "127.0.0.1", port: 1 })),
    ).not.toContain("INIT_ADMIN_API_TOKENS");
  });
});

describe("unleashServerEntry", () => {
  it("finds unleash-server's start script", () => {
    const entry = unleashServerEntry(findRepoRoot(__dirname));
    expect(entry).toMatch(/unleash-server[/\\]dist[/\\]server\.js$/);
    expect(fs.existsSync(entry)).toBe(true);
  });
});
